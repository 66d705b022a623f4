import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/time/clock';
import { webhooksConfig, WebhooksConfig } from '../../config/configuration';
import { DeliveryAttempt } from '../webhook-delivery.schema';
import { WebhookEndpoints } from '../webhook-endpoints.service';
import { ClaimedDelivery, Settlement, WebhookOutbox } from '../webhook-outbox.service';
import { signatureHeaders } from '../webhook-signer';
import { nextDelayMs, parseRetryAfter } from './retry-schedule';
import { resolveTarget } from './target-url';
import { send, SendOutcome } from './webhook-sender';

/** How an attempt ended, for the counters on /metrics. */
export type AttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'gone' | 'refused';

/**
 * One attempt at one delivery the worker holds: resolve and check the address, sign with the
 * endpoint's current secrets, POST, and write what happened (next try, delivered, or given up).
 * A 410 turns the endpoint off; so does the end of the schedule when nothing reached it meanwhile.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('Webhooks');
  readonly counts: Record<AttemptOutcome, number> = {
    delivered: 0,
    retrying: 0,
    failed: 0,
    gone: 0,
    refused: 0,
  };

  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly endpoints: WebhookEndpoints,
    private readonly clock: Clock,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
  ) {}

  /** The lease a worker takes for one attempt: the deadline and room for the writes around it. */
  get leaseMs(): number {
    return this.config.timeoutMs * 2 + 5_000;
  }

  async attempt(held: ClaimedDelivery): Promise<void> {
    const endpoint = await this.endpoints.forSending(held.endpointId);
    const at = this.clock.now();
    if (!endpoint || !endpoint.enabled) {
      // Off (by an admin, a 410 or a day of failures) or gone: nothing is sent.
      await this.outbox.settle(
        held,
        { at, durationMs: 0, error: 'endpoint_disabled' },
        { state: 'failed' },
      );
      this.counts.failed += 1;
      return;
    }
    const target = await resolveTarget(endpoint.url, this.config.allowPrivateNetworks);
    let outcome: SendOutcome | { error: string; durationMs: number };
    if (typeof target === 'string') outcome = { error: target, durationMs: 0 };
    else {
      const headers = signatureHeaders(held.messageId, at, held.body, endpoint.secrets);
      outcome = await send(target, headers, held.body, this.config.timeoutMs);
    }
    const attempt: DeliveryAttempt = {
      at,
      durationMs: outcome.durationMs,
      ...('status' in outcome
        ? { status: outcome.status, response: outcome.response }
        : { error: outcome.error }),
    };
    const [next, counted] = this.settlement(held, outcome);
    const kept = await this.outbox.settle(held, attempt, next);
    if (!kept) return; // the lease ran out and another instance took it: its result stands
    this.counts[counted] += 1;
    if (counted === 'gone') await this.endpoints.disable(endpoint.id, 'gone');
    if (
      counted === 'failed' &&
      !(await this.outbox.deliveredSince(held.endpointId, held.createdAt))
    ) {
      this.logger.warn(
        { endpoint: endpoint.id },
        'webhook endpoint failed for the whole schedule: disabled',
      );
      await this.endpoints.disable(endpoint.id, 'failing');
    }
  }

  private settlement(
    held: ClaimedDelivery,
    outcome: SendOutcome | { error: string; durationMs: number },
  ): [Settlement, AttemptOutcome] {
    if ('status' in outcome && outcome.status >= 200 && outcome.status < 300)
      return [{ state: 'delivered' }, 'delivered'];
    if ('status' in outcome && outcome.status === 410) return [{ state: 'failed' }, 'gone'];
    const retryAfter =
      'status' in outcome ? parseRetryAfter(outcome.retryAfter, this.clock.now()) : undefined;
    const delay = nextDelayMs(this.config.retryScheduleMs, held.attemptCount + 1, retryAfter);
    if (delay === undefined) return [{ state: 'failed' }, 'failed'];
    const refused = !('status' in outcome) && outcome.error === 'blocked_address';
    return [
      { state: 'pending', dueAt: new Date(this.clock.now().getTime() + delay) },
      refused ? 'refused' : 'retrying',
    ];
  }
}
