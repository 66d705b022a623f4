import { HttpStatus } from '@nestjs/common';
import { conflict, DomainException } from '../../common/errors/domain.exception';

/** The TOTP routes' refusals, with the stable codes the contract lists. */
export const totpErrors = {
  alreadyEnabled: () =>
    conflict('totp_already_enabled', 'Two-factor authentication is already on; turn it off first.'),
  notSetUp: () =>
    conflict('totp_not_set_up', 'Set up two-factor authentication before turning it on.'),
  notEnabled: () => conflict('totp_not_enabled', 'Two-factor authentication is not on.'),
  wrongCode: () =>
    new DomainException(HttpStatus.BAD_REQUEST, 'invalid_otp', 'The code is not valid.', {
      errors: [{ field: 'code', message: 'is not valid' }],
    }),
  wrongPassword: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      'invalid_credentials',
      'The password is not correct.',
      { errors: [{ field: 'password', message: 'is not correct' }] },
    ),
};
