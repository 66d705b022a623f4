import { createTestApp, TestApp } from './support/test-app';

/** What a newcomer gets without configuring anything (outside production). */
describe('Development defaults', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp({ CORS_ORIGINS: '' })));
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
});
