import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/decorators/current-user.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { ParseObjectIdPipe } from '../../common/pipes/parse-object-id.pipe';
import { RequirePermissions } from '../../rbac/authenticated.decorator';
import { Permission } from '../../rbac/permissions';
import { PasskeyListDto } from './dto/passkey.dto';
import { PasskeysService } from './passkeys.service';

/** Admins see a user's passkeys and remove them when the user lost their device. */
@ApiTags('admin')
@Controller('admin/users')
export class AdminPasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  /** The user's passkeys (names, dates, backup state; never a key): `items.length` is the count. */
  @Get(':id/passkeys')
  @RequirePermissions(Permission.UsersRead)
  @ApiProblems(404)
  async listUserPasskeys(@Param('id', ParseObjectIdPipe) id: string): Promise<PasskeyListDto> {
    return { items: await this.passkeys.listForAdmin(id) };
  }

  /**
   * Removes all the user's passkeys (the user is mailed; audited); 204 also when there were none.
   * Not for the caller's own account (409 own_account).
   */
  @Delete(':id/passkeys')
  @RequirePermissions(Permission.UsersManage)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  removeUserPasskeys(
    @CurrentUser() admin: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.passkeys.removeAllByAdmin(admin.id, id, origin);
  }
}
