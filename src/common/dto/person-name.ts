/**
 * What a first or last name may hold. Any script, accents, combining marks, apostrophes, hyphens
 * and spaces are names; what is refused is what makes a name lie about itself on screen or in a
 * mail, or breaks what stores and renders it (emails refuse these too):
 * - control characters (NUL, BEL, tab, newline, DEL, C1) and line or paragraph separators;
 * - lone UTF-16 surrogates (stored or mailed, they turn into U+FFFD or fail to encode);
 * - bidirectional controls: embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069)
 *   and the marks (U+200E, U+200F, U+061C), which reorder the text around the name;
 * - a name with nothing visible: only format characters (zero-width space, joiners, word joiner,
 *   BOM), spaces, combining marks without a base, Hangul fillers or the braille blank.
 * A zero-width joiner or non-joiner inside a visible name stays allowed: Indic and Persian
 * spellings and emoji sequences need them.
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const INVISIBLE = /[\p{Cf}\p{Z}\p{M}\u115f\u1160\u3164\uffa0\u2800]/gu;

export function isPersonName(value: string): boolean {
  return !FORBIDDEN.test(value) && value.replace(INVISIBLE, '') !== '';
}

/** Leading and trailing spaces only: other invisible characters stay, for the rule to judge. */
export const trimSpaces = (value: string): string => value.replace(/^\p{Zs}+|\p{Zs}+$/gu, '');

/** The same rule as a JSON-schema pattern for the OpenAPI document (the visible-character part is not expressible there). */
export const PERSON_NAME_PATTERN =
  '^[^\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$';
