import { ApiProperty } from '@nestjs/swagger';

export class SessionDto {
  id!: string;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time' })
  lastUsedAt!: string;
  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;
  ip?: string;
  userAgent?: string;
  /** An administrator's support session as this user (impersonation). */
  impersonated?: boolean;
  /** True for the session of the token making this request. */
  current!: boolean;
}

export class SessionListDto {
  items!: SessionDto[];
}
