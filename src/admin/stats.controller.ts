import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AssetsService } from '../assets/assets.service';
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
    private readonly assets: AssetsService,
  ) {}

  /** Users by status and role, sign-ups per day over 30 days, live sessions, asset totals. */
  @Get()
  @RequirePermissions(Permission.StatsRead)
  async getStats(): Promise<StatsDto> {
    const [users, active, assets] = await Promise.all([
      this.directory.totals(),
      this.sessions.countLive(),
      this.assets.totals(),
    ]);
    const { signupsLast30Days, ...totals } = users;
    return {
      users: totals,
      signupsLast30Days,
      sessions: { active },
      assets,
    };
  }
}
