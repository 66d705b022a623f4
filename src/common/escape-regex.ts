/** Treats text as text inside a regular expression: every metacharacter is escaped. */
export const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches strings that start with `text`, literally (an anchored prefix an index can answer). */
export const literalPrefix = (text: string): RegExp => new RegExp(`^${escapeRegex(text)}`);
