import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Trims and lower-cases strings at the edge; anything else reaches the validators untouched. */
export const TrimLowercase = () => Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value));

export const EmailField = () =>
  applyDecorators(TrimLowercase(), IsEmail({}, { message: 'must be an email address' }), MaxLength(254), ApiProperty({ example: 'ada@example.com' }));

/** A password as typed; length and commonness are judged by the password policy (400 with the field). */
export const PasswordField = (example = 'correct horse battery staple') =>
  applyDecorators(IsString(), MinLength(1), MaxLength(1024), ApiProperty({ example, minLength: 12, maxLength: 128 }));

export const OtpCodeField = () =>
  applyDecorators(IsString(), Matches(/^\d{6}$/, { message: 'must be 6 digits' }), ApiProperty({ example: '123456' }));

export const UsernameField = () =>
  applyDecorators(
    TrimLowercase(),
    IsString(),
    Matches(/^[a-z0-9](?:[a-z0-9._-]{1,30})[a-z0-9]$/, { message: 'must be 3-32 letters, digits, dots, dashes or underscores' }),
    ApiProperty({ example: 'ada_l', required: false }),
  );
