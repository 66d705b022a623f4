import { createHmac, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, UnsecuredJWT } from 'jose';
import { TokenService } from '../src/auth/tokens/token.service';
import { SigningKeys } from '../src/signing-keys/signing-keys.service';
import { RotateSigningKeysJob } from '../src/signing-keys/rotate-signing-keys.job';
import { ADMIN, ADMIN_ENV, login, member } from './support/admin-helpers';
import { bearer, Pair } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ISSUER = 'user-management';
const AUDIENCE = 'user-management-api';
/** Access 15m + mfa 5m + the 5m margin: how long a retired key still verifies. */
const GRACE = 25 * MINUTE;

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, string>;
const kidOf = (token: string) => decodeProtectedHeader(token).kid;

/**
 * Access tokens signed with ES256 keys from a shared, rotating key set, published at
 * /.well-known/jwks.json. The verifier below is jose with nothing but the JWKS URL: what any
 * other service would run.
 */
describe('Signing keys and the JWKS', () => {
  let t: TestApp;
  let url: string;
  let keys: SigningKeys;
  let admin: Pair;

  const me = (token: string) =>
    t.http().get('/api/v1/users/me').set('Authorization', `Bearer ${token}`);
  /** A verifier that knows only our JWKS URL, on the app's clock. */
  const remote = () => {
    const jwks = createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`));
    return (token: string) =>
      jwtVerify(token, jwks, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['ES256'],
        currentDate: t.clock.now(),
      });
  };
  const jwksKids = async () =>
    ((await t.http().get('/.well-known/jwks.json').expect(200)).body.keys as { kid: string }[]).map(
      (k) => k.kid,
    );
  /** Claims like the app's own for `pair`, expiring in 10 minutes by the app's clock. */
  const claimsLike = (pair: Pair) => {
    const { sub, sid, role } = claimsOf(pair.accessToken);
    return { sub, sid, role, typ: 'access' };
  };
  const signWith = (key: KeyObject, kid: string, pair: Pair, minutes = 10) =>
    new SignJWT(claimsLike(pair))
      .setProtectedHeader({ alg: 'ES256', kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(t.clock.now().getTime() / 1000))
      .setExpirationTime(Math.floor(t.clock.now().getTime() / 1000) + minutes * 60)
      .sign(key);

  beforeAll(async () => {
    t = await createTestApp({
      ...ADMIN_ENV,
      JWT_KEY_ROTATION: '1d',
      JWT_KEY_PUBLISH_AHEAD: '1h',
    });
    await t.app.listen(0, '127.0.0.1');
    url = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    keys = t.app.get(SigningKeys);
    admin = await login(t, ADMIN.email, ADMIN.password);
  });
  afterAll(() => t.close());

  it('publishes the public keys at /.well-known/jwks.json, cacheable, outside /api/v1', async () => {
    const res = await t.http().get('/.well-known/jwks.json').expect(200);
    expect(res.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.keys).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: expect.stringMatching(/^[\w-]{43}$/),
        y: expect.stringMatching(/^[\w-]{43}$/),
        kid: keys.signer().kid,
        use: 'sig',
        alg: 'ES256',
      },
    ]);
    await t.http().get('/api/v1/.well-known/jwks.json').expect(404);
  });

  it('signs access and mfa tokens with ES256 and the kid of the current key', async () => {
    expect(decodeProtectedHeader(admin.accessToken)).toEqual({
      alg: 'ES256',
      kid: keys.signer().kid,
      typ: 'JWT',
    });
    // The sign-in step's token (the full two-step flow runs in auth-security and auth-login).
    const mfaToken = t.app.get(TokenService).mfaToken(admin.user.id, 'attempt', 'email_otp');
    expect(decodeProtectedHeader(mfaToken)).toEqual({
      alg: 'ES256',
      kid: keys.signer().kid,
      typ: 'JWT',
    });
  });

  it('lets a verifier holding only the JWKS URL accept our access tokens', async () => {
    const { payload, protectedHeader } = await remote()(admin.accessToken);
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({ sub: admin.user.id, typ: 'access', iss: ISSUER });
  });

  it('refuses, there and here, a token signed with a key not in the set', async () => {
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    for (const kid of ['not-in-the-set', keys.signer().kid]) {
      const token = await signWith(foreign, kid, admin);
      await expect(remote()(token)).rejects.toThrow();
      await me(token).expect(401);
    }
    await me(await signWith(keys.signer().privateKey, keys.signer().kid, admin)).expect(200); // the control
  });

  it('remembers a verified token by its whole text: its claims under another signature are refused', async () => {
    await me(admin.accessToken).expect(200); // verified, and remembered
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const signature = (await signWith(foreign, keys.signer().kid, admin)).split('.')[2];
    const [header, payload] = admin.accessToken.split('.');
    await me(`${header}.${payload}.${signature}`).expect(401);
    await me(admin.accessToken).expect(200);
  });

  it('refuses, there and here, alg none and an HS256 token keyed with the public key', async () => {
    const claims = claimsLike(admin);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const none = new UnsecuredJWT(claims)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .encode();
    const publicKey = createPublicKey(keys.signer().privateKey);
    const hmacKeys = [
      publicKey.export({ format: 'pem', type: 'spki' }) as string,
      JSON.stringify((await t.http().get('/.well-known/jwks.json')).body.keys[0]),
    ];
    const forged = [
      none,
      `${none}c2lnbmF0dXJl`, // a signature part, so the bearer shape is right
      ...(await Promise.all(
        hmacKeys.map((secret) =>
          new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256', kid: keys.signer().kid })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setIssuedAt(now)
            .setExpirationTime(now + 600)
            .sign(new TextEncoder().encode(secret)),
        ),
      )),
      // A token of the HS256 era, signed with the suite's old shared secret.
      (() => {
        const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
        const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 })}`;
        const mac = createHmac('sha256', 'test-secret-test-secret-test-secret-0123456789')
          .update(body)
          .digest('base64url');
        return `${body}.${mac}`;
      })(),
    ];
    for (const token of forged) {
      await expect(remote()(token)).rejects.toThrow();
      const res = await me(token).expect(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });

  it('keeps every private key encrypted at rest', async () => {
    const docs = await t.db.collection('signing_keys').find().toArray();
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(doc.privateKey).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      const text = JSON.stringify(doc);
      expect(text).not.toMatch(/PRIVATE KEY|"d":/);
      expect(doc.publicJwk).toEqual({
        kty: 'EC',
        crv: 'P-256',
        x: expect.any(String),
        y: expect.any(String),
      });
    }
  });

  describe('the admin routes', () => {
    it('needs a token and the signing-keys:manage permission', async () => {
      await t.http().get('/api/v1/admin/signing-keys').expect(401);
      await t.http().post('/api/v1/admin/signing-keys/rotate').expect(401);
      const someone = await member(t, 'no-keys@example.com');
      for (const res of [
        await t.http().get('/api/v1/admin/signing-keys').set(bearer(someone)),
        await t.http().post('/api/v1/admin/signing-keys/rotate').set(bearer(someone)),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
    });

    it('rotates at once, audited: new tokens carry the new kid, older ones still verify', async () => {
      const before = admin;
      const previous = keys.signer().kid;
      const res = await t
        .http()
        .post('/api/v1/admin/signing-keys/rotate')
        .set(bearer(admin))
        .expect(200);
      expect(res.body).toMatchObject({ alg: 'ES256', state: 'current' });
      expect(res.body.kid).not.toBe(previous);
      expect(keys.signer().kid).toBe(res.body.kid);

      admin = await login(t, ADMIN.email, ADMIN.password);
      expect(kidOf(admin.accessToken)).toBe(res.body.kid);
      await me(before.accessToken).expect(200);
      await remote()(before.accessToken);
      await remote()(admin.accessToken);
      expect(await jwksKids()).toEqual(expect.arrayContaining([previous, res.body.kid]));

      const list = await t.http().get('/api/v1/admin/signing-keys').set(bearer(admin)).expect(200);
      expect(list.body.items.slice(0, 2)).toEqual([
        expect.objectContaining({ kid: res.body.kid, state: 'current' }),
        expect.objectContaining({ kid: previous, state: 'retired', dropsAt: expect.any(String) }),
      ]);
      expect(JSON.stringify(list.body)).not.toMatch(/privateKey|"d"|PRIVATE/);

      await t.settle();
      const entry = await t.db
        .collection('audit_logs')
        .findOne({ action: 'signing_keys.rotated', targetId: res.body.kid });
      expect(entry).toMatchObject({
        actorId: expect.anything(),
        outcome: 'success',
        details: { previousKid: previous },
      });
      expect(String(entry!.actorId)).toBe(admin.user.id);
    });
  });

  describe('the rotation job', () => {
    it('publishes the next key ahead, switches to it, and drops the retired key only after its grace', async () => {
      const job = t.app.get(RotateSigningKeysJob);
      const k0 = keys.signer();
      expect(await job.run()).toEqual({ dropped: expect.any(Array) }); // not due yet
      expect(keys.keySet.keys.at(-1)!.kid).toBe(k0.kid);

      // Due JWT_KEY_PUBLISH_AHEAD before a day of signing: published, not yet signing.
      t.clock.advance(23 * HOUR + MINUTE);
      const published = (await job.run())!.published!;
      expect(published).toBeDefined();
      expect(await jwksKids()).toEqual(expect.arrayContaining([k0.kid, published]));
      admin = await login(t, ADMIN.email, ADMIN.password);
      expect(kidOf(admin.accessToken)).toBe(k0.kid);
      expect(await job.run()).toEqual({ dropped: [] }); // idempotent

      // The last minute of k0: a token it signs, then the switch.
      t.clock.advance(58 * MINUTE);
      const lastOfK0 = await login(t, ADMIN.email, ADMIN.password);
      expect(kidOf(lastOfK0.accessToken)).toBe(k0.kid);
      const longLived = await signWith(k0.privateKey, k0.kid, lastOfK0, 60);
      t.clock.advance(2 * MINUTE);
      admin = await login(t, ADMIN.email, ADMIN.password);
      expect(kidOf(admin.accessToken)).toBe(published);
      await remote()(admin.accessToken);

      // Within the grace: the retired key's tokens still verify, here and there.
      await job.run();
      await me(lastOfK0.accessToken).expect(200);
      await remote()(lastOfK0.accessToken);
      await me(longLived).expect(200);
      expect(await jwksKids()).toContain(k0.kid);

      // After it: gone from the set, and a token naming it is refused even if not expired.
      t.clock.advance(GRACE);
      await me(longLived).expect(401); // refused by time, before the job has run
      const step = (await job.run())!;
      expect(step.dropped).toContain(k0.kid);
      expect(await jwksKids()).not.toContain(k0.kid);
      await me(longLived).expect(401);
      await expect(remote()(longLived)).rejects.toThrow();
      await me((await login(t, ADMIN.email, ADMIN.password)).accessToken).expect(200);
      const stored = await t.db.collection('signing_keys').find().toArray();
      expect(stored.map((d) => d.kid)).not.toContain(k0.kid);
    });

    it('makes a key that signs at once if the stored set was emptied while running', async () => {
      await t.db.collection('signing_keys').deleteMany({});
      const step = (await t.app.get(RotateSigningKeysJob).run())!;
      expect(step.published).toBeDefined();
      const pair = await login(t, ADMIN.email, ADMIN.password);
      expect(kidOf(pair.accessToken)).toBe(step.published);
      await me(pair.accessToken).expect(200);
    });
  });

  it('reuses the key set for an embedded OpenID provider as private JWKs, the signing key first', () => {
    const [first, ...rest] = keys.privateJwks();
    expect(first).toMatchObject({ kty: 'EC', crv: 'P-256', kid: keys.signer().kid, alg: 'ES256' });
    expect(first.d).toEqual(expect.any(String));
    expect(rest.map((k) => k.kid)).not.toContain(first.kid);
  });
});

