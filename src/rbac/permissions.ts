/**
 * The one place that says what may be done and who may do it by default. Custom roles (stored in
 * MongoDB, managed under /admin/roles) pick from this list; the two built-in roles are fixed.
 */
export enum Permission {
  UsersRead = 'users:read',
  UsersManage = 'users:manage',
  UsersDelete = 'users:delete',
  AssetsRead = 'assets:read',
  AssetsDelete = 'assets:delete',
  AuditRead = 'audit:read',
  RolesManage = 'roles:manage',
  StatsRead = 'stats:read',
  SigningKeysManage = 'signing-keys:manage',
  /**
   * Our own password hashes in `GET /admin/users/export`, for a move to another deployment. Held
   * by `admin` like every permission, but refused to everyone while EXPORT_PASSWORD_HASHES is off
   * (the default).
   */
  UsersExportHashes = 'users:export-hashes',
  OidcClientsManage = 'oidc-clients:manage',
  WebhooksManage = 'webhooks:manage',
  /**
   * Act as a user for support (POST /admin/users/:id/impersonate): never as someone who holds a
   * permission, and password, two-factor and passkey changes are refused meanwhile.
   */
  UsersImpersonate = 'users:impersonate',
}

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

/** Roles every deployment has; they cannot be changed or deleted. */
export const BUILT_IN_ROLES: Readonly<Record<string, readonly Permission[]>> = {
  /** Self-service only: their own profile, sessions and assets. */
  user: [],
  /** Everything. */
  admin: ALL_PERMISSIONS,
};

export const DEFAULT_ROLE = 'user';
export const ADMIN_ROLE = 'admin';

export const isPermission = (value: unknown): value is Permission =>
  typeof value === 'string' && (ALL_PERMISSIONS as readonly string[]).includes(value);
