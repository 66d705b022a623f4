import { createHmac } from 'node:crypto';
import type * as oidc from 'openid-client';
import {
  AuthorizationRequest,
  CallbackChecks,
  OAuthProvider,
  ProviderProfile,
  ProviderRefusal,
  ProviderUnavailable,
} from './oauth-provider';
import { reasonOf } from './oidc.client';
import { openidClient } from './openid-client';

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
  private config?: oidc.Configuration;

  constructor(
    private readonly settings: {
      dialogUrl: string;
      graphUrl: string;
      clientId: string;
      clientSecret: string;
    },
  ) {}

  async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    const { buildAuthorizationUrl } = await openidClient();
    return buildAuthorizationUrl(await this.configuration(), {
      redirect_uri: request.callbackUrl,
      scope: 'email public_profile',
      response_type: 'code',
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  async complete(callback: URL, checks: CallbackChecks): Promise<ProviderProfile> {
    const { authorizationCodeGrant } = await openidClient();
    const config = await this.configuration();
    let accessToken: string;
    try {
      const tokens = await authorizationCodeGrant(config, callback, {
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

  /** The endpoints given, built once openid-client is loaded (on the first sign-in). */
  private async configuration(): Promise<oidc.Configuration> {
    if (this.config) return this.config;
    const { Configuration, allowInsecureRequests } = await openidClient();
    const config = new Configuration(
      {
        issuer: 'https://www.facebook.com',
        authorization_endpoint: this.settings.dialogUrl,
        token_endpoint: `${this.settings.graphUrl}/oauth/access_token`,
      },
      this.settings.clientId,
      this.settings.clientSecret,
    );
    config.timeout = TIMEOUT_MS / 1000;
    // Configuration only allows http:// endpoints on loopback, outside production (tests).
    if (new URL(this.settings.graphUrl).protocol === 'http:') allowInsecureRequests(config);
    return (this.config = config);
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
