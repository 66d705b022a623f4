import { IsOptional, IsString, MaxLength } from 'class-validator';
import { EmailField, PasswordField, UsernameField } from './fields';

export class RegisterDto {
  @EmailField()
  email!: string;

  /** 12 to 128 characters (Unicode code points after NFKC); not a common password. */
  @PasswordField()
  password!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @IsOptional()
  @UsernameField()
  username?: string;
}
