import { Inject, Injectable } from '@nestjs/common';
import { dictionary } from '@zxcvbn-ts/language-common';
import { FieldError, invalidInput } from '../common/errors/domain.exception';
import { passwordConfig, PasswordConfig } from '../config/configuration';

export const PASSWORD_MAX_LENGTH = 128;

/**
 * The 49k most common passwords, from @zxcvbn-ts/language-common (a maintained npm package;
 * its list is built from leaked-password corpora). Compared case-insensitively.
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  (dictionary['passwords-common'] as string[]).map((p) => p.normalize('NFKC').toLowerCase()),
);

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
    if (COMMON_PASSWORDS.has(normalized.toLowerCase()))
      return [{ field, message: 'is too common; choose another' }];
    return [];
  }

  assertAcceptable(password: string, field = 'password'): void {
    const errors = this.check(password, field);
    if (errors.length > 0) throw invalidInput(errors, 'The password is not acceptable.');
  }
}
