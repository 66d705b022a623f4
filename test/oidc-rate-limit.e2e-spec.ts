import { ADMIN, ADMIN_ENV, login } from './support/admin-helpers';
import { PASSWORD } from './support/auth-helpers';
import { registerClient, RegisteredClient } from './support/oidc-helpers';
import { createTestApp, TestApp } from './support/test-app';

/**
 * The provider's routes are Fastify's, outside Nest's guards: the app's rate limits still apply,
 * with the same per-IP budget as the API. Token requests and the hosted page's form posts count
 * under RATE_LIMIT_AUTH (they try secrets), the rest under RATE_LIMIT_DEFAULT.
 */
describe('OpenID provider: rate limits', () => {
  let t: TestApp;
  let client: RegisteredClient;

  beforeAll(async () => {
    t = await createTestApp({ ...ADMIN_ENV, RATE_LIMIT_AUTH: '4/1m', RATE_LIMIT_DEFAULT: '30/1m' });
    const admin = await login(t, ADMIN.email, ADMIN.password);
    client = await registerClient(t, admin, {
      name: 'Reports service',
      grantTypes: ['client_credentials'],
      scopes: ['reports:read'],
    });
  });
  afterAll(() => t?.close());

  const wrongSecret = (path = '/oidc/token') =>
    t
      .http()
      .post(path)
      .auth(client.clientId, 'x'.repeat(43))
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'reports:read' });

  it('counts token requests and sign-in form posts with the API sign-in in one budget', async () => {
    t.clock.advance(61_000);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.com', password: PASSWORD })
      .expect(401);
    await wrongSecret().expect(401);
    await wrongSecret().expect(401);
    await t.http().post('/oidc/interaction/unknown/login').type('form').send({}).expect(400);

    // The fifth try of a secret, whatever the spelling of the path.
    for (const path of ['/oidc/token', '/oidc/%74oken', '/oidc/token/']) {
      const limited = await wrongSecret(path).expect(429);
      expect(limited.body.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    await t.http().post('/oidc/interaction/unknown/login').type('form').send({}).expect(429);
    await t
      .http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.com', password: PASSWORD })
      .expect(429);
    // Reading discovery counts under the general limit, which is not spent.
    await t.http().get('/.well-known/openid-configuration').expect(200);

    t.clock.advance(61_000);
    await wrongSecret().expect(401);
  });

  it('counts the other routes under RATE_LIMIT_DEFAULT', async () => {
    t.clock.advance(61_000);
    const answers: number[] = [];
    for (let i = 0; i < 32; i++)
      answers.push((await t.http().get('/.well-known/openid-configuration')).status);
    expect(answers.slice(0, 28).every((status) => status === 200)).toBe(true);
    expect(answers.at(-1)).toBe(429);
  });
});
