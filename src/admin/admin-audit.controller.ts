import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { AuditEntryDto } from '../audit/dto/audit-entry.dto';
import { Page } from '../common/dto/pagination.dto';
import { invalidInput } from '../common/errors/domain.exception';
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
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && from > to)
      throw invalidInput([{ field: 'to', message: 'must not be before from' }]);
    return this.audit.query({ ...query, from, to });
  }
}
