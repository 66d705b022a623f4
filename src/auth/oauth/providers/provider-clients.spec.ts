import * as oidc from 'openid-client';
import { OAuthFake } from '../../../../test/support/oauth-fake';
import { FacebookClient } from './facebook.client';
import { OAuthProvider, ProviderRefusal } from './oauth-provider';
import { OidcClient } from './oidc.client';

const CALLBACK = 'http://api.test/api/v1/auth/oauth/x/callback';

/**
 * The provider clients against a scripted provider: each checks the `state` of the redirect it
 * completes against the flow's, so a code brought back with another flow's state is refused
 * even where the flow lookup would not catch it.
 */
describe('OAuth provider clients', () => {
  const fake = new OAuthFake({ 'acme-client': 'acme-secret', 'fb-app': 'fb-secret' });
  let clients: OAuthProvider[];

  beforeAll(async () => {
    await fake.start();
    clients = [
      new OidcClient('acme', {
        issuer: fake.issuer,
        clientId: 'acme-client',
        clientSecret: 'acme-secret',
      }),
      new FacebookClient({
        dialogUrl: fake.facebookDialogUrl,
        graphUrl: fake.facebookGraphUrl,
        clientId: 'fb-app',
        clientSecret: 'fb-secret',
      }),
    ];
  });
  afterAll(() => fake.stop());

  /** One trip to the provider for a flow with `state`: the redirect back, with a fresh code. */
  async function redirectBack(client: OAuthProvider, state: string, codeVerifier: string) {
    fake.next = { sub: 'someone', email: 'someone@example.com', email_verified: true };
    const url = await client.authorizationUrl({
      callbackUrl: CALLBACK,
      state,
      nonce: 'the-nonce',
      codeChallenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    });
    const res = await fetch(url, { redirect: 'manual' });
    return new URL(res.headers.get('location')!);
  }

  it.each([
    ['an OpenID Connect provider', 0],
    ['Facebook', 1],
  ])(
    'refuses a redirect from %s whose state is not the flow’s, and completes the flow’s own',
    async (_name, index) => {
      const client = clients[index];
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const checks = { callbackUrl: CALLBACK, state: 'state-a', nonce: 'the-nonce', codeVerifier };

      const swapped = await redirectBack(client, 'state-a', codeVerifier);
      swapped.searchParams.set('state', 'state-b');
      await expect(client.complete(swapped, checks)).rejects.toBeInstanceOf(ProviderRefusal);

      const own = await redirectBack(client, 'state-a', codeVerifier);
      await expect(client.complete(own, checks)).resolves.toMatchObject({ subject: 'someone' });
    },
  );
});
