import { ApiProperty, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { PaginationQueryDto } from '../../common/dto/pagination.dto';
import { ROLE_NAME_PATTERN } from '../../rbac/dto/role.dto';
import { METADATA_SEARCH } from '../../users/metadata';
import { USER_STATUSES } from '../../users/user.schema';
import type { UserStatus } from '../../users/user.schema';
import { USER_SORTS } from '../../users/user-directory.service';
import type { UserSort } from '../../users/user-directory.service';

/**
 * Text with no control character (C0, DEL, C1). A NUL would reach the search's `$regex`, which
 * BSON cannot encode (a 500); none of them can be part of an email, a name or a username anyway.
 * A plain character class (no `u` flag): the OpenAPI document carries it as the `pattern`.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

export class ListUsersQueryDto extends PaginationQueryDto {
  /**
   * Case-insensitive, literal prefix of the email, username, first name, last name or
   * "first last" (regex characters are just characters; control characters are refused).
   */
  @Optional()
  @IsString()
  @MaxLength(100)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'must not contain control characters' })
  @ApiProperty({ required: false, pattern: NO_CONTROL_CHARACTERS.source })
  search?: string;

  @Optional()
  @IsString()
  @Matches(ROLE_NAME_PATTERN, { message: 'must be a role name' })
  @ApiProperty({ required: false, pattern: ROLE_NAME_PATTERN.source, example: 'admin' })
  role?: string;

  @Optional()
  @IsIn(USER_STATUSES)
  @ApiProperty({ enum: USER_STATUSES, required: false })
  status?: UserStatus;

  /**
   * A top-level key of the users' custom data: `<scope>.<key>` (the key is set) or
   * `<scope>.<key>:<value>` (its value is that text, or the number, boolean or null it spells),
   * with scope `public`, `private` or `unsafe` and a key of letters, digits, `_` or `-`
   * (e.g. `public.plan:pro`, `private.seats:5`).
   */
  @Optional()
  @IsString()
  @Matches(METADATA_SEARCH, { message: 'must be <public|private|unsafe>.<key>[:<value>]' })
  @ApiProperty({ required: false, pattern: METADATA_SEARCH.source, example: 'public.plan:pro' })
  metadata?: string;

  @Optional()
  @IsIn(USER_SORTS)
  @ApiProperty({ enum: USER_SORTS, required: false, default: '-createdAt' })
  sort?: UserSort;
}

/** The list's query without `status`: every pending invitation is `invited`. */
export class ListInvitationsQueryDto extends OmitType(ListUsersQueryDto, ['status'] as const) {}

const ADMIN_STATUSES = ['active', 'disabled'] as const;

export class SetStatusDto {
  /** `disabled` ends every session of the user at once; both are mailed to the user. */
  @IsIn(ADMIN_STATUSES)
  @ApiProperty({ enum: ADMIN_STATUSES })
  status!: (typeof ADMIN_STATUSES)[number];
}

export class SetRoleDto {
  /** A built-in (`user`, `admin`) or custom role. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Matches(ROLE_NAME_PATTERN, { message: 'must be a role name' })
  @ApiProperty({ example: 'admin', pattern: ROLE_NAME_PATTERN.source })
  role!: string;
}
