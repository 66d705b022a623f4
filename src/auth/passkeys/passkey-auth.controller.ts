import { Body, Controller, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/decorators/public.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { AuthRateLimit } from '../../common/rate/throttler.guard';
import { TokenPairDto } from '../dto/token-pair.dto';
import { RefreshCookie } from '../tokens/refresh-cookie';
import { PasskeySignInDto } from './dto/passkey.dto';
import { PasskeySignIn } from './passkey-sign-in.service';
import { WEBAUTHN_OPTIONS } from './passkeys.controller';

/** Username-less sign-in with a passkey: options, then the signed challenge. */
@ApiTags('auth')
@AuthRateLimit()
@Public()
@Controller('auth/passkeys')
export class PasskeyAuthController {
  constructor(
    private readonly passkeys: PasskeySignIn,
    private readonly cookie: RefreshCookie,
  ) {}

  /** Request options for `navigator.credentials.get` (no allow list; single use, 5 minutes). */
  @Post('options')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'WebAuthn request options (JSON)', ...WEBAUTHN_OPTIONS })
  passkeySignInOptions(): Promise<Record<string, unknown>> {
    return this.passkeys.options() as never;
  }

  /**
   * The signed challenge: the usual token pair (or the refresh cookie); the passkey with user
   * verification counts as both factors. 400 `passkey_challenge_invalid`, 401 `passkey_unknown`,
   * `passkey_rejected` or `passkey_cloned` (the signature counter went back), 429 as for a
   * password (the account's lockout), 403 `account_disabled`.
   */
  @Post('verify')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(401, 403, 429)
  async passkeySignIn(
    @Body() dto: PasskeySignInDto,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairDto> {
    const credential = dto.credential as unknown as AuthenticationResponseJSON;
    const pair = await this.passkeys.verify(credential, origin);
    return this.cookie.deliver(pair, dto.refreshTokenCookie, request, reply);
  }
}
