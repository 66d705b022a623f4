import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { isPersonName, PERSON_NAME_PATTERN, trimSpaces } from './person-name';

/**
 * An optional field: it may be left out, but `null` is not "absent" (it is refused by the
 * field's own validators, 400), so no null ever reaches a query or a stored document.
 * (class-validator's `@IsOptional()` lets `null` through.)
 */
export const Optional = () => ValidateIf((_object, value) => value !== undefined);

/** NFKC (fullwidth letters become ASCII), trimmed and lower-cased at the edge; anything else untouched. */
export const NormalizeIdentifier = () =>
  Transform(({ value }) =>
    typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : value,
  );

/**
 * Zero-width, bidi-control and other format characters, control characters and spaces: they
 * would let lookalike addresses (`ada\u200b@…`, `\u202e…`) become separate accounts.
 */
const VISIBLE = /^[^\p{Cf}\p{Cc}\p{Z}]*$/u;
const VisibleCharacters = () =>
  Matches(VISIBLE, { message: 'must not contain invisible, control or space characters' });

export const EmailField = () =>
  applyDecorators(
    NormalizeIdentifier(),
    IsString(),
    VisibleCharacters(),
    IsEmail({}, { message: 'must be an email address' }),
    MaxLength(254),
    ApiProperty({ example: 'ada@example.com', format: 'email', maxLength: 254 }),
  );

export const USERNAME_PATTERN = /^[a-z0-9](?:[a-z0-9._-]{1,30})[a-z0-9]$/;

export const UsernameField = () =>
  applyDecorators(
    NormalizeIdentifier(),
    IsString(),
    Matches(USERNAME_PATTERN, {
      message: 'must be 3-32 letters, digits, dots, dashes or underscores',
    }),
    ApiProperty({
      example: 'ada_l',
      pattern: USERNAME_PATTERN.source,
      minLength: 3,
      maxLength: 32,
    }),
  );

export const NAME_MAX_LENGTH = 100;

/**
 * A first or last name (registration, the profile): leading and trailing spaces trimmed, then
 * any script accepted, but no control, bidi-control or lone-surrogate character and never a
 * name with nothing visible (see person-name.ts); `''` stays allowed (it means "none").
 */
export const NameField = (example: string) =>
  applyDecorators(
    Transform(({ value }) => (typeof value === 'string' ? trimSpaces(value) : value)),
    IsString(),
    MaxLength(NAME_MAX_LENGTH),
    ValidateBy({
      name: 'isPersonName',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && (value === '' || isPersonName(value)),
        defaultMessage: () =>
          'must be a name: visible characters, without control, bidirectional-control or lone surrogate characters',
      },
    }),
    ApiProperty({
      example,
      required: false,
      maxLength: NAME_MAX_LENGTH,
      pattern: PERSON_NAME_PATTERN,
    }),
  );
