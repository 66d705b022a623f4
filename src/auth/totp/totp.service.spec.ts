import { Types } from 'mongoose';
import { generateSync } from 'otplib';
import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { passwordConfig, totpConfig } from '../../config/configuration';
import { TotpCipher } from './totp-cipher';
import { TotpCredential, TotpCredentialSchema } from './totp.schema';
import { TOTP_PERIOD_SECONDS, TotpService } from './totp.service';

const PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;

describe(TotpService.name, () => {
  let unit: UnitModule;
  let totp: TotpService;

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [{ name: TotpCredential.name, schema: TotpCredentialSchema }],
      providers: [
        TotpService,
        TotpCipher,
        {
          provide: totpConfig.KEY,
          useValue: { encryptionKey: Buffer.alloc(32, 3), issuer: 'Unit Test' },
        },
        { provide: passwordConfig.KEY, useValue: { pepper: 'unit-pepper' } },
      ],
    });
    totp = unit.moduleRef.get(TotpService);
  });
  afterAll(() => unit.close());

  /** Puts the clock in the middle of a time step, so no step ends while a test runs. */
  beforeEach(() => {
    const into = unit.clock.now().getTime() % PERIOD_MS;
    unit.clock.advance(PERIOD_MS / 2 - into);
  });

  const user = () => new Types.ObjectId().toHexString();
  /** The code of the step `steps` away from now, by the test clock. */
  const codeAt = (secret: string, steps = 0) =>
    generateSync({
      secret,
      epoch: Math.floor(unit.clock.now().getTime() / 1000) + steps * TOTP_PERIOD_SECONDS,
    });
  /** A code `steps` away whose digits no step within one of now shares, so it can only be refused. */
  const staleCode = (secret: string, steps: number) => {
    const near = [-1, 0, 1].map((s) => codeAt(secret, s));
    for (let s = steps; ; s += Math.sign(steps) || 1) {
      const code = codeAt(secret, s);
      if (!near.includes(code)) return code;
    }
  };
  const enabled = async () => {
    const id = user();
    const { secret } = await totp.setUp(id, `${id}@example.com`);
    const recoveryCodes = await totp.enable(id, codeAt(secret));
    // The enabling code's step is used: start two later, so even the previous step is unused.
    unit.clock.advance(2 * PERIOD_MS);
    return { id, secret, recoveryCodes };
  };

  describe('setUp', () => {
    it('stores the secret encrypted, never as given, and answers an otpauth URL for it', async () => {
      const id = user();
      const { secret, otpauthUrl } = await totp.setUp(id, 'ada@example.com');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(otpauthUrl).toBe(
        `otpauth://totp/Unit%20Test:ada%40example.com?secret=${secret}&issuer=Unit%20Test`,
      );
      const stored = await unit.db
        .collection('totp_credentials')
        .findOne({ userId: new Types.ObjectId(id) });
      expect(stored!.secret).not.toContain(secret);
      expect(JSON.stringify(stored)).not.toContain(secret);
      expect(stored!.enabledAt).toBeNull();
      expect(await totp.isEnabled(id)).toBe(false);
    });

    it('replaces a secret not yet enabled, so a code of the old one no longer enables', async () => {
      const id = user();
      const first = await totp.setUp(id, 'a@example.com');
      const second = await totp.setUp(id, 'a@example.com');
      expect(second.secret).not.toBe(first.secret);
      const old = codeAt(first.secret);
      if (![-1, 0, 1].map((steps) => codeAt(second.secret, steps)).includes(old))
        await expect(totp.enable(id, old)).rejects.toMatchObject({ code: 'invalid_otp' });
      await totp.enable(id, codeAt(second.secret));
    });

    it('refuses while TOTP is on (409) and keeps the enabled secret', async () => {
      const { id, secret } = await enabled();
      await expect(totp.setUp(id, 'a@example.com')).rejects.toMatchObject({
        code: 'totp_already_enabled',
      });
      expect(await totp.use(id, codeAt(secret), { recovery: false })).toEqual({
        ok: true,
        method: 'totp',
      });
    });
  });

  describe('enable', () => {
    it('refuses a wrong code and a missing setup, then turns on with a current code', async () => {
      const id = user();
      await expect(totp.enable(id, '123456')).rejects.toMatchObject({ code: 'totp_not_set_up' });
      const { secret } = await totp.setUp(id, 'a@example.com');
      await expect(totp.enable(id, staleCode(secret, 2))).rejects.toMatchObject({
        code: 'invalid_otp',
      });
      expect(await totp.isEnabled(id)).toBe(false);
      const codes = await totp.enable(id, codeAt(secret));
      expect(codes).toHaveLength(10);
      expect(await totp.isEnabled(id)).toBe(true);
      await expect(totp.enable(id, codeAt(secret, 1))).rejects.toMatchObject({
        code: 'totp_already_enabled',
      });
    });

    it('stores only hashes of the recovery codes', async () => {
      const { id, recoveryCodes } = await enabled();
      const stored = await unit.db
        .collection('totp_credentials')
        .findOne({ userId: new Types.ObjectId(id) });
      expect(stored!.recoveryCodeHashes).toHaveLength(10);
      for (const code of recoveryCodes) expect(JSON.stringify(stored)).not.toContain(code);
    });

    it('turns on once for 20 parallel submits of one code', async () => {
      const id = user();
      const { secret } = await totp.setUp(id, 'a@example.com');
      const code = codeAt(secret);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, () => totp.enable(id, code)),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });
  });

  describe('use', () => {
    it('accepts the codes of the previous, current and next step, and refuses two steps away', async () => {
      for (const steps of [-1, 0, 1]) {
        const { id, secret } = await enabled();
        expect(await totp.use(id, codeAt(secret, steps), { recovery: false })).toMatchObject({
          ok: true,
        });
      }
      for (const steps of [-2, 2]) {
        const { id, secret } = await enabled();
        expect(await totp.use(id, staleCode(secret, steps), { recovery: false })).toEqual({
          ok: false,
          guess: true,
        });
      }
    });

    it('refuses an accepted code for the rest of its window, without counting it as a guess', async () => {
      const { id, secret } = await enabled();
      const code = codeAt(secret);
      expect(await totp.use(id, code, { recovery: false })).toMatchObject({ ok: true });
      expect(await totp.use(id, code, { recovery: false })).toEqual({ ok: false, guess: false });
      unit.clock.advance(PERIOD_MS); // the same code, now from the previous step: still used
      expect(await totp.use(id, code, { recovery: false })).toEqual({ ok: false, guess: false });
      expect(await totp.use(id, codeAt(secret), { recovery: false })).toMatchObject({ ok: true });
    });

    it('refuses the codes of steps before the last one used', async () => {
      const { id, secret } = await enabled();
      const previous = codeAt(secret, -1);
      expect(await totp.use(id, codeAt(secret, 1), { recovery: false })).toMatchObject({
        ok: true,
      });
      const current = codeAt(secret);
      if (current !== codeAt(secret, 1))
        expect(await totp.use(id, current, { recovery: false })).toEqual({
          ok: false,
          guess: false,
        });
      if (previous !== codeAt(secret, 1))
        expect(await totp.use(id, previous, { recovery: false })).toEqual({
          ok: false,
          guess: false,
        });
    });

    it('accepts one of 20 parallel submits of one code', async () => {
      const { id, secret } = await enabled();
      const code = codeAt(secret);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => totp.use(id, code, { recovery: false })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.guess)).toEqual([]);
    });

    it('accepts each recovery code once, counting down, and only where recovery codes are allowed', async () => {
      const { id, recoveryCodes } = await enabled();
      expect(await totp.use(id, recoveryCodes[0], { recovery: false })).toEqual({
        ok: false,
        guess: true,
      });
      expect(await totp.use(id, recoveryCodes[0].toUpperCase(), { recovery: true })).toEqual({
        ok: true,
        method: 'recovery_code',
        remaining: 9,
      });
      expect(await totp.use(id, recoveryCodes[0], { recovery: true })).toEqual({
        ok: false,
        guess: true,
      });
      expect(await totp.use(id, recoveryCodes[1], { recovery: true })).toMatchObject({
        remaining: 8,
      });
      expect(await totp.use(id, 'zzzzz-zzzzz', { recovery: true })).toEqual({
        ok: false,
        guess: true,
      });
    });

    it('accepts one of 20 parallel submits of one recovery code', async () => {
      const { id, recoveryCodes } = await enabled();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => totp.use(id, recoveryCodes[3], { recovery: true })),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    });

    it("takes a sign-in's code only for the latest attempt, and only once", async () => {
      const { id, secret, recoveryCodes } = await enabled();
      expect(await totp.beginLogin(id, 'first')).toBe(true);
      expect(await totp.beginLogin(id, 'second')).toBe(true);
      expect(await totp.use(id, codeAt(secret), { recovery: true, attemptId: 'first' })).toEqual({
        ok: false,
        guess: false,
      });
      expect(
        await totp.use(id, codeAt(secret), { recovery: true, attemptId: 'second' }),
      ).toMatchObject({ ok: true });
      expect(await totp.use(id, recoveryCodes[0], { recovery: true, attemptId: 'second' })).toEqual(
        { ok: false, guess: false },
      );
      expect(await totp.beginLogin(user(), 'third')).toBe(false);
    });

    it('refuses every code once TOTP is off', async () => {
      const { id, secret, recoveryCodes } = await enabled();
      expect(await totp.remove(id)).toBe(true);
      expect(await totp.use(id, codeAt(secret), { recovery: true })).toEqual({
        ok: false,
        guess: false,
      });
      expect(await totp.use(id, recoveryCodes[0], { recovery: true })).toMatchObject({
        ok: false,
      });
      expect(await totp.remove(id)).toBe(false);
    });
  });

  it('replaces the recovery codes: the old set stops working, the new one works', async () => {
    const { id, recoveryCodes } = await enabled();
    const fresh = await totp.replaceRecoveryCodes(id);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);
    expect(await totp.use(id, recoveryCodes[0], { recovery: true })).toMatchObject({
      ok: false,
    });
    expect(await totp.use(id, fresh[0], { recovery: true })).toMatchObject({ remaining: 9 });
    await expect(totp.replaceRecoveryCodes(user())).rejects.toMatchObject({
      code: 'totp_not_enabled',
    });
  });
});
