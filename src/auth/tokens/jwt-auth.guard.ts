import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC } from '../../common/decorators/public.decorator';
import { DomainException } from '../../common/errors/domain.exception';

/** Global: every route needs a live access token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
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
