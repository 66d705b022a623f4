import { HttpStatus } from '@nestjs/common';
import { DomainException, invalidInput } from '../common/errors/domain.exception';

/** The OIDC feature's error codes (the admin API's; protocol errors are OAuth's own). */
export enum OidcError {
  PublicClientSecret = 'oidc_client_public',
}

export const oidcErrors = {
  /** A rule between fields of a new client (one field each, as validation errors). */
  invalidClient: (field: string, message: string) =>
    invalidInput([{ field, message }], 'The client is not valid.'),
  publicClientSecret: () =>
    new DomainException(
      HttpStatus.CONFLICT,
      OidcError.PublicClientSecret,
      'A public client has no secret to rotate.',
    ),
};
