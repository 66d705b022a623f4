import { EmailField, NameField, Optional, UsernameField } from '../../common/dto/fields';
import { NewPasswordField } from './fields';

export class RegisterDto {
  @EmailField()
  email!: string;

  /** 12 to 128 characters (Unicode code points after NFKC); not a common password. */
  @NewPasswordField()
  password!: string;

  @Optional()
  @NameField('Ada')
  firstName?: string;

  @Optional()
  @NameField('Lovelace')
  lastName?: string;

  @Optional()
  @UsernameField()
  username?: string;
}
