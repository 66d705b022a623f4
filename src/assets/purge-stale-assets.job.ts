import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { AssetsService } from './assets.service';

/**
 * Finishes uploads and deletions that stopped half-way (a crash, storage down): removes the file
 * of every stale pending or deleting record, then the record. Idempotent.
 */
@Injectable()
export class PurgeStaleAssetsJob extends PurgeJob {
  constructor(private readonly assets: AssetsService) {
    super('stale asset records and their files');
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'purge-stale-assets' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.assets.purgeStale();
  }
}
