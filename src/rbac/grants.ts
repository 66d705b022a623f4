import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { Permission } from './permissions';

/**
 * Least privilege: nobody may use a permission to obtain more. A caller grants (to a role, or
 * through a role to a user) only permissions they hold themselves, and nobody changes their own
 * role. A leaf beside `permissions.ts`, so `users` and `rbac` both apply it without importing
 * each other.
 */
export enum GrantError {
  PermissionEscalation = 'permission_escalation',
  OwnRole = 'own_role',
}

/** Of `granting`, the permissions `held` lacks (empty: the grant is within the caller's own). */
export const beyondHeld = (
  held: readonly string[],
  granting: readonly Permission[],
): Permission[] => granting.filter((permission) => !held.includes(permission));

export const grantErrors = {
  escalation: (missing: readonly Permission[]) =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      GrantError.PermissionEscalation,
      `You cannot grant permissions you do not hold: ${missing.join(', ')}.`,
    ),
  ownRole: () =>
    new DomainException(
      HttpStatus.FORBIDDEN,
      GrantError.OwnRole,
      'Nobody can change their own role; another user with users:manage can.',
    ),
};

/** Throws 403 `permission_escalation` unless every permission of `granting` is in `held`. */
export function assertGrantable(held: readonly string[], granting: readonly Permission[]): void {
  const missing = beyondHeld(held, granting);
  if (missing.length > 0) throw grantErrors.escalation(missing);
}
