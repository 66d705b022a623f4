import { Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/decorators/current-user.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { Authenticated } from '../../rbac/authenticated.decorator';
import { ImpersonationService } from './impersonation.service';

@ApiTags('auth')
@Controller('auth/impersonation')
export class ImpersonationController {
  constructor(private readonly impersonation: ImpersonationService) {}

  /**
   * With an impersonation token: ends it (its session is revoked; audited). Unlike
   * `POST /auth/logout`, it never touches the refresh cookie, which is the admin's own. Any other
   * token: 409 `not_impersonating`.
   */
  @Post('stop')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(409)
  stopImpersonation(
    @CurrentUser() caller: AuthUser,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.impersonation.stop(caller, origin);
  }
}
