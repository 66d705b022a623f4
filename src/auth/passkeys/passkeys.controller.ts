import { NotWhileImpersonating } from '../../common/decorators/not-while-impersonating.decorator';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { AuthUser, CurrentUser } from '../../common/decorators/current-user.decorator';
import { RequestOrigin } from '../../common/events/domain-event';
import { ApiProblems } from '../../common/http/api-problems.decorator';
import { Origin } from '../../common/http/request-origin';
import { ParseObjectIdPipe } from '../../common/pipes/parse-object-id.pipe';
import { AuthRateLimit } from '../../common/rate/throttler.guard';
import { Authenticated } from '../../rbac/authenticated.decorator';
import {
  PasskeyDto,
  PasskeyListDto,
  PasskeyNameDto,
  PasskeyOptionsRequestDto,
  PasskeyRegistrationDto,
} from './dto/passkey.dto';
import { PasskeysService } from './passkeys.service';

export const WEBAUTHN_OPTIONS = {
  schema: { type: 'object', additionalProperties: true, required: ['challenge'] },
} as const;

/** The caller's passkeys. */
@ApiTags('me')
@AuthRateLimit()
@Authenticated()
@Controller('users/me/passkeys')
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  /**
   * Step one of adding a passkey: creation options for `navigator.credentials.create` (discoverable
   * credential preferred, user verification required; the challenge is single use, 5 minutes).
   * A step-up first: the password when the account has one (400 `invalid_credentials` when wrong,
   * under the sign-in lockout; missing: 400 `password_required`), else a full sign-in in the last
   * 10 minutes (403 `step_up_required`).
   */
  @Post('options')
  @NotWhileImpersonating()
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ description: 'WebAuthn creation options (JSON)', ...WEBAUTHN_OPTIONS })
  @ApiProblems(400, 403, 429)
  passkeyRegistrationOptions(
    @CurrentUser() caller: AuthUser,
    @Body() dto: PasskeyOptionsRequestDto,
    @Origin() origin: RequestOrigin,
  ): Promise<Record<string, unknown>> {
    return this.passkeys.registrationOptions(caller.id, dto.password, origin) as never;
  }

  /**
   * Step two: the new credential (as `toJSON()` gives it) and a name. Refused with 400
   * `passkey_challenge_invalid` (a challenge used, expired or issued to someone else), 401
   * `passkey_rejected` (origin, relying party, signature or user verification), 409
   * `passkey_already_registered`. A mail tells the owner.
   */
  @Post()
  @NotWhileImpersonating()
  @ApiProblems(409)
  registerPasskey(
    @CurrentUser() caller: AuthUser,
    @Body() dto: PasskeyRegistrationDto,
    @Origin() origin: RequestOrigin,
  ): Promise<PasskeyDto> {
    const credential = dto.credential as unknown as RegistrationResponseJSON;
    return this.passkeys.register(caller.id, dto.name, credential, origin);
  }

  /** The caller's passkeys, oldest first (names, dates, backup state; never a key). */
  @Get()
  async listPasskeys(@CurrentUser() caller: AuthUser): Promise<PasskeyListDto> {
    return { items: await this.passkeys.list(caller.id) };
  }

  /** Renames a passkey (audited); another user's or an unknown id is 404. */
  @Patch(':id')
  @NotWhileImpersonating()
  @ApiProblems(404)
  renamePasskey(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Body() dto: PasskeyNameDto,
    @Origin() origin: RequestOrigin,
  ): Promise<PasskeyDto> {
    return this.passkeys.rename(caller.id, id, dto.name, origin);
  }

  /**
   * Removes a passkey (a mail tells the owner). Refused (409 `last_sign_in_method`) when it is the
   * only way into the account: no password, no provider, no other passkey.
   */
  @Delete(':id')
  @NotWhileImpersonating()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiProblems(404, 409)
  removePasskey(
    @CurrentUser() caller: AuthUser,
    @Param('id', ParseObjectIdPipe) id: string,
    @Origin() origin: RequestOrigin,
  ): Promise<void> {
    return this.passkeys.remove(caller.id, id, origin);
  }
}
