import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { NormalizeIdentifier } from '../../common/dto/fields';
import { JwtField, PasswordField, SecondFactorCodeField } from './fields';
import { SECOND_STEP_NAMES, SecondStepName } from '../second-steps/second-step-methods';
import { RefreshCookieOptIn } from './refresh.dto';

/** The password step (`refreshTokenCookie` applies when no second step is needed). */
export class LoginDto extends RefreshCookieOptIn {
  /**
   * The account's email, or its username. Only looked up, never stored: text that can name no
   * account (registration refuses invisible characters) gets the same 401 as an unknown email.
   */
  @NormalizeIdentifier()
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @PasswordField()
  password!: string;
}

/** The answer to a correct password when a second step is needed. */
export class MfaChallengeDto {
  @ApiProperty({ type: 'boolean', enum: [true] })
  mfaRequired!: true;
  /**
   * Short-lived; send it with the code to /auth/login/verify (with `method: "passkey"`, to
   * /auth/login/passkey/options, then with the signed challenge to /auth/login/passkey/verify).
   */
  mfaToken!: string;
  @ApiProperty({ enum: SECOND_STEP_NAMES })
  method!: SecondStepName;
}

/** The second step. */
export class LoginVerifyDto extends RefreshCookieOptIn {
  /** The token from the login answer. */
  @JwtField()
  mfaToken!: string;

  /** The emailed 6-digit code; with `method: "totp"`, a code from the app or an unused recovery code. */
  @SecondFactorCodeField()
  code!: string;
}
