/** Who the provider says signed in: only what account decisions need. */
export interface ProviderProfile {
  /** The provider's stable id for the person (`sub`, Facebook's app-scoped `id`). */
  subject: string;
  email?: string;
  /** True only when the provider says it verified the email. */
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
}

/** What the start of a flow sends to the provider. */
export interface AuthorizationRequest {
  /** This API's callback URL for the provider (registered at the provider). */
  callbackUrl: string;
  state: string;
  nonce: string;
  codeChallenge: string;
}

/** What the callback checks the provider's answer against: all from the flow's stored state. */
export interface CallbackChecks {
  callbackUrl: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The provider could not be reached (discovery, token endpoint, Graph API down). */
export class ProviderUnavailable extends Error {
  override readonly name = 'ProviderUnavailable';
}

/** The provider's answer was refused (bad signature, wrong nonce, error response, ...). */
export class ProviderRefusal extends Error {
  override readonly name = 'ProviderRefusal';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** A configured sign-in provider, behind one shape whatever protocol it speaks. */
export interface OAuthProvider {
  readonly name: string;
  readonly kind: 'oidc' | 'oauth2';
  authorizationUrl(request: AuthorizationRequest): Promise<URL>;
  /**
   * Exchanges the code of `callback` for a profile. `callback` is this API's callback URL with the
   * query the provider sent: its origin and path are the `redirect_uri` of the token request.
   */
  complete(callback: URL, checks: CallbackChecks): Promise<ProviderProfile>;
}
