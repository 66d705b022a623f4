import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob } from '../common/jobs/purge.job';
import { SessionsService } from './sessions.service';

@Injectable()
export class PurgeSessionsJob extends PurgeJob {
  constructor(private readonly sessions: SessionsService) {
    super('ended sessions');
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-sessions' })
  tick(): Promise<number> {
    return this.run();
  }

  protected purge(): Promise<number> {
    return this.sessions.purgeExpired();
  }
}
