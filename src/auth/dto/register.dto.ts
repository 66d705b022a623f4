import { IsString, MaxLength } from 'class-validator';
import { EmailField, Optional, UsernameField } from '../../common/dto/fields';
import { NewPasswordField } from './fields';

export class RegisterDto {
  @EmailField()
  email!: string;

  /** 12 to 128 characters (Unicode code points after NFKC); not a common password. */
  @NewPasswordField()
  password!: string;

  @Optional()
  @IsString()
  @MaxLength(100)
  firstName?: string;

  @Optional()
  @IsString()
  @MaxLength(100)
  lastName?: string;

  @Optional()
  @UsernameField()
  username?: string;
}
