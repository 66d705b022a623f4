import { Injectable } from '@nestjs/common';
import type { InteractionDetails } from 'oidc-provider';
import { Translator } from '../../common/i18n/translator';
import type { Visit } from './oidc-interactions';
import { PASSKEY_SCRIPTS } from './passkey-assets';
import { errorBox, escapeHtml, sendPage } from './pages';

/** What a refused step shows: the API's status, its message, and headers such as Retry-After. */
export interface Refusal {
  status?: number;
  message?: string;
  headers?: Record<string, string>;
  /** What was typed as the login, shown again. */
  login?: string;
}

const OIDC_SCOPES = ['openid', 'profile', 'email', 'phone', 'offline_access', 'roles'];

/**
 * The sign-in pages: server-rendered HTML, forms posted back to the interaction; no script but on
 * the passkey page (the browser's WebAuthn prompt needs one).
 */
@Injectable()
export class InteractionViews {
  constructor(private readonly translator: Translator) {}

  login(visit: Visit, details: InteractionDetails, clientName?: string, refusal: Refusal = {}) {
    const t = this.t(visit);
    const intro = clientName ? `<p>${escapeHtml(t('sign_in_to', { client: clientName }))}</p>` : '';
    this.send(visit, details, t('sign_in'), refusal, [
      intro,
      errorBox(refusal.message),
      `<form method="post" action="${action(details, 'login')}">`,
      `<label for="email">${escapeHtml(t('email'))}</label>`,
      `<input id="email" name="email" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="254" value="${escapeHtml(refusal.login)}">`,
      `<label for="password">${escapeHtml(t('password'))}</label>`,
      `<input id="password" name="password" type="password" autocomplete="current-password" required>`,
      `<button type="submit">${escapeHtml(t('continue'))}</button></form>`,
      `<p class="or">${escapeHtml(t('or'))}</p>`,
      `<form method="post" action="${action(details, 'passkey')}">`,
      `<button type="submit" class="secondary">${escapeHtml(t('passkey_sign_in'))}</button></form>`,
    ]);
  }

  /**
   * The passkey's prompt: username-less (from the sign-in page), or the second step after the
   * password. The script fetches the options, asks the browser, and posts the answer here.
   */
  passkey(visit: Visit, details: InteractionDetails, refusal: Refusal = {}) {
    const t = this.t(visit);
    this.send(
      visit,
      details,
      t('passkey_title'),
      refusal,
      [
        `<p>${escapeHtml(t('passkey_intro'))}</p>`,
        errorBox(refusal.message),
        `<form method="post" action="${action(details, 'passkey')}" data-passkey-options="${action(details, 'passkey-options')}" data-passkey-restart="/oidc/interaction/${encodeURIComponent(details.uid)}" data-passkey-failed="${escapeHtml(t('passkey_failed'))}">`,
        `<p class="error" role="alert" data-passkey-error></p>`,
        `<input type="hidden" name="credential" value="">`,
        `<button type="submit">${escapeHtml(t('passkey_use'))}</button></form>`,
        `<form method="post" action="${action(details, 'restart')}">`,
        `<button type="submit" class="secondary">${escapeHtml(t('start_over'))}</button></form>`,
      ],
      PASSKEY_SCRIPTS,
    );
  }

  code(visit: Visit, details: InteractionDetails, method: string, refusal: Refusal = {}) {
    const t = this.t(visit);
    this.send(visit, details, t('code_title'), refusal, [
      `<p>${escapeHtml(t(method === 'totp' ? 'code_totp' : 'code_email'))}</p>`,
      errorBox(refusal.message),
      `<form method="post" action="${action(details, 'verify')}">`,
      `<label for="code">${escapeHtml(t('code'))}</label>`,
      `<input id="code" name="code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" required maxlength="64">`,
      `<button type="submit">${escapeHtml(t('verify'))}</button></form>`,
      `<form method="post" action="${action(details, 'restart')}">`,
      `<button type="submit" class="secondary">${escapeHtml(t('start_over'))}</button></form>`,
    ]);
  }

  consent(visit: Visit, details: InteractionDetails, clientName: string) {
    const t = this.t(visit);
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    const items = (missing.missingOIDCScope ?? [])
      .filter((scope) => OIDC_SCOPES.includes(scope))
      .map((scope) => t(`scopes.${scope}`));
    for (const resource of Object.keys(missing.missingResourceScopes ?? {}))
      items.push(t('scopes.api', { resource }));
    this.send(visit, details, t('consent_title'), {}, [
      `<p>${escapeHtml(t('consent_intro', { client: clientName }))}</p>`,
      `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
      `<form method="post" action="${action(details, 'consent')}">`,
      `<button type="submit" name="decision" value="allow">${escapeHtml(t('allow'))}</button>`,
      `<button type="submit" name="decision" value="deny" class="secondary">${escapeHtml(t('deny'))}</button></form>`,
    ]);
  }

  /** No interaction for this browser (cookie gone, finished, expired): nothing to resume. */
  expired(visit: Visit) {
    const t = this.t(visit);
    sendPage(visit.res, {
      lang: visit.lang,
      status: 400,
      title: t('error_title'),
      body: `<p>${escapeHtml(t('expired'))}</p>`,
    });
  }

  private send(
    visit: Visit,
    details: InteractionDetails,
    title: string,
    refusal: Refusal,
    body: string[],
    scripts?: string[],
  ) {
    // The sign-in's last post is redirected on to the client: let the form go there.
    const redirectOrigin = URL.parse(String(details.params.redirect_uri ?? ''))?.origin;
    sendPage(visit.res, {
      lang: visit.lang,
      title,
      status: refusal.status,
      headers: refusal.headers,
      formOrigins: redirectOrigin && redirectOrigin !== 'null' ? [redirectOrigin] : [],
      body: body.join(''),
      scripts,
    });
  }

  private t(visit: Visit) {
    return (key: string, args?: Record<string, string>) =>
      this.translator.t(visit.lang, `oidc.${key}`, args);
  }
}

const action = (details: InteractionDetails, step: string) =>
  `/oidc/interaction/${encodeURIComponent(details.uid)}/${step}`;
