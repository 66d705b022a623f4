import { conflict } from '../common/errors/domain.exception';

/** Errors of the password flows that are not about a wrong password or code. */
export enum AuthError {
  PasswordNotSet = 'password_not_set',
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
};
