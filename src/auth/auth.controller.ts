import { Body, Controller, Headers, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { AvatarsService } from '../assets/avatars.service';
import { AcceptsAvatar, BufferedFile, UploadedAvatar } from '../assets/upload/avatar-form';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { negotiateLocale } from '../common/i18n/locales';
import { RequestOrigin } from '../common/events/domain-event';
import { Authenticated } from '../rbac/authenticated.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { AuthRateLimit } from '../common/rate/throttler.guard';
import { UserEnvelopeDto } from '../users/dto/user.dto';
import { AuthService } from './auth.service';
import { LoginDto, LoginVerifyDto, MfaChallengeDto } from './dto/login.dto';
import { ChangePasswordDto, ForgotPasswordDto, ResetPasswordDto } from './dto/password.dto';
import { RefreshDto } from './dto/refresh.dto';
import { ResendOtpDto } from './dto/resend-otp.dto';
import { VerifyEmailDto } from './dto/verify-email.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenPairDto } from './dto/token-pair.dto';
import { PasswordService } from './password.service';

@ApiTags('auth')
@AuthRateLimit()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly avatars: AvatarsService,
  ) {}

  /**
   * Creates a pending account and emails a 6-digit verification code. JSON, or multipart with the
   * same fields and an optional `avatar` image (a bad file is 413/415 and creates nothing). The
   * `Accept-Language` of the sign-up (English or Spanish) becomes the account's `locale`.
   */
  @Public()
  @Post('register')
  @AcceptsAvatar(RegisterDto)
  @ApiProblems(409, 413, 503)
  async register(
    @Body() dto: RegisterDto,
    @Origin() origin: RequestOrigin,
    @Headers('accept-language') acceptLanguage?: string,
    @UploadedAvatar() avatar?: BufferedFile,
  ): Promise<UserEnvelopeDto> {
    const user = await this.auth.register(dto, origin, negotiateLocale(acceptLanguage));
    return { user: avatar ? await this.avatars.replaceWith(user.id, avatar, origin) : user };
  }

  /** Activates the account with the emailed code. */
  @Public()
  @Post('verify-email')
  @HttpCode(HttpStatus.OK)
  async verifyEmail(
    @Body() dto: VerifyEmailDto,
    @Origin() origin: RequestOrigin,
  ): Promise<UserEnvelopeDto> {
    return { user: await this.auth.verifyEmail(dto.email, dto.code, origin) };
  }

  /** Sends a new code (at most one per 60 s per email and purpose); 202 whether or not the email exists. */
  @Public()
  @Post('resend-otp')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ description: 'Accepted' })
  resendOtp(@Body() dto: ResendOtpDto): void {
    this.passwords.resend(dto.email, dto.purpose);
  }

  /** The password step: a token pair, or a second-step challenge. */
  @Public()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiExtraModels(TokenPairDto, MfaChallengeDto)
  @ApiOkResponse({
    schema: {
      oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(MfaChallengeDto) }],
    },
  })
  @ApiProblems(401, 403)
  login(
    @Body() dto: LoginDto,
    @Origin() origin: RequestOrigin,
  ): Promise<TokenPairDto | MfaChallengeDto> {
    return this.auth.login(dto.email, dto.password, origin);
  }

  /** The second step: the mfaToken plus the emailed code. */
  @Public()
  @Post('login/verify')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(401)
  verifyLogin(@Body() dto: LoginVerifyDto, @Origin() origin: RequestOrigin): Promise<TokenPairDto> {
    return this.auth.verifyLogin(dto.mfaToken, dto.code, origin);
  }

  /** Rotates the refresh token; a replayed one ends its session (401 refresh_token_reused). */
  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(401)
  refresh(@Body() dto: RefreshDto, @Origin() origin: RequestOrigin): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken, origin);
  }

  /** Ends the current session: its refresh and access tokens stop working at once. */
  @Post('logout')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  logout(@CurrentUser() user: AuthUser, @Origin() origin: RequestOrigin): Promise<void> {
    return this.auth.logout(user.id, user.sessionId, origin);
  }

  /** Ends every session of the caller. */
  @Post('logout-all')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  logoutAll(@CurrentUser() user: AuthUser, @Origin() origin: RequestOrigin): Promise<void> {
    return this.auth.logoutAll(user.id, origin);
  }

  /** Emails a reset code if the account exists; 202 either way. */
  @Public()
  @Post('forgot-password')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiAcceptedResponse({ description: 'Accepted' })
  forgotPassword(@Body() dto: ForgotPasswordDto, @Origin() origin: RequestOrigin): void {
    this.passwords.forgot(dto.email, origin);
  }

  /** Sets a new password with the emailed code; every session ends. */
  @Public()
  @Post('reset-password')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Password reset' })
  async resetPassword(
    @Body() dto: ResetPasswordDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.passwords.reset(dto.email, dto.code, dto.newPassword, origin);
  }

  /** Changes the password; every other session ends. */
  @Post('change-password')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'Password changed' })
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    await this.passwords.change(
      user.id,
      user.sessionId,
      dto.currentPassword,
      dto.newPassword,
      origin,
    );
  }
}
