import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsJWT } from 'class-validator';
import { OTP_PURPOSES } from '../otp/otp.schema';
import type { OtpPurpose } from '../otp/otp.schema';
import { EmailField } from '../../common/dto/fields';
import { NewPasswordField, OtpCodeField, PasswordField } from './fields';

export class VerifyEmailDto {
  @EmailField()
  email!: string;

  @OtpCodeField()
  code!: string;
}

export class ResendOtpDto {
  @EmailField()
  email!: string;

  @IsIn(OTP_PURPOSES)
  @ApiProperty({ enum: OTP_PURPOSES })
  purpose!: OtpPurpose;
}

export class ForgotPasswordDto {
  @EmailField()
  email!: string;
}

export class ResetPasswordDto {
  @EmailField()
  email!: string;

  @OtpCodeField()
  code!: string;

  /** 12 to 128 characters; not a common password. */
  @NewPasswordField()
  newPassword!: string;
}

export class ChangePasswordDto {
  @PasswordField()
  currentPassword!: string;

  /** 12 to 128 characters; not a common password. */
  @NewPasswordField()
  newPassword!: string;
}

export class LoginVerifyDto {
  /** The token from the login answer. */
  @IsJWT()
  mfaToken!: string;

  /** The emailed 6-digit code. */
  @OtpCodeField()
  code!: string;
}
