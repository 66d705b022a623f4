import { createTestApp, TestApp } from './support/test-app';

/** What a newcomer gets without configuring anything (outside production). */
describe('Development defaults', () => {
  let t: TestApp;
  beforeAll(
    async () =>
      (t = await createTestApp({ NODE_ENV: 'development', CORS_ORIGINS: '', RATE_LIMIT_AUTH: '' })),
  );
  afterAll(() => t.close());

  it.each([
    'http://localhost:3000',
    'http://localhost:5173',
    'http://localhost:4200',
    'http://localhost:8080',
  ])('lets a front end on %s call the API from the browser', async (origin) => {
    const res = await t
      .http()
      .options('/api/v1/auth/login')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');
    expect(res.status).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
  });

  it('does not let any other origin in', async () => {
    const res = await t
      .http()
      .options('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets a person click through /auth/* far past 20 calls a minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      statuses.push(
        (
          await t
            .http()
            .post('/api/v1/auth/refresh')
            .send({ refreshToken: `not-a-token-${i}` })
        ).status,
      );
    }
    expect(statuses).not.toContain(429);
  });
});

/** Production's default: no origin allowed, so CORS is not installed at all (no per-request hook). */
describe('No CORS origins', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ CORS_ORIGINS: ',' })));
  afterAll(() => t.close());

  it('answers a preflight without CORS headers, and a request without them', async () => {
    const preflight = await t
      .http()
      .options('/api/v1/auth/login')
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(404);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const res = await t.http().get('/health/live').set('Origin', 'http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeDefined();
  });
});
