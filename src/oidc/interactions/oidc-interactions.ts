import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionDetails, Provider } from 'oidc-provider';
import { AuthService } from '../../auth/auth.service';
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

/** The sign-in step under way for an interaction: the password step's answer. */
const STEP = 'SignInStep';
const FORM_LIMIT = 16 * 1024;

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
 * account uses, then consent for a client not marked first-party. Every rule is the API's own:
 * the pages call AuthService's login and verifyLogin (lockout, disabled and unverified accounts,
 * emailed code, TOTP or recovery code), and show its errors with its statuses. The session that
 * sign-in starts in the app is ended at once: the provider's session is what the user holds.
 */
@Injectable()
export class OidcInteractions {
  private readonly logger = new Logger('OidcSignIn');

  constructor(
    private readonly auth: AuthService,
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
      return step
        ? this.views.code(visit, details, String(step.method))
        : this.views.login(visit, details, client?.name);
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

function redirect(visit: Visit, uid: string): void {
  visit.res.statusCode = 303;
  visit.res.setHeader('location', `/oidc/interaction/${encodeURIComponent(uid)}`);
  visit.res.setHeader('cache-control', 'no-store');
  visit.res.end();
}

/** The `sid` claim of an access token we just signed (no verification needed: it is ours). */
function sessionIdOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
      sid?: unknown;
    };
    return typeof claims.sid === 'string' ? claims.sid : undefined;
  } catch {
    return undefined;
  }
}

/** An urlencoded form body, at most 16 KiB (anything else reads as an empty form). */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) return new URLSearchParams();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
