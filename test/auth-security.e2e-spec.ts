import { JwtService } from '@nestjs/jwt';
import { Types } from 'mongoose';
import { SigningKeys } from '../src/signing-keys/signing-keys.service';
import { PasswordHasher } from '../src/users/password-hasher';
import { bearer, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** Findings of the auth and sessions security review: each spec fails if its property breaks. */
describe('Auth security properties', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());

  const verify = (mfaToken: string, code: string, ip = '127.0.0.1') =>
    t.http().post('/api/v1/auth/login/verify').set('X-Forwarded-For', ip).send({ mfaToken, code });
  const login = (email: string, password: string, ip: string) =>
    t.http().post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password });

  describe('attempt limits under parallel requests', () => {
    it('evaluates at most LOCKOUT_THRESHOLD of 30 parallel wrong passwords, then refuses the right one too', async () => {
      await signUp(t, 'race-login@example.com');
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          login('race-login@example.com', `wrong password number ${i}`, '10.1.0.1'),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      const right = await login('race-login@example.com', PASSWORD, '10.1.0.1').expect(429);
      expect(right.body.code).toBe('account_locked');
      expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('compares at most OTP_MAX_ATTEMPTS of 40 parallel codes, even with the right one among them', async () => {
      await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'race-otp@example.com', password: PASSWORD })
        .expect(201);
      const code = await t.mail.code('race-otp@example.com', /verification code/);
      const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      const codes = Array.from({ length: 40 }, (_, i) => (i === 20 ? code : wrong(i)));
      const results = await Promise.all(
        codes.map((c) =>
          t
            .http()
            .post('/api/v1/auth/verify-email')
            .send({ email: 'race-otp@example.com', code: c }),
        ),
      );
      const compared = results.filter((r) => r.status === 200 || r.status === 400);
      expect(compared.length).toBeLessThanOrEqual(5);
      expect(results.filter((r) => ![200, 400, 429].includes(r.status))).toEqual([]);
      const user = await t.db.collection('users').findOne({ email: 'race-otp@example.com' });
      const budget = await t.db
        .collection('counters')
        .findOne({ _id: `otp:${String(user!._id)}:verify_email` as never });
      if (user!.status === 'pending') expect(budget?.count).toBeLessThanOrEqual(5);
    });

    it('signs in once for 8 parallel submits of the right login code, round after round, and locks nothing', async () => {
      await signUp(t, 'double@example.com');
      const user = await t.db.collection('users').findOne({ email: 'double@example.com' });
      for (let round = 0; round < 4; round++) {
        const before = t.mail.to('double@example.com').length;
        const step1 = await login('double@example.com', PASSWORD, '10.1.0.3').expect(200);
        const code = await t.mail.code('double@example.com', /sign-in code/, before);
        const results = await Promise.all(
          Array.from({ length: 8 }, () => verify(step1.body.mfaToken, code, '10.1.0.3')),
        );
        expect(results.filter((r) => r.status === 200)).toHaveLength(1);
        // A duplicate is told the code is spent, or that the same code is being checked: never to wait out a lock.
        for (const r of results.filter((r) => r.status !== 200))
          expect(['invalid_otp', 'verification_in_progress']).toContain(r.body.code);
        const locks = await t.db
          .collection('counters')
          .find({ lockedUntil: { $gt: t.clock.now() } })
          .toArray();
        expect(locks.filter((l) => String(l._id).includes(String(user!._id)))).toEqual([]);
      }
      // No duplicate counted as a failure: the attempt budgets are whole again.
      const counters = await t.db
        .collection('counters')
        .find({ _id: { $regex: String(user!._id) } as never, count: { $gt: 0 } })
        .toArray();
      expect(counters).toEqual([]);
      await signIn(t, 'double@example.com', PASSWORD, '10.1.0.3');
    });

    it('counts wrong current passwords on change-password toward the lockout', async () => {
      await signUp(t, 'changer@example.com');
      const pair = await signIn(t, 'changer@example.com', PASSWORD, '10.1.0.4');
      const change = (currentPassword: string) =>
        t
          .http()
          .post('/api/v1/auth/change-password')
          .set('X-Forwarded-For', '10.1.0.4')
          .set(bearer(pair))
          .send({ currentPassword, newPassword: 'another fine passphrase' });
      for (let i = 0; i < 5; i++) await change(`not the password ${i}`).expect(400);
      const locked = await change(PASSWORD).expect(429);
      expect(locked.body.code).toBe('account_locked');
    });
  });

  describe('lockout', () => {
    it('locks an unknown email exactly like a known one (no enumeration by 429)', async () => {
      await signUp(t, 'known@example.com');
      const statuses = async (email: string, ip: string) => {
        const out: number[] = [];
        for (let i = 0; i < 6; i++)
          out.push((await login(email, 'a wrong password here', ip)).status);
        return out;
      };
      const known = await statuses('known@example.com', '10.2.0.1');
      const unknown = await statuses('unknown-person@example.com', '10.2.0.1');
      expect(known).toEqual([401, 401, 401, 401, 401, 429]);
      expect(unknown).toEqual(known);
    });

    it('checks the lock before the second step', async () => {
      await signUp(t, 'second@example.com');
      const step1 = await login('second@example.com', PASSWORD, '10.2.0.2').expect(200);
      const code = await t.mail.code('second@example.com', /sign-in code/);
      for (let i = 0; i < 5; i++)
        await login('second@example.com', 'a wrong password here', '10.2.0.2').expect(401);
      const res = await verify(step1.body.mfaToken, code, '10.2.0.2').expect(429);
      expect(res.body.code).toBe('account_locked');
    });

    it('checks a dummy hash for unknown accounts, so both answers cost one bcrypt', async () => {
      const dummy = jest.spyOn(t.app.get(PasswordHasher), 'verifyDummy');
      try {
        await login('nobody-at-all@example.com', 'a wrong password here', '10.2.0.3').expect(401);
        expect(dummy).toHaveBeenCalledTimes(1);
      } finally {
        dummy.mockRestore();
      }
    });
  });

  describe('login codes', () => {
    it('binds a login code to its own attempt', async () => {
      await signUp(t, 'attempts@example.com');
      const first = await login('attempts@example.com', PASSWORD, '10.3.0.1').expect(200);
      await t.mail.code('attempts@example.com', /sign-in code/);
      const before = t.mail.to('attempts@example.com').length;
      const second = await login('attempts@example.com', PASSWORD, '10.3.0.1').expect(200);
      const code = await t.mail.code('attempts@example.com', /sign-in code/, before);
      const res = await verify(first.body.mfaToken, code).expect(400);
      expect(res.body.code).toBe('invalid_otp');
      await verify(second.body.mfaToken, code).expect(200);
    });

    it('resends a login code only while a sign-in is pending', async () => {
      await signUp(t, 'resend-login@example.com');
      const before = t.mail.to('resend-login@example.com').length;
      await t
        .http()
        .post('/api/v1/auth/resend-otp')
        .send({ email: 'resend-login@example.com', purpose: 'login' })
        .expect(202);
      await t.settle();
      expect(t.mail.to('resend-login@example.com')).toHaveLength(before);
      await login('resend-login@example.com', PASSWORD, '10.3.0.2').expect(200);
      await t.mail.code('resend-login@example.com', /sign-in code/, before);
      t.clock.advance(61_000);
      await t
        .http()
        .post('/api/v1/auth/resend-otp')
        .send({ email: 'resend-login@example.com', purpose: 'login' })
        .expect(202);
      await t.settle();
      expect(
        t.mail.to('resend-login@example.com').filter((m) => /sign-in code/.test(m.subject)),
      ).toHaveLength(2);
    });
  });

  describe('access tokens', () => {
    let jwt: JwtService;
    let keys: SigningKeys;
    const claimsOf = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<
        string,
        unknown
      >;
    // Signed with the app's own current key (as only the app can), so each refusal below is for
    // the one claim it changes.
    const forge = (payload: Record<string, unknown>, options: Record<string, unknown> = {}) =>
      jwt.sign(
        { iat: Math.floor(t.clock.now().getTime() / 1000), ...payload },
        {
          privateKey: keys.signer().privateKey,
          keyid: keys.signer().kid,
          algorithm: 'ES256',
          ...options,
        },
      ); // the app's clock
    const sessionsWith = (token: string) =>
      t.http().get('/api/v1/sessions').set('Authorization', `Bearer ${token}`);
    const valid = { issuer: 'user-management', audience: 'user-management-api', expiresIn: 900 };

    beforeAll(() => {
      jwt = t.app.get(JwtService);
      keys = t.app.get(SigningKeys);
    });

    it('accepts a forged-but-correct token, so the refusals below are each for one claim', async () => {
      await signUp(t, 'claims@example.com');
      const pair = await signIn(t, 'claims@example.com');
      const { sub, sid, role } = claimsOf(pair.accessToken);
      await sessionsWith(forge({ sub, sid, role, typ: 'access' }, valid)).expect(200);
      await sessionsWith(forge({ sub, sid, role, typ: 'mfa' }, valid)).expect(401);
      await sessionsWith(
        forge({ sub, sid, role, typ: 'access' }, { ...valid, audience: 'other-api' }),
      ).expect(401);
      await sessionsWith(
        forge({ sub, sid, role, typ: 'access' }, { ...valid, issuer: 'someone-else' }),
      ).expect(401);
      const noExp = { issuer: valid.issuer, audience: valid.audience };
      await sessionsWith(forge({ sub, sid, role, typ: 'access' }, noExp)).expect(401);
    });

    it("never serves one user's cached session to a token naming another user", async () => {
      await signUp(t, 'alice@example.com');
      await signUp(t, 'mallory@example.com');
      const alice = await signIn(t, 'alice@example.com');
      const mallory = await signIn(t, 'mallory@example.com');
      await t.http().get('/api/v1/sessions').set(bearer(alice)).expect(200); // warms the cache for Alice's session
      const { sid } = claimsOf(alice.accessToken);
      const { sub } = claimsOf(mallory.accessToken);
      const mixed = forge({ sub, sid, role: 'user', typ: 'access' }, valid);
      await t.http().get('/api/v1/sessions').set('Authorization', `Bearer ${mixed}`).expect(401);
      await t.http().get('/api/v1/sessions').set(bearer(alice)).expect(200); // and it did not poison Alice's entry
    });

    it('expires access tokens by the injected clock', async () => {
      const pair = await signIn(t, 'claims@example.com');
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(200);
      t.clock.advance(15 * 60_000 + 1000);
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(401);
    });

    it('tells mfa tokens apart by audience and by type, each on its own', async () => {
      await signUp(t, 'mfa-claims@example.com');
      const step1 = await login('mfa-claims@example.com', PASSWORD, '10.4.0.1').expect(200);
      const { sub, aid } = claimsOf(step1.body.mfaToken);
      const code = await t.mail.code('mfa-claims@example.com', /sign-in code/);
      const mfa = { issuer: valid.issuer, audience: `${valid.audience}:mfa`, expiresIn: 300 };
      const accessAudience = await verify(
        forge({ sub, aid, mth: 'email_otp', typ: 'mfa' }, { ...mfa, audience: valid.audience }),
        code,
      ).expect(401);
      expect(accessAudience.body.code).toBe('invalid_mfa_token');
      const accessType = await verify(
        forge({ sub, aid, mth: 'email_otp', typ: 'access' }, mfa),
        code,
      ).expect(401);
      expect(accessType.body.code).toBe('invalid_mfa_token');
      await verify(forge({ sub, aid, mth: 'email_otp', typ: 'mfa' }, mfa), code).expect(200); // the control
    });

    it('expires the mfa token by the injected clock', async () => {
      const step1 = await login('mfa-claims@example.com', PASSWORD, '10.4.0.2').expect(200);
      t.clock.advance(5 * 60_000 + 1000);
      const res = await t
        .http()
        .post('/api/v1/auth/login/verify')
        .send({ mfaToken: step1.body.mfaToken, code: '123456' })
        .expect(401);
      expect(res.body.code).toBe('invalid_mfa_token');
    });

    it('accepts exactly "Bearer <token>"', async () => {
      const pair = await signIn(t, 'claims@example.com');
      await t
        .http()
        .get('/api/v1/sessions')
        .set('Authorization', `Bearer ${pair.accessToken} extra`)
        .expect(401);
      await t
        .http()
        .get('/api/v1/sessions')
        .set('Authorization', `Token ${pair.accessToken}`)
        .expect(401);
      await t
        .http()
        .get('/api/v1/sessions')
        .set('Authorization', `bearer ${pair.accessToken}`)
        .expect(200);
    });
  });

  describe('disabled accounts', () => {
    const disable = (email: string) =>
      t.db.collection('users').updateOne({ email }, { $set: { status: 'disabled' } });
    const sessionsOf = async (email: string) => {
      const user = await t.db.collection('users').findOne({ email });
      return t.db.collection('sessions').countDocuments({ userId: user!._id });
    };

    it('refuses the password step with 403 account_disabled, mailing no code', async () => {
      await signUp(t, 'off-1@example.com');
      await disable('off-1@example.com');
      const before = t.mail.to('off-1@example.com').length;
      const res = await login('off-1@example.com', PASSWORD, '10.5.0.1').expect(403);
      expect(res.body.code).toBe('account_disabled');
      await t.settle();
      expect(t.mail.to('off-1@example.com')).toHaveLength(before);
    });

    it('refuses the second step of an account disabled after the first', async () => {
      await signUp(t, 'off-2@example.com');
      const step1 = await login('off-2@example.com', PASSWORD, '10.5.0.2').expect(200);
      const code = await t.mail.code('off-2@example.com', /sign-in code/);
      await disable('off-2@example.com');
      const res = await verify(step1.body.mfaToken, code).expect(401);
      expect(res.body.code).toBe('invalid_token');
      expect(await sessionsOf('off-2@example.com')).toBe(0);
    });

    it('refuses a password reset with a code the account already holds', async () => {
      await signUp(t, 'off-3@example.com');
      const before = t.mail.to('off-3@example.com').length;
      await t
        .http()
        .post('/api/v1/auth/forgot-password')
        .send({ email: 'off-3@example.com' })
        .expect(202);
      const code = await t.mail.code('off-3@example.com', /password reset code/, before);
      const { passwordHash } = (await t.db
        .collection('users')
        .findOne({ email: 'off-3@example.com' }))!;
      await disable('off-3@example.com');
      const res = await t
        .http()
        .post('/api/v1/auth/reset-password')
        .send({ email: 'off-3@example.com', code, newPassword: 'a brand new passphrase' })
        .expect(400);
      expect(res.body.code).toBe('invalid_otp');
      expect(
        (await t.db.collection('users').findOne({ email: 'off-3@example.com' }))!.passwordHash,
      ).toBe(passwordHash);
    });
  });

  describe('sessions', () => {
    it("ends a disabled user's sessions and refreshes", async () => {
      await signUp(t, 'disabled@example.com');
      const pair = await signIn(t, 'disabled@example.com');
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(200);
      await t.db
        .collection('users')
        .updateOne({ email: 'disabled@example.com' }, { $set: { status: 'disabled' } });
      t.clock.advance(5_001); // past the per-instance cache
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: pair.refreshToken })
        .expect(401);
    });

    it("never moves a session's absolute end when rotating", async () => {
      await signUp(t, 'lifetime@example.com');
      const pair = await signIn(t, 'lifetime@example.com');
      const id = new Types.ObjectId(pair.refreshToken.split('.')[0]);
      const before = await t.db.collection('sessions').findOne({ _id: id });
      let token = pair.refreshToken;
      for (let day = 0; day < 7; day++) {
        t.clock.advance(23 * 3_600_000);
        token = (
          await t.http().post('/api/v1/auth/refresh').send({ refreshToken: token }).expect(200)
        ).body.refreshToken;
      }
      const after = await t.db.collection('sessions').findOne({ _id: id });
      expect(after!.expiresAt).toEqual(before!.expiresAt);
      t.clock.advance(23 * 3_600_000); // 8 × 23 h > 7 days since sign-in
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: token }).expect(401);
    });
  });
});

