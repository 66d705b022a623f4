import type {
  AdapterConstructor,
  ClientLike,
  Configuration,
  KoaContextWithOIDC,
} from 'oidc-provider';
import type { JsonWebKey } from 'node:crypto';
import { SIGNING_ALGORITHM } from '../signing-keys/key-material';
import { OidcAccounts, SCOPE_CLAIMS } from './oidc-accounts';

type OidcErrors = typeof import('oidc-provider').errors;

/** Where the provider's endpoints sit (discovery stays at the issuer's well-known path). */
export const OIDC_PREFIX = '/oidc';

/** The hosted sign-in pages: `/oidc/interaction/<uid>` and the forms posted under it. */
export const INTERACTION_PATH = `${OIDC_PREFIX}/interaction`;

export const ROUTES = {
  authorization: `${OIDC_PREFIX}/auth`,
  token: `${OIDC_PREFIX}/token`,
  userinfo: `${OIDC_PREFIX}/me`,
  introspection: `${OIDC_PREFIX}/token/introspection`,
  revocation: `${OIDC_PREFIX}/token/revocation`,
  end_session: `${OIDC_PREFIX}/session/end`,
  // Served by the signing-keys module: the provider signs with the same keys.
  jwks: '/.well-known/jwks.json',
};

/** Client metadata of ours, beside the protocol's (see OidcClients.metadataFor). */
export const FIRST_PARTY = 'urn:first_party';
export const API_SCOPES = 'urn:api_scopes';

export interface ProviderSettings {
  adapter: AdapterConstructor;
  /** The keys that verify now, as private JWKs, the one that signs first. */
  jwks: JsonWebKey[];
  accounts: OidcAccounts;
  /** The APIs JWT access tokens may be for; the first is client_credentials' default. */
  resources: string[];
  accessTtlS: number;
  refreshTtlS: number;
  cookieKeys: string[];
  errors: OidcErrors;
  /** The provider's own pages (see OidcPages). */
  pages: {
    renderError: (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => void;
    logoutSource: (ctx: KoaContextWithOIDC, form: string) => void;
    postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => void;
  };
}

/**
 * The provider's configuration: which features, what lives how long, where users are found,
 * which APIs tokens may be for. Everything a relying party sees is standard; see docs/api-contract.md.
 */
export function providerConfiguration(s: ProviderSettings): Configuration {
  const resources = new Set(s.resources);
  return {
    adapter: s.adapter,
    jwks: { keys: s.jwks },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => s.accounts.find(sub),
    // Each scope's claims; `openid` also says how and when the user signed in (`amr`: `pwd`, `mfa`).
    claims: { sid: null, ...SCOPE_CLAIMS, openid: ['sub', 'acr', 'amr', 'auth_time'] },
    scopes: ['openid', 'offline_access', ...Object.keys(SCOPE_CLAIMS).slice(1)],
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: SIGNING_ALGORITHM,
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      idTokenSigningAlgValues: [SIGNING_ALGORITHM],
      userinfoSigningAlgValues: [SIGNING_ALGORITHM],
      introspectionSigningAlgValues: [SIGNING_ALGORITHM],
      authorizationSigningAlgValues: [SIGNING_ALGORITHM],
    },
    extraClientMetadata: { properties: [FIRST_PARTY, API_SCOPES] },
    routes: ROUTES,
    cookies: { keys: s.cookieKeys },
    pkce: {
      // S256 only (the library's one method); required for clients without a secret.
      required: (_ctx: KoaContextWithOIDC, client: ClientLike) =>
        client.clientAuthMethod === 'none',
    },
    ttl: {
      AccessToken: s.accessTtlS,
      ClientCredentials: s.accessTtlS,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: s.refreshTtlS,
      Grant: s.refreshTtlS,
      Session: s.refreshTtlS,
    },
    // A refresh token for every client allowed the grant; each use rotates it, and reuse of a
    // used one revokes the grant (the library's reuse detection).
    issueRefreshToken: (_ctx: KoaContextWithOIDC, client: ClientLike) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    clientBasedCORS: (_ctx: KoaContextWithOIDC, origin: string, client: ClientLike) =>
      ((client.redirectUris as string[] | undefined) ?? []).some(
        (uri) => URL.parse(uri)?.origin === origin,
      ),
    // The hosted sign-in pages (OidcInteractions), one URL per interaction.
    interactions: {
      url: (_ctx: KoaContextWithOIDC, interaction: { uid: string }) =>
        `${INTERACTION_PATH}/${interaction.uid}`,
    },
    renderError: s.pages.renderError,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: s.pages.logoutSource,
        postLogoutSuccessSource: s.pages.postLogoutSuccessSource,
      },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Any confidential client (a resource server) may ask; a public one only of its own.
        allowedPolicy: (
          ctx: KoaContextWithOIDC,
          client: ClientLike,
          token: { clientId?: string },
        ) => client.clientAuthMethod !== 'none' || token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        allowedPolicy: (
          _ctx: KoaContextWithOIDC,
          client: ClientLike,
          token: { clientId?: string },
        ) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        // client_credentials is always for an API; a user's sign-in only when the client asks.
        defaultResource: (ctx: KoaContextWithOIDC, _client: ClientLike, oneOf?: string[]) => {
          if (oneOf) return oneOf[0];
          return ctx.oidc.params?.grant_type === 'client_credentials' ? s.resources[0] : undefined;
        },
        useGrantedResource: () => false,
        getResourceServerInfo: (ctx: KoaContextWithOIDC, resource: string, client: ClientLike) => {
          if (!resources.has(resource)) throw new s.errors.InvalidTarget();
          const allowed = String(client[API_SCOPES] ?? '')
            .split(' ')
            .filter(Boolean);
          if (ctx.oidc.params?.grant_type === 'client_credentials') {
            const asked = String(ctx.oidc.params.scope ?? '')
              .split(' ')
              .filter(Boolean);
            const refused = asked.find((scope) => !allowed.includes(scope));
            if (refused) throw new s.errors.InvalidScope('requested scope is not allowed', refused);
          }
          return {
            scope: allowed.join(' '),
            audience: resource,
            accessTokenTTL: s.accessTtlS,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: SIGNING_ALGORITHM } },
          };
        },
      },
    },
  };
}
