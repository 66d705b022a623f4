import { Injectable, Logger } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { WebhookDispatcher } from '../webhooks/delivery/webhook-dispatcher';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { MetricsService } from './metrics.service';

/**
 * Webhook attempts by outcome (this instance's, since start) and the outbox's backlog (shared by
 * every instance, read at scrape time).
 */
@Injectable()
export class WebhookMetrics {
  private readonly logger = new Logger('Metrics');

  constructor(metrics: MetricsService, dispatcher: WebhookDispatcher, outbox: WebhookOutbox) {
    const registers = [metrics.registry];
    const logger = this.logger;
    new Counter({
      name: 'webhook_attempts_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retrying (another try is scheduled), refused (blocked address, retried), gone (410: endpoint disabled), failed (given up).',
      labelNames: ['outcome'] as const,
      registers,
      collect() {
        this.reset();
        for (const [outcome, count] of Object.entries(dispatcher.counts))
          this.inc({ outcome }, count);
      },
    });
    let backlog: Promise<{ pending: number; oldestAgeSeconds: number }> | undefined;
    // One query pair per scrape, shared by both gauges.
    const read = () =>
      (backlog ??= outbox.backlog().finally(() => setTimeout(() => (backlog = undefined), 0)));
    new Gauge({
      name: 'webhook_outbox_pending',
      help: 'Webhook deliveries waiting in the outbox (all instances).',
      registers,
      async collect() {
        try {
          this.set((await read()).pending);
        } catch (err) {
          logger.warn({ err }, 'could not read the webhook backlog');
          this.set(Number.NaN);
        }
      },
    });
    new Gauge({
      name: 'webhook_outbox_oldest_age_seconds',
      help: 'Age of the oldest webhook delivery still pending (0 when none).',
      registers,
      async collect() {
        try {
          this.set((await read()).oldestAgeSeconds);
        } catch {
          this.set(Number.NaN);
        }
      },
    });
  }
}
