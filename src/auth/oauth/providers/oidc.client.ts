import type * as oidc from 'openid-client';
import {
  AuthorizationRequest,
  CallbackChecks,
  OAuthProvider,
  ProviderProfile,
  ProviderRefusal,
  ProviderUnavailable,
} from './oauth-provider';
import { openidClient } from './openid-client';

const TIMEOUT_SECONDS = 10;

/** The error code openid-client (oauth4webapi) gave, or the error's name. */
export function reasonOf(error: unknown): string {
  const {
    code,
    name,
    error: oauthError,
  } = (error ?? {}) as {
    code?: unknown;
    name?: unknown;
    error?: unknown;
  };
  return String(oauthError ?? code ?? name ?? 'unknown').slice(0, 80);
}

const text = (value: unknown) =>
  typeof value === 'string' && value.trim() ? value.trim() : undefined;

/**
 * Google or any OpenID Connect provider, with openid-client: discovery from the issuer's
 * `/.well-known/openid-configuration` (on first use, cached; a failure is retried next time),
 * authorization code with PKCE (S256), `state` and `nonce`. The ID token is checked for `iss`,
 * `aud`, `exp`, `iat` and `nonce` by openid-client, and for its signature against the provider's
 * JWKS because non-repudiation checks are on (openid-client skips the signature by default for an
 * ID token fetched over TLS; we want a forged token refused even if a proxy or DNS is not ours).
 * Claims missing from the ID token (`email`, `email_verified` when the provider puts them in
 * userinfo only) come from the userinfo endpoint, bound to the same `sub`.
 */
export class OidcClient implements OAuthProvider {
  readonly kind = 'oidc';
  private config?: Promise<oidc.Configuration>;

  constructor(
    readonly name: string,
    private readonly settings: { issuer: string; clientId: string; clientSecret: string },
  ) {}

  async authorizationUrl(request: AuthorizationRequest): Promise<URL> {
    const { buildAuthorizationUrl } = await openidClient();
    return buildAuthorizationUrl(await this.configuration(), {
      redirect_uri: request.callbackUrl,
      scope: 'openid email profile',
      response_type: 'code',
      state: request.state,
      nonce: request.nonce,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    });
  }

  async complete(callback: URL, checks: CallbackChecks): Promise<ProviderProfile> {
    const oidc = await openidClient();
    const config = await this.configuration();
    let claims: Record<string, unknown>;
    let accessToken: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      accessToken = tokens.access_token;
    } catch (error) {
      throw this.translate(error);
    }
    const subject = text(claims.sub);
    if (!subject) throw new ProviderRefusal('no_subject');
    if (claims.email === undefined && config.serverMetadata().userinfo_endpoint) {
      try {
        claims = { ...(await oidc.fetchUserInfo(config, accessToken, subject)), ...claims };
      } catch (error) {
        throw this.translate(error);
      }
    }
    const email = text(claims.email)?.toLowerCase();
    return {
      subject,
      email,
      // Only an explicit `true` (some providers send the string "true").
      emailVerified:
        Boolean(email) && (claims.email_verified === true || claims.email_verified === 'true'),
      firstName: text(claims.given_name),
      lastName: text(claims.family_name),
    };
  }

  private configuration(): Promise<oidc.Configuration> {
    this.config ??= this.discover().catch((error: unknown) => {
      this.config = undefined; // try again on the next sign-in
      throw error;
    });
    return this.config;
  }

  private async discover(): Promise<oidc.Configuration> {
    const oidc = await openidClient();
    const issuer = new URL(this.settings.issuer);
    try {
      const config = await oidc.discovery(
        issuer,
        this.settings.clientId,
        { client_secret: this.settings.clientSecret },
        undefined,
        {
          // Configuration only allows http:// issuers on loopback, outside production (tests).
          execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
          timeout: TIMEOUT_SECONDS,
        },
      );
      oidc.enableNonRepudiationChecks(config);
      config.timeout = TIMEOUT_SECONDS;
      return config;
    } catch (error) {
      throw new ProviderUnavailable(`discovery of ${this.name} failed: ${reasonOf(error)}`);
    }
  }

  private translate(error: unknown): Error {
    const network =
      error instanceof TypeError ||
      (error as { name?: string })?.name === 'TimeoutError' ||
      (error as { name?: string })?.name === 'AbortError';
    return network
      ? new ProviderUnavailable(reasonOf(error))
      : new ProviderRefusal(reasonOf(error));
  }
}
