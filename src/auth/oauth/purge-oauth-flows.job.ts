import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PurgeJob, ScheduledRun } from '../../common/jobs/purge.job';
import { OAuthFlows } from './oauth-flows.service';

/** Expired sign-in flows and exchange codes (the development database's TTL indexes never fire). */
@Injectable()
export class PurgeOAuthFlowsJob extends PurgeJob {
  constructor(private readonly flows: OAuthFlows) {
    super('expired sign-in flows and codes');
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'purge-oauth-flows' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.flows.purgeExpired();
  }
}
