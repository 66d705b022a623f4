import { HttpStatus } from '@nestjs/common';
import { conflict, DomainException, notFound } from '../../common/errors/domain.exception';

/** The sign-in provider routes' error codes, in one place (the contract lists them). */
export enum OAuthError {
  InvalidState = 'invalid_oauth_state',
  RedirectNotAllowed = 'redirect_uri_not_allowed',
  InvalidCode = 'invalid_oauth_code',
  Failed = 'oauth_failed',
  AccountExists = 'account_exists_sign_in_to_link',
  EmailNotVerified = 'oauth_email_not_verified',
  LinkedElsewhere = 'identity_linked_elsewhere',
  LastSignInMethod = 'last_sign_in_method',
  ProviderUnavailable = 'provider_unavailable',
  AccountDisabled = 'account_disabled',
}

export const oauthErrors = {
  unknownProvider: () => notFound('The sign-in provider'),
  unknownIdentity: () => notFound('The linked sign-in'),
  /** The admin route is for other accounts; one's own goes through /users/me/identities. */
  ownAccount: () =>
    conflict('own_account', 'Admins unlink their own sign-in providers at /users/me/identities.'),
  invalidState: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      OAuthError.InvalidState,
      'The sign-in has expired, was already completed or was not started here; start again.',
    ),
  redirectNotAllowed: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      OAuthError.RedirectNotAllowed,
      'The redirect URI is not in the allowlist.',
      { errors: [{ field: 'redirectUri', message: 'is not in the allowlist' }] },
    ),
  invalidCode: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      OAuthError.InvalidCode,
      'The sign-in code has expired or was already used; start again.',
      { errors: [{ field: 'code', message: 'is not valid' }] },
    ),
  failed: () =>
    new DomainException(
      HttpStatus.UNAUTHORIZED,
      OAuthError.Failed,
      'The sign-in provider did not confirm who you are; start again.',
    ),
  accountExists: () =>
    conflict(
      OAuthError.AccountExists,
      'An account with this email already exists: sign in to it, then link this provider from your account.',
    ),
  emailNotVerified: () =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      OAuthError.EmailNotVerified,
      'The sign-in provider did not confirm an email address, so no account can be created.',
    ),
  linkedElsewhere: () =>
    conflict(OAuthError.LinkedElsewhere, 'This sign-in is already linked to another account.'),
  lastSignInMethod: () =>
    conflict(
      OAuthError.LastSignInMethod,
      'This is the only way to sign in to the account: set a password or link another provider first.',
    ),
  providerUnavailable: () =>
    new DomainException(
      HttpStatus.SERVICE_UNAVAILABLE,
      OAuthError.ProviderUnavailable,
      'The sign-in provider cannot be reached; try again later.',
    ),
  accountDisabled: () =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      OAuthError.AccountDisabled,
      'This account is disabled.',
    ),
};

/** The refusals a callback can record for the exchange to answer (its outcome's `error`). */
export const OUTCOME_ERRORS = {
  [OAuthError.Failed]: oauthErrors.failed,
  [OAuthError.AccountExists]: oauthErrors.accountExists,
  [OAuthError.EmailNotVerified]: oauthErrors.emailNotVerified,
  [OAuthError.LinkedElsewhere]: oauthErrors.linkedElsewhere,
  [OAuthError.ProviderUnavailable]: oauthErrors.providerUnavailable,
  [OAuthError.AccountDisabled]: oauthErrors.accountDisabled,
} as const;
export type OutcomeError = keyof typeof OUTCOME_ERRORS;
