import { HttpStatus } from '@nestjs/common';
import { Types } from 'mongoose';
import { Counter, CounterSchema } from '../../common/rate/counter.schema';
import { WindowCounter } from '../../common/rate/window-counter.service';
import { loginConfig, otpConfig, passwordConfig } from '../../config/configuration';
import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { Otp, OtpSchema } from './otp.schema';
import { OtpRefusal, OtpService } from './otp.service';

const TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
const WINDOW_MS = 15 * 60_000;

/** The rules of consume, one by one: single use, the attempt budget, expiry, wrong codes, binding. */
describe(OtpService.name, () => {
  let unit: UnitModule;
  let otps: OtpService;

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: Otp.name, schema: OtpSchema },
        { name: Counter.name, schema: CounterSchema },
      ],
      providers: [
        WindowCounter,
        OtpService,
        {
          provide: otpConfig.KEY,
          useValue: { ttlMs: TTL_MS, maxAttempts: MAX_ATTEMPTS, resendCooldownMs: 60_000 },
        },
        { provide: loginConfig.KEY, useValue: { lockoutDurationMs: WINDOW_MS } },
        { provide: passwordConfig.KEY, useValue: { pepper: 'a pepper for the unit spec' } },
      ],
    });
    otps = unit.moduleRef.get(OtpService);
  });
  afterAll(() => unit.close());

  const newUser = () => new Types.ObjectId().toHexString();
  /** A code that is not `code` (same length, digits only). */
  const wrong = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
  /** The refusal `consume` throws, as code, status and whether it counted as a guess. */
  async function refusal(promise: Promise<void>) {
    const error: unknown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OtpRefusal);
    const { code, guess } = error as OtpRefusal;
    return { code, status: (error as OtpRefusal).getStatus(), guess };
  }
  const budget = (userId: string, purpose = 'verify_email') =>
    unit.db.collection('counters').findOne({ _id: `otp:${userId}:${purpose}` as never });

  describe('single use', () => {
    it('accepts the right code once; the same code again is invalid_otp and not a guess', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      await otps.consume(user, 'verify_email', code);
      expect(await refusal(otps.consume(user, 'verify_email', code))).toEqual({
        code: 'invalid_otp',
        status: HttpStatus.BAD_REQUEST,
        guess: false,
      });
      expect(await otps.isPending(user, 'verify_email')).toBe(false);
    });

    it('lets exactly one of 20 parallel submits of the right code through, and counts none of the others', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => otps.consume(user, 'verify_email', code)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results)
        if (r.status === 'rejected') expect(r.reason).toMatchObject({ guess: false });
    });

    it('resets the attempt budget after a success', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      await refusal(otps.consume(user, 'verify_email', wrong(code)));
      expect((await budget(user))?.count).toBe(1);
      await otps.consume(user, 'verify_email', code);
      expect(await budget(user)).toBeNull();
    });
  });

  describe('wrong codes', () => {
    it('answers invalid_otp counted as a guess, and the right code still works after', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      expect(await refusal(otps.consume(user, 'verify_email', wrong(code)))).toEqual({
        code: 'invalid_otp',
        status: HttpStatus.BAD_REQUEST,
        guess: true,
      });
      // Not six digits: compared (and counted) like any wrong code, never matched.
      expect(await refusal(otps.consume(user, 'verify_email', 'abcdef'))).toMatchObject({
        code: 'invalid_otp',
        guess: true,
      });
      expect((await budget(user))?.count).toBe(2);
      await otps.consume(user, 'verify_email', code);
    });

    it('refuses a code of another purpose or another account without counting', async () => {
      const user = newUser();
      const other = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      await otps.issue(other, 'verify_email');
      expect(await refusal(otps.consume(user, 'reset_password', code))).toMatchObject({
        code: 'invalid_otp',
        guess: false,
      });
      expect(await refusal(otps.consume(other, 'verify_email', code))).toMatchObject({
        code: 'invalid_otp',
      });
      await otps.consume(user, 'verify_email', code);
    });

    it('binds a login code to its attempt: another attempt id is refused without counting', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'login', { force: true, attemptId: 'attempt-1' }))!;
      expect(await refusal(otps.consume(user, 'login', code, 'attempt-2'))).toMatchObject({
        code: 'invalid_otp',
        guess: false,
      });
      expect(await budget(user, 'login')).toBeNull();
      await otps.consume(user, 'login', code, 'attempt-1');
    });
  });

  describe('attempts', () => {
    it('burns the code at the OTP_MAX_ATTEMPTS-th wrong one; then even the right code is 429', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      for (let i = 1; i < MAX_ATTEMPTS; i++)
        expect(await refusal(otps.consume(user, 'verify_email', wrong(code, i)))).toMatchObject({
          code: 'invalid_otp',
          guess: true,
        });
      expect(await refusal(otps.consume(user, 'verify_email', wrong(code, 99)))).toEqual({
        code: 'too_many_attempts',
        status: HttpStatus.TOO_MANY_REQUESTS,
        guess: true,
      });
      expect(await refusal(otps.consume(user, 'verify_email', code))).toEqual({
        code: 'too_many_attempts',
        status: HttpStatus.TOO_MANY_REQUESTS,
        guess: false,
      });
    });

    it('does not refill the budget with a new code; the window does', async () => {
      const user = newUser();
      const first = (await otps.issue(user, 'verify_email'))!;
      for (let i = 1; i <= MAX_ATTEMPTS; i++)
        await refusal(otps.consume(user, 'verify_email', wrong(first, i)));
      const second = (await otps.issue(user, 'verify_email', { force: true }))!;
      expect(await refusal(otps.consume(user, 'verify_email', second))).toMatchObject({
        code: 'too_many_attempts',
        guess: false,
      });
      unit.clock.advance(WINDOW_MS + 1000);
      const third = (await otps.issue(user, 'verify_email', { force: true }))!;
      await otps.consume(user, 'verify_email', third);
    });

    it('compares at most OTP_MAX_ATTEMPTS of 30 parallel wrong codes', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) =>
          otps.consume(user, 'verify_email', wrong(code, i + 1)),
        ),
      );
      const guesses = results.filter(
        (r) => r.status === 'rejected' && (r.reason as OtpRefusal).guess,
      );
      expect(guesses).toHaveLength(MAX_ATTEMPTS);
      expect((await budget(user))?.count).toBe(MAX_ATTEMPTS);
    });
  });

  describe('expiry', () => {
    it('refuses the right code after OTP_TTL with otp_expired, without counting', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      unit.clock.advance(TTL_MS);
      expect(await refusal(otps.consume(user, 'verify_email', code))).toEqual({
        code: 'otp_expired',
        status: HttpStatus.BAD_REQUEST,
        guess: false,
      });
      expect(await budget(user)).toBeNull();
    });

    it('accepts it until the last moment before OTP_TTL', async () => {
      const user = newUser();
      const code = (await otps.issue(user, 'verify_email'))!;
      unit.clock.advance(TTL_MS - 1000);
      await otps.consume(user, 'verify_email', code);
    });
  });
});
