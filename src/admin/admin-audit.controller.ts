import { Controller, Get, Query } from '@nestjs/common';
import { AuthUser, CurrentUser } from '../common/decorators/current-user.decorator';
import { ApiTags } from '@nestjs/swagger';
import { Page } from '../common/dto/pagination.dto';
import { parseRfc3339 } from '../common/dto/rfc3339';
import { ApiPage } from '../common/http/api-page.decorator';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { AuditView } from './audit-view.service';
import { AdminAuditEntryDto } from './dto/admin-audit-entry.dto';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('admin')
@Controller('admin/audit-logs')
export class AdminAuditController {
  constructor(private readonly audit: AuditView) {}

  /**
   * The audit log, newest first, filtered by actor, action, target and time range; each entry
   * embeds its `actor` (and a user `target`) as id, email and name when the caller also
   * holds `users:read`.
   */
  @Get()
  @RequirePermissions(Permission.AuditRead)
  @ApiPage(AdminAuditEntryDto)
  listAuditLogs(
    @Query() query: AuditQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<Page<AdminAuditEntryDto>> {
    // A range that ends before it starts simply holds nothing (an empty page).
    const from = query.from ? parseRfc3339(query.from) : undefined;
    const to = query.to ? parseRfc3339(query.to) : undefined;
    const withPeople = caller.permissions?.includes(Permission.UsersRead) ?? false;
    return this.audit.page({ ...query, from, to }, withPeople);
  }
}
