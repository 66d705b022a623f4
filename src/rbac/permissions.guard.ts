import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthUser } from '../common/decorators/current-user.decorator';
import { IS_PUBLIC } from '../common/decorators/public.decorator';
import { Access, ACCESS } from './authenticated.decorator';
import { rbacErrors } from './rbac.errors';
import { RbacService } from './rbac.service';

/**
 * Global, after the JWT guard. Deny by default: a route that declares neither `@Public()` nor
 * `@Authenticated(...)` is refused. For a declared route, the caller's permissions are resolved
 * from their current role (the role table is cached in memory) and every required one must be
 * there; they are left on the request for `GET /users/me` and the handlers.
 */
@Injectable()
export class PermissionsGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly rbac: RbacService,
  ) {}

  /** Each handler's declaration, read from its metadata once rather than on every request. */
  private readonly routes = new WeakMap<object, Access | 'public' | undefined>();

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.accessOf(context);
    if (access === 'public') return true;
    if (!access) throw rbacErrors.forbidden();
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    const granted = await this.rbac.permissionsOf(user.role);
    user.permissions = granted;
    const missing = access.permissions.find((permission) => !granted.includes(permission));
    if (missing) throw rbacErrors.forbidden(missing);
    return true;
  }

  private accessOf(context: ExecutionContext): Access | 'public' | undefined {
    const handler = context.getHandler();
    if (this.routes.has(handler)) return this.routes.get(handler);
    const targets = [handler, context.getClass()];
    const access = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)
      ? 'public'
      : this.reflector.getAllAndOverride<Access | undefined>(ACCESS, targets);
    this.routes.set(handler, access);
    return access;
  }
}
