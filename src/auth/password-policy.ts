import { Inject, Injectable } from '@nestjs/common';
import type * as languageCommon from '@zxcvbn-ts/language-common';
import { createRequire } from 'node:module';
import { FieldError, invalidInput } from '../common/errors/domain.exception';
import { passwordConfig, PasswordConfig } from '../config/configuration';

export const PASSWORD_MAX_LENGTH = 128;

const load = createRequire(__filename);
let commonPasswords: ReadonlySet<string> | undefined;

/**
 * The 49k most common passwords, from @zxcvbn-ts/language-common (a maintained npm package;
 * its list is built from leaked-password corpora). Compared case-insensitively. Built at the
 * first password that is checked, not at start: loading and indexing the list costs a start
 * about 20 ms and the heap several MB, which an instance that only signs people in never needs.
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

/** NIST 800-63B style: length only, no composition rules, no common passwords. */
@Injectable()
export class PasswordPolicy {
  constructor(@Inject(passwordConfig.KEY) private readonly config: PasswordConfig) {}

  /** Problems with a new password, as field errors (empty when acceptable). */
  check(password: string, field = 'password'): FieldError[] {
    const normalized = password.normalize('NFKC');
    const length = [...normalized].length; // code points, not UTF-16 units
    if (length < this.config.minLength)
      return [{ field, message: `must be at least ${this.config.minLength} characters long` }];
    if (length > PASSWORD_MAX_LENGTH)
      return [{ field, message: `must be at most ${PASSWORD_MAX_LENGTH} characters long` }];
    if (/\p{Cc}/u.test(normalized))
      return [{ field, message: 'must not contain control characters' }];
    // A lone surrogate becomes U+FFFD when hashed, so different inputs would share a hash.
    if (/\p{Cs}/u.test(normalized)) return [{ field, message: 'must be valid Unicode text' }];
    if (!/[^\p{Z}\s\p{Cf}]/u.test(normalized))
      return [{ field, message: 'must not be made only of spaces or invisible characters' }];
    if (isCommonPassword(normalized.toLowerCase()))
      return [{ field, message: 'is too common; choose another' }];
    return [];
  }

  assertAcceptable(password: string, field = 'password'): void {
    const errors = this.check(password, field);
    if (errors.length > 0) throw invalidInput(errors, 'The password is not acceptable.');
  }
}
