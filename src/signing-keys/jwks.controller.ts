import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../common/decorators/public.decorator';
import { JwkSetDto } from './dto/signing-key.dto';
import { SigningKeys } from './signing-keys.service';

/**
 * How long a verifier may keep the key set. A next key is published JWT_KEY_PUBLISH_AHEAD
 * (15 minutes at least) before it signs, so a cached copy always knows it in time.
 */
export const JWKS_MAX_AGE_S = 600;

/**
 * The public keys, outside the API prefix at the well-known path (RFC 8414, RFC 7517), for any
 * service that checks our access tokens: no token, no rate limit (a static, cheap answer).
 */
@ApiTags('keys')
@Public()
@SkipThrottle()
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeys) {}

  /**
   * The JSON Web Key Set that verifies access tokens (ES256): the key that signs now, the next
   * one (published ahead of its use) and retired ones still within their grace. Match a token's
   * `kid` header to a key's `kid`.
   */
  @Get('jwks.json')
  @Header('Cache-Control', `public, max-age=${JWKS_MAX_AGE_S}`)
  @ApiOkResponse({ type: JwkSetDto })
  getJwks(): JwkSetDto {
    return this.keys.jwks();
  }
}
