import { Injectable } from '@nestjs/common';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { DEFAULT_LOCALE, Locale, negotiateLocale } from '../common/i18n/locales';
import { Translator } from '../common/i18n/translator';
import { escapeHtml, Page, renderPage } from './interactions/pages';

/**
 * The pages the provider renders itself, in our look and under the sign-in pages' CSP: an error
 * it cannot send back to a client (a wrong redirect_uri: shown, never redirected), the sign-out
 * question of RP-initiated logout, and its answer.
 */
@Injectable()
export class OidcPages {
  constructor(private readonly translator: Translator) {}

  configuration() {
    return {
      renderError: (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
        const lang = langOf(ctx);
        this.send(ctx, {
          lang,
          title: this.t(lang, 'error_title'),
          body:
            `<p><code>${escapeHtml(out.error)}</code></p>` +
            `<p>${escapeHtml(out.error_description)}</p>`,
        });
      },
      logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
        const lang = langOf(ctx);
        // `form` is the provider's own (a POST with its xsrf token); the buttons submit it.
        this.send(ctx, {
          lang,
          title: this.t(lang, 'logout_title'),
          formOrigins: logoutOrigins(ctx),
          body:
            `${form}<p>${escapeHtml(this.t(lang, 'logout_question'))}</p>` +
            `<button type="submit" form="op.logoutForm" name="logout" value="yes">${escapeHtml(this.t(lang, 'logout_yes'))}</button>` +
            `<button type="submit" form="op.logoutForm" class="secondary">${escapeHtml(this.t(lang, 'logout_no'))}</button>`,
        });
      },
      postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
        const lang = langOf(ctx);
        this.send(ctx, {
          lang,
          title: this.t(lang, 'logout_title'),
          body: `<p>${escapeHtml(this.t(lang, 'logged_out'))}</p>`,
        });
      },
    };
  }

  private t(lang: Locale, key: string): string {
    return this.translator.t(lang, `oidc.${key}`);
  }

  private send(ctx: KoaContextWithOIDC, page: Page): void {
    const { html, csp } = renderPage(page);
    ctx.set('content-security-policy', csp);
    ctx.set('referrer-policy', 'no-referrer');
    ctx.type = 'html';
    ctx.body = html;
  }
}

function langOf(ctx: KoaContextWithOIDC): Locale {
  return negotiateLocale(ctx.headers['accept-language']) ?? DEFAULT_LOCALE;
}

/** Where the sign-out form's redirect may go: the client's registered post-logout URIs. */
function logoutOrigins(ctx: KoaContextWithOIDC): string[] {
  const uris = (ctx.oidc.client?.postLogoutRedirectUris as string[] | undefined) ?? [];
  return [...new Set(uris.map((uri) => URL.parse(uri)?.origin).filter((o) => !!o))] as string[];
}
