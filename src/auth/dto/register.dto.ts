import { ApiProperty } from '@nestjs/swagger';
import { EmailField, NameField, Optional, UsernameField } from '../../common/dto/fields';
import { UserDto } from '../../users/dto/user.dto';
import { LOCALES } from '../../users/user.schema';
import type { Locale } from '../../users/user.schema';
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

/**
 * The sign-up as it now stands, and nothing else: what the request set, plus what every sign-up
 * starts with. No id and no timestamps, and nothing an earlier sign-up for the address left
 * behind, so the answer for a new address and for one already pending are the same (the id and
 * `createdAt` used to tell them apart). The account's id appears once it is verified.
 */
export class PendingSignUpDto {
  @ApiProperty({ example: 'ada@example.com' })
  email!: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  /** The language of the account's mails (from the sign-up's Accept-Language); unset means English. */
  @ApiProperty({ enum: LOCALES, required: false })
  locale?: Locale;
  @ApiProperty({ example: 'user' })
  role!: string;
  @ApiProperty({ enum: ['pending'] })
  status!: 'pending';
  @ApiProperty({ enum: [false] })
  emailVerified!: false;
  @ApiProperty({ enum: [false] })
  twoFactorEnabled!: false;
}

/** `{ user }`, as registration answers. */
export class SignUpEnvelopeDto {
  user!: PendingSignUpDto;
}

/** The pending account as registration may show it (see PendingSignUpDto). */
export function toPendingSignUp(user: UserDto): PendingSignUpDto {
  return {
    email: user.email,
    ...(user.username ? { username: user.username } : {}),
    ...(user.firstName ? { firstName: user.firstName } : {}),
    ...(user.lastName ? { lastName: user.lastName } : {}),
    ...(user.locale ? { locale: user.locale } : {}),
    role: user.role,
    status: 'pending',
    emailVerified: false,
    twoFactorEnabled: false,
  };
}
