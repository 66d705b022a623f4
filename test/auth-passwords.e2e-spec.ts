import { bearer, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

const NEW_PASSWORD = 'a whole new passphrase 2';

describe('Password flows, throttling and secrecy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await signUp(t, 'ada@example.com');
  });
  afterAll(() => t.close());

  it('answers forgot-password identically for known and unknown emails', async () => {
    const known = await t
      .http()
      .post('/api/v1/auth/forgot-password')
      .send({ email: 'ada@example.com' })
      .expect(202);
    const unknown = await t
      .http()
      .post('/api/v1/auth/forgot-password')
      .send({ email: 'nobody@example.com' })
      .expect(202);
    expect(known.text).toBe(unknown.text);
    await t.mail.waitFor('ada@example.com', /password reset code/);
    expect(t.mail.to('nobody@example.com')).toHaveLength(0);
  });

  it('resets the password with the code and ends every session', async () => {
    const session = await signIn(t, 'ada@example.com');
    t.clock.advance(61_000);
    const before = t.mail.to('ada@example.com').length;
    await t
      .http()
      .post('/api/v1/auth/forgot-password')
      .send({ email: 'ada@example.com' })
      .expect(202);
    const code = await t.mail.code('ada@example.com', /password reset code/, before);
    const weak = await t
      .http()
      .post('/api/v1/auth/reset-password')
      .send({ email: 'ada@example.com', code, newPassword: 'password1234' })
      .expect(400);
    expect(weak.body.errors[0].field).toBe('newPassword');
    await t
      .http()
      .post('/api/v1/auth/reset-password')
      .send({
        email: 'ada@example.com',
        code: code === '000000' ? '000001' : '000000',
        newPassword: NEW_PASSWORD,
      })
      .expect(400);
    await t
      .http()
      .post('/api/v1/auth/reset-password')
      .send({ email: 'ada@example.com', code, newPassword: NEW_PASSWORD })
      .expect(200);
    await t.http().get('/api/v1/sessions').set(bearer(session)).expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'ada@example.com', password: PASSWORD })
      .expect(401);
    await signIn(t, 'ada@example.com', NEW_PASSWORD);
    await t.mail.waitFor('ada@example.com', /password was reset/);
  });

  it('changes the password: every other session ends, this one stays', async () => {
    const current = await signIn(t, 'ada@example.com', NEW_PASSWORD);
    const other = await signIn(t, 'ada@example.com', NEW_PASSWORD);
    const wrong = await t
      .http()
      .post('/api/v1/auth/change-password')
      .set(bearer(current))
      .send({ currentPassword: 'not it at all!!', newPassword: PASSWORD })
      .expect(400);
    expect(wrong.body.code).toBe('invalid_credentials');
    await t
      .http()
      .post('/api/v1/auth/change-password')
      .send({ currentPassword: NEW_PASSWORD, newPassword: PASSWORD })
      .expect(401);
    await t
      .http()
      .post('/api/v1/auth/change-password')
      .set(bearer(current))
      .send({ currentPassword: NEW_PASSWORD, newPassword: PASSWORD })
      .expect(200);
    await t.http().get('/api/v1/sessions').set(bearer(current)).expect(200);
    await t.http().get('/api/v1/sessions').set(bearer(other)).expect(401);
    await t.mail.waitFor('ada@example.com', /password was changed/);
  });

  it('never puts a password, hash, code or refresh token in a response or a log line', async () => {
    const pair = await signIn(t, 'ada@example.com');
    const codes = t.mail.messages
      .map((m) => /\b(\d{6})\b/.exec(m.text)?.[1])
      .filter((c): c is string => Boolean(c));
    const logs = t.logs.text();
    for (const secret of [
      PASSWORD,
      NEW_PASSWORD,
      pair.refreshToken,
      pair.refreshToken.split('.')[1],
      '$2b$',
      'hs256-bcrypt',
      ...codes,
    ]) {
      expect(logs).not.toContain(secret);
    }
    const me = await t.http().get('/api/v1/sessions').set(bearer(pair)).expect(200);
    expect(JSON.stringify(me.body)).not.toMatch(/refresh|hash|\$2b\$/i);
  });
});

describe('Rate limit on /auth', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ RATE_LIMIT_AUTH: '3/1m' })));
  afterAll(() => t.close());

  it('answers 429 with Retry-After past RATE_LIMIT_AUTH, and resets after the window', async () => {
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/v1/auth/forgot-password')
        .send({ email: 'x@example.com' })
        .expect(202);
    const limited = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'x@example.com', password: PASSWORD })
      .expect(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await t.http().get('/health/live').expect(200); // other routes are not counted here
    t.clock.advance(61_000);
    await t
      .http()
      .post('/api/v1/auth/forgot-password')
      .send({ email: 'x@example.com' })
      .expect(202);
  });

  it('counts refresh under the general limit, not RATE_LIMIT_AUTH', async () => {
    t.clock.advance(61_000);
    for (let i = 0; i < 5; i++)
      await t.http().post('/api/v1/auth/refresh').send({ refreshToken: 'not-a-token' }).expect(401);
    await t
      .http()
      .post('/api/v1/auth/forgot-password')
      .send({ email: 'x@example.com' })
      .expect(202);
  });

  it('chooses the limit by the matched route, not the raw URL (percent-encoding does not escape it)', async () => {
    t.clock.advance(61_000);
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/v1/%61uth/forgot-password')
        .send({ email: 'x@example.com' })
        .expect(202);
    const limited = await t
      .http()
      .post('/api/v1/%61uth/forgot-password')
      .send({ email: 'x@example.com' })
      .expect(429);
    expect(limited.body.code).toBe('rate_limited');
  });
});
