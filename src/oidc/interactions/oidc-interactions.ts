import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { AuthService } from '../../auth/auth.service';
import { PasskeySignIn } from '../../auth/passkeys/passkey-sign-in.service';
import { TokenPairDto } from '../../auth/dto/token-pair.dto';
import { DomainException } from '../../common/errors/domain.exception';
import { toProblem } from '../../common/errors/problem';
import { RequestOrigin } from '../../common/events/domain-event';
import { DEFAULT_LOCALE, Locale, negotiateLocale } from '../../common/i18n/locales';
import { Translator } from '../../common/i18n/translator';
import { otpConfig, OtpConfig } from '../../config/configuration';
import { SessionsService } from '../../sessions/sessions.service';
import { OidcClients } from '../oidc-clients.service';
import { OidcStore } from '../oidc-store';
import { InteractionViews } from './interaction-views';
import { parseCredential, readForm, redirect, sendJson, sessionIdOf } from './raw-http';

/** The sign-in step under way for an interaction: the password step's answer. */
const STEP = 'SignInStep';

/** One request to a sign-in page, outside Nest: the raw request and what we know of it. */
export interface Visit {
  req: IncomingMessage;
  res: ServerResponse;
  requestId: string;
  origin: RequestOrigin;
  lang: Locale;
}

/**
 * The hosted sign-in for the provider's interactions: the password, then the second step the
 * account uses (or a passkey alone), then consent for a client not marked first-party. Every
 * rule is the API's own: the pages call AuthService's login and verifyLogin (lockout, disabled
 * and unverified accounts, emailed code, TOTP or recovery code, passkey) and the passkey
 * sign-in, and show their errors with their statuses. The session that
 * sign-in starts in the app is ended at once: the provider's session is what the user holds.
 */
@Injectable()
export class OidcInteractions {
  private readonly logger = new Logger('OidcSignIn');

  constructor(
    private readonly auth: AuthService,
    private readonly passkeys: PasskeySignIn,
    private readonly sessions: SessionsService,
    private readonly store: OidcStore,
    private readonly clients: OidcClients,
    private readonly views: InteractionViews,
    private readonly translator: Translator,
    @Inject(otpConfig.KEY) private readonly otp: OtpConfig,
  ) {}

  static visit(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    origin: RequestOrigin,
  ): Visit {
    return {
      req,
      res,
      requestId,
      origin,
      lang: negotiateLocale(req.headers['accept-language']) ?? DEFAULT_LOCALE,
    };
  }

  async show(provider: Provider, visit: Visit): Promise<void> {
    const details = await this.details(provider, visit);
    if (!details) return;
    const client = await this.clients.get(String(details.params.client_id));
    if (details.prompt.name === 'login') {
      const step = await this.store.find(STEP, details.uid);
      if (!step) return this.views.login(visit, details, client?.name);
      return step.method === 'passkey'
        ? this.views.passkey(visit, details)
        : this.views.code(visit, details, String(step.method));
    }
    if (details.prompt.name === 'consent') {
      if (client?.firstParty) return this.grant(provider, visit, details);
      return this.views.consent(visit, details, client?.name ?? String(details.params.client_id));
    }
    return this.finish(provider, visit, { error: 'access_denied' });
  }

  async submit(provider: Provider, visit: Visit, action: string): Promise<void> {
    const details = await this.details(provider, visit);
    if (!details) return;
    const form = await readForm(visit.req);
    const prompt = details.prompt.name;
    if (prompt === 'login' && action === 'login')
      return this.password(provider, visit, details, form);
    if (prompt === 'login' && action === 'verify') return this.code(provider, visit, details, form);
    if (prompt === 'login' && action === 'passkey-options')
      return this.passkeyOptions(visit, details);
    if (prompt === 'login' && action === 'passkey')
      return this.passkey(provider, visit, details, form);
    if (prompt === 'login' && action === 'restart') {
      await this.store.destroy(STEP, details.uid);
      return redirect(visit, details.uid);
    }
    if (prompt === 'consent' && action === 'consent')
      return form.get('decision') === 'allow'
        ? this.grant(provider, visit, details)
        : this.finish(provider, visit, {
            error: 'access_denied',
            error_description: 'End-User denied the request',
          });
    // A stale page posted after the interaction moved on: show where it is now.
    return redirect(visit, details.uid);
  }

  private async password(
    provider: Provider,
    visit: Visit,
    details: InteractionDetails,
    form: URLSearchParams,
  ): Promise<void> {
    const login = (form.get('email') ?? '').normalize('NFKC').trim().toLowerCase();
    const password = form.get('password') ?? '';
    const client = await this.clients.get(String(details.params.client_id));
    if (!login || !password || login.length > 254 || password.length > 256)
      return this.views.login(visit, details, client?.name, {
        status: 400,
        message: this.translator.t(visit.lang, 'oidc.missing_fields'),
        login,
      });
    let result: Awaited<ReturnType<AuthService['login']>>;
    try {
      result = await this.auth.login(login, password, visit.origin);
    } catch (error) {
      const refusal = this.refusal(error, visit);
      return this.views.login(visit, details, client?.name, { ...refusal, login });
    }
    if ('mfaRequired' in result) {
      const ttlS = Math.ceil(this.otp.ttlMs / 1000);
      await this.store.upsert(
        STEP,
        details.uid,
        { mfaToken: result.mfaToken, method: result.method },
        ttlS,
      );
      return redirect(visit, details.uid);
    }
    return this.signedIn(provider, visit, result, ['pwd']);
  }

