import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../users/dto/user.dto';

export class TokenPairDto {
  /** JWT for `Authorization: Bearer`. */
  accessToken!: string;
  /**
   * Opaque; single use: each refresh returns a new one. Absent when `refreshTokenCookie: true`
   * was asked for: it is then only in the HttpOnly cookie.
   */
  refreshToken?: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
  /** Seconds until the access token expires. */
  @ApiProperty({ type: 'integer', example: 900 })
  expiresIn!: number;
  user!: UserDto;
}
