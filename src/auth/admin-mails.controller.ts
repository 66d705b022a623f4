import { Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { ParseObjectIdPipe } from '../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { AdminMailsService } from './admin-mails.service';

/** Admins send a user a password-reset code or a fresh verification code (audited). */
@ApiTags('admin')
@Controller('admin/users')
export class AdminMailsController {
  constructor(private readonly mails: AdminMailsService) {}

  /**
   * Mails an active user a password-reset code (any earlier one stops working); the user sets the
   * new password with `POST /auth/reset-password`. Not active: 409 `user_not_active`.
   */
  @Post(':id/password-reset')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  sendPasswordReset(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.mails.sendPasswordReset(id, admin.id, origin);
  }

  /**
   * Mails a pending account a fresh email-verification code (any earlier one stops working).
   * Already verified: 409 `email_already_verified`; not pending: 409 `user_not_active`.
   */
  @Post(':id/verification')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  sendVerification(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.mails.sendVerification(id, admin.id, origin);
  }
}
