import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { PaginationQueryDto } from '../../common/dto/pagination.dto';
import { IsRfc3339DateTime } from '../../common/dto/rfc3339';

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

  /** From this instant (an RFC 3339 date-time), inclusive. */
  @Optional()
  @IsRfc3339DateTime()
  @ApiProperty({ format: 'date-time', required: false })
  from?: string;

  /** Up to this instant (an RFC 3339 date-time), inclusive. */
  @Optional()
  @IsRfc3339DateTime()
  @ApiProperty({ format: 'date-time', required: false })
  to?: string;
}
