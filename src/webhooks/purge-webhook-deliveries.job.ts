import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { Clock } from '../common/time/clock';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { WebhookOutbox } from './webhook-outbox.service';

/** How long a finished delivery (delivered or failed) stays visible in the console. */
export const DELIVERY_HISTORY_MS = 30 * 24 * 60 * 60_000;

/** Finished deliveries older than 30 days: the outbox would otherwise grow with every change. */
@Injectable()
export class PurgeWebhookDeliveriesJob extends PurgeJob {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly clock: Clock,
  ) {
    super('finished webhook deliveries');
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'purge-webhook-deliveries' })
  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected purge(): Promise<number> {
    return this.outbox.purgeFinishedBefore(
      new Date(this.clock.now().getTime() - DELIVERY_HISTORY_MS),
    );
  }
}
