import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, ValidateBy } from 'class-validator';
import { isValidPhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import { NameField, Optional, UsernameField } from '../../common/dto/fields';
import { Permission } from '../../rbac/permissions';
import { GENDERS, LOCALES } from '../user.schema';
import type { Gender, Locale } from '../user.schema';
import { LinkedIdentityDto } from './linked-identity.dto';
import { UserDto } from './user.dto';

/**
 * A phone number in international form (`+` and the country code), validated against the
 * numbering plans of libphonenumber and stored in E.164 (`+14155552671`); `''` removes it.
 */
const PhoneField = () =>
  applyDecorators(
    Transform(({ value }) => {
      if (typeof value !== 'string') return value;
      const trimmed = value.trim();
      if (!trimmed.startsWith('+')) return trimmed;
      return parsePhoneNumberFromString(trimmed)?.number ?? trimmed;
    }),
    IsString(),
    ValidateBy({
      name: 'isE164Phone',
      validator: {
        validate: (value: unknown) =>
          value === '' ||
          (typeof value === 'string' && value.startsWith('+') && isValidPhoneNumber(value)),
        defaultMessage: () =>
          'must be a phone number in international E.164 form, e.g. +14155552671',
      },
    }),
    ApiProperty({
      example: '+14155552671',
      required: false,
      maxLength: 32,
      pattern: '^(\\+[0-9 ().-]{6,31})?$',
    }),
    MaxLength(32),
  );

/** `PATCH /users/me`: only these fields; anything else (`role`, `status`, `email`, …) is 400. */
export class UpdateProfileDto {
  /** `''` removes it. */
  @Optional()
  @NameField('Ada')
  firstName?: string;

  /** `''` removes it. */
  @Optional()
  @NameField('Lovelace')
  lastName?: string;

  /** `''` removes it. */
  @Optional()
  @IsIn([...GENDERS, ''])
  @ApiProperty({ enum: [...GENDERS, ''], required: false })
  gender?: Gender | '';

  @Optional()
  @UsernameField()
  username?: string;

  @Optional()
  @PhoneField()
  phone?: string;

  /** The language of mails (and of responses when a request sends no `Accept-Language`). */
  @Optional()
  @IsIn(LOCALES)
  @ApiProperty({ enum: LOCALES, required: false })
  locale?: Locale;
}

/** The signed-in user, with what their role allows (front ends hide what they cannot do). */
export class MeDto extends UserDto {
  @ApiProperty({ enum: Permission, enumName: 'Permission', isArray: true })
  permissions!: Permission[];
  /** False for an account created by a sign-in provider until a password is set (forgot/reset password). */
  hasPassword!: boolean;
  /** The sign-in providers linked to the account. */
  identities!: LinkedIdentityDto[];
}
