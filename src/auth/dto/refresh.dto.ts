import { IsBoolean, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** `refreshTokenCookie` on the sign-in answers: where the client wants its refresh token. */
export class RefreshCookieOptIn {
  /**
   * `true` (browsers): the refresh token is set as an HttpOnly, SameSite=Strict cookie scoped to
   * /auth/refresh and /auth/logout instead of being returned in the body.
   */
  @IsOptional()
  @IsBoolean()
  refreshTokenCookie?: boolean;
}

/**
 * Either `refreshToken` in the body, or `refreshTokenCookie: true` with the token in the cookie
 * (and then the `X-Requested-With` header).
 */
export class RefreshDto extends RefreshCookieOptIn {
  /** The current refresh token; leave it out to use the cookie (`refreshTokenCookie: true`). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  refreshToken?: string;
}
