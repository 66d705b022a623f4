import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { LinkedIdentityDto } from '../../../users/dto/linked-identity.dto';

/** A configured sign-in provider, for a front end's buttons. */
export class ProviderDto {
  /** The name in the routes: `google`, `facebook`, or a generic provider's name. */
  @ApiProperty({ example: 'google' })
  name!: string;
  @ApiProperty({ example: 'Google' })
  displayName!: string;
  /** `oidc` (OpenID Connect) or `oauth2` (Facebook). */
  @ApiProperty({ enum: ['oidc', 'oauth2'] })
  protocol!: 'oidc' | 'oauth2';
}

export class ProviderListDto {
  items!: ProviderDto[];
}

/** Where the front end wants the browser back; it must be in OAUTH_REDIRECT_ALLOWLIST. */
export class OAuthStartDto {
  /** An absolute URL listed in OAUTH_REDIRECT_ALLOWLIST (compared exactly). */
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  @ApiProperty({ example: 'https://app.example.com/auth/callback', maxLength: 2048 })
  redirectUri!: string;
}

/** The provider's authorization URL, for the front end to send the browser to. */
export class AuthorizationUrlDto {
  @ApiProperty({ example: 'https://accounts.google.com/o/oauth2/v2/auth?client_id=…' })
  authorizationUrl!: string;
}

export const OAUTH_CODE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export class OAuthExchangeDto {
  /** The one-time code from the front end's URL after the callback (60 seconds, single use). */
  @IsString()
  @Matches(OAUTH_CODE_PATTERN, { message: 'must be a sign-in code' })
  @ApiProperty({
    pattern: OAUTH_CODE_PATTERN.source,
    example: 'q5Xk2c0n0b8YzE4d8r3W1m9pL7tH6sJ5aQ2uV0xR3yI',
  })
  code!: string;
}

/** The answer to exchanging a link's code. */
export class LinkedIdentityEnvelopeDto {
  identity!: LinkedIdentityDto;
}

/** A user's linked sign-in providers, for the admin. */
export class LinkedIdentityListDto {
  items!: LinkedIdentityDto[];
}
