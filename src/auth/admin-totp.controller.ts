import { Controller, Delete, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { TwoFactorService } from './two-factor.service';

/** Admins turn two-factor authentication off for a user who lost their device. */
@ApiTags('admin')
@Controller('admin/users')
export class AdminTotpController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  /**
   * Turns the user's TOTP off (the user is mailed) and ends all their sessions; 204 also when it
   * was off. Not for the caller's own account (409 own_account): that takes the password and a code.
   */
  @Delete(':id/2fa')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  resetUserTotp(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.twoFactor.reset(admin.id, id, origin);
  }
}
