import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/decorators/public.decorator';
import { RequestOrigin } from '../common/events/domain-event';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { Origin } from '../common/http/request-origin';
import { AuthRateLimit } from '../common/rate/throttler.guard';
import { AuthService } from './auth.service';
import { TokenPairDto } from './dto/token-pair.dto';
import { MfaTokenDto, PasskeyStepDto } from './passkeys/dto/passkey.dto';
import { WEBAUTHN_OPTIONS } from './passkeys/passkeys.controller';
import { RefreshCookie } from './tokens/refresh-cookie';

/** The second step with a passkey (`method: "passkey"` in the login answer). */
@ApiTags('auth')
@AuthRateLimit()
@Public()
@Controller('auth/login/passkey')
export class LoginPasskeyController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookie: RefreshCookie,
  ) {}

  /**
   * Request options for `navigator.credentials.get`, limited to the account's passkeys, with a
   * challenge bound to this sign-in attempt (single use, 5 minutes). 401 `invalid_mfa_token`
   * when the token is not (or no longer) for a passkey step.
   */
  @Post('options')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'WebAuthn request options (JSON)', ...WEBAUTHN_OPTIONS })
  @ApiProblems(401)
  passkeyStepOptions(@Body() dto: MfaTokenDto): Promise<Record<string, unknown>> {
    return this.auth.secondStepOptions(dto.mfaToken);
  }

  /**
   * The signed challenge: the token pair (or the refresh cookie). Refusals as for the
   * username-less sign-in (`passkey_challenge_invalid`, `passkey_unknown` for a passkey of
   * another account, `passkey_rejected`, `passkey_cloned`); a refused passkey counts toward the
   * lockout like a wrong code.
   */
  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(401, 409)
  async passkeyStep(
    @Body() dto: PasskeyStepDto,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    const credential = dto.credential as unknown as AuthenticationResponseJSON;
    const pair = await this.auth.verifyLoginWithPasskey(dto.mfaToken, credential, origin);
    return this.cookie.deliver(pair, dto.refreshTokenCookie, request, reply);
  }
}
