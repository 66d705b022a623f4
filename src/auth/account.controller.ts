import { Body, Controller, Delete, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { Authenticated } from '../rbac/authenticated.decorator';
import { AccountLifecycle } from '../users/account-lifecycle.service';
import { DeleteAccountDto } from './dto/delete-account.dto';
import { PasswordService } from './password.service';

/** Password-confirmed changes to the caller's own account that live under /users/me. */
@ApiTags('me')
@Authenticated()
@Controller('users/me')
export class AccountController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly lifecycle: AccountLifecycle,
  ) {}

  /**
   * Deletes the caller's account and everything it owns (sessions, codes, assets); the access
   * token stops working at once. A wrong password is 400 and counts toward the lockout; the last
   * active admin cannot delete themselves (409).
   */
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(409)
  async deleteMe(
    @CurrentUser() caller: AuthUser,
    @Body() dto: DeleteAccountDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.passwords.confirm(caller.id, dto.password, origin, 'password');
    await this.lifecycle.delete(caller.id, { id: caller.id, origin });
  }
}
