import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { AuditEntryDto } from '../audit/dto/audit-entry.dto';
import { Page } from '../common/dto/pagination.dto';
import { parseRfc3339 } from '../common/dto/rfc3339';
import { ApiPage } from '../common/http/api-page.decorator';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { AuditQueryDto } from './dto/audit-query.dto';

@ApiTags('admin')
@Controller('admin/audit-logs')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  /** The audit log, newest first, filtered by actor, action, target and time range. */
  @Get()
  @RequirePermissions(Permission.AuditRead)
  @ApiPage(AuditEntryDto)
  listAuditLogs(@Query() query: AuditQueryDto): Promise<Page<AuditEntryDto>> {
    // A range that ends before it starts simply holds nothing (an empty page).
    const from = query.from ? parseRfc3339(query.from) : undefined;
    const to = query.to ? parseRfc3339(query.to) : undefined;
    return this.audit.query({ ...query, from, to });
  }
}
