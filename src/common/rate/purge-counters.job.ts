import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../jobs/purge.job';
import { WindowCounter } from './window-counter.service';

@Injectable()
export class PurgeCountersJob extends PurgeJob {
  constructor(private readonly counters: WindowCounter) {
    super('ended counter windows');
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-counters' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.counters.purgeExpired();
  }
}
