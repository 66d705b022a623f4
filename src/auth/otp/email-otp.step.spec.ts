import { Types } from 'mongoose';
import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { Counter, CounterSchema } from '../../common/rate/counter.schema';
import { WindowCounter } from '../../common/rate/window-counter.service';
import { loginConfig, otpConfig, passwordConfig } from '../../config/configuration';
import { UserDto } from '../../users/dto/user.dto';
import { AuthMails } from './auth-mails';
import { EmailOtpStep } from './email-otp.step';
import { Otp, OtpSchema } from './otp.schema';
import { OtpRefusal } from './otp.service';
import { OtpService } from './otp.service';

/** The mails the step would send, kept instead of sent. */
class SentCodes {
  readonly sent: { to: string; purpose: string; code: string }[] = [];
  sendCode(to: string, purpose: string, code: string): void {
    this.sent.push({ to, purpose, code });
  }
}

describe(EmailOtpStep.name, () => {
  let unit: UnitModule;
  let step: EmailOtpStep;
  let mails: SentCodes;
  const login = { emailOtp: true, lockoutDurationMs: 15 * 60_000 };

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: Otp.name, schema: OtpSchema },
        { name: Counter.name, schema: CounterSchema },
      ],
      providers: [
        WindowCounter,
        OtpService,
        EmailOtpStep,
        { provide: AuthMails, useClass: SentCodes },
        {
          provide: otpConfig.KEY,
          useValue: { ttlMs: 5 * 60_000, maxAttempts: 5, resendCooldownMs: 60_000 },
        },
        { provide: loginConfig.KEY, useValue: login },
        { provide: passwordConfig.KEY, useValue: { pepper: 'a pepper for the unit spec' } },
      ],
    });
    step = unit.moduleRef.get(EmailOtpStep);
    mails = unit.moduleRef.get<SentCodes>(AuthMails);
  });
  afterAll(() => unit.close());

  const newUser = () =>
    ({ id: new Types.ObjectId().toHexString(), email: 'ada@example.com' }) as UserDto;
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('accepted');
      },
      (e: unknown) => e as OtpRefusal,
    );

  it('follows a password while LOGIN_EMAIL_OTP is on, never a provider sign-in', async () => {
    expect(step.follows('password')).toBe(true);
    expect(step.follows('provider')).toBe(false);
    login.emailOtp = false;
    expect(step.follows('password')).toBe(false);
    login.emailOtp = true;
    expect(await step.has()).toBe(true); // every account has an address
  });

  it('mails a login code that completes this attempt once', async () => {
    const user = newUser();
    await step.begin(user, 'attempt-1');
    const { to, purpose, code } = mails.sent.at(-1)!;
    expect({ to, purpose }).toEqual({ to: user.email, purpose: 'login' });
    expect(await step.check(user, 'attempt-1', code)).toBe('email_otp');
    const again = await refusal(step.check(user, 'attempt-1', code));
    expect({ code: again.code, guess: again.guess }).toEqual({ code: 'invalid_otp', guess: false });
  });

  it("refuses another attempt's code without counting it, and counts a wrong code", async () => {
    const user = newUser();
    await step.begin(user, 'attempt-1');
    const { code } = mails.sent.at(-1)!;
    const other = await refusal(step.check(user, 'attempt-2', code));
    expect({ code: other.code, guess: other.guess }).toEqual({ code: 'invalid_otp', guess: false });
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await refusal(step.check(user, 'attempt-1', wrongCode));
    expect({ code: wrong.code, guess: wrong.guess }).toEqual({ code: 'invalid_otp', guess: true });
  });

  it('mails a new code at each password step, inside the resend cooldown', async () => {
    const user = newUser();
    await step.begin(user, 'attempt-1');
    await step.begin(user, 'attempt-2');
    const [first, second] = mails.sent.slice(-2);
    expect(first.to).toBe(second.to);
    await refusal(step.check(user, 'attempt-1', first.code)); // replaced by the second attempt
    expect(await step.check(user, 'attempt-2', second.code)).toBe('email_otp');
  });
});
