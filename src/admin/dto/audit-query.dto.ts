import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { PaginationQueryDto } from '../../common/dto/pagination.dto';

export class AuditQueryDto extends PaginationQueryDto {
  /** Entries by this user id. */
  @Optional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  /** One action, e.g. `auth.login.failed`. */
  @Optional()
  @IsString()
  @Matches(/^[a-z0-9_.]{1,64}$/, { message: 'must be an action name such as auth.login.failed' })
  action?: string;

  /** Entries about this target (a user id, session id or role name). */
  @Optional()
  @IsString()
  @MaxLength(64)
  targetId?: string;

  /** From this instant (ISO 8601), inclusive. */
  @Optional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  @ApiProperty({ format: 'date-time', required: false })
  from?: string;

  /** Up to this instant (ISO 8601), inclusive. */
  @Optional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  @ApiProperty({ format: 'date-time', required: false })
  to?: string;
}
