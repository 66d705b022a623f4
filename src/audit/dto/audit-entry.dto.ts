import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One significant action, as the audit log kept it (never a password, hash, code or token). */
export class AuditEntryDto {
  @ApiProperty({ example: '665f1c2e8b3c4a0012345678' })
  id!: string;
  @ApiProperty({ format: 'date-time' })
  at!: string;
  /** Who did it (a user id); absent for anonymous attempts. */
  actorId?: string;
  @ApiProperty({ example: 'users.role_changed' })
  action!: string;
  @ApiProperty({ example: 'user', required: false })
  targetType?: string;
  targetId?: string;
  ip?: string;
  userAgent?: string;
  @ApiProperty({ enum: ['success', 'failure'] })
  outcome!: 'success' | 'failure';
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { from: 'user', to: 'admin' },
  })
  details?: Record<string, unknown>;
}
