import type * as languageCommon from '@zxcvbn-ts/language-common';
import { createRequire } from 'node:module';

export const PASSWORD_MAX_LENGTH = 128;

const load = createRequire(__filename);
let commonPasswords: ReadonlySet<string> | undefined;

/**
 * The 49k most common passwords, from @zxcvbn-ts/language-common (a maintained npm package;
 * its list is built from leaked-password corpora). Compared case-insensitively. Built at the
 * first password that is checked, not at start: loading and indexing the list costs a start
 * about 20 ms and the heap several MB, which an instance that only signs people in never needs
 * (only an ADMIN_PASSWORD in the configuration has it checked at start).
 */
function isCommonPassword(lowerCase: string): boolean {
  if (!commonPasswords) {
    const { dictionary } = load('@zxcvbn-ts/language-common') as typeof languageCommon;
    commonPasswords = new Set(
      (dictionary['passwords-common'] as string[]).map((p) => p.normalize('NFKC').toLowerCase()),
    );
  }
  return commonPasswords.has(lowerCase);
}

/**
 * The password rules, NIST 800-63B style: length only, no composition rules, no common
 * passwords. What is wrong with `password`, as the end of a sentence naming it ("must be at
 * least 12 characters long"), or undefined when it is acceptable. A leaf with no Nest in it:
 * the auth policy applies it to the passwords people choose, the configuration to ADMIN_PASSWORD.
 */
export function passwordProblem(password: string, minLength: number): string | undefined {
  const normalized = password.normalize('NFKC');
  const length = [...normalized].length; // code points, not UTF-16 units
  if (length < minLength) return `must be at least ${minLength} characters long`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  if (/\p{Cc}/u.test(normalized)) return 'must not contain control characters';
  // A lone surrogate becomes U+FFFD when hashed, so different inputs would share a hash.
  if (/\p{Cs}/u.test(normalized)) return 'must be valid Unicode text';
  if (!/[^\p{Z}\s\p{Cf}]/u.test(normalized))
    return 'must not be made only of spaces or invisible characters';
  if (isCommonPassword(normalized.toLowerCase())) return 'is too common; choose another';
  return undefined;
}
