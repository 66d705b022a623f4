import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

/** The signing-keys feature's error codes, in one place. */
export enum SigningKeyError {
  Pinned = 'signing_key_pinned',
}

export const signingKeyErrors = {
  pinned: () =>
    new DomainException(
      HttpStatus.CONFLICT,
      SigningKeyError.Pinned,
      'The signing key is pinned by JWT_SIGNING_KEY; replace that setting to change it.',
    ),
};
