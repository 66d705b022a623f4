import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { Clock } from '../common/time/clock';
import { AccountLifecycle } from './account-lifecycle.service';

/** A deletion that started this long ago and still has a user document was interrupted. */
export const DELETION_GRACE_MS = 60_000;

/** Finishes account deletions that stopped half-way (the account is already disabled). */
@Injectable()
export class FinishDeletionsJob extends PurgeJob {
  constructor(
    private readonly lifecycle: AccountLifecycle,
    private readonly clock: Clock,
  ) {
    super('interrupted account deletions');
  }

  @Cron(CronExpression.EVERY_5_MINUTES, { name: 'finish-deletions' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.lifecycle.finishInterrupted(
      new Date(this.clock.now().getTime() - DELETION_GRACE_MS),
    );
  }
}
