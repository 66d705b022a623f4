import { Injectable } from '@nestjs/common';
import type { KoaContextWithOIDC } from 'oidc-provider';

/** Text safe inside HTML (element content and quoted attributes). */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * The pages the provider itself renders (an error it cannot redirect, e.g. a wrong
 * redirect_uri): plain server-rendered HTML, no script, the error and its description escaped.
 */
@Injectable()
export class OidcPages {
  configuration() {
    return {
      renderError: (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
        ctx.type = 'html';
        ctx.body = page(
          'Sign-in error',
          `<h1>Sign-in error</h1><p><code>${escapeHtml(out.error)}</code></p>` +
            `<p>${escapeHtml(out.error_description)}</p>`,
        );
      },
    };
  }
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`
  );
}