describe('A key pinned by JWT_SIGNING_KEY', () => {
  const pinned = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      ...ADMIN_ENV,
      JWT_SIGNING_KEY: pinned.export({ format: 'pem', type: 'pkcs8' }) as string,
      JWT_ACCESS_SECRET: 'a deployment that still sets the old secret',
    });
  });
  afterAll(async () => {
    delete process.env.JWT_SIGNING_KEY;
    delete process.env.JWT_ACCESS_SECRET;
    await t.close();
  });

  it('signs with that key alone, stores none, and neither rotates nor lets an operator rotate', async () => {
    const res = await t.http().get('/.well-known/jwks.json').expect(200);
    const jwk = createPublicKey(pinned).export({ format: 'jwk' });
    expect(res.body.keys).toEqual([expect.objectContaining({ x: jwk.x, y: jwk.y, alg: 'ES256' })]);
    const admin = await login(t, ADMIN.email, ADMIN.password);
    expect(kidOf(admin.accessToken)).toBe(res.body.keys[0].kid);
    const rotate = await t
      .http()
      .post('/api/v1/admin/signing-keys/rotate')
      .set(bearer(admin))
      .expect(409);
    expect(rotate.body.code).toBe('signing_key_pinned');
    t.clock.advance(400 * 24 * HOUR);
    expect(await t.app.get(RotateSigningKeysJob).run()).toEqual({ dropped: [] });
    expect(await t.db.collection('signing_keys').countDocuments()).toBe(0);
  });

  it('warns at start, naming the new settings, when JWT_ACCESS_SECRET is still set', () => {
    expect(t.logs.text()).toMatch(
      /JWT_ACCESS_SECRET is set but no longer used.*JWT_KEY_ROTATION.*JWT_SIGNING_KEY/,
    );
  });
});
