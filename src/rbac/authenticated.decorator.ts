import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { PERMISSIONS_EXTENSION } from '../common/http/openapi';
import { Permission } from './permissions';

export const ACCESS = 'access';

/** What a route (or a controller) declared about who may call it. */
export interface Access {
  permissions: readonly Permission[];
}

/**
 * Declares a route's access in one place, the way immich's `@Authenticated({ permission })` does:
 * a live access token is required, plus every permission listed (resolved from the caller's role
 * on each request, never from the token). It sets what the guards read and documents the same:
 * bearer security, 401, 403 when permissions are needed, and the permissions in the description.
 *
 * Every route declares either this or `@Public()`; one that declares neither is refused (deny by
 * default), and a spec walks the routes to make sure none is left undeclared.
 */
export function Authenticated(options: { permissions?: Permission[] } = {}) {
  const permissions = options.permissions ?? [];
  const access: Access = { permissions };
  return applyDecorators(
    SetMetadata(ACCESS, access),
    ApiBearerAuth(),
    ...(permissions.length > 0
      ? [ApiProblems(403), ApiExtension(PERMISSIONS_EXTENSION, permissions)]
      : []),
  );
}

/** `@RequirePermissions(Permission.UsersManage)`: shorthand for `@Authenticated({ permissions })`. */
export const RequirePermissions = (...permissions: Permission[]) => Authenticated({ permissions });
