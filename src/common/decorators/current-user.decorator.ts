import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Who is calling, as the JWT guard established it (session checked live). */
export interface AuthUser {
  id: string;
  sessionId: string;
  role: string;
  /**
   * Set when an admin acts as this user (the access token's RFC 8693 `act.sub`): the admin's id.
   * Read from the signed token, so it costs no query.
   */
  impersonatorId?: string;
  /** Resolved from the role on this request by the permissions guard. */
  permissions?: readonly string[];
}

export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser =>
    ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
