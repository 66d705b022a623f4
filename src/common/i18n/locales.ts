/** The languages mails and messages come in: one catalogue folder each under `src/i18n/`. */
export const LOCALES = ['en', 'es'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported language of an `Accept-Language` header, by preference (`q`, then order):
 * `es-MX,es;q=0.9,en;q=0.8` is `es`; a region matches its language; `*` and `q=0` name none.
 * Undefined when the header names no language we have.
 */
export function negotiateLocale(header: string | string[] | undefined): Locale | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text || text.length > 1024) return undefined;
  const ranked = text
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { language: tag.trim().split('-')[0].toLowerCase(), weight, index };
    })
    .filter((entry) => Number.isFinite(entry.weight) && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale);
}
