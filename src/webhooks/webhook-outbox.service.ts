import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { INSTANCE_ID } from '../cluster/instance-id';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Actor } from '../common/decorators/current-actor.decorator';
import { WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import { DeliveryAttempt, WebhookDelivery } from './webhook-delivery.schema';
import { WebhookEndpoints } from './webhook-endpoints.service';
import { WebhookEvent } from './webhook-payloads';
import { newMessageId } from './webhook-signer';

/** How many attempts a delivery keeps (the count goes on). */
const KEPT_ATTEMPTS = 20;
const RECENT = 50;

/** A delivery this instance holds: `claim` proves it when the result is written. */
export type ClaimedDelivery = WebhookDelivery & { claim: string };

/** What became of an attempt: the next try's time, or the final state. */
export type Settlement =
  { state: 'pending'; dueAt: Date } | { state: 'delivered' } | { state: 'failed' };

/**
 * The outbox: written when a change happens, read by the worker of whichever instance takes
 * each entry. Every state change is one conditional update, so two instances never both hold an
 * entry, and a holder that lost it (its lease ran out) cannot overwrite the new holder's result.
 */
@Injectable()
export class WebhookOutbox {
  private readonly listeners = new Set<() => void>();

  constructor(
    @InjectModel(WebhookDelivery.name) private readonly model: Model<WebhookDelivery>,
    private readonly endpoints: WebhookEndpoints,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * One entry per subscribed endpoint, under one message id; the worker is woken at once. With a
   * `key`, an endpoint that already has an entry under that key gets no second one (two writers
   * of the same event: the sweeper on two instances, a deletion finished twice).
   */
  async enqueue(event: WebhookEvent, key?: string): Promise<number> {
    const targets = await this.endpoints.subscribedTo(event.type);
    if (targets.length === 0) return 0;
    const now = this.clock.now();
    const messageId = newMessageId();
    const body = JSON.stringify(event);
    const entries = targets.map((endpointId) => ({
      ...(key ? { key: `${String(endpointId)}:${key}` } : {}),
      endpointId,
      messageId,
      type: event.type,
      body,
      state: 'pending',
      dueAt: now,
      attemptCount: 0,
      attempts: [],
      createdAt: now,
    }));
    let written = targets.length;
    try {
      await this.model.insertMany(entries, { ordered: false });
    } catch (error) {
      // Only duplicates of keyed entries are expected; the others were written.
      const refused = duplicatesOnly(error);
      if (refused === undefined) throw error;
      written -= refused;
    }
    if (written > 0) this.wake();
    return written;
  }

  /** Called when new entries are due now. */
  onEnqueued(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Takes the oldest due entry for `leaseMs`: its `dueAt` moves past the lease, so no one else
   * sees it due until then; if this instance dies holding it, the time comes again and another
   * instance takes it (at-least-once).
   */
  async claim(leaseMs: number): Promise<ClaimedDelivery | null> {
    const now = this.clock.now();
    const claim = randomBytes(12).toString('base64url');
    const doc = await this.model
      .findOneAndUpdate(
        { state: 'pending', dueAt: { $lte: now } },
        { $set: { dueAt: new Date(now.getTime() + leaseMs), claim, holder: INSTANCE_ID } },
        { sort: { dueAt: 1 }, new: true },
      )
      .lean();
    return doc ? ({ ...doc, claim } as ClaimedDelivery) : null;
  }

  /** Writes an attempt and what follows it, only if this claim still holds the entry. */
  async settle(
    held: ClaimedDelivery,
    attempt: DeliveryAttempt,
    next: Settlement,
  ): Promise<boolean> {
    const set: Record<string, unknown> = { state: next.state };
    if (next.state === 'pending') set.dueAt = next.dueAt;
    if (next.state === 'delivered') set.deliveredAt = this.clock.now();
    const res = await this.model.updateOne(
      { _id: held._id, claim: held.claim, state: 'pending' },
      {
        $set: set,
        $unset: { claim: 1 },
        $inc: { attemptCount: 1 },
        $push: { attempts: { $each: [attempt], $slice: -KEPT_ATTEMPTS } },
      },
    );
    return res.modifiedCount === 1;
  }

  /** True when the endpoint has delivered anything since `since` (it is not failing throughout). */
  async deliveredSince(endpointId: Types.ObjectId, since: Date): Promise<boolean> {
    const found = await this.model.exists({ endpointId, deliveredAt: { $gte: since } });
    return found !== null;
  }

  /** The endpoint's latest deliveries (404 for an unknown endpoint). */
  async recent(endpointId: string): Promise<WebhookDeliveryDto[]> {
    await this.endpoints.get(endpointId);
    const docs = await this.model
      .find({ endpointId: new Types.ObjectId(endpointId) })
      .sort({ createdAt: -1, _id: -1 })
      .limit(RECENT)
      .lean();
    return docs.map(toDeliveryDto);
  }

  /**
   * "Send again": a new entry with the same message id and body, due now (the receiver can tell
   * it is the same event); the old entry keeps its history.
   */
  async resend(endpointId: string, deliveryId: string, actor: Actor): Promise<WebhookDeliveryDto> {
    const original = await this.model
      .findOne({ _id: deliveryId, endpointId: new Types.ObjectId(endpointId) })
      .lean();
    if (!original) throw notFound('The delivery');
    const now = this.clock.now();
    const doc = await this.model.create({
      endpointId: original.endpointId,
      messageId: original.messageId,
      type: original.type,
      body: original.body,
      state: 'pending',
      dueAt: now,
      attemptCount: 0,
      attempts: [],
      createdAt: now,
    });
    this.wake();
    this.events.emit('webhooks.resent', {
      actorId: actor.id,
      targetType: 'webhook',
      targetId: endpointId,
      ...actor.origin,
      outcome: 'success',
      details: { deliveryId, type: original.type },
    });
    return toDeliveryDto(doc.toObject());
  }

  /** Entries of a deleted endpoint go with it. */
  async dropFor(endpointId: string): Promise<void> {
    await this.model.deleteMany({ endpointId: new Types.ObjectId(endpointId) });
  }

  /** Deletes delivered and failed entries created before `cutoff`; pending ones always stay. */
  async purgeFinishedBefore(cutoff: Date): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({
      state: { $in: ['delivered', 'failed'] },
      createdAt: { $lt: cutoff },
    });
    return deletedCount;
  }

  /** Pending entries and the age of the oldest, for /metrics. */
  async backlog(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const [pending, oldest] = await Promise.all([
      this.model.countDocuments({ state: 'pending' }),
      this.model.findOne({ state: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
    ]);
    const age = oldest ? (this.clock.now().getTime() - oldest.createdAt.getTime()) / 1000 : 0;
    return { pending, oldestAgeSeconds: Math.max(0, age) };
  }

  private wake(): void {
    for (const listener of this.listeners) listener();
  }
}

/** How many inserts a bulk write refused as duplicates, or undefined if anything else failed. */
function duplicatesOnly(error: unknown): number | undefined {
  const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] })
    ?.writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return undefined;
  const codes = writeErrors.map((e) => e.code ?? e.err?.code);
  return codes.every((code) => code === 11000) ? writeErrors.length : undefined;
}

function toDeliveryDto(doc: WebhookDelivery): WebhookDeliveryDto {
  return {
    id: String(doc._id),
    messageId: doc.messageId,
    type: doc.type,
    state: doc.state,
    attemptCount: doc.attemptCount,
    attempts: doc.attempts.map((a) => ({
      at: a.at.toISOString(),
      ...(a.status !== undefined ? { status: a.status } : {}),
      durationMs: a.durationMs,
      ...(a.response !== undefined ? { response: a.response } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
    })),
    createdAt: doc.createdAt.toISOString(),
    ...(doc.deliveredAt ? { deliveredAt: doc.deliveredAt.toISOString() } : {}),
    ...(doc.state === 'pending' ? { nextAttemptAt: doc.dueAt.toISOString() } : {}),
  };
}
