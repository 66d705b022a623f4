import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';
import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { AuthRateLimit } from '../common/rate/throttler.guard';
import { Authenticated } from '../rbac/authenticated.decorator';
import {
  RecoveryCodesDto,
  RecoveryCodesRequestDto,
  TotpDisableDto,
  TotpEnableDto,
  TotpSetupDto,
  TotpSetupRequestDto,
} from './dto/totp.dto';
import { TwoFactorService } from './two-factor.service';

/** Two-factor authentication with an authenticator app (TOTP), for the signed-in user. */
@ApiTags('auth')
@AuthRateLimit()
@NotWhileImpersonating()
@Controller('auth/2fa')
export class TotpController {
  constructor(private readonly twoFactor: TwoFactorService) {}

  /** Starts setup (password again): a new secret, not active until enabled. 409 totp_already_enabled when on. */
  @Post('totp/setup')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiProblems(409)
  setupTotp(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpSetupRequestDto,
    @Origin() origin: RequestOrigin,
  ): Promise<TotpSetupDto> {
    return this.twoFactor.setUp(user.id, dto.password, origin);
  }

  /** Turns TOTP on with a current code; answers 10 single-use recovery codes, shown only here. */
  @Post('totp/enable')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiProblems(409)
  async enableTotp(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpEnableDto,
    @Origin() origin: RequestOrigin,
  ): Promise<RecoveryCodesDto> {
    return { recoveryCodes: await this.twoFactor.enable(user.id, dto.code, origin) };
  }

  /** Turns TOTP off (password and a code or recovery code); every other session ends. */
  @Post('totp/disable')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(409)
  disableTotp(
    @CurrentUser() user: AuthUser,
    @Body() dto: TotpDisableDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.twoFactor.disable(user.id, user.sessionId, dto.password, dto.code, origin);
  }

  /** A fresh set of 10 recovery codes (password and a current code); the old set stops working. */
  @Post('recovery-codes')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiProblems(409)
  async regenerateRecoveryCodes(
    @CurrentUser() user: AuthUser,
    @Body() dto: RecoveryCodesRequestDto,
    @Origin() origin: RequestOrigin,
  ): Promise<RecoveryCodesDto> {
    return {
      recoveryCodes: await this.twoFactor.replaceRecoveryCodes(
        user.id,
        dto.password,
        dto.code,
        origin,
      ),
    };
  }
}
