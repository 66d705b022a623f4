import { PasswordField } from './fields';

/** `DELETE /users/me`: the password again, so a stolen access token cannot delete the account. */
export class DeleteAccountDto {
  @PasswordField()
  password!: string;
}
