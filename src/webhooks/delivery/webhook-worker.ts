import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { webhooksConfig, WebhooksConfig } from '../../config/configuration';
import { WebhookOutbox } from '../webhook-outbox.service';
import { WebhookDispatcher } from './webhook-dispatcher';

/**
 * Takes due deliveries from the outbox and runs up to WEBHOOK_CONCURRENCY attempts at once. It
 * looks again every WEBHOOK_POLL_INTERVAL (for retries, and for entries a crashed instance held)
 * and at once when this instance writes new entries. On shutdown it stops taking and lets the
 * attempts in flight finish; an attempt cut short is taken again when its lease runs out.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private filling = false;
  private again = false;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly dispatcher: WebhookDispatcher,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.deliver) return;
    this.running = true;
    this.unsubscribe = this.outbox.onEnqueued(() => void this.fill());
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    await Promise.allSettled([...this.inFlight]);
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(
      () => void this.fill().finally(() => this.schedule()),
      this.config.pollIntervalMs,
    );
    this.timer.unref();
  }

  /** Takes due entries until the slots are full or none is due. */
  private async fill(): Promise<void> {
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.again = false;
        while (this.running && this.inFlight.size < this.config.concurrency) {
          const held = await this.outbox.claim(this.dispatcher.leaseMs);
          if (!held) break;
          const task: Promise<void> = this.dispatcher
            .attempt(held)
            .catch((err: unknown) => this.logger.error({ err }, 'a webhook attempt failed'))
            .finally(() => {
              this.inFlight.delete(task);
              void this.fill();
            });
          this.inFlight.add(task);
        }
      } while (this.again && this.running);
    } catch (err) {
      this.logger.warn({ err }, 'could not read the webhook outbox');
    } finally {
      this.filling = false;
    }
  }
}
