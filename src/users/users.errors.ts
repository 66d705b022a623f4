import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';

/** The users feature's error codes, in one place. */
export enum UsersError {
  LastAdmin = 'last_admin',
  OwnAccount = 'own_account',
  UnknownRole = 'unknown_role',
  NotInvited = 'not_invited',
}

export const usersErrors = {
  lastAdmin: () =>
    new DomainException(
      HttpStatus.CONFLICT,
      UsersError.LastAdmin,
      'This is the last active admin: make another admin first.',
    ),
  ownAccount: () =>
    new DomainException(
      HttpStatus.CONFLICT,
      UsersError.OwnAccount,
      'Admins cannot disable or delete their own account here; use DELETE /users/me to delete it.',
    ),
  notInvited: () =>
    new DomainException(
      HttpStatus.CONFLICT,
      UsersError.NotInvited,
      'This account is not waiting for an invitation to be accepted.',
    ),
  unknownRole: (role: string) =>
    new DomainException(
      HttpStatus.BAD_REQUEST,
      UsersError.UnknownRole,
      `There is no role "${role}".`,
      {
        errors: [{ field: 'role', message: 'must be an existing role' }],
      },
    ),
};

/** Errors of the export. */
export const exportErrors = {
  hashesDisabled: () =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      'hash_export_disabled',
      'Exporting password hashes is turned off on this deployment (EXPORT_PASSWORD_HASHES).',
    ),
  hashesForbidden: () =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      'hash_export_forbidden',
      'You need the users:export-hashes permission to export password hashes.',
    ),
};
