import { Inject, Injectable } from '@nestjs/common';
import { FieldError, invalidInput } from '../common/errors/domain.exception';
import { passwordProblem } from '../common/passwords/password-rules';
import { passwordConfig, PasswordConfig } from '../config/configuration';

export { PASSWORD_MAX_LENGTH } from '../common/passwords/password-rules';

/** The password rules (`common/passwords/password-rules.ts`) at the configured minimum length. */
@Injectable()
export class PasswordPolicy {
  constructor(@Inject(passwordConfig.KEY) private readonly config: PasswordConfig) {}

  /** Problems with a new password, as field errors (empty when acceptable). */
  check(password: string, field = 'password'): FieldError[] {
    const message = passwordProblem(password, this.config.minLength);
    return message ? [{ field, message }] : [];
  }

  assertAcceptable(password: string, field = 'password'): void {
    const errors = this.check(password, field);
    if (errors.length > 0) throw invalidInput(errors, 'The password is not acceptable.');
  }
}
