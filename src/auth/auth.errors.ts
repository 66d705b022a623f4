import { HttpStatus } from '@nestjs/common';
import { conflict, DomainException } from '../common/errors/domain.exception';

/** Errors of the password flows that are not about a wrong password or code. */
export enum AuthError {
  PasswordNotSet = 'password_not_set',
  VerificationInProgress = 'verification_in_progress',
  PasskeyRequired = 'passkey_required',
}

export const authErrors = {
  /**
   * The account was created by a sign-in provider and has no password yet: a step that asks for
   * the password again (change it, delete the account, set up TOTP) cannot be confirmed.
   */
  passwordNotSet: () =>
    conflict(
      AuthError.PasswordNotSet,
      'This account has no password yet; set one with forgot-password first.',
    ),
  /**
   * Another request is checking a code for this same sign-in attempt (a double submit): its
   * answer decides; this one counted nothing.
   */
  verificationInProgress: () =>
    new DomainException(
      HttpStatus.CONFLICT,
      AuthError.VerificationInProgress,
      'A code for this sign-in is already being checked; use the answer to that request.',
      { retryAfterSeconds: 1 },
    ),
  /** Removing the password would leave the account without a way in: a passkey comes first. */
  passkeyRequired: () =>
    conflict(
      AuthError.PasskeyRequired,
      'Add a passkey before removing the password: it would be the only way into the account.',
    ),
};
