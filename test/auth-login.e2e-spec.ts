import { Types } from 'mongoose';
import { RECENT_HASHES, SessionsService } from '../src/sessions/sessions.service';
import { auditEntries, bearer, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

describe('Login, tokens and sessions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'true' });
    await signUp(t, 'ada@example.com');
    await signUp(t, 'bob@example.com');
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: unknown) =>
    t.http().post('/api/v1/auth/refresh').send({ refreshToken });

  it('signs in with password then emailed code, and mails a login notice', async () => {
    const step1 = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'ada@example.com', password: PASSWORD })
      .expect(200);
    expect(step1.body).toEqual({
      mfaRequired: true,
      mfaToken: expect.any(String),
      method: 'email_otp',
    });
    const code = await t.mail.code('ada@example.com', /sign-in code/);
    const pair = await t
      .http()
      .post('/api/v1/auth/login/verify')
      .send({ mfaToken: step1.body.mfaToken, code })
      .expect(200);
    expect(pair.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { email: 'ada@example.com', lastLoginAt: expect.any(String) },
    });
    expect(pair.body.refreshToken).toMatch(/^[0-9a-f]{24}\.[\w-]{43}$/);
    const sessions = await t.http().get('/api/v1/sessions').set(bearer(pair.body)).expect(200);
    expect(sessions.body.items).toEqual([
      expect.objectContaining({ current: true, ip: '127.0.0.1' }),
    ]);
    await t.mail.waitFor('ada@example.com', /New sign-in/);
    expect(await auditEntries(t, 'auth.login.succeeded')).not.toHaveLength(0);
  });

  it('answers an unknown email and a wrong password identically', async () => {
    const unknown = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.com', password: PASSWORD })
      .expect(401);
    const wrong = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'bob@example.com', password: 'not the password at all' })
      .expect(401);
    const strip = ({ requestId: _, ...rest }: Record<string, unknown>) => rest;
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(unknown.body.code).toBe('invalid_credentials');
  });

  it('refuses a pending account with 403 email_not_verified', async () => {
    await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'pending@example.com', password: PASSWORD })
      .expect(201);
    const res = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'pending@example.com', password: PASSWORD })
      .expect(403);
    expect(res.body.code).toBe('email_not_verified');
  });

  it('tells apart passwords that differ only after byte 72', async () => {
    const long = 'a'.repeat(80);
    await signUp(t, 'long@example.com', `${long}1`);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'long@example.com', password: `${long}2` })
      .expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'long@example.com', password: `${long}1` })
      .expect(200);
  });

  it('never accepts an mfaToken as an access token, nor an access token as an mfaToken', async () => {
    const before = t.mail.to('bob@example.com').length;
    const step1 = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'bob@example.com', password: PASSWORD })
      .expect(200);
    await t.mail.code('bob@example.com', /sign-in code/, before); // let that mail land before the next login
    await t
      .http()
      .get('/api/v1/sessions')
      .set('Authorization', `Bearer ${step1.body.mfaToken}`)
      .expect(401);
    const pair = await signIn(t, 'bob@example.com');
    const res = await t
      .http()
      .post('/api/v1/auth/login/verify')
      .send({ mfaToken: pair.accessToken, code: '123456' })
      .expect(401);
    expect(res.body.code).toBe('invalid_mfa_token');
  });

  it('needs a token on protected routes', async () => {
    const res = await t.http().get('/api/v1/sessions').expect(401);
    expect(res.body.code).toBe('invalid_token');
    await t.http().get('/api/v1/sessions').set('Authorization', 'Bearer not.a.jwt').expect(401);
  });

  describe('refresh', () => {
    it('rotates: the new pair works and the old refresh token, past the grace period, is reuse', async () => {
      const pair = await signIn(t, 'ada@example.com');
      const next = await refresh(pair.refreshToken).expect(200);
      expect(next.body.refreshToken).not.toBe(pair.refreshToken);
      await t.http().get('/api/v1/sessions').set(bearer(next.body)).expect(200);
      t.clock.advance(10_001); // JWT_REFRESH_GRACE (10s) has passed

      const replay = await refresh(pair.refreshToken).expect(401);
      expect(replay.body.code).toBe('refresh_token_reused');
      // The whole session is gone: its newest refresh token and its access tokens too.
      await refresh(next.body.refreshToken).expect(401);
      await t.http().get('/api/v1/sessions').set(bearer(next.body)).expect(401);
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(401);
      expect(await auditEntries(t, 'auth.refresh.reused')).toHaveLength(1);
    });

    it('rotates once for concurrent refreshes with one token, and gives every racer the same successor', async () => {
      const pair = await signIn(t, 'ada@example.com');
      const results = await Promise.all(
        Array.from({ length: 20 }, () => refresh(pair.refreshToken)),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(new Set(results.map((r) => r.body.refreshToken)).size).toBe(1);
      const sessionId = pair.refreshToken.split('.')[0];
      const session = await t.db
        .collection('sessions')
        .findOne({ _id: new Types.ObjectId(sessionId) });
      expect(session?.previousHashes).toHaveLength(1);
      await refresh(results[0].body.refreshToken).expect(200);
    });

    it('answers a retried refresh within the grace period with the same token, and treats it as reuse after', async () => {
      const pair = await signIn(t, 'ada@example.com');
      const first = await refresh(pair.refreshToken).expect(200);
      t.clock.advance(9_000);
      const retry = await refresh(pair.refreshToken).expect(200);
      expect(retry.body.refreshToken).toBe(first.body.refreshToken);
      t.clock.advance(2_000);
      const late = await refresh(pair.refreshToken).expect(401);
      expect(late.body.code).toBe('refresh_token_reused');
      await refresh(first.body.refreshToken).expect(401);
    });

    it('gives no grace to a token two rotations old', async () => {
      const pair = await signIn(t, 'ada@example.com');
      const one = await refresh(pair.refreshToken).expect(200);
      await refresh(one.body.refreshToken).expect(200);
      const replay = await refresh(pair.refreshToken).expect(401);
      expect(replay.body.code).toBe('refresh_token_reused');
    });

    it('keeps a bounded window of rotated hashes', async () => {
      const pair = await signIn(t, 'ada@example.com');
      let token = pair.refreshToken;
      for (let i = 0; i < RECENT_HASHES + 3; i++) {
        token = (await refresh(token).expect(200)).body.refreshToken;
      }
      const session = await t.db
        .collection('sessions')
        .findOne({ _id: new Types.ObjectId(token.split('.')[0]) });
      expect(session?.previousHashes).toHaveLength(RECENT_HASHES);
    });

    it('refuses garbage, and ends a session at its idle limit', async () => {
      await refresh('garbage').expect(401);
      await t
        .http()
        .post('/api/v1/auth/refresh')
        .send({ refreshToken: { $ne: null } })
        .expect(400);
      const pair = await signIn(t, 'ada@example.com');
      t.clock.advance(24 * 3_600_000 + 1000);
      const res = await refresh(pair.refreshToken).expect(401);
      expect(res.body.code).toBe('invalid_refresh_token');
    });
  });

  describe('logout and sessions', () => {
    it('kills the access and refresh tokens of the session at once', async () => {
      const pair = await signIn(t, 'ada@example.com');
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(200); // warms the guard's cache
      await t.http().post('/api/v1/auth/logout').set(bearer(pair)).expect(204);
      await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(401);
      await refresh(pair.refreshToken).expect(401);
    });

    it("revokes one session by id, but not another user's (404)", async () => {
      const one = await signIn(t, 'bob@example.com');
      const two = await signIn(t, 'bob@example.com');
      const ada = await signIn(t, 'ada@example.com');
      const list = await t.http().get('/api/v1/sessions').set(bearer(one)).expect(200);
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      await t.http().delete(`/api/v1/sessions/${other.id}`).set(bearer(ada)).expect(404);
      await t.http().delete('/api/v1/sessions/not-an-id').set(bearer(one)).expect(404);
      await t.http().delete(`/api/v1/sessions/${other.id}`).set(bearer(one)).expect(204);
      const stillAlive = [one, two].filter((p) => p.refreshToken.startsWith(other.id) === false);
      expect(stillAlive).toHaveLength(1);
      await t.http().get('/api/v1/sessions').set(bearer(stillAlive[0])).expect(200);
      const revoked = [one, two].find((p) => p.refreshToken.startsWith(other.id))!;
      await t.http().get('/api/v1/sessions').set(bearer(revoked)).expect(401);
    });

    it('logout-all ends every session of the user', async () => {
      const one = await signIn(t, 'bob@example.com');
      const two = await signIn(t, 'bob@example.com');
      await t.http().post('/api/v1/auth/logout-all').set(bearer(one)).expect(204);
      await t.http().get('/api/v1/sessions').set(bearer(one)).expect(401);
      await t.http().get('/api/v1/sessions').set(bearer(two)).expect(401);
    });

    it('purges ended sessions with the scheduled job', async () => {
      const sessions = t.app.get(SessionsService);
      t.clock.advance(8 * 86_400_000);
      await sessions.purgeExpired();
      expect(await sessions.purgeExpired()).toBe(0);
      expect(await t.db.collection('sessions').countDocuments()).toBe(0);
    });
  });

  describe('lockout', () => {
    it('locks the (account, IP) pair after 5 failures, with Retry-After, but not another IP', async () => {
      await signUp(t, 'carol@example.com');
      const from = (ip: string, password: string) =>
        t
          .http()
          .post('/api/v1/auth/login')
          .set('X-Forwarded-For', ip)
          .send({ email: 'carol@example.com', password });
      for (let i = 0; i < 5; i++) await from('10.9.9.1', 'wrong password number x').expect(401);
      const locked = await from('10.9.9.1', PASSWORD).expect(429);
      expect(locked.body.code).toBe('account_locked');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
      await from('10.9.9.2', PASSWORD).expect(200);
      expect(await auditEntries(t, 'auth.login.locked')).toHaveLength(1);
      t.clock.advance(15 * 60_000 + 1000);
      await from('10.9.9.1', PASSWORD).expect(200);
    });

    it('counts wrong second-step codes toward the lock', async () => {
      await signUp(t, 'dave@example.com');
      const step1 = await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '10.8.8.1')
        .send({ email: 'dave@example.com', password: PASSWORD })
        .expect(200);
      const code = await t.mail.code('dave@example.com', /sign-in code/);
      const wrong = code === '000000' ? '000001' : '000000';
      for (let i = 0; i < 4; i++) {
        await t
          .http()
          .post('/api/v1/auth/login/verify')
          .set('X-Forwarded-For', '10.8.8.1')
          .send({ mfaToken: step1.body.mfaToken, code: wrong })
          .expect(400);
      }
      await t
        .http()
        .post('/api/v1/auth/login/verify')
        .set('X-Forwarded-For', '10.8.8.1')
        .send({ mfaToken: step1.body.mfaToken, code: wrong })
        .expect(429);
      await t
        .http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '10.8.8.1')
        .send({ email: 'dave@example.com', password: PASSWORD })
        .expect(429);
      expect(await auditEntries(t, 'auth.second_step.failed')).not.toHaveLength(0);
    });
  });
});
