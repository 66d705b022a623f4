import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Locale } from '../../common/i18n/locales';

/** Text safe inside HTML (element content and quoted attributes). */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * The policy of the sign-in pages, as the console's: no script (except, on a page that offers a
 * passkey, its two files by this response's nonce, and their one call back here for the
 * ceremony's options), the one stylesheet by the nonce, nothing framed. Forms may post here and
 * (Chrome applies form-action to the redirects after a post) be redirected on to the client's
 * origin, and nowhere else.
 */
export function pageCsp(nonce: string, formOrigins: string[] = [], scripts = false): string {
  return [
    "default-src 'none'",
    scripts ? `script-src 'nonce-${nonce}'` : "script-src 'none'",
    ...(scripts ? ["connect-src 'self'"] : []),
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "base-uri 'none'",
    `form-action 'self' ${formOrigins.join(' ')}`.trimEnd(),
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Readable from 320 px up: one column, full-width fields and buttons, 16 px text (no zoom on focus). */
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:24rem;margin:0 auto;padding:2rem 1rem}
.card{background:#fff;border-radius:8px;padding:1.5rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input{width:100%;font-size:16px;padding:.6rem;border:1px solid #b8bfcc;border-radius:6px}
button{width:100%;font-size:16px;padding:.7rem;margin-top:1rem;border:0;border-radius:6px;background:#2453d4;color:#fff;cursor:pointer}
button.secondary{background:#e6e9ef;color:#1d2330}
.error{background:#fde8e8;color:#8a1c1c;padding:.6rem;border-radius:6px;margin-bottom:.75rem}
.error:empty{display:none}
.or{text-align:center;margin:1rem 0 0;color:#5a6272}
ul{padding-left:1.2rem}
p{overflow-wrap:anywhere}
`;

export interface Page {
  lang: Locale;
  title: string;
  body: string;
  status?: number;
  /** Origins a form on the page may end up at (after the redirects that follow its post). */
  formOrigins?: string[];
  headers?: Record<string, string>;
  /** Scripts of ours (same-origin paths) the page loads, by the response's nonce. */
  scripts?: string[];
}

/** The whole HTML document of a page, and the CSP that goes with its nonce. */
export function renderPage(page: Page): { html: string; csp: string } {
  const nonce = randomBytes(16).toString('base64');
  const html =
    `<!doctype html><html lang="${page.lang}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="no-referrer">` +
    `<title>${escapeHtml(page.title)}</title><style nonce="${nonce}">${STYLE}</style></head>` +
    `<body><main><div class="card"><h1>${escapeHtml(page.title)}</h1>${page.body}</div></main>` +
    (page.scripts ?? [])
      .map((src) => `<script nonce="${nonce}" src="${escapeHtml(src)}"></script>`)
      .join('') +
    `</body></html>`;
  return { html, csp: pageCsp(nonce, page.formOrigins, !!page.scripts?.length) };
}

/** Writes a page on a raw response (the interaction routes answer outside Nest and Koa). */
export function sendPage(res: ServerResponse, page: Page): void {
  const { html, csp } = renderPage(page);
  res.statusCode = page.status ?? 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', csp);
  res.setHeader('referrer-policy', 'no-referrer');
  for (const [name, value] of Object.entries(page.headers ?? {})) res.setHeader(name, value);
  res.end(html);
}

export const errorBox = (message?: string) =>
  message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : '';
