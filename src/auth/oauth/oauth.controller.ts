import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/decorators/public.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { negotiateLocale } from '../../common/i18n/locales';
import { AuthRateLimit } from '../../common/rate/throttler.guard';
import { MfaChallengeDto } from '../dto/login.dto';
import { TokenPairDto } from '../dto/token-pair.dto';
import {
  LinkedIdentityEnvelopeDto,
  OAuthExchangeDto,
  OAuthStartDto,
  ProviderListDto,
} from './dto/oauth.dto';
import { bindingCookieName, OAuthService, Started } from './oauth.service';
import { oauthErrors } from './oauth.errors';

/** A route segment that can name a provider; anything else names none (404). */
export function providerName(value: string): string {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(value) || value.length > 40)
    throw oauthErrors.unknownProvider();
  return value;
}

/** The query a provider sends back: only the first value of each parameter, none over 4 KiB. */
function callbackQuery(request: FastifyRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.length <= 4096) query[key] = first;
  }
  return query;
}

function cookies(request: FastifyRequest): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) jar[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return jar;
}

export function setBindingCookie(reply: FastifyReply, started: Started, secure: boolean): void {
  const { cookie } = started;
  if (!cookie) return;
  void reply.header(
    'set-cookie',
    `${cookie.name}=${cookie.value}; Path=${cookie.path}; Max-Age=${cookie.maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
}

/** Sign-in with Google, Facebook or an OpenID Connect provider (see the contract's flow). */
@ApiTags('auth')
@AuthRateLimit()
@Controller('auth')
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  /** The configured sign-in providers (none unless configured), for a front end's buttons. */
  @Public()
  @Get('providers')
  listProviders(): ProviderListDto {
    return { items: this.oauth.providers() };
  }

  /**
   * Starts a sign-in: 302 to the provider with `state`, `nonce` and a PKCE challenge (all single
   * use, 10 minutes), and a cookie binding the flow to this browser. Open it as a page (a link or
   * `window.location`), not with fetch. `redirectUri` must be in OAUTH_REDIRECT_ALLOWLIST.
   */
  @Public()
  @Get('oauth/:provider/start')
  @ApiFoundResponse({ description: 'To the provider (Location)' })
  @ApiProblems(404, 503)
  async startOAuth(
    @Param('provider') provider: string,
    @Query() query: OAuthStartDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started = await this.oauth.start(providerName(provider), query.redirectUri, 'sign_in', {
      locale: negotiateLocale(acceptLanguage),
    });
    setBindingCookie(reply, started, request.protocol === 'https');
    await reply.redirect(started.authorizationUrl, 302);
  }

  /**
   * Where the provider sends the browser back (register this URL at the provider). Completes the
   * exchange with the provider and answers 302 to the front end's `redirectUri` with a one-time
   * `code` (60 seconds) and nothing else: refusals too are read with that code. A `state` that is
   * unknown, used, expired, for another provider or from another browser: 400 `invalid_oauth_state`.
   */
  @Public()
  @Get('oauth/:provider/callback')
  @ApiQuery({ name: 'state', required: false, type: String })
  @ApiQuery({ name: 'code', required: false, type: String })
  @ApiQuery({ name: 'error', required: false, type: String })
  @ApiFoundResponse({ description: 'To the front end with ?code= (Location)' })
  @ApiProblems(404)
  async oauthCallback(
    @Param('provider') provider: string,
    @Origin() origin: RequestOrigin,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const name = providerName(provider);
    const query = callbackQuery(request);
    const jar = cookies(request);
    // The binding cookie has done its work (or never will): gone either way.
    const cookie = query.state ? bindingCookieName(query.state) : undefined;
    if (cookie && jar[cookie] !== undefined)
      void reply.header(
        'set-cookie',
        `${cookie}=; Path=${request.url.split('?')[0]}; Max-Age=0; HttpOnly; SameSite=Lax`,
      );
    await reply.redirect(await this.oauth.callback(name, query, jar, origin), 302);
  }

  /**
   * The one-time code for what the callback decided: a sign-in's token pair (or, with TOTP on,
   * `mfaRequired` with `method: "totp"` for `/auth/login/verify`), or a link's `{ identity }`.
   * Refusals: 409 `account_exists_sign_in_to_link`, 403 `oauth_email_not_verified`, 401
   * `oauth_failed`, 409 `identity_linked_elsewhere`, 403 `account_disabled`; a used or expired
   * code 400 `invalid_oauth_code`.
   */
  @Public()
  @Post('oauth/exchange')
  @HttpCode(HttpStatus.OK)
  @ApiExtraModels(TokenPairDto, MfaChallengeDto, LinkedIdentityEnvelopeDto)
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(TokenPairDto) },
        { $ref: getSchemaPath(MfaChallengeDto) },
        { $ref: getSchemaPath(LinkedIdentityEnvelopeDto) },
      ],
    },
  })
  @ApiProblems(401, 403, 409, 503)
  exchangeOAuthCode(
    @Body() dto: OAuthExchangeDto,
    @Origin() origin: RequestOrigin,
  ): Promise<TokenPairDto | MfaChallengeDto | LinkedIdentityEnvelopeDto> {
    return this.oauth.exchange(dto.code, origin);
  }
}
