import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '../../users/dto/user.dto';

/** An admin's token to act as a user; there is no refresh token: it ends when it expires. */
export class ImpersonationDto {
  /** JWT for `Authorization: Bearer`, with `act.sub` the admin's id (RFC 8693). */
  accessToken!: string;
  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';
  /** Seconds until it expires (JWT_ACCESS_TTL); `POST /auth/logout` with it ends it sooner. */
  @ApiProperty({ example: 900 })
  expiresIn!: number;
  /** Who the token acts as. */
  user!: UserDto;
  /** The admin acting. */
  impersonatorId!: string;
}
