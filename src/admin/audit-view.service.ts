import { Injectable } from '@nestjs/common';
import { AuditQuery, AuditService } from '../audit/audit.service';
import { Page } from '../common/dto/pagination.dto';
import { UserDirectory } from '../users/user-directory.service';
import { AdminAuditEntryDto } from './dto/admin-audit-entry.dto';

/**
 * The audit log with people in it: one page of entries, then one query for the summaries of every
 * actor and user target on it, for a caller who may read users (emails are theirs to see, not
 * audit:read's). The audit feature keeps depending on `common` only.
 */
@Injectable()
export class AuditView {
  constructor(
    private readonly audit: AuditService,
    private readonly directory: UserDirectory,
  ) {}

  async page(query: AuditQuery, withPeople: boolean): Promise<Page<AdminAuditEntryDto>> {
    const page = await this.audit.query(query);
    if (!withPeople) return page;
    const userTarget = (e: AdminAuditEntryDto) =>
      e.targetType === 'user' ? e.targetId : undefined;
    const people = await this.directory.summaries(
      page.items.flatMap((entry) => [entry.actorId, userTarget(entry)]),
    );
    const items = page.items.map((entry) => {
      const actor = entry.actorId ? people.get(entry.actorId) : undefined;
      const targetId = userTarget(entry);
      const target = targetId ? people.get(targetId) : undefined;
      return { ...entry, ...(actor ? { actor } : {}), ...(target ? { target } : {}) };
    });
    return { ...page, items };
  }
}
