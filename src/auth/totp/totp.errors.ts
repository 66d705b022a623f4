import { HttpStatus } from '@nestjs/common';
import { conflict, DomainException } from '../../common/errors/domain.exception';

/** The TOTP routes' error codes, in one place (`invalid_otp` and `invalid_credentials` as elsewhere in auth). */
export enum TotpError {
  AlreadyEnabled = 'totp_already_enabled',
  NotSetUp = 'totp_not_set_up',
  NotEnabled = 'totp_not_enabled',
  OwnAccount = 'own_account',
  InvalidCode = 'invalid_otp',
  InvalidPassword = 'invalid_credentials',
}

export const totpErrors = {
  alreadyEnabled: () =>
    conflict(
      TotpError.AlreadyEnabled,
      'Two-factor authentication is already on; turn it off first.',
    ),
  notSetUp: () =>
    conflict(TotpError.NotSetUp, 'Set up two-factor authentication before turning it on.'),
  notEnabled: () => conflict(TotpError.NotEnabled, 'Two-factor authentication is not on.'),
  /** The admin reset skips the password and code, so it is not for the caller's own account. */
  ownAccount: () =>
    conflict(
      TotpError.OwnAccount,
      'Admins turn off their own two-factor authentication with POST /auth/2fa/totp/disable.',
    ),
  wrongCode: () =>
    new DomainException(HttpStatus.BAD_REQUEST, TotpError.InvalidCode, 'The code is not valid.', {
      errors: [{ field: 'code', message: 'is not valid' }],
    }),
  wrongPassword: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      TotpError.InvalidPassword,
      'The password is not correct.',
      { errors: [{ field: 'password', message: 'is not correct' }] },
    ),
};
