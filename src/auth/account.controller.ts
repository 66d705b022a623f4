import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';
import { Body, Controller, Delete, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { Authenticated } from '../rbac/authenticated.decorator';
import { AccountLifecycle } from '../users/account-lifecycle.service';
import { DeleteAccountDto } from './dto/delete-account.dto';
import { RemovePasswordDto } from './dto/password.dto';
import { PasswordService } from './password.service';
import { PasswordlessService } from './passwordless.service';

/** Password-confirmed changes to the caller's own account that live under /users/me. */
@ApiTags('me')
@Authenticated()
@Controller('users/me')
export class AccountController {
  constructor(
    private readonly passwords: PasswordService,
    private readonly lifecycle: AccountLifecycle,
    private readonly passwordless: PasswordlessService,
  ) {}

  /**
   * Deletes the caller's account and everything it owns (sessions, codes, assets); the access
   * token stops working at once. A wrong password is 400 and counts toward the lockout; the last
   * active admin cannot delete themselves (409).
   */
  @Delete()
  @NotWhileImpersonating()
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

  /**
   * Goes passwordless: removes the caller's password once the account has a passkey (it signs in
   * with the passkey from then on; forgot-password sets a password again). The password again
   * first: a wrong one is 400 `invalid_credentials` and counts toward the lockout; no password
   * is 409 `password_not_set`; without a passkey, 409 `passkey_required`. Mailed and audited.
   */
  @Delete('password')
  @NotWhileImpersonating()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(400, 409, 429)
  removePassword(
    @CurrentUser() caller: AuthUser,
    @Body() dto: RemovePasswordDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.passwordless.removePassword(caller.id, dto.password, origin);
  }
}
