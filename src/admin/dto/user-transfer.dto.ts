import { PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean } from 'class-validator';
import { Optional } from '../../common/dto/fields';
import { ListUsersQueryDto } from './admin-users.dto';

export class RefusedLineDto {
  /** The line's number in the file, from 1 (blank lines count). */
  line!: number;
  /** Why it was refused; never echoes the line. */
  reason!: string;
}

export class ImportReportDto {
  /** Users created. */
  created!: number;
  /** Lines whose email already had an account: nothing was changed. */
  skipped!: number;
  /** Of those created, the users without a password who were mailed an invitation. */
  invited!: number;
  /** How many lines were refused (each wrote nothing). */
  refusedCount!: number;
  /** The refused lines, the first 1000. */
  refused!: RefusedLineDto[];
}

/** The list's filters; `passwordHashes=true` adds our own hashes (see EXPORT_PASSWORD_HASHES). */
export class ExportUsersQueryDto extends PickType(ListUsersQueryDto, [
  'search',
  'role',
  'status',
  'metadata',
] as const) {
  /**
   * `true` includes each user's password hash as we store it (importable into a deployment with
   * the same PASSWORD_PEPPER). Needs `users:export-hashes` and EXPORT_PASSWORD_HASHES=true.
   */
  @Optional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  passwordHashes?: boolean;
}