describe('Input the server refuses cleanly', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it.each(['username', 'firstName', 'lastName'])(
    'refuses %s: null with 400 naming the field',
    async (field) => {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email: 'nulls@example.com', password: PASSWORD, [field]: null })
        .expect(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    },
  );

  it('never stores a null username, so re-registration and later updates keep working', async () => {
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'pending-null@example.com', password: PASSWORD })
      .expect(201);
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'pending-null@example.com', password: PASSWORD, username: null })
      .expect(400);
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'another-null@example.com', password: PASSWORD })
      .expect(201);
    expect(
      await t.db
        .collection('users')
        .countDocuments({ username: null, $and: [{ username: { $exists: true } }] }),
    ).toBe(0);
    const code = await t.mail.code('another-null@example.com', /verification code/);
    await t
      .http()
      .post('/api/v1/auth/verify-email')
      .send({ email: 'another-null@example.com', code })
      .expect(200);
  });

  describe('names', () => {
    const register = (email: string, names: object) =>
      t
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD, ...names });

    it.each([
      ['a NUL', 'Ada\u0000'],
      ['a BEL', 'A\u0007da'],
      ['a newline', 'Ada\nLovelace'],
      ['a right-to-left override', 'Ada\u202egpj.exe'],
      ['a left-to-right isolate', '\u2066Ada\u2069'],
      ['only zero-width characters', '\u200b\u200d\u2060\ufeff'],
      ['a lone surrogate', 'Ada\ud800'],
    ])(
      'refuses a name holding %s with 400 naming the field, and creates nothing',
      async (_what, name) => {
        for (const field of ['firstName', 'lastName']) {
          const email = `bad-name-${field}@example.com`;
          const res = await register(email, { [field]: name }).expect(400);
          expect(res.body).toMatchObject({ code: 'validation_failed' });
          expect(res.body.errors).toEqual([
            { field, message: expect.stringMatching(/must be a name/) },
          ]);
          expect(await t.db.collection('users').countDocuments({ email })).toBe(0);
        }
      },
    );

    it('keeps names in any script, with accents, marks, apostrophes, hyphens and joiners', async () => {
      const names: [string, string][] = [
        ['Zoë', "O'Brien-Núñez"],
        ['山田', '太郎'],
        ['محمد', 'عبد\u200cالله'],
        ['José\u0301', 'क्\u200dष'],
        ['  Ada  ', 'Lovelace 👩\u200d💻'],
      ];
      for (const [i, [firstName, lastName]] of names.entries()) {
        const res = await register(`good-name-${i}@example.com`, { firstName, lastName }).expect(
          201,
        );
        expect(res.body.user).toMatchObject({ firstName: firstName.trim(), lastName });
      }
    });
  });

  it('refuses deeply nested JSON with 400, without a stack in the log', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .set('content-type', 'application/json')
      .send(`{"email":${deep},"password":"x"}`)
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0].message).toMatch(/deeper than/);
    expect(t.logs.text()).not.toMatch(/Maximum call stack|RangeError/);
  });

  it('refuses a constructor or __proto__ key like any other unknown field', async () => {
    for (const key of ['constructor', '__proto__']) {
      const res = await t
        .http()
        .post('/api/v1/auth/forgot-password')
        .set('content-type', 'application/json')
        .send(`{"email":"a@example.com","${key}":{"x":1}}`)
        .expect(400);
      expect(res.body.errors).toEqual([{ field: key, message: 'is not an accepted field' }]);
    }
  });

  it.each(['register', 'login', 'forgot-password', 'resend-otp'])(
    'accepts only JSON on /auth/%s (415 for form and text posts)',
    async (route) => {
      const form = await t
        .http()
        .post(`/api/v1/auth/${route}`)
        .type('form')
        .send('email=a%40example.com&password=x&purpose=login')
        .expect(415);
      expect(form.headers['content-type']).toMatch(/^application\/problem\+json/);
      await t
        .http()
        .post(`/api/v1/auth/${route}`)
        .set('content-type', 'text/plain')
        .send('{"email":"a@example.com"}')
        .expect(415);
    },
  );

  it('accepts a bodiless POST sent with a JSON content type', async () => {
    await signUp(t, 'bodiless@example.com');
    const pair = await signIn(t, 'bodiless@example.com');
    await t
      .http()
      .post('/api/v1/auth/logout')
      .set(bearer(pair))
      .set('content-type', 'application/json')
      .send('')
      .expect(204);
  });

  it('answers framework-level refusals as problem details with a request id, without echoing the request', async () => {
    const pair = await signIn(t, 'bodiless@example.com');
    const long = await t
      .http()
      .delete(`/api/v1/sessions/${'a'.repeat(101)}`)
      .set(bearer(pair))
      .expect(404);
    const badUrl = await t.http().get('/api/v1/sessions/%ff%fe').set(bearer(pair)).expect(400);
    for (const res of [long, badUrl]) {
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(JSON.stringify(res.body)).not.toMatch(/aaaaaaaaaa|%ff/);
    }
    const huge = await t
      .http()
      .get('/api/v1/sessions')
      .set('Authorization', `Bearer ${'x'.repeat(16 * 1024)}`)
      .expect(431);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(huge.body).toMatchObject({ status: 431, requestId: huge.headers['x-request-id'] });
  });

  it('folds lookalike addresses: fullwidth letters become ASCII, invisible characters are refused', async () => {
    await signUp(t, 'look@example.com');
    const fullwidth = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'ｌｏｏｋ@example.com', password: PASSWORD })
      .expect(409);
    expect(fullwidth.body.code).toBe('email_taken');
    for (const email of ['lo\u200bok@example.com', '\u202elook@example.com']) {
      const res = await t
        .http()
        .post('/api/v1/auth/register')
        .send({ email, password: PASSWORD })
        .expect(400);
      expect(res.body.errors[0].field).toBe('email');
      // At sign-in such text names no account: the same answer as any unknown email.
      const signIn = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email, password: PASSWORD })
        .expect(401);
      expect(signIn.body.code).toBe('invalid_credentials');
    }
  });
});
