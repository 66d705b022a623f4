import { usePermissions } from 'react-admin';
import type { Permission } from './types';
import { PERMISSIONS } from './types';

/** What the signed-in admin may do (GET /users/me `permissions`): controls they lack are hidden. */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = usePermissions<Permission[]>();
  return (permission) => Array.isArray(permissions) && permissions.includes(permission);
}

/**
 * Whether the signed-in admin may grant all of `permissions` (to a role, or through a role to a
 * user): only permissions they hold themselves, as the API enforces (403 `permission_escalation`).
 */
export function useCanGrant(): (permissions: readonly string[]) => boolean {
  const can = useCan();
  return (permissions) => permissions.every((p) => can(p as Permission));
}

/** The built-in roles' permissions, for a caller who cannot list roles (no roles:manage). */
export const BUILT_IN_PERMISSIONS: Record<string, readonly string[]> = {
  user: [],
  admin: PERMISSIONS,
};
