import { ApiProperty } from '@nestjs/swagger';

/** A sign-in provider account linked to the user (Google, Facebook, an OpenID Connect provider). */
export class LinkedIdentityDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345679' })
  id!: string;
  /** The provider's name, as `GET /auth/providers` lists it. */
  @ApiProperty({ example: 'google' })
  provider!: string;
  /** The email the provider gave when the identity was linked (for display). */
  @ApiProperty({ example: 'ada@gmail.com', required: false })
  email?: string;
  @ApiProperty({ format: 'date-time' })
  linkedAt!: string;
  @ApiProperty({ format: 'date-time', required: false })
  lastUsedAt?: string;
}
