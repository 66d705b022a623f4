import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { webhooksConfig, WebhooksConfig } from '../config/configuration';
import { PurgeJob, ScheduledRun } from '../common/jobs/purge.job';
import { WebhookChangeSweeper } from './webhook-change-sweeper';

/**
 * Every WEBHOOK_SWEEP_INTERVAL, one instance (the job lease) writes the events a crash lost
 * between a user's change and its outbox entry (see WebhookChangeSweeper). A timer rather than
 * `@Cron`, so that the interval is configuration.
 */
@Injectable()
export class SweepWebhookChangesJob
  extends PurgeJob
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly sweeper: WebhookChangeSweeper,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {
    super('lost webhook events (written now)');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.sweepIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  tick(): Promise<ScheduledRun> {
    return this.runScheduled();
  }

  protected async purge(): Promise<number> {
    return (await this.sweeper.sweep(this.config.sweepSettleMs)).written;
  }
}
