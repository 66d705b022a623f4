import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { SessionsService } from './sessions.service';

@Injectable()
export class PurgeSessionsJob extends PurgeJob {
  constructor(private readonly sessions: SessionsService) {
    super('ended sessions');
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-sessions' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.sessions.purgeExpired();
  }
}
