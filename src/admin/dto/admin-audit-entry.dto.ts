import { AuditEntryDto } from '../../audit/dto/audit-entry.dto';
import { UserSummaryDto } from '../../users/dto/user-summary.dto';

/** An audit entry as the admin API lists it: with who acted and, for a user target, who it was. */
export class AdminAuditEntryDto extends AuditEntryDto {
  /** The actor's email and name; absent when there is no actor or the account is gone. */
  actor?: UserSummaryDto;
  /** The target's email and name when `targetType` is `user` and the account still exists. */
  target?: UserSummaryDto;
}
