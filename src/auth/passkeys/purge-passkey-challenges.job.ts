import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../../common/jobs/purge.job';
import { PasskeyChallenges } from './passkey-challenges.service';

/** The TTL index does this on real MongoDB; this job does it everywhere (see test-database.md). */
@Injectable()
export class PurgePasskeyChallengesJob extends PurgeJob {
  constructor(private readonly challenges: PasskeyChallenges) {
    super('expired passkey challenges');
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'purge-passkey-challenges' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.challenges.purgeExpired();
  }
}