  private async code(
    provider: Provider,
    visit: Visit,
    details: InteractionDetails,
    form: URLSearchParams,
  ): Promise<void> {
    const step = await this.store.find(STEP, details.uid);
    if (!step) return redirect(visit, details.uid);
    const code = (form.get('code') ?? '').trim().slice(0, 64);
    let pair: TokenPairDto;
    try {
      pair = await this.auth.verifyLogin(String(step.mfaToken), code, visit.origin);
    } catch (error) {
      const refusal = this.refusal(error, visit);
      // The step itself is over (expired, TOTP changed, account gone): back to the password.
      if (refusal.code === 'invalid_mfa_token' || refusal.code === 'invalid_token') {
        await this.store.destroy(STEP, details.uid);
        return this.views.login(visit, details, undefined, refusal);
      }
      return this.views.code(visit, details, String(step.method), refusal);
    }
    await this.store.destroy(STEP, details.uid);
    return this.signedIn(provider, visit, pair, ['pwd', 'mfa']);
  }

  /** The options for the passkey page's ceremony: the second step's, or a username-less one. */
  private async passkeyOptions(visit: Visit, details: InteractionDetails): Promise<void> {
    const step = await this.store.find(STEP, details.uid);
    // A code step is under way: the page that asked is stale (its form then shows where it is).
    if (step && step.method !== 'passkey') return sendJson(visit.res, 409, { code: 'stale_page' });
    try {
      const options = step
        ? await this.auth.secondStepOptions(String(step.mfaToken))
        : await this.passkeys.options();
      return sendJson(visit.res, 200, options);
    } catch (error) {
      const { status, code } = this.refusal(error, visit);
      // The step is over (a passkey removed, the token expired): the page goes back to the start.
      if (step && (code === 'invalid_mfa_token' || code === 'invalid_token'))
        await this.store.destroy(STEP, details.uid);
      return sendJson(visit.res, status, { code });
    }
  }

  /**
   * The passkey: without an answer, its page (the sign-in page's button); with one, the second
   * step (after the password) or a username-less sign-in, which counts as both factors.
   */
  private async passkey(
    provider: Provider,
    visit: Visit,
    details: InteractionDetails,
    form: URLSearchParams,
  ): Promise<void> {
    const step = await this.store.find(STEP, details.uid);
    if (step && step.method !== 'passkey') return redirect(visit, details.uid);
    const mfaToken = step ? String(step.mfaToken) : undefined;
    const raw = form.get('credential');
    if (raw === null) return this.views.passkey(visit, details);
    const credential = await parseCredential(raw);
    if (!credential)
      return this.views.passkey(visit, details, {
        status: 400,
        message: this.translator.t(visit.lang, 'oidc.passkey_missing'),
      });
    let pair: TokenPairDto;
    try {
      pair = mfaToken
        ? await this.auth.verifyLoginWithPasskey(mfaToken, credential, visit.origin)
        : await this.passkeys.verify(credential, visit.origin);
    } catch (error) {
      const refusal = this.refusal(error, visit);
      if (mfaToken && (refusal.code === 'invalid_mfa_token' || refusal.code === 'invalid_token')) {
        await this.store.destroy(STEP, details.uid);
        return this.views.login(visit, details, undefined, refusal);
      }
      return this.views.passkey(visit, details, refusal);
    }
    if (mfaToken) await this.store.destroy(STEP, details.uid);
    return this.signedIn(provider, visit, pair, mfaToken ? ['pwd', 'hwk', 'mfa'] : ['hwk', 'mfa']);
  }

  private async signedIn(
    provider: Provider,
    visit: Visit,
    pair: TokenPairDto,
    amr: string[],
  ): Promise<void> {
    const sid = sessionIdOf(pair.accessToken);
    if (sid)
      await this.sessions
        .revoke(pair.user.id, sid, 'oidc_sign_in')
        .catch((err: unknown) => this.logger.warn({ err }, 'could not end the sign-in session'));
    await provider.interactionFinished(
      visit.req,
      visit.res,
      { login: { accountId: pair.user.id, amr, remember: true } },
      { mergeWithLastSubmission: false },
    );
  }

  /** Grants what the client asked for (the provider lists what is missing) and resumes. */
  private async grant(provider: Provider, visit: Visit, details: InteractionDetails) {
    const { prompt, params, session } = details;
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    if (!grant) return this.finish(provider, visit, { error: 'access_denied' });
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
      grant.addResourceScope(resource, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(
      visit.req,
      visit.res,
      { consent: details.grantId ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  private finish(provider: Provider, visit: Visit, result: Record<string, unknown>) {
    return provider.interactionFinished(visit.req, visit.res, result, {
      mergeWithLastSubmission: false,
    });
  }

  /** The interaction this browser holds (by its cookie), or a page saying it is over. */
  private async details(provider: Provider, visit: Visit): Promise<InteractionDetails | undefined> {
    try {
      return await provider.interactionDetails(visit.req, visit.res);
    } catch {
      this.views.expired(visit);
      return undefined;
    }
  }

  /** An error of the sign-in rules as the API states it, in the page's language. */
  private refusal(error: unknown, visit: Visit) {
    if (!(error instanceof DomainException)) throw error;
    const { problem, headers } = toProblem(error, visit.requestId);
    const translated = this.translator.problem(problem, visit.lang);
    return {
      status: problem.status,
      code: error.code,
      message: translated.detail,
      headers,
    };
  }
}
