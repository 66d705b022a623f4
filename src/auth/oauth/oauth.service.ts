import { Injectable } from '@nestjs/common';
import { DomainEvents, RequestOrigin } from '../../common/events/domain-event';
import { Locale } from '../../common/i18n/locales';
import { LinkedIdentityDto } from '../../users/dto/linked-identity.dto';
import { UsersService } from '../../users/users.service';
import { MfaChallengeDto } from '../dto/login.dto';
import { TokenPairDto } from '../dto/token-pair.dto';
import { PasskeyStep } from '../passkeys/passkey.step';
import { SignInService } from '../sign-in/sign-in.service';
import { IdentitiesService } from './identities.service';
import { OAuthAccounts } from './oauth-accounts.service';
import { CodeOutcome, FlowPurpose } from './oauth-flow.schema';
import { FLOW_TTL_MS, OAuthFlows, sha256 } from './oauth-flows.service';
import { OAuthError, oauthErrors, OUTCOME_ERRORS } from './oauth.errors';
import { ProviderRefusal, ProviderUnavailable } from './providers/oauth-provider';
import { ProviderRegistry } from './providers/provider-registry';

/** The cookie that binds a sign-in to the browser that started it; named after its state. */
export const bindingCookieName = (state: string) => `oauth_${sha256(state).slice(0, 16)}`;

export interface Started {
  authorizationUrl: string;
  /** For a sign-in: the cookie to set on the browser (name, value, path). */
  cookie?: { name: string; value: string; path: string; maxAgeSeconds: number };
}

/**
 * Sign-in and linking with a provider, for single-page and mobile apps, with no token in any
 * URL: start (302 to the provider, with state, nonce and PKCE), callback (302 to the front end
 * with a one-time code), exchange (the code for a token pair, a TOTP challenge, or the linked
 * identity). Which account, and when linking is safe, is OAuthAccounts' business.
 */
