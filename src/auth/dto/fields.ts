import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../password-policy';

/**
 * A password as typed: capped here before any work (128 code points may take 256 UTF-16 units);
 * a new one is then judged by the password policy (length in code points after NFKC,
 * commonness, characters), with a 400 naming the field.
 */
export const PasswordField = (example = 'correct horse battery staple') =>
  applyDecorators(
    IsString(),
    MinLength(1),
    MaxLength(PASSWORD_MAX_LENGTH * 2),
    ApiProperty({ example, minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 2 }),
  );

/**
 * A new password, documented as the policy judges it (12 to 128 code points by default, no
 * control characters); the policy then checks the configured length after NFKC and commonness.
 */
export const NewPasswordField = (example = 'correct horse battery staple') =>
  applyDecorators(
    IsString(),
    MinLength(1),
    MaxLength(PASSWORD_MAX_LENGTH * 2),
    ApiProperty({
      example,
      minLength: 12,
      maxLength: PASSWORD_MAX_LENGTH,
      pattern: '^[^\\u0000-\\u001f\\u007f-\\u009f]*$',
    }),
  );

/** A compact JWS as the server checks it; ASCII classes spelled out, as other regex dialects read `\\w` as Unicode. */
export const JWT_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export const JwtField = () =>
  applyDecorators(
    IsString(),
    MaxLength(4096),
    Matches(JWT_PATTERN, { message: 'must be a JWT' }),
    ApiProperty({
      pattern: JWT_PATTERN.source,
      maxLength: 4096,
      example: 'eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJtZmEifQ.c2lnbmF0dXJl',
    }),
  );

export const OTP_PATTERN = /^\d{6}$/;

export const OtpCodeField = () =>
  applyDecorators(
    IsString(),
    Matches(OTP_PATTERN, { message: 'must be 6 digits' }),
    ApiProperty({ example: '123456', pattern: OTP_PATTERN.source }),
  );

/** A 6-digit code, or a recovery code (`xxxxx-xxxxx`, case and hyphen optional). */
export const SECOND_FACTOR_PATTERN = /^(?:[0-9]{6}|[0-9A-Za-z]{5}-?[0-9A-Za-z]{5})$/;

export const SecondFactorCodeField = () =>
  applyDecorators(
    IsString(),
    Matches(SECOND_FACTOR_PATTERN, { message: 'must be 6 digits or a recovery code' }),
    ApiProperty({ example: '123456', pattern: SECOND_FACTOR_PATTERN.source }),
  );
