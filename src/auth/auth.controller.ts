import { NotWhileImpersonating } from '../common/decorators/not-while-impersonating.decorator';
import { Body, Controller, Headers, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiExtraModels,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  getSchemaPath,
  type SchemaObject,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AvatarsService } from '../assets/avatars.service';
import { AcceptsAvatar, BufferedFile, UploadedAvatar } from '../assets/upload/avatar-form';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { DomainException, invalidInput } from '../common/errors/domain.exception';
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
import { RegisterDto, SignUpEnvelopeDto, toPendingSignUp } from './dto/register.dto';
import { TokenPairDto } from './dto/token-pair.dto';
import { PasswordService } from './password.service';
import { RefreshCookie } from './tokens/refresh-cookie';

/**
 * The refresh body: a token, or the cookie opt-in (then the token comes from the cookie). The
 * alternatives sit inside the `allOf` and name their property's type: a bare `{ required }`
 * beside it makes generated clients (openapi-typescript) type the whole body as `unknown`.
 */
const REFRESH_BODY: SchemaObject = {
  allOf: [
    { $ref: getSchemaPath(RefreshDto) },
    {
      anyOf: [
        {
          type: 'object',
          required: ['refreshToken'],
          properties: { refreshToken: { type: 'string' } },
        },
        {
          type: 'object',
          required: ['refreshTokenCookie'],
          properties: { refreshTokenCookie: { type: 'boolean', enum: [true] } },
        },
      ],
    },
  ],
};

@ApiTags('auth')
@AuthRateLimit()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordService,
    private readonly avatars: AvatarsService,
    private readonly cookie: RefreshCookie,
  ) {}

  /**
   * Creates a pending account and emails a 6-digit verification code. JSON, or multipart with the
   * same fields and an optional `avatar` image (a bad file is 413/415 and creates nothing). The
   * `Accept-Language` of the sign-up (English or Spanish) becomes the account's `locale`. A new
   * address and one still pending answer alike (no id, no timestamps); a pending one gets a new
   * code at most once per resend window.
   */
  @Public()
  @Post('register')
  @AcceptsAvatar(RegisterDto)
  @ApiProblems(409, 413, 503)
  @ApiHeader({
    name: 'accept-language',
    required: false,
    description: 'The language of the account (`en` or `es`; English when absent or neither).',
  })
  async register(
    @Body() dto: RegisterDto,
    @Origin() origin: RequestOrigin,
    @Headers('accept-language') acceptLanguage?: string,
    @UploadedAvatar() avatar?: BufferedFile,
  ): Promise<SignUpEnvelopeDto> {
    const user = await this.auth.register(dto, origin, negotiateLocale(acceptLanguage));
    if (avatar) await this.avatars.replaceWith(user.id, avatar, origin);
    // An earlier pending sign-up's avatar goes with the rest of it.
    else if (user.avatarUrl) await this.avatars.remove(user.id, origin);
    return { user: toPendingSignUp(user) };
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
  async login(
    @Body() dto: LoginDto,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto | MfaChallengeDto> {
    const result = await this.auth.login(dto.email, dto.password, origin);
    if ('mfaRequired' in result) return result;
    return this.cookie.deliver(result, dto.refreshTokenCookie, request, reply);
  }

  /**
   * The second step: the mfaToken plus the emailed code. With `refreshTokenCookie: true` the
   * refresh token is set as an HttpOnly cookie instead of returned. A double submit while the
   * first is being checked: 409 verification_in_progress (it counts as no attempt).
   */
  @Public()
  @Post('login/verify')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(401, 409)
  async verifyLogin(
    @Body() dto: LoginVerifyDto,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    const pair = await this.auth.verifyLogin(dto.mfaToken, dto.code, origin);
    return this.cookie.deliver(pair, dto.refreshTokenCookie, request, reply);
  }

  /**
   * Rotates the refresh token; a replayed one ends its session (401 refresh_token_reused). The
   * token comes from the body, or, with `refreshTokenCookie: true` and no `refreshToken`, from
   * the HttpOnly cookie; that form needs the `X-Requested-With` header (403 without it).
   */
  @Public()
  // The general limit, not RATE_LIMIT_AUTH: nothing is guessed here (a token is 256 random bits,
  // and replaying an old one ends the session), while every client behind one NAT refreshes.
  @AuthRateLimit(false)
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiExtraModels(RefreshDto)
  @ApiBody({ schema: REFRESH_BODY })
  @ApiHeader({
    name: 'X-Requested-With',
    required: false,
    description: 'Required (any non-empty value) when the refresh token comes from the cookie.',
  })
  @ApiProblems(401, 403)
  async refresh(
    @Body() dto: RefreshDto,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    const fromCookie = dto.refreshToken === undefined;
    if (fromCookie && dto.refreshTokenCookie !== true)
      throw invalidInput([
        {
          field: 'refreshToken',
          message: 'refreshToken is required unless refreshTokenCookie is true',
        },
      ]);
    const token = dto.refreshToken ?? this.cookie.read(request);
    try {
      const pair = await this.auth.refresh(token, origin);
      return this.cookie.deliver(pair, dto.refreshTokenCookie, request, reply);
    } catch (error) {
      // A cookie that no longer refreshes anything is removed, so the browser stops sending it.
      if (fromCookie && error instanceof DomainException && error.getStatus() === 401)
        this.cookie.clear(request, reply);
      throw error;
    }
  }

  /**
   * Ends the current session: its refresh and access tokens stop working at once. A refresh
   * cookie sent along is cleared.
   */
  @Post('logout')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  async logout(
    @CurrentUser() user: AuthUser,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(user.id, user.sessionId, origin);
    if (this.cookie.present(request)) this.cookie.clear(request, reply);
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
  @NotWhileImpersonating()
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