@Injectable()
export class OAuthService {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly flows: OAuthFlows,
    private readonly accounts: OAuthAccounts,
    private readonly identities: IdentitiesService,
    private readonly users: UsersService,
    private readonly signIn: SignInService,
    private readonly passkeys: PasskeyStep,
    private readonly events: DomainEvents,
  ) {}

  providers(): { name: string; displayName: string; protocol: 'oidc' | 'oauth2' }[] {
    return this.registry.list().map((provider) => ({
      name: provider.name,
      displayName: this.registry.displayName(provider.name),
      protocol: provider.kind,
    }));
  }

  async start(
    name: string,
    redirectUri: string,
    purpose: FlowPurpose,
    options: { userId?: string; locale?: Locale } = {},
  ): Promise<Started> {
    const provider = this.registry.get(name);
    if (!provider) throw oauthErrors.unknownProvider();
    if (!this.registry.isAllowedRedirect(redirectUri)) throw oauthErrors.redirectNotAllowed();
    // A link is started by an XHR with the access token; the browser's cookie jar is not ours there.
    const flow = await this.flows.begin({
      provider: name,
      purpose,
      redirectUri: new URL(redirectUri).href,
      userId: options.userId,
      locale: options.locale,
      bindToBrowser: purpose === 'sign_in',
    });
    const callbackUrl = this.registry.callbackUrl(name);
    let url: URL;
    try {
      url = await provider.authorizationUrl({ callbackUrl, ...flow });
    } catch (error) {
      if (error instanceof ProviderUnavailable) throw oauthErrors.providerUnavailable();
      throw error;
    }
    return {
      authorizationUrl: url.href,
      ...(flow.binding
        ? {
            cookie: {
              name: bindingCookieName(flow.state),
              value: flow.binding,
              path: new URL(callbackUrl).pathname,
              maxAgeSeconds: FLOW_TTL_MS / 1000,
            },
          }
        : {}),
    };
  }

  /**
   * The provider's redirect back. A `state` that is unknown, used, expired, for another provider
   * or (for a sign-in) from another browser is 400 and consumes nothing. Any other outcome, a
   * refusal included, becomes a one-time code on the front end's URL.
   */
  async callback(
    name: string,
    query: Record<string, string>,
    cookies: Record<string, string>,
    origin: RequestOrigin,
  ): Promise<string> {
    const provider = this.registry.get(name);
    if (!provider) throw oauthErrors.unknownProvider();
    const state = query.state;
    const flow = state
      ? await this.flows.consume(name, state, cookies[bindingCookieName(state)])
      : null;
    if (!flow) {
      this.failed(name, 'invalid_state', origin);
      throw oauthErrors.invalidState();
    }
    const callbackUrl = this.registry.callbackUrl(name);
    const current = new URL(callbackUrl);
    for (const [key, value] of Object.entries(query)) current.searchParams.set(key, value);
    let outcome: CodeOutcome;
    try {
      if (query.error) throw new ProviderRefusal(`provider_${query.error}`.slice(0, 80));
      const profile = await provider.complete(current, {
        callbackUrl,
        state,
        nonce: flow.nonce,
        codeVerifier: flow.codeVerifier,
      });
      outcome =
        flow.purpose === 'link'
          ? await this.accounts.link(flow.userId!, name, profile, origin)
          : await this.accounts.signIn(name, profile, origin, flow.locale);
    } catch (error) {
      if (!(error instanceof ProviderRefusal || error instanceof ProviderUnavailable)) throw error;
      const unavailable = error instanceof ProviderUnavailable;
      this.failed(name, unavailable ? 'unavailable' : error.reason, origin, flow.userId);
      outcome = {
        purpose: flow.purpose,
        provider: name,
        ...(flow.userId ? { userId: flow.userId } : {}),
        error: unavailable ? OAuthError.ProviderUnavailable : OAuthError.Failed,
      };
    }
    const target = new URL(flow.redirectUri);
    target.searchParams.set('code', await this.flows.issueCode(outcome));
    return target.href;
  }

  /** The one-time code for what the callback decided: tokens (or the TOTP step), or the link. */
  async exchange(
    code: string,
    origin: RequestOrigin,
  ): Promise<TokenPairDto | MfaChallengeDto | { identity: LinkedIdentityDto }> {
    const outcome = await this.flows.redeem(code);
    if (!outcome) throw oauthErrors.invalidCode();
    if (outcome.error) throw OUTCOME_ERRORS[outcome.error]();
    const user = outcome.userId ? await this.users.findById(outcome.userId) : null;
    if (!user) throw oauthErrors.invalidCode();
    if (user.status !== 'active') throw oauthErrors.accountDisabled();
    if (outcome.purpose === 'link') {
      const identity = await this.identities.get(user.id, outcome.identityId ?? '');
      if (!identity) throw oauthErrors.invalidCode();
      return { identity };
    }
    // The provider's sign-in is the first step; no emailed code follows it (see EmailOtpStep).
    return this.signIn.afterFirstStep(user, 'provider', origin, { provider: outcome.provider });
  }

  /**
   * Removes a linked identity, unless it is the last way into the account (no password, no
   * passkey, no other identity): then 409. The check is repeated after the removal and the
   * removal undone if it failed, so two parallel unlinks (or an unlink and a passkey's removal,
   * which re-checks the same way) cannot both pass (both are undone, like the last-admin rule).
   */
  async unlink(userId: string, id: string, origin: RequestOrigin, adminId?: string): Promise<void> {
    if (adminId === userId) throw oauthErrors.ownAccount();
    const user = await this.users.findById(userId);
    const identity = user ? await this.identities.get(userId, id) : null;
    if (!user || !identity) throw oauthErrors.unknownIdentity();
    const otherWayIn = async (identitiesLeft: number) =>
      (await this.users.hasPassword(userId)) ||
      (await this.passkeys.has(user)) ||
      (await this.identities.countOf(userId)) > identitiesLeft;
    if (!(await otherWayIn(1))) throw oauthErrors.lastSignInMethod();
    const removed = await this.identities.remove(userId, id);
    if (!removed) throw oauthErrors.unknownIdentity();
    if (!(await otherWayIn(0))) {
      await this.identities.restore(removed);
      throw oauthErrors.lastSignInMethod();
    }
    this.events.emit('auth.identity.unlinked', {
      actorId: adminId ?? userId,
      targetType: 'user',
      targetId: userId,
      ...origin,
      outcome: 'success',
      details: {
        provider: identity.provider,
        providerName: this.registry.displayName(identity.provider),
        ...(adminId ? { by: 'admin' } : {}),
      },
      notify: { email: user.email, locale: user.locale },
    });
  }

  private failed(provider: string, reason: string, origin: RequestOrigin, userId?: string): void {
    this.events.emit('auth.oauth.failed', {
      ...(userId ? { targetType: 'user', targetId: userId } : {}),
      ...origin,
      outcome: 'failure',
      details: { provider, reason },
    });
  }
}
