import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '../rbac/authenticated.decorator';
import { Permission } from '../rbac/permissions';
import { SessionsService } from '../sessions/sessions.service';
import { UserDirectory } from '../users/user-directory.service';
import { StatsDto } from './dto/stats.dto';

@ApiTags('admin')
@Controller('admin/stats')
export class StatsController {
  constructor(
    private readonly directory: UserDirectory,
    private readonly sessions: SessionsService,
  ) {}

  /** Users by status and role, sign-ups per day over 30 days, live sessions, asset totals. */
  @Get()
  @RequirePermissions(Permission.StatsRead)
  async getStats(): Promise<StatsDto> {
    const [users, active] = await Promise.all([this.directory.totals(), this.sessions.countLive()]);
    const { signupsLast30Days, ...totals } = users;
    return {
      users: totals,
      signupsLast30Days,
      sessions: { active },
      assets: { total: 0, bytes: 0 }, // the assets feature fills this in
    };
  }
}
