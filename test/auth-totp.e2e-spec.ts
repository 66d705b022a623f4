import { Types } from 'mongoose';
import { generateSync } from 'otplib';
import { auditEntries, bearer, Pair, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

const PERIOD_MS = 30_000;
const ADMIN = { email: 'root@example.com', password: 'correct horse battery staple admin' };

/** Two-factor authentication with an authenticator app (issue 11), with real codes from the returned secret. */
describe('TOTP two-factor authentication', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'true',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    });
  });
  afterAll(() => t.close());

  /** The middle of a time step, so no step ends between computing a code and sending it. */
  beforeEach(() => t.clock.advance(PERIOD_MS / 2 - (t.clock.now().getTime() % PERIOD_MS)));

  /** The code of the step `steps` away from now, on the app's clock. */
  const codeAt = (secret: string, steps = 0) =>
    generateSync({
      secret,
      epoch: Math.floor(t.clock.now().getTime() / 1000) + steps * 30,
    });
  /** Moves to the next step (the last one's code is used) and answers its code. */
  const nextCode = (secret: string) => {
    t.clock.advance(PERIOD_MS);
    return codeAt(secret);
  };
  /** `count` distinct codes wrong for every step near now, so the server can only refuse them. */
  const wrongCodes = (secret: string, count: number) => {
    const near = [-1, 0, 1].map((s) => codeAt(secret, s));
    const codes: string[] = [];
    for (let n = 0; codes.length < count; n++) {
      const code = String(n).padStart(6, '0');
      if (!near.includes(code)) codes.push(code);
    }
    return codes;
  };
  const wrongCode = (secret: string) => wrongCodes(secret, 1)[0];

  const post = (path: string, pair: Pair | undefined, body: object, ip = '127.0.0.1') => {
    const req = t.http().post(`/api/v1${path}`).set('X-Forwarded-For', ip);
    return (pair ? req.set(bearer(pair)) : req).send(body);
  };
  const login = (email: string, ip = '127.0.0.1', password = PASSWORD) =>
    post('/auth/login', undefined, { email, password }, ip);
  const verify = (mfaToken: string, code: string, ip = '127.0.0.1') =>
    post('/auth/login/verify', undefined, { mfaToken, code }, ip);

  /** Signs up and in, sets TOTP up and turns it on. */
  async function withTotp(email: string, ip = '127.0.0.1') {
    await signUp(t, email);
    const pair = await signIn(t, email, PASSWORD, ip);
    const setup = await post('/auth/2fa/totp/setup', pair, { password: PASSWORD }, ip).expect(200);
    const { secret } = setup.body as { secret: string };
    const enable = await post('/auth/2fa/totp/enable', pair, { code: codeAt(secret) }, ip).expect(
      200,
    );
    return { pair, secret, recoveryCodes: enable.body.recoveryCodes as string[] };
  }
  /** Both sign-in steps with a TOTP code of the next step (or the given code). */
  async function totpSignIn(email: string, secret: string, ip = '127.0.0.1'): Promise<Pair> {
    const step1 = await login(email, ip).expect(200);
    expect(step1.body.method).toBe('totp');
    return (await verify(step1.body.mfaToken, nextCode(secret), ip).expect(200)).body as Pair;
  }
  const userDoc = (email: string) => t.db.collection('users').findOne({ email });

  describe('setup and enable', () => {
    it('sets up with the password, turns on with a current code, and answers 10 recovery codes once', async () => {
      await signUp(t, 'ada@example.com');
      const pair = await signIn(t, 'ada@example.com');
      const setup = await post('/auth/2fa/totp/setup', pair, { password: PASSWORD }).expect(200);
      expect(setup.body).toEqual({
        secret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        otpauthUrl: `otpauth://totp/User%20management:ada%40example.com?secret=${setup.body.secret}&issuer=User%20management`,
        qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/),
      });
      const png = Buffer.from(setup.body.qrCodeDataUrl.split(',')[1], 'base64');
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect((await userDoc('ada@example.com'))!.twoFactorEnabled).toBe(false);

      const wrong = await post('/auth/2fa/totp/enable', pair, {
        code: wrongCode(setup.body.secret),
      }).expect(400);
      expect(wrong.body.code).toBe('invalid_otp');
      expect((await userDoc('ada@example.com'))!.twoFactorEnabled).toBe(false);

      const enable = await post('/auth/2fa/totp/enable', pair, {
        code: codeAt(setup.body.secret),
      }).expect(200);
      expect(enable.body).toEqual({
        recoveryCodes: expect.arrayContaining([expect.stringMatching(/^[0-9a-z]{5}-[0-9a-z]{5}$/)]),
      });
      expect(new Set(enable.body.recoveryCodes).size).toBe(10);
      expect((await userDoc('ada@example.com'))!.twoFactorEnabled).toBe(true);
      await t.mail.waitFor('ada@example.com', /Two-factor authentication is on/);
      expect(await auditEntries(t, 'auth.totp.enabled')).toEqual([
        expect.objectContaining({ actorId: pair.user.id, outcome: 'success' }),
      ]);

      const again = await post('/auth/2fa/totp/enable', pair, {
        code: nextCode(setup.body.secret),
      }).expect(409);
      expect(again.body.code).toBe('totp_already_enabled');
      const resetup = await post('/auth/2fa/totp/setup', pair, { password: PASSWORD }).expect(409);
      expect(resetup.body.code).toBe('totp_already_enabled');
    });

    it('refuses setup with a wrong password, and enable before setup', async () => {
      await signUp(t, 'setup-refusals@example.com');
      const pair = await signIn(t, 'setup-refusals@example.com');
      const wrong = await post('/auth/2fa/totp/setup', pair, {
        password: 'not the password at all',
      }).expect(400);
      expect(wrong.body).toMatchObject({
        code: 'invalid_credentials',
        errors: [{ field: 'password' }],
      });
      const early = await post('/auth/2fa/totp/enable', pair, { code: '123456' }).expect(409);
      expect(early.body.code).toBe('totp_not_set_up');
    });

    it('validates the bodies and needs a token on every TOTP route', async () => {
      await signUp(t, 'validate@example.com');
      const pair = await signIn(t, 'validate@example.com');
      for (const [path, body] of [
        ['/auth/2fa/totp/setup', {}],
        ['/auth/2fa/totp/enable', { code: '12345' }],
        ['/auth/2fa/totp/enable', { code: 123456 }],
        ['/auth/2fa/totp/disable', { password: PASSWORD, code: 'not a code' }],
        ['/auth/2fa/totp/disable', { password: PASSWORD }],
        ['/auth/2fa/recovery-codes', { password: PASSWORD, code: 'abcde-fghjk' }],
        ['/auth/2fa/totp/enable', { code: '123456', extra: true }],
      ] as const) {
        const res = await post(path, pair, body).expect(400);
        expect(res.body.code).toBe('validation_failed');
      }
      for (const path of [
        '/auth/2fa/totp/setup',
        '/auth/2fa/totp/enable',
        '/auth/2fa/totp/disable',
        '/auth/2fa/recovery-codes',
      ])
        await post(path, undefined, { password: PASSWORD, code: '123456' }).expect(401);
    });

    it('shows twoFactorEnabled on /users/me and in the admin user list, at once', async () => {
      await signUp(t, 'flag@example.com');
      const pair = await signIn(t, 'flag@example.com');
      const me = () => t.http().get('/api/v1/users/me').set(bearer(pair)).expect(200);
      expect((await me()).body.twoFactorEnabled).toBe(false); // also warms the session cache
      const setup = await post('/auth/2fa/totp/setup', pair, { password: PASSWORD }).expect(200);
      const secret = setup.body.secret as string;
      const refresh = (refreshToken: string) =>
        post('/auth/refresh', undefined, { refreshToken }).expect(200);
      const warm = await refresh(pair.refreshToken); // the refresh path caches the user too
      expect(warm.body.user.twoFactorEnabled).toBe(false);
      await post('/auth/2fa/totp/enable', pair, { code: codeAt(secret) }).expect(200);
      expect((await me()).body.twoFactorEnabled).toBe(true);
      expect((await refresh(warm.body.refreshToken)).body.user.twoFactorEnabled).toBe(true);
      const admin = await signIn(t, ADMIN.email, ADMIN.password);
      const list = await t
        .http()
        .get('/api/v1/admin/users')
        .query({ search: 'flag@example.com' })
        .set(bearer(admin))
        .expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ email: 'flag@example.com', twoFactorEnabled: true }),
      ]);
      await post('/auth/2fa/totp/disable', pair, {
        password: PASSWORD,
        code: nextCode(secret),
      }).expect(204);
      expect((await me()).body.twoFactorEnabled).toBe(false);
    });

    it('deletes the TOTP credential with the account', async () => {
      const { pair } = await withTotp('leaving@example.com');
      await t
        .http()
        .delete('/api/v1/users/me')
        .set(bearer(pair))
        .send({ password: PASSWORD })
        .expect(204);
      expect(
        await t.db
          .collection('totp_credentials')
          .countDocuments({ userId: new Types.ObjectId(pair.user.id) }),
      ).toBe(0);
    });

    it('stores the secret encrypted, not as the plain secret', async () => {
      const { pair, secret } = await withTotp('stored@example.com');
      const stored = await t.db
        .collection('totp_credentials')
        .findOne({ userId: new Types.ObjectId(pair.user.id) });
      expect(stored!.secret).toMatch(/^v1\./);
      expect(JSON.stringify(stored)).not.toContain(secret);
    });
  });

  describe('sign-in', () => {
    it('asks for a TOTP code instead of mailing one, and accepts a current code', async () => {
      const { secret } = await withTotp('signin@example.com');
      const before = t.mail.to('signin@example.com').length;
      const step1 = await login('signin@example.com').expect(200);
      expect(step1.body).toEqual({
        mfaRequired: true,
        mfaToken: expect.any(String),
        method: 'totp',
      });
      const pair = await verify(step1.body.mfaToken, nextCode(secret)).expect(200);
      expect(pair.body.user).toMatchObject({ email: 'signin@example.com', twoFactorEnabled: true });
      await t.mail.waitFor('signin@example.com', /New sign-in/, { after: before });
      expect(
        t.mail
          .to('signin@example.com')
          .slice(before)
          .filter((m) => /sign-in code/.test(m.subject)),
      ).toEqual([]);
    });

    it('refuses a replay of an accepted code, and a code from two steps ago', async () => {
      const { secret } = await withTotp('replay@example.com');
      const first = await login('replay@example.com').expect(200);
      const code = nextCode(secret);
      await verify(first.body.mfaToken, code).expect(200);
      const second = await login('replay@example.com').expect(200);
      const replay = await verify(second.body.mfaToken, code).expect(400);
      expect(replay.body.code).toBe('invalid_otp');
      t.clock.advance(2 * PERIOD_MS);
      if (![-1, 0, 1].map((s) => codeAt(secret, s)).includes(codeAt(secret, -2))) {
        const old = await verify(second.body.mfaToken, codeAt(secret, -2)).expect(400);
        expect(old.body.code).toBe('invalid_otp');
      }
      await verify(second.body.mfaToken, codeAt(secret)).expect(200);
    });

    it('signs in once for parallel submits of one code, round after round, and counts no failure for the others', async () => {
      const { secret, recoveryCodes } = await withTotp('parallel@example.com', '10.9.0.1');
      const user = await userDoc('parallel@example.com');
      // Four rounds of 20 copies of a TOTP code, then one of 20 copies of a recovery code.
      for (let round = 0; round < 5; round++) {
        const step1 = await login('parallel@example.com', '10.9.0.1').expect(200);
        const code = round < 4 ? nextCode(secret) : recoveryCodes[0];
        const results = await Promise.all(
          Array.from({ length: 20 }, () => verify(step1.body.mfaToken, code, '10.9.0.1')),
        );
        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        for (const r of results.filter((r) => r.status !== 200))
          expect(['invalid_otp', 'verification_in_progress']).toContain(r.body.code);
        const locks = await t.db
          .collection('counters')
          .find({
            _id: { $regex: String(user!._id) } as never,
            lockedUntil: { $gt: t.clock.now() },
          })
          .toArray();
        expect(locks).toEqual([]);
      }
      const counted = await t.db
        .collection('counters')
        .find({ _id: { $regex: String(user!._id) } as never, count: { $gt: 0 } })
        .toArray();
      expect(counted).toEqual([]);
      await totpSignIn('parallel@example.com', secret, '10.9.0.1');
    });

    it('takes an unused recovery code once, and mails how many are left, then the last one', async () => {
      const { secret, recoveryCodes } = await withTotp('recover@example.com');
      const step1 = await login('recover@example.com').expect(200);
      await verify(step1.body.mfaToken, recoveryCodes[0].toUpperCase()).expect(200);
      const mail = await t.mail.waitFor('recover@example.com', /A recovery code was used/);
      expect(mail.text).toContain('You have 9 unused recovery codes left.');
      const user = await userDoc('recover@example.com');
      const used = await auditEntries(t, 'auth.totp.recovery_code_used');
      expect(used.filter((e) => e.targetId === String(user!._id))).toEqual([
        expect.objectContaining({ outcome: 'success', details: { remaining: 9 } }),
      ]);

      const step2 = await login('recover@example.com').expect(200);
      const reused = await verify(step2.body.mfaToken, recoveryCodes[0]).expect(400);
      expect(reused.body.code).toBe('invalid_otp');
      await verify(step2.body.mfaToken, nextCode(secret)).expect(200);

      for (const code of recoveryCodes.slice(1)) {
        const step = await login('recover@example.com').expect(200);
        await verify(step.body.mfaToken, code).expect(200);
      }
      const last = await t.mail.waitFor('recover@example.com', /You used your last recovery code/);
      expect(last.text).toMatch(/create new recovery codes now/);
    });

    it('counts wrong codes toward the lockout, then refuses even the right one', async () => {
      const { secret, recoveryCodes } = await withTotp('guess@example.com', '10.9.0.2');
      const step1 = await login('guess@example.com', '10.9.0.2').expect(200);
      const code = nextCode(secret);
      const [a, b, c, d] = wrongCodes(secret, 4);
      for (const wrong of [a, b, 'zzzzz-zzzzz', c, d])
        await verify(step1.body.mfaToken, wrong, '10.9.0.2').expect(400);
      const locked = await verify(step1.body.mfaToken, code, '10.9.0.2').expect(429);
      expect(locked.body.code).toBe('account_locked');
      await verify(step1.body.mfaToken, recoveryCodes[0], '10.9.0.2').expect(429);
      expect(await auditEntries(t, 'auth.second_step.failed')).not.toHaveLength(0);
    });

    it('voids a password step whose method no longer holds (TOTP turned on or off since)', async () => {
      await signUp(t, 'switch@example.com');
      const pair = await signIn(t, 'switch@example.com');
      const emailStep = await login('switch@example.com').expect(200);
      expect(emailStep.body.method).toBe('email_otp');
      const emailed = await t.mail.code('switch@example.com', /sign-in code/);
      const setup = await post('/auth/2fa/totp/setup', pair, { password: PASSWORD }).expect(200);
      const secret = setup.body.secret as string;
      await post('/auth/2fa/totp/enable', pair, { code: codeAt(secret) }).expect(200);
      const stale = await verify(emailStep.body.mfaToken, emailed).expect(401);
      expect(stale.body.code).toBe('invalid_mfa_token');

      const totpStep = await login('switch@example.com').expect(200);
      await post('/auth/2fa/totp/disable', pair, {
        password: PASSWORD,
        code: nextCode(secret),
      }).expect(204);
      const off = await verify(totpStep.body.mfaToken, nextCode(secret)).expect(401);
      expect(off.body.code).toBe('invalid_mfa_token');
    });

    it('binds the code to the latest password step', async () => {
      const { secret } = await withTotp('attempts@example.com');
      const first = await login('attempts@example.com').expect(200);
      const second = await login('attempts@example.com').expect(200);
      const code = nextCode(secret);
      const res = await verify(first.body.mfaToken, code).expect(400);
      expect(res.body.code).toBe('invalid_otp');
      await verify(second.body.mfaToken, code).expect(200);
      // And the step is used with it: its mfaToken does not sign in twice.
      await verify(second.body.mfaToken, nextCode(secret)).expect(400);
    });
  });

  describe('disable', () => {
    it('refuses a wrong password or a wrong code, then turns off and ends every other session', async () => {
      const { pair, secret } = await withTotp('off@example.com');
      const other = await totpSignIn('off@example.com', secret);
      const wrongPassword = await post('/auth/2fa/totp/disable', pair, {
        password: 'not the password at all',
        code: nextCode(secret),
      }).expect(400);
      expect(wrongPassword.body.code).toBe('invalid_credentials');
      const wrong = await post('/auth/2fa/totp/disable', pair, {
        password: PASSWORD,
        code: wrongCode(secret),
      }).expect(400);
      expect(wrong.body).toMatchObject({ code: 'invalid_otp', errors: [{ field: 'code' }] });
      expect((await userDoc('off@example.com'))!.twoFactorEnabled).toBe(true);

      await post('/auth/2fa/totp/disable', pair, {
        password: PASSWORD,
        code: nextCode(secret),
      }).expect(204);
      expect((await userDoc('off@example.com'))!.twoFactorEnabled).toBe(false);
      await t.http().get('/api/v1/sessions').set(bearer(other)).expect(401);
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(200);
      const mail = await t.mail.waitFor('off@example.com', /Two-factor authentication is off/);
      expect(mail.text).toMatch(/Your other sessions were signed out/);
      expect(await auditEntries(t, 'auth.totp.disabled')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorId: pair.user.id,
            details: { by: 'owner', method: 'totp' },
          }),
        ]),
      );
      expect((await login('off@example.com').expect(200)).body.method).toBe('email_otp');
      const again = await post('/auth/2fa/totp/disable', pair, {
        password: PASSWORD,
        code: nextCode(secret),
      }).expect(409);
      expect(again.body.code).toBe('totp_not_enabled');
    });

    it('turns off with a recovery code instead of a TOTP code', async () => {
      const { pair, recoveryCodes } = await withTotp('off-recovery@example.com');
      await post('/auth/2fa/totp/disable', pair, {
        password: PASSWORD,
        code: recoveryCodes[4].replace('-', ''),
      }).expect(204);
      expect((await userDoc('off-recovery@example.com'))!.twoFactorEnabled).toBe(false);
    });

    it('counts wrong codes and passwords at disable toward the lockout', async () => {
      const { pair, secret } = await withTotp('off-guess@example.com', '10.9.0.3');
      const disable = (password: string, code: string) =>
        post('/auth/2fa/totp/disable', pair, { password, code }, '10.9.0.3');
      await disable('not the password at all', nextCode(secret)).expect(400);
      for (let i = 0; i < 4; i++) await disable(PASSWORD, wrongCode(secret)).expect(400);
      const locked = await disable(PASSWORD, nextCode(secret)).expect(429);
      expect(locked.body.code).toBe('account_locked');
      expect((await userDoc('off-guess@example.com'))!.twoFactorEnabled).toBe(true);
    });

    it('counts wrong passwords at setup toward the lockout', async () => {
      await signUp(t, 'setup-guess@example.com');
      const pair = await signIn(t, 'setup-guess@example.com', PASSWORD, '10.9.0.4');
      const setup = (password: string) =>
        post('/auth/2fa/totp/setup', pair, { password }, '10.9.0.4');
      for (let i = 0; i < 5; i++) await setup(`not the password ${i}`).expect(400);
      const locked = await setup(PASSWORD).expect(429);
      expect(locked.body.code).toBe('account_locked');
    });
  });

  describe('new recovery codes', () => {
    it('needs the password and a current code, and voids the old set', async () => {
      const { pair, secret, recoveryCodes } = await withTotp('fresh@example.com');
      const wrong = await post('/auth/2fa/recovery-codes', pair, {
        password: PASSWORD,
        code: wrongCode(secret),
      }).expect(400);
      expect(wrong.body.code).toBe('invalid_otp');
      await post('/auth/2fa/recovery-codes', pair, {
        password: 'not the password at all',
        code: nextCode(secret),
      }).expect(400);
      const res = await post('/auth/2fa/recovery-codes', pair, {
        password: PASSWORD,
        code: nextCode(secret),
      }).expect(200);
      const fresh = res.body.recoveryCodes as string[];
      expect(fresh).toHaveLength(10);
      await t.mail.waitFor('fresh@example.com', /New recovery codes were created/);

      const step1 = await login('fresh@example.com').expect(200);
      await verify(step1.body.mfaToken, recoveryCodes[1]).expect(400);
      await verify(step1.body.mfaToken, fresh[1]).expect(200);
    });

    it('refuses while TOTP is off', async () => {
      await signUp(t, 'no-totp@example.com');
      const pair = await signIn(t, 'no-totp@example.com');
      const res = await post('/auth/2fa/recovery-codes', pair, {
        password: PASSWORD,
        code: '123456',
      }).expect(409);
      expect(res.body.code).toBe('totp_not_enabled');
    });
  });

  describe('admin reset', () => {
    const reset = (pair: Pair | undefined, id: string) => {
      const req = t.http().delete(`/api/v1/admin/users/${id}/2fa`);
      return pair ? req.set(bearer(pair)) : req;
    };

    it('turns TOTP off for a user, ends their sessions, audits and mails them', async () => {
      const { pair } = await withTotp('lost-phone@example.com');
      const admin = await signIn(t, ADMIN.email, ADMIN.password);
      await reset(admin, pair.user.id).expect(204);
      expect((await userDoc('lost-phone@example.com'))!.twoFactorEnabled).toBe(false);
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(401);
      const mail = await t.mail.waitFor(
        'lost-phone@example.com',
        /Two-factor authentication is off/,
      );
      expect(mail.text).toMatch(/An administrator turned off/);
      expect(await auditEntries(t, 'auth.totp.disabled')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actorId: admin.user.id,
            targetId: pair.user.id,
            details: { by: 'admin' },
          }),
        ]),
      );
      expect((await login('lost-phone@example.com').expect(200)).body.method).toBe('email_otp');
      await reset(admin, pair.user.id).expect(204); // already off: nothing to do
    });

    it("refuses the admin's own account (409), which needs the password and a code", async () => {
      const admin = await signIn(t, ADMIN.email, ADMIN.password);
      const res = await reset(admin, admin.user.id).expect(409);
      expect(res.body.code).toBe('own_account');
    });

    it('answers 404 for an unknown or malformed id, 401 without a token', async () => {
      const admin = await signIn(t, ADMIN.email, ADMIN.password);
      await reset(admin, new Types.ObjectId().toHexString()).expect(404);
      await reset(admin, 'not-an-id').expect(404);
      await reset(undefined, new Types.ObjectId().toHexString()).expect(401);
    });

    it('refuses a user without users:manage (403)', async () => {
      const { pair } = await withTotp('victim@example.com');
      await signUp(t, 'plain-user@example.com');
      const plain = await signIn(t, 'plain-user@example.com');
      const res = await reset(plain, pair.user.id).expect(403);
      expect(res.body.code).toBe('forbidden');
      expect((await userDoc('victim@example.com'))!.twoFactorEnabled).toBe(true);
    });
  });

  it('never shows the secret or the recovery codes again, nor writes them to a log, audit entry or mail', async () => {
    await signUp(t, 'quiet@example.com');
    const pair = await signIn(t, 'quiet@example.com');
    const later: string[] = [];
    const setup = await post('/auth/2fa/totp/setup', pair, { password: PASSWORD }).expect(200);
    const secret = setup.body.secret as string;
    const enable = await post('/auth/2fa/totp/enable', pair, { code: codeAt(secret) }).expect(200);
    later.push(enable.text);
    const codes = enable.body.recoveryCodes as string[];

    const step1 = await login('quiet@example.com').expect(200);
    const signedIn = await verify(step1.body.mfaToken, nextCode(secret)).expect(200);
    later.push(step1.text, signedIn.text);
    const step2 = await login('quiet@example.com').expect(200);
    later.push(step2.text, (await verify(step2.body.mfaToken, codes[0]).expect(200)).text);
    later.push((await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(200)).text);
    const fresh = await post('/auth/2fa/recovery-codes', pair, {
      password: PASSWORD,
      code: nextCode(secret),
    }).expect(200);
    const newCodes = fresh.body.recoveryCodes as string[];
    later.push((await post('/auth/2fa/totp/setup', pair, { password: PASSWORD })).text);
    later.push(
      (await post('/auth/2fa/totp/disable', pair, { password: PASSWORD, code: nextCode(secret) }))
        .text,
    );
    await t.settle();
    await auditEntries(t, 'auth.totp.disabled');

    const audit = JSON.stringify(await t.db.collection('audit_logs').find().toArray());
    const mails = JSON.stringify(t.mail.to('quiet@example.com'));
    const normalized = (c: string) => c.replace('-', '');
    for (const needle of [
      secret,
      setup.body.otpauthUrl as string,
      ...codes,
      ...codes.map(normalized),
      ...newCodes,
      ...newCodes.map(normalized),
    ]) {
      expect(t.logs.text()).not.toContain(needle);
      expect(audit).not.toContain(needle);
      expect(mails).not.toContain(needle);
    }
    for (const text of later) expect(text).not.toContain(secret);
    for (const text of later.slice(1)) for (const code of codes) expect(text).not.toContain(code);
  });
});

describe('TOTP with LOGIN_EMAIL_OTP=false', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOGIN_EMAIL_OTP: 'false' });
  });
  afterAll(() => t.close());

  it('still asks for the TOTP code, though the password alone would otherwise sign in', async () => {
    await signUp(t, 'solo@example.com');
    const pair = (
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'solo@example.com', password: PASSWORD })
        .expect(200)
    ).body as Pair;
    expect(pair.accessToken).toEqual(expect.any(String));
    const setup = await t
      .http()
      .post('/api/v1/auth/2fa/totp/setup')
      .set(bearer(pair))
      .send({ password: PASSWORD })
      .expect(200);
    const epoch = Math.floor(t.clock.now().getTime() / 1000);
    await t
      .http()
      .post('/api/v1/auth/2fa/totp/enable')
      .set(bearer(pair))
      .send({ code: generateSync({ secret: setup.body.secret, epoch }) })
      .expect(200);
    const step1 = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'solo@example.com', password: PASSWORD })
      .expect(200);
    expect(step1.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), method: 'totp' });
  });
});
