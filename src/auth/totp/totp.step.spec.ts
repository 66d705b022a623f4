import { Types } from 'mongoose';
import { generateSync } from 'otplib';
import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { DOMAIN_EVENT_PREFIX } from '../../common/events/domain-event';
import { passwordConfig, totpConfig } from '../../config/configuration';
import { UserDto } from '../../users/dto/user.dto';
import { OtpRefusal } from '../otp/otp.service';
import { TotpCipher } from './totp-cipher';
import { TotpCredential, TotpCredentialSchema } from './totp.schema';
import { TOTP_PERIOD_SECONDS, TotpService } from './totp.service';
import { TotpStep } from './totp.step';

const PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;
const origin = { ip: '203.0.113.9' };

describe(TotpStep.name, () => {
  let unit: UnitModule;
  let totp: TotpService;
  let step: TotpStep;

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [{ name: TotpCredential.name, schema: TotpCredentialSchema }],
      providers: [
        TotpService,
        TotpCipher,
        TotpStep,
        {
          provide: totpConfig.KEY,
          useValue: { encryptionKey: Buffer.alloc(32, 3), issuer: 'Unit Test' },
        },
        { provide: passwordConfig.KEY, useValue: { pepper: 'unit-pepper' } },
      ],
    });
    totp = unit.moduleRef.get(TotpService);
    step = unit.moduleRef.get(TotpStep);
  });
  afterAll(() => unit.close());

  /** Mid-step, so no time step ends while a test runs. */
  beforeEach(() => unit.clock.advance(PERIOD_MS / 2 - (unit.clock.now().getTime() % PERIOD_MS)));

  const codeNow = (secret: string) =>
    generateSync({ secret, epoch: Math.floor(unit.clock.now().getTime() / 1000) });
  const newUser = () =>
    ({ id: new Types.ObjectId().toHexString(), email: 'ada@example.com', locale: 'en' }) as UserDto;
  const enabled = async () => {
    const user = newUser();
    const { secret } = await totp.setUp(user.id, user.email);
    const recoveryCodes = await totp.enable(user.id, codeNow(secret));
    unit.clock.advance(2 * PERIOD_MS); // past the enabling code's step
    return { user, secret, recoveryCodes };
  };
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('accepted');
      },
      (e: unknown) => e as OtpRefusal,
    );

  it('is held once enabled, and follows a password and a provider alike', async () => {
    const user = newUser();
    expect(await step.has(user)).toBe(false);
    const { user: on } = await enabled();
    expect(await step.has(on)).toBe(true);
    expect(step.follows()).toBe(true);
  });

  it('takes a code of the app for the attempt it began, once', async () => {
    const { user, secret } = await enabled();
    await step.begin(user, 'attempt-1');
    const code = codeNow(secret);
    const other = await refusal(step.check(user, 'attempt-2', code, origin));
    expect({ code: other.code, guess: other.guess }).toEqual({ code: 'invalid_otp', guess: false });
    expect(await step.check(user, 'attempt-1', code, origin)).toBe('totp');
    const again = await refusal(step.check(user, 'attempt-1', code, origin));
    expect(again.guess).toBe(false);
  });

  it('counts a wrong code as a guess', async () => {
    const { user, secret } = await enabled();
    await step.begin(user, 'attempt-1');
    const wrong = String((Number(codeNow(secret)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await refusal(step.check(user, 'attempt-1', wrong, origin));
    expect({ code: refused.code, guess: refused.guess }).toEqual({
      code: 'invalid_otp',
      guess: true,
    });
  });

  it('takes a recovery code, answers so, and tells the owner how many are left', async () => {
    const { user, recoveryCodes } = await enabled();
    const told: unknown[] = [];
    unit.events.on(`${DOMAIN_EVENT_PREFIX}.auth.totp.recovery_code_used`, (event: unknown) =>
      told.push(event),
    );
    await step.begin(user, 'attempt-1');
    expect(await step.check(user, 'attempt-1', recoveryCodes[0], origin)).toBe('recovery_code');
    expect(told).toEqual([
      expect.objectContaining({
        targetId: user.id,
        details: { remaining: recoveryCodes.length - 1 },
        notify: { email: user.email, locale: 'en' },
      }),
    ]);
  });
});
