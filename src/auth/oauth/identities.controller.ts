import { NotWhileImpersonating } from '../../common/decorators/not-while-impersonating.decorator';
import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/decorators/current-user.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { ParseObjectIdPipe } from '../../common/pipes/parse-object-id.pipe';
import { AuthRateLimit } from '../../common/rate/throttler.guard';
import { Authenticated } from '../../rbac/authenticated.decorator';
import { AuthorizationUrlDto, OAuthStartDto } from './dto/oauth.dto';
import { providerName } from './oauth.controller';
import { OAuthService } from './oauth.service';

/** The caller's linked sign-in providers (listed in `GET /users/me`). */
@ApiTags('me')
@AuthRateLimit()
@Authenticated()
@NotWhileImpersonating()
@Controller('users/me/identities')
export class IdentitiesController {
  constructor(private readonly oauth: OAuthService) {}

  /**
   * Starts linking a provider to the caller's account: the same flow as sign-in, but answered as
   * JSON (this is an authenticated XHR): send the browser to `authorizationUrl`; the callback
   * returns to `redirectUri` with a code whose exchange answers `{ identity }`. A provider
   * account already linked to someone else: the exchange answers 409 `identity_linked_elsewhere`.
   */
  @Post(':provider/start')
  @HttpCode(HttpStatus.OK)
  @ApiProblems(404, 503)
  async startIdentityLink(
    @CurrentUser() caller: AuthUser,
    @Param('provider') provider: string,
    @Body() dto: OAuthStartDto,
  ): Promise<AuthorizationUrlDto> {
    const started = await this.oauth.start(providerName(provider), dto.redirectUri, 'link', {
      userId: caller.id,
    });
    return { authorizationUrl: started.authorizationUrl };
  }

  /**
   * Unlinks a provider. Refused (409 `last_sign_in_method`) when it is the only way into the
   * account: no password and no other provider. Another user's identity: 404.
   */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  unlinkIdentity(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.oauth.unlink(caller.id, id, origin);
  }
}
