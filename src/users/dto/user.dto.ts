import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GENDERS, LOCALES, USER_STATUSES } from '../user.schema';
import type { Gender, Locale, UserStatus } from '../user.schema';

/** A user as every client sees it: never a hash, a code, a token or a secret. */
export class UserDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  id!: string;
  @ApiProperty({ example: 'ada@example.com' })
  email!: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  @ApiProperty({ enum: GENDERS, required: false })
  gender?: Gender;
  /** E.164 phone number. */
  @ApiProperty({ example: '+447700900123', required: false })
  phone?: string;
  /** The language of the user's mails; unset means English. */
  @ApiProperty({ enum: LOCALES, required: false })
  locale?: Locale;
  avatarUrl?: string;
  @ApiProperty({ example: 'user' })
  role!: string;
  @ApiProperty({ enum: USER_STATUSES })
  status!: UserStatus;
  emailVerified!: boolean;
  twoFactorEnabled!: boolean;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
  @ApiProperty({ format: 'date-time', required: false })
  lastLoginAt?: string;
  /** Custom data admins write and the user reads (`{}` when none). */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { plan: 'pro' } })
  publicMetadata!: Record<string, unknown>;
  /** Custom data the user writes (`{}` when none): never trust it for a decision. */
  @ApiProperty({ type: 'object', additionalProperties: true, example: { theme: 'dark' } })
  unsafeMetadata!: Record<string, unknown>;
  /** Custom data only admins see (`{}` when none); in admin responses only. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  privateMetadata?: Record<string, unknown>;
}

/** `{ user }`, as registration and email verification answer. */
export class UserEnvelopeDto {
  user!: UserDto;
}
