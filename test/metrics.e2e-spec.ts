import { randomBytes } from 'node:crypto';
import { generateSync } from 'otplib';
import { enableTotp, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

const TOKEN = randomBytes(32).toString('hex');
const LOGIN_ROUTE = { method: 'POST', route: '/api/v1/auth/login', status_code: '200' };

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a scrape in the text format (comments skipped, label values unescaped). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
        labels[key] = value.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The one sample with this name whose labels include `labels`. */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length !== 1)
    throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0].value;
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      METRICS_TOKEN: TOKEN,
      LOCKOUT_THRESHOLD: '3',
      JWT_REFRESH_GRACE: '0s',
    });
    await signUp(t, 'ada@example.com');
    await t.settle(); // the code's delivery is counted once sent
  });
  afterAll(() => t.close());

  async function scrape(): Promise<Sample[]> {
    const res = await t
      .http()
      .get('/metrics')
      .set('Authorization', `Bearer ${TOKEN}`)
      .expect(200)
      .expect('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .expect('cache-control', 'no-store');
    return parse(res.text);
  }

  it('counts a sign-in through both steps: the login, its second step, the route, the session and the mails', async () => {
    const before = await scrape();
    await signIn(t, 'ada@example.com');
    await t.mail.waitFor('ada@example.com', /New sign-in/);
    await t.settle();
    const after = await scrape();
    const grew = (name: string, labels?: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);

    expect(grew('auth_logins_total', { outcome: 'success' })).toBe(1);
    expect(grew('auth_logins_total', { outcome: 'failure' })).toBe(0);
    expect(grew('auth_second_steps_total', { method: 'email_otp', outcome: 'success' })).toBe(1);
    expect(value(after, 'sessions_active')).toBe(1);
    // The sign-up's code came before; since then the sign-in's code and its notice.
    expect(value(before, 'mail_deliveries_total', { outcome: 'sent' })).toBe(1);
    expect(grew('mail_deliveries_total', { outcome: 'sent' })).toBe(2);
    expect(value(after, 'mail_deliveries_total', { outcome: 'failed' })).toBe(0);

    // The login route by its template, method and status, in the counter and the histogram.
    expect(value(after, 'http_requests_total', LOGIN_ROUTE)).toBe(1);
    expect(value(after, 'http_request_duration_seconds_count', LOGIN_ROUTE)).toBe(1);
    expect(
      value(after, 'http_request_duration_seconds_bucket', { ...LOGIN_ROUTE, le: '+Inf' }),
    ).toBe(1);
    expect(value(after, 'http_request_duration_seconds_sum', LOGIN_ROUTE)).toBeGreaterThan(0);
    const buckets = after
      .filter((s) => s.name === 'http_request_duration_seconds_bucket')
      .filter((s) => s.labels.route === LOGIN_ROUTE.route && s.labels.status_code === '200')
      .map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
    expect(buckets).toHaveLength(12);
    // The first scrape itself was counted, under its own route.
    expect(
      value(after, 'http_requests_total', { method: 'GET', route: '/metrics', status_code: '200' }),
    ).toBeGreaterThanOrEqual(1);

    // Node's own: event-loop lag, memory, CPU.
    expect(value(after, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(value(after, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value(after, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('labels requests by route template, never by URL: ids and unknown paths share one series', async () => {
    for (const id of ['665f1c2e8b3c4a0012345678', '665f1c2e8b3c4a0087654321'])
      await t.http().get(`/api/v1/admin/users/${id}`).expect(401);
    for (const path of ['/api/v1/no-such-route-1', '/no/such/route/2', '/api/v1/users/me/x%20y'])
      await t.http().get(path).expect(404);
    const samples = await scrape();
    expect(
      value(samples, 'http_requests_total', {
        method: 'GET',
        route: '/api/v1/admin/users/:id',
        status_code: '401',
      }),
    ).toBe(2);
    expect(
      value(samples, 'http_requests_total', {
        method: 'GET',
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBe(3);
    const routes = samples.flatMap((s) => (s.labels.route ? [s.labels.route] : []));
    expect(routes.join(' ')).not.toMatch(/665f1c2e|no-such-route|no\/such|x%20y/);
  });

  it('counts wrong passwords, a lock, a wrong second-step code and a replayed refresh token', async () => {
    const before = await scrape();
    // Three wrong passwords for one address from one IP: three failures, the third locks.
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'nobody@example.com', password: 'not the password at all' })
        .expect(401);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.com', password: 'not the password at all' })
      .expect(429);

    const sent = t.mail.to('ada@example.com').length;
    const step1 = await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'ada@example.com', password: PASSWORD })
      .expect(200);
    const code = await t.mail.code('ada@example.com', /sign-in code/, sent);
    const wrong = code === '000000' ? '111111' : '000000';
    await t
      .http()
      .post('/api/v1/auth/login/verify')
      .send({ mfaToken: step1.body.mfaToken, code: wrong })
      .expect(400);

    const pair = await signIn(t, 'ada@example.com');
    const refresh = (refreshToken: string) =>
      t.http().post('/api/v1/auth/refresh').send({ refreshToken });
    await refresh(pair.refreshToken).expect(200);
    await refresh(pair.refreshToken).expect(401);

    const after = await scrape();
    const grew = (name: string, labels?: Record<string, string>) =>
      value(after, name, labels) - value(before, name, labels);
    expect(grew('auth_logins_total', { outcome: 'failure' })).toBe(3);
    expect(grew('auth_logins_total', { outcome: 'locked' })).toBe(1);
    expect(grew('auth_logins_total', { outcome: 'success' })).toBe(1);
    expect(grew('auth_second_steps_total', { method: 'email_otp', outcome: 'failure' })).toBe(1);
    expect(grew('auth_second_steps_total', { method: 'email_otp', outcome: 'success' })).toBe(1);
    expect(grew('auth_refresh_token_reuse_total')).toBe(1);
    // The replay ended that session: only the first sign-in's is live.
    expect(value(after, 'sessions_active')).toBe(1);
    expect(
      value(after, 'http_requests_total', {
        method: 'POST',
        route: '/api/v1/auth/login',
        status_code: '429',
      }),
    ).toBe(1);
  });

  it('counts second steps by method: an authenticator code, a recovery code, a wrong code', async () => {
    const period = 30_000;
    t.clock.advance(period / 2 - (t.clock.now().getTime() % period)); // mid-step
    const codeAt = (secret: string, steps = 0) =>
      generateSync({ secret, epoch: Math.floor(t.clock.now().getTime() / 1000) + steps * 30 });
    await signUp(t, 'bob@example.com');
    const pair = await signIn(t, 'bob@example.com');
    const { secret, recoveryCodes } = await enableTotp(t, pair, codeAt);
    const secondStep = async (code: () => string, status: number) => {
      const step1 = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'bob@example.com', password: PASSWORD })
        .expect(200);
      expect(step1.body.method).toBe('totp');
      await t
        .http()
        .post('/api/v1/auth/login/verify')
        .send({ mfaToken: step1.body.mfaToken, code: code() })
        .expect(status);
    };
    const before = await scrape();
    const near = [-1, 0, 1].map((step) => codeAt(secret, step));
    await secondStep(
      () => ['000000', '111111', '222222', '333333'].find((c) => !near.includes(c))!,
      400,
    );
    t.clock.advance(period); // the enabling code's step is spent
    await secondStep(() => codeAt(secret), 200);
    await secondStep(() => recoveryCodes[0], 200);
    const after = await scrape();
    const grew = (method: string, outcome: string) =>
      value(after, 'auth_second_steps_total', { method, outcome }) -
      value(before, 'auth_second_steps_total', { method, outcome });
    expect(grew('totp', 'failure')).toBe(1);
    expect(grew('totp', 'success')).toBe(1);
    expect(grew('recovery_code', 'success')).toBe(1);
    expect(grew('email_otp', 'success')).toBe(0);
    expect(
      value(after, 'auth_logins_total', { outcome: 'success' }) -
        value(before, 'auth_logins_total', { outcome: 'success' }),
    ).toBe(2);
  });

  it('asks for METRICS_TOKEN: without it, with a wrong one or another scheme, the same 401 and nothing else', async () => {
    const attempts: Record<string, string | undefined> = {
      none: undefined,
      wrong: `Bearer ${randomBytes(32).toString('hex')}`,
      prefix: `Bearer ${TOKEN.slice(0, -1)}`,
      longer: `Bearer ${TOKEN}0`,
      basic: `Basic ${Buffer.from(`prometheus:${TOKEN}`).toString('base64')}`,
      bare: TOKEN,
    };
    const bodies = new Set<string>();
    for (const [name, authorization] of Object.entries(attempts)) {
      const req = t.http().get('/metrics');
      if (authorization) req.set('Authorization', authorization);
      const res = await req;
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        status: 401,
        code: 'invalid_token',
        detail: 'A valid metrics token is required.',
      });
      expect(res.text).not.toMatch(/auth_logins_total|nodejs_|http_requests/);
      expect(res.text).not.toContain(TOKEN);
      const { requestId, ...rest } = res.body as Record<string, unknown>;
      expect(requestId).toEqual(res.headers['x-request-id']);
      bodies.add(JSON.stringify(rest));
    }
    expect(bodies.size).toBe(1);
    // The scheme's name is case-insensitive (RFC 9110).
    await t.http().get('/metrics').set('Authorization', `bearer ${TOKEN}`).expect(200);
    expect(t.logs.text()).not.toContain(TOKEN);
  });
});

describe('GET /metrics without METRICS_TOKEN (outside production)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN: '', RATE_LIMIT_DEFAULT: '2/1m' });
  });
  afterAll(() => t.close());

  it('is open, has a registry of its own beside the other app of this file, and is never rate-limited', async () => {
    // The default limit applies before authentication: two 401s, then 429.
    for (let i = 0; i < 2; i++) await t.http().get('/api/v1/users/me').expect(401);
    await t.http().get('/api/v1/users/me').expect(429);
    for (let i = 0; i < 5; i++) {
      const res = await t.http().get('/metrics').expect(200);
      const samples = parse(res.text);
      // This app's own counts: nothing signed in here.
      expect(value(samples, 'auth_logins_total', { outcome: 'success' })).toBe(0);
      expect(value(samples, 'sessions_active')).toBe(0);
    }
  });
});

describe('GET /metrics while the database is down', () => {
  it('still answers at once, with the live sessions as NaN (not 0) and everything else', async () => {
    const t = await createTestApp({ METRICS_TOKEN: '' });
    try {
      const up = parse((await t.http().get('/metrics').expect(200)).text);
      expect(value(up, 'sessions_active')).toBe(0);
      // The app's connection gone, as after the driver noticed a dead server. (A query sent
      // before it noticed gives up after a second: see the unit spec.)
      await t.db.close();
      const started = Date.now();
      const samples = parse((await t.http().get('/metrics').expect(200)).text);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(value(samples, 'sessions_active')).toBeNaN();
      expect(value(samples, 'auth_logins_total', { outcome: 'success' })).toBe(0);
      expect(value(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      // Not t.close(): its dropDatabase needs the connection.
      await t.app.close();
      await t.mail.stop();
    }
  });
});
