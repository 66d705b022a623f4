import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { IncomingMessage } from 'node:http';
import { IS_PUBLIC } from '../../common/decorators/public.decorator';
import { DomainException } from '../../common/errors/domain.exception';
import { JwtStrategy } from './jwt.strategy';

/**
 * Global: every route needs a live access token unless it is marked @Public(). A token verified
 * before skips Passport (its per-request closures and strategy copy) and goes straight to the
 * checks that run on every request (JwtStrategy.checkKnown); any other goes through Passport.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  /** Each handler's @Public(), read from its metadata once rather than on every request. */
  private readonly publicRoutes = new WeakMap<object, boolean>();

  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: JwtStrategy,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<IncomingMessage & { user?: unknown }>();
    const known = this.strategy.checkKnown(request);
    if (!known) return super.canActivate(context) as Promise<boolean>;
    request.user = this.handleRequest(null, await known);
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let isPublic = this.publicRoutes.get(handler);
    if (isPublic === undefined) {
      isPublic =
        this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, context.getClass()]) ===
        true;
      this.publicRoutes.set(handler, isPublic);
    }
    return isPublic;
  }

  /**
   * `user` is false when the token or its session does not hold: 401. `error` is set only when
   * checking failed (the strategy threw, e.g. the database did not answer): that is not the
   * client's fault, and a 401 would sign it out, so the error goes on to become a 503 or 500.
   */
  override handleRequest<T>(error: unknown, user: T): T {
    if (error) throw error;
    if (!user) {
      throw new DomainException(
        HttpStatus.UNAUTHORIZED,
        'invalid_token',
        'A valid access token is required.',
      );
    }
    return user;
  }
}
