import { Optional } from '../../../common/dto/fields';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { JwtField } from '../../dto/fields';
import { RefreshCookieOptIn } from '../../dto/refresh.dto';
import { PASSWORD_MAX_LENGTH } from '../../password-policy';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const B64 = { message: '$property must be base64url' };

/** A stored passkey as its owner sees it (never its key). */
export class PasskeyDto {
  @ApiProperty({ example: '665f1c2e9b1d4a3f8c2e1a0b' })
  id!: string;
  /** The owner's name for it. */
  @ApiProperty({ example: 'Work laptop' })
  name!: string;
  /** `multiDevice`: may be synced between devices (backup eligible). */
  @ApiProperty({ enum: ['singleDevice', 'multiDevice'] })
  deviceType!: 'singleDevice' | 'multiDevice';
  /** Whether it was backed up (synced) at its last use. */
  backedUp!: boolean;
  createdAt!: string;
  lastUsedAt?: string;
}

export class PasskeyListDto {
  items!: PasskeyDto[];
}

/** The step-up before a passkey is added: the password, when the account has one. */
export class PasskeyOptionsRequestDto {
  /** The current password (accounts without one need a full sign-in in the last 10 minutes). */
  @Optional() // null is refused (400), not taken for "no password" (it was a 500)
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX_LENGTH * 2)
  @ApiProperty({ required: false, example: 'correct horse battery staple' })
  password?: string;
}

export class PasskeyNameDto {
  /** A name to tell it from the others ("Work laptop", "YubiKey"). */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @ApiProperty({ example: 'Work laptop' })
  name!: string;
}

class AttestationResponseDto {
  @IsString() @Matches(BASE64URL, B64) @MaxLength(8192) clientDataJSON!: string;
  @IsString() @Matches(BASE64URL, B64) @MaxLength(16384) attestationObject!: string;
  @IsOptional() @IsString() @Matches(BASE64URL, B64) @MaxLength(8192) authenticatorData?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) transports?: string[];
  @IsOptional() publicKeyAlgorithm?: number;
  @IsOptional() @IsString() @Matches(BASE64URL, B64) @MaxLength(8192) publicKey?: string;
}

class AssertionResponseDto {
  @IsString() @Matches(BASE64URL, B64) @MaxLength(8192) clientDataJSON!: string;
  @IsString() @Matches(BASE64URL, B64) @MaxLength(8192) authenticatorData!: string;
  @IsString() @Matches(BASE64URL, B64) @MaxLength(8192) signature!: string;
  @IsOptional() @IsString() @Matches(BASE64URL, B64) @MaxLength(1024) userHandle?: string;
}

/** What `navigator.credentials` answered, as its `toJSON()` (or @simplewebauthn/browser) gives it. */
abstract class CredentialJsonDto {
  @IsString() @MinLength(1) @Matches(BASE64URL, B64) @MaxLength(1024) id!: string;
  @IsString() @MinLength(1) @Matches(BASE64URL, B64) @MaxLength(1024) rawId!: string;
  @Equals('public-key') @ApiProperty({ enum: ['public-key'] }) type!: 'public-key';
  @IsOptional() @IsIn(['platform', 'cross-platform']) authenticatorAttachment?:
    'platform' | 'cross-platform';
  @IsObject() clientExtensionResults!: Record<string, unknown>;
}

export class RegistrationCredentialDto extends CredentialJsonDto {
  @ValidateNested() @Type(() => AttestationResponseDto) response!: AttestationResponseDto;
}

/** A passkey's signed challenge (also checked by the OpenID sign-in pages, outside Nest's pipe). */
export class AuthenticationCredentialDto extends CredentialJsonDto {
  @ValidateNested() @Type(() => AssertionResponseDto) response!: AssertionResponseDto;
}

export class PasskeyRegistrationDto extends PasskeyNameDto {
  @ValidateNested() @Type(() => RegistrationCredentialDto) credential!: RegistrationCredentialDto;
}

/** The signed challenge from `navigator.credentials.get`. */
export class PasskeySignInDto extends RefreshCookieOptIn {
  @ValidateNested()
  @Type(() => AuthenticationCredentialDto)
  credential!: AuthenticationCredentialDto;
}

export class MfaTokenDto {
  /** The token from the login answer (`method: "passkey"`). */
  @JwtField()
  mfaToken!: string;
}

/** The second step with a passkey. */
export class PasskeyStepDto extends PasskeySignInDto {
  /** The token from the login answer (`method: "passkey"`). */
  @JwtField()
  mfaToken!: string;
}
