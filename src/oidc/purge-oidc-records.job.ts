import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { OidcStore } from './oidc-store';

/** Expired codes, tokens, sessions and interactions (the TTL index's work where it does not run). */
@Injectable()
export class PurgeOidcRecordsJob extends PurgeJob {
  constructor(private readonly store: OidcStore) {
    super('expired OpenID provider records');
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-oidc-records' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.store.purgeExpired();
  }
}
