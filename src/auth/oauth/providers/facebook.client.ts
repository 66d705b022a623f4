import { createHmac } from 'node:crypto';
import * as oidc from 'openid-client';
import {
  AuthorizationRequest,
  CallbackChecks,
  OAuthProvider,
  ProviderProfile,
  ProviderRefusal,
  ProviderUnavailable,
} from './oauth-provider';
import { reasonOf } from './oidc.client';

const TIMEOUT_MS = 10_000;

/**
 * Facebook Login: OAuth 2.0 (authorization code, `state`, PKCE) through openid-client with the
 * endpoints given (Facebook publishes no discovery document for this flow), then the Graph API's
 * `/me` for id, names and email, with `appsecret_proof` (HMAC-SHA-256 of the access token under
 * the app secret) so a leaked token is useless without the secret.
 *
 * The email counts as verified: the Graph API returns only a confirmed primary address, and
 * none at all when the person has no confirmed one (then no account can be created from it).
 */
export class FacebookClient implements OAuthProvider {
  readonly kind = 'oauth2';
  readonly name = 'facebook';
  private readonly config: oidc.Configuration;

  constructor(
    private readonly settings: {
      dialogUrl: string;
      graphUrl: string;
      clientId: string;
      clientSecret: string;
    },
  ) {
    this.config = new oidc.Configuration(
      {
        issuer: 'https://www.facebook.com',
        authorization_endpoint: settings.dialogUrl,
        token_endpoint: `${settings.graphUrl}/oauth/access_token`,
      },
      settings.clientId,
      settings.clientSecret,
    );
    this.config.timeout = TIMEOUT_MS / 1000;
    // Configuration only allows http:// endpoints on loopback, outside production (tests).
    if (new URL(settings.graphUrl).protocol === 'http:') oidc.allowInsecureRequests(this.config);
  }

  authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    return Promise.resolve(
      oidc.buildAuthorizationUrl(this.config, {
        redirect_uri: request.callbackUrl,
        scope: 'email public_profile',
        response_type: 'code',
        state: request.state,
        code_challenge: request.codeChallenge,
        code_challenge_method: 'S256',
      }),
    );
  }

  async complete(callback: URL, checks: CallbackChecks): Promise<ProviderProfile> {
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(this.config, callback, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        idTokenExpected: false,
      });
      accessToken = tokens.access_token;
    } catch (error) {
      throw error instanceof TypeError
        ? new ProviderUnavailable(reasonOf(error))
        : new ProviderRefusal(reasonOf(error));
    }
    const me = await this.me(accessToken);
    if (typeof me.id !== 'string' || !me.id) throw new ProviderRefusal('no_subject');
    const email = typeof me.email === 'string' && me.email ? me.email.toLowerCase() : undefined;
    return {
      subject: me.id,
      email,
      emailVerified: Boolean(email),
      firstName: typeof me.first_name === 'string' ? me.first_name : undefined,
      lastName: typeof me.last_name === 'string' ? me.last_name : undefined,
    };
  }

  private async me(accessToken: string): Promise<Record<string, unknown>> {
    const url = new URL(`${this.settings.graphUrl}/me`);
    url.searchParams.set('fields', 'id,first_name,last_name,email');
    url.searchParams.set(
      'appsecret_proof',
      createHmac('sha256', this.settings.clientSecret).update(accessToken).digest('hex'),
    );
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new ProviderUnavailable(reasonOf(error));
    }
    if (!response.ok) throw new ProviderRefusal(`graph_${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  }
}
