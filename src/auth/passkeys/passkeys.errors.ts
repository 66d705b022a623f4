import { HttpStatus } from '@nestjs/common';
import { conflict, DomainException } from '../../common/errors/domain.exception';

/** The passkey routes' error codes, in one place. */
export enum PasskeyError {
  ChallengeInvalid = 'passkey_challenge_invalid',
  Rejected = 'passkey_rejected',
  UnknownCredential = 'passkey_unknown',
  CounterRegressed = 'passkey_cloned',
  AlreadyRegistered = 'passkey_already_registered',
  StepUpRequired = 'step_up_required',
  PasswordRequired = 'password_required',
  LastSignInMethod = 'last_sign_in_method',
  OwnAccount = 'own_account',
}

export const passkeyErrors = {
  /** Unknown, used, expired, or issued to someone else or for the other ceremony. */
  challengeInvalid: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      PasskeyError.ChallengeInvalid,
      'The passkey challenge is unknown, used or expired; start again.',
    ),
  /** Signature, origin, relying party or user verification did not check out. */
  rejected: () =>
    new DomainException(
      HttpStatus.UNAUTHORIZED,
      PasskeyError.Rejected,
      'The passkey could not be verified.',
    ),
  unknownCredential: () =>
    new DomainException(
      HttpStatus.UNAUTHORIZED,
      PasskeyError.UnknownCredential,
      'This passkey is not registered here.',
    ),
  counterRegressed: () =>
    new DomainException(
      HttpStatus.UNAUTHORIZED,
      PasskeyError.CounterRegressed,
      'This passkey looks cloned and was refused; sign in another way.',
    ),
  alreadyRegistered: () =>
    conflict(PasskeyError.AlreadyRegistered, 'This passkey is already registered.'),
  /** The account has a password: adding a passkey takes it (a body problem, like a wrong one). */
  passwordRequired: () =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      PasskeyError.PasswordRequired,
      "Send the account's password to add a passkey.",
      { errors: [{ field: 'password', message: 'is required' }] },
    ),
  stepUpRequired: () =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      PasskeyError.StepUpRequired,
      'Sign in again to add a passkey: this account has no password, and its last sign-in is older than 10 minutes.',
    ),
  /** The admin removal skips every check the owner's routes make, so not for the admin's own. */
  ownAccount: () =>
    conflict(PasskeyError.OwnAccount, 'Admins remove their own passkeys at /users/me/passkeys.'),
  lastSignInMethod: () =>
    conflict(
      PasskeyError.LastSignInMethod,
      'This passkey is the only way into the account; add another one first.',
    ),
};
