import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { GRANT_TYPES, GrantType } from '../oidc-client.schema';

const trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
const redirectUri = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };
export const API_SCOPE = /^[a-z][a-z0-9._:-]{0,63}$/;

/** A new client. */
export class CreateOidcClientDto {
  /** Shown on the consent page and in the console. */
  @trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @ApiProperty({ example: 'Reports' })
  name!: string;

  /** `authorization_code` (users sign in), `refresh_token`, `client_credentials` (a service). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(GRANT_TYPES, { each: true })
  @ApiProperty({
    enum: GRANT_TYPES,
    isArray: true,
    minItems: 1,
    uniqueItems: true,
    example: ['authorization_code', 'refresh_token'],
  })
  grantTypes!: GrantType[];

  /** Where the code may be sent, compared exactly; required with `authorization_code`. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(redirectUri, { each: true })
  @MaxLength(2000, { each: true })
  @ApiProperty({ example: ['https://reports.example.com/callback'] })
  redirectUris?: string[];

  /** Where RP-initiated logout may return to, compared exactly. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUrl(redirectUri, { each: true })
  @MaxLength(2000, { each: true })
  postLogoutRedirectUris?: string[];

  /** API scopes the client may ask for with `client_credentials` (e.g. `reports:read`). */
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(API_SCOPE, { each: true })
  @ApiProperty({
    required: false,
    type: 'array',
    items: { type: 'string', pattern: API_SCOPE.source },
    maxItems: 50,
    uniqueItems: true,
    example: ['reports:read'],
  })
  scopes?: string[];

  /** Ours: users are not asked for consent. */
  @IsBoolean()
  firstParty!: boolean;

  /** A browser or native app without a secret (PKCE with S256 required). */
  @IsBoolean()
  public!: boolean;
}

export class OidcClientDto {
  @ApiProperty({ example: 'k3Jd9sQw0aZx7YbV1cNm2g' })
  clientId!: string;
  name!: string;
  @ApiProperty({ enum: GRANT_TYPES, isArray: true })
  grantTypes!: GrantType[];
  redirectUris!: string[];
  postLogoutRedirectUris!: string[];
  scopes!: string[];
  firstParty!: boolean;
  public!: boolean;
  createdAt!: string;
  /** When the secret was last replaced (confidential clients). */
  secretRotatedAt?: string;
}

/** A client just created, or its new secret: the only time the secret is shown. */
export class OidcClientWithSecretDto extends OidcClientDto {
  /** Confidential clients only; store it now: it is never shown again. */
  clientSecret?: string;
}

export class OidcClientListDto {
  /** Newest first. */
  items!: OidcClientDto[];
}
