import { usePermissions } from 'react-admin';
import type { Permission } from './types';

/** What the signed-in admin may do (GET /users/me `permissions`): controls they lack are hidden. */
export function useCan(): (permission: Permission) => boolean {
  const { permissions } = usePermissions<Permission[]>();
  return (permission) => Array.isArray(permissions) && permissions.includes(permission);
}
