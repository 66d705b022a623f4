import { Types } from 'mongoose';
import { auditEntries, bearer, Pair, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { Bend, SoftAuthenticator } from './support/soft-authenticator';
import { createTestApp, TestApp } from './support/test-app';

/**
 * Passkeys at the API, without a browser: a software authenticator (support/soft-authenticator)
 * makes the ceremonies a browser refuses to make — another relying party, another origin, no user
 * verification, a counter that goes back — and the passwordless account: its password removed
 * once it has a passkey, never its last way in.
 */
const ORIGIN = 'http://localhost:4331';

type Json = Record<string, unknown>;

describe('Passkeys at the API (a software authenticator)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ PUBLIC_URL: ORIGIN, TRUST_PROXY: 'true' });
  });
  afterAll(() => t?.close());

  const post = (url: string, pair?: Pair, ip = '127.0.0.1') => {
    const request = t.http().post(url).set('X-Forwarded-For', ip);
    return pair ? request.set(bearer(pair)) : request;
  };
  const passkeysOf = (userId: string) =>
    t.db.collection('passkeys').countDocuments({ userId: new Types.ObjectId(userId) });
  const sessionsOf = (userId: string) => t.db.collection('sessions').countDocuments({ userId });
  const signInOptions = async () =>
    (await post('/api/v1/auth/passkeys/options').expect(200)).body as Json;
  const verify = (credential: Json, ip = '127.0.0.1') =>
    post('/api/v1/auth/passkeys/verify', undefined, ip).send({ credential });
  const removePassword = (pair: Pair, password = PASSWORD) =>
    t.http().delete('/api/v1/users/me/password').set(bearer(pair)).send({ password });

  async function account(email: string): Promise<Pair> {
    await signUp(t, email);
    return signIn(t, email);
  }

  /** Registers a passkey held by a new software authenticator (bent as asked). */
  async function addPasskey(pair: Pair, bend: Bend = {}) {
    const key = new SoftAuthenticator(ORIGIN);
    const options = (
      await post('/api/v1/users/me/passkeys/options', pair).send({ password: PASSWORD }).expect(200)
    ).body as Json;
    const answer = await post('/api/v1/users/me/passkeys', pair).send({
      name: 'Soft key',
      credential: key.create(options, bend),
    });
    return { key, answer };
  }

  describe('ceremonies no browser makes, each a clear 4xx with nothing stored', () => {
    it('signs in with the software authenticator as with a real one (the baseline)', async () => {
      const pair = await account('soft@example.com');
      const { key, answer } = await addPasskey(pair);
      expect(answer.status).toBe(201);
      const signedIn = await verify(key.get(await signInOptions())).expect(200);
      expect(signedIn.body.user.email).toBe('soft@example.com');
    });

    it('refuses a registration and a sign-in for another relying-party id', async () => {
      const pair = await account('rpid@example.com');
      const refused = await addPasskey(pair, { rpId: 'evil.example' });
      expect(refused.answer.status).toBe(401);
      expect(refused.answer.body.code).toBe('passkey_rejected');
      expect(await passkeysOf(pair.user.id)).toBe(0);

      const { key } = await addPasskey(pair);
      const before = await sessionsOf(pair.user.id);
      const assertion = key.get(await signInOptions(), { rpId: 'evil.example' });
      expect((await verify(assertion).expect(401)).body.code).toBe('passkey_rejected');
      expect(await sessionsOf(pair.user.id)).toBe(before);
    });

    it('refuses a registration and a sign-in made at another origin', async () => {
      const pair = await account('wrong-origin@example.com');
      const refused = await addPasskey(pair, { origin: 'https://phishing.example' });
      expect(refused.answer.status).toBe(401);
      expect(refused.answer.body.code).toBe('passkey_rejected');
      expect(await passkeysOf(pair.user.id)).toBe(0);

      const { key } = await addPasskey(pair);
      const before = await sessionsOf(pair.user.id);
      const assertion = key.get(await signInOptions(), { origin: 'http://localhost:9999' });
      expect((await verify(assertion).expect(401)).body.code).toBe('passkey_rejected');
      expect(await sessionsOf(pair.user.id)).toBe(before);
    });

    it('refuses a sign-in without user verification (the passkey alone is not two factors)', async () => {
      const pair = await account('no-uv@example.com');
      expect((await addPasskey(pair, { userVerified: false })).answer.status).toBe(401);
      const { key } = await addPasskey(pair);
      const before = await sessionsOf(pair.user.id);
      const assertion = key.get(await signInOptions(), { userVerified: false });
      expect((await verify(assertion).expect(401)).body.code).toBe('passkey_rejected');
      expect(await sessionsOf(pair.user.id)).toBe(before);
      // A registration's clientData offered as a sign-in's: refused too.
      const wrongType = key.get(await signInOptions(), { type: 'webauthn.create' });
      expect((await verify(wrongType).expect(401)).body.code).toBe('passkey_rejected');
    });

    it('refuses and audits a counter that went back, and keeps the stored one', async () => {
      const pair = await account('counter@example.com');
      const { key } = await addPasskey(pair);
      await verify(key.get(await signInOptions(), { counter: 10 })).expect(200);
      const refused = await verify(key.get(await signInOptions(), { counter: 9 })).expect(401);
      expect(refused.body.code).toBe('passkey_cloned');
      const stored = await t.db
        .collection('passkeys')
        .findOne({ userId: new Types.ObjectId(pair.user.id) });
      expect(stored?.counter).toBe(10);
      expect(await auditEntries(t, 'auth.passkey.cloned')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ targetId: pair.user.id, details: expect.anything() }),
        ]),
      );
      await verify(key.get(await signInOptions(), { counter: 11 })).expect(200);
    });

    it('locks passkey sign-in after LOCKOUT_THRESHOLD refused assertions, and the password with it', async () => {
      const pair = await account('lock@example.com');
      const { key } = await addPasskey(pair);
      const ip = '10.24.0.1';
      for (let i = 0; i < 5; i++) {
        const wrong = key.get(await signInOptions(), { origin: 'https://phishing.example' });
        expect((await verify(wrong, ip).expect(401)).body.code).toBe('passkey_rejected');
      }
      const right = await verify(key.get(await signInOptions()), ip).expect(429);
      expect(right.body.code).toBe('account_locked');
      expect(right.headers['retry-after']).toBeDefined();
      const password = await post('/api/v1/auth/login', undefined, ip)
        .send({ email: 'lock@example.com', password: PASSWORD })
        .expect(429);
      expect(password.body.code).toBe('account_locked');
      // Another address is not locked out by these failures (the pair locks first).
      await verify(key.get(await signInOptions()), '10.24.0.2').expect(200);
    });

    it('refuses a valid passkey of a disabled or unverified account with 403, like a password', async () => {
      const pair = await account('status@example.com');
      const { key } = await addPasskey(pair);
      const users = t.db.collection('users');
      const before = await sessionsOf(pair.user.id);
      for (const [status, code] of [
        ['disabled', 'account_disabled'],
        ['pending', 'email_not_verified'],
      ]) {
        await users.updateOne({ email: 'status@example.com' }, { $set: { status } });
        expect((await verify(key.get(await signInOptions())).expect(403)).body.code).toBe(code);
      }
      expect(await sessionsOf(pair.user.id)).toBe(before);
      await users.updateOne({ email: 'status@example.com' }, { $set: { status: 'active' } });
      await verify(key.get(await signInOptions())).expect(200);
    });
  });

  describe('passwordless accounts', () => {
    it('removes the password once a passkey exists: step-up, mail, audit; the passkey still signs in', async () => {
      const pair = await account('pwless@example.com');
      expect((await removePassword(pair).expect(409)).body.code).toBe('passkey_required');
      const { key } = await addPasskey(pair);
      expect((await removePassword(pair, 'not the password').expect(400)).body.code).toBe(
        'invalid_credentials',
      );
      await t.http().delete('/api/v1/users/me/password').set(bearer(pair)).send({}).expect(400);
      await removePassword(pair).expect(204);
      const me = await t.http().get('/api/v1/users/me').set(bearer(pair)).expect(200);
      expect(me.body.hasPassword).toBe(false);
      await t.settle();
      expect(t.mail.to('pwless@example.com').at(-1)?.subject).toMatch(/password was removed/);
      expect(await auditEntries(t, 'auth.password.removed')).toEqual([
        expect.objectContaining({ actorId: pair.user.id, targetId: pair.user.id }),
      ]);
      // Once removed there is nothing to remove: the password step-up cannot be passed.
      expect((await removePassword(pair).expect(409)).body.code).toBe('password_not_set');
      await verify(key.get(await signInOptions())).expect(200);
    });

    it('answers a password sign-in of a passwordless account like a wrong password', async () => {
      const pair = await account('pwless-login@example.com');
      await addPasskey(pair);
      await removePassword(pair).expect(204);
      const login = (email: string) =>
        post('/api/v1/auth/login', undefined, '10.24.1.1').send({ email, password: PASSWORD });
      const passwordless = await login('pwless-login@example.com').expect(401);
      const unknown = await login('nobody-here@example.com').expect(401);
      expect(passwordless.body.code).toBe('invalid_credentials');
      expect({ ...passwordless.body, instance: undefined, requestId: undefined }).toEqual({
        ...unknown.body,
        instance: undefined,
        requestId: undefined,
      });
    });

    it('sets a password again through forgot-password; both ways sign in afterwards', async () => {
      const pair = await account('pwless-reset@example.com');
      const { key } = await addPasskey(pair);
      await removePassword(pair).expect(204);
      const before = t.mail.to('pwless-reset@example.com').length;
      await post('/api/v1/auth/forgot-password')
        .send({ email: 'pwless-reset@example.com' })
        .expect(202);
      const code = await t.mail.code('pwless-reset@example.com', /reset/i, before);
      await post('/api/v1/auth/reset-password')
        .send({ email: 'pwless-reset@example.com', code, newPassword: 'a brand new passphrase 42' })
        .expect(200);
      const step1 = await post('/api/v1/auth/login')
        .send({ email: 'pwless-reset@example.com', password: 'a brand new passphrase 42' })
        .expect(200);
      expect(step1.body.method).toBe('passkey');
      await verify(key.get(await signInOptions())).expect(200);
    });

    it("refuses to delete a passwordless account's last passkey (409), allows it with another", async () => {
      const pair = await account('pwless-last@example.com');
      const first = await addPasskey(pair);
      await removePassword(pair).expect(204);
      const remove = (id: string) =>
        t.http().delete(`/api/v1/users/me/passkeys/${id}`).set(bearer(pair));
      const firstId = String(first.answer.body.id);
      expect((await remove(firstId).expect(409)).body.code).toBe('last_sign_in_method');
      // Adding a passkey without a password: the recent sign-in is the step-up.
      const signedIn = (await verify(first.key.get(await signInOptions())).expect(200))
        .body as Pair;
      const options = (
        await post('/api/v1/users/me/passkeys/options', signedIn).send({}).expect(200)
      ).body as Json;
      const second = new SoftAuthenticator(ORIGIN);
      await post('/api/v1/users/me/passkeys', signedIn)
        .send({ name: 'Second', credential: second.create(options) })
        .expect(201);
      await remove(firstId).expect(204);
      expect(await passkeysOf(pair.user.id)).toBe(1);
    });

    it('keeps a way in when removing the password races removing the last passkey', async () => {
      for (let round = 0; round < 4; round++) {
        const email = `pwless-race-${round}@example.com`;
        const pair = await account(email);
        const { answer } = await addPasskey(pair);
        const id = String(answer.body.id);
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            i % 2
              ? removePassword(pair)
              : t.http().delete(`/api/v1/users/me/passkeys/${id}`).set(bearer(pair)),
          ),
        );
        expect(results.filter((r) => ![204, 404, 409].includes(r.status))).toEqual([]);
        const user = await t.db.collection('users').findOne({ email });
        const passkeys = await passkeysOf(pair.user.id);
        expect(Boolean(user?.passwordHash) || passkeys > 0).toBe(true);
      }
    });

    it('unlinks a provider from a passwordless account that still has a passkey', async () => {
      const pair = await account('pwless-provider@example.com');
      await addPasskey(pair);
      await removePassword(pair).expect(204);
      const identity = await t.db.collection('oauth_identities').insertOne({
        provider: 'google',
        subject: 'google-subject-1',
        userId: pair.user.id,
        createdAt: new Date(),
      });
      await t
        .http()
        .delete(`/api/v1/users/me/identities/${String(identity.insertedId)}`)
        .set(bearer(pair))
        .expect(204);
    });
  });
});
