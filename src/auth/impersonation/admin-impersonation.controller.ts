import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/decorators/current-user.decorator';
import { NotWhileImpersonating } from '../../common/decorators/not-while-impersonating.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { ParseObjectIdPipe } from '../../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../../rbac/authenticated.decorator';
import { Permission } from '../../rbac/permissions';
import { ImpersonationDto } from './impersonation.dto';
import { ImpersonationService } from './impersonation.service';

@ApiTags('admin')
@Controller('admin/users')
export class AdminImpersonationController {
  constructor(private readonly impersonation: ImpersonationService) {}

  /**
   * Starts acting as the user for support: an access token with `act` (the caller), on a session
   * marked as impersonated, for JWT_ACCESS_TTL and never refreshed; the user is mailed and every
   * request made with it is audited as the caller acting as the user. Password, two-factor,
   * passkey and provider changes are refused with it (403 `impersonation_restricted`). A user
   * whose role holds any permission: 403 `impersonation_forbidden`; the caller's own account
   * 409 `own_account`; an account that is not active 409 `user_not_active`.
   */
  @Post(':id/impersonate')
  @HttpCode(HttpStatus.OK)
  @RequirePermissions(Permission.UsersImpersonate)
  @NotWhileImpersonating()
  @ApiProblems(404, 409)
  impersonateUser(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<ImpersonationDto> {
    return this.impersonation.start(admin.id, id, origin);
  }
}
