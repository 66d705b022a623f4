import { EmailField } from '../../common/dto/fields';
import { NewPasswordField, OtpCodeField, PasswordField } from './fields';

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

/** `DELETE /users/me/password`: the password once more, so a stolen access token cannot remove it. */
export class RemovePasswordDto {
  @PasswordField()
  password!: string;
}
