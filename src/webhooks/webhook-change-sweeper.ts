import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { Clock } from '../common/time/clock';
import type { UserDto } from '../users/dto/user.dto';
import { UsersService } from '../users/users.service';
import { WebhookEventType } from './webhook-event-types';
import { toWebhookUser, WebhookUser } from './webhook-payloads';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookSweepState } from './webhook-sweep-state.schema';
import { WebhookUserMark } from './webhook-user-mark.schema';

/** Changes older than this are not looked for (a deployment down longer loses them). */
export const SWEEP_HORIZON_MS = 24 * 60 * 60_000;
const BATCH = 500;
/** The state document of this sweep (see WebhookSweepState). */
const WATERMARK_ID = 'user-changes';

/** What one sweep did: users read (checked against their marks) and events written. */
export interface SweepResult {
  read: number;
  written: number;
}

type State = Omit<WebhookUser, 'updatedAt'>;

/**
 * Durability without transactions: the change to a user and its outbox entry are two writes, so
 * a process that dies between them would lose the event. Every user write bumps `updatedAt` in
 * the same update; the listener records, after each entry it writes, the user's `updatedAt` and
 * state (a mark). The sweeper finds users written after their mark (and more than the settle
 * delay ago, so the listener's path goes first), and writes the events the difference implies,
 * under a key per user version so that two sweeps write each once. A write webhooks do not show
 * (a sign-in, a password) changes no state: the mark moves on and nothing is sent.
 *
 * Each sweep reads only users written after the watermark (where the last sweep stopped), so its
 * cost follows the new writes, not a day of traffic; the first one looks back SWEEP_HORIZON_MS.
 */
@Injectable()
export class WebhookChangeSweeper {
  constructor(
    @InjectModel(WebhookUserMark.name) private readonly marks: Model<WebhookUserMark>,
    @InjectModel(WebhookSweepState.name) private readonly state: Model<WebhookSweepState>,
    private readonly users: UsersService,
    private readonly outbox: WebhookOutbox,
    private readonly clock: Clock,
  ) {}

  /** After the listener wrote an event about `user`: that state has reached the outbox. */
  async record(user: WebhookUser): Promise<void> {
    await this.mark(user);
  }

  /**
   * Writes the lost events of users changed in `(watermark, now - settle]`, then moves the
   * watermark to `now - settle`. An interrupted sweep leaves it where it was: the next one reads
   * those users again, which writes nothing twice (marks and keys).
   */
  async sweep(settleMs: number): Promise<SweepResult> {
    const now = this.clock.now().getTime();
    const upTo = new Date(now - settleMs);
    const stored = await this.state.findById(WATERMARK_ID).lean();
    // Never further back than the horizon: after a long outage, as on the first run.
    const from = Math.max(stored?.watermark.getTime() ?? 0, now - SWEEP_HORIZON_MS);
    let after = new Date(from);
    let afterId: string | undefined;
    const result: SweepResult = { read: 0, written: 0 };
    for (;;) {
      const users = await this.users.changedBetween(after, upTo, BATCH, afterId);
      if (users.length === 0) break;
      result.read += users.length;
      const marks = await this.marks
        .find({ _id: { $in: users.map((u) => new Types.ObjectId(u.id)) } })
        .lean();
      const byId = new Map(marks.map((m) => [String(m._id), m]));
      for (const user of users) result.written += await this.catchUp(user, byId.get(user.id));
      if (users.length < BATCH) break;
      // The next page starts after the last user read, by (updatedAt, id): none is skipped.
      const last = users[users.length - 1];
      after = new Date(last.updatedAt);
      afterId = last.id;
    }
    if (upTo.getTime() > from) await this.advance(upTo);
    return result;
  }

  /** Moves the watermark forward to `to` (never back: a sweep with an older `now` loses). */
  private async advance(to: Date): Promise<void> {
    try {
      await this.state.updateOne(
        { _id: WATERMARK_ID, watermark: { $lt: to } },
        { $set: { watermark: to } },
        { upsert: true },
      );
    } catch (error) {
      // A later watermark is there already (the upsert met its _id): nothing to do.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  private async catchUp(user: UserDto, mark: WebhookUserMark | undefined): Promise<number> {
    const version = new Date(user.updatedAt);
    if (mark && mark.version.getTime() >= version.getTime()) return 0;
    const webhookUser = toWebhookUser(user);
    const key = `${user.id}@${version.getTime()}`;
    const timestamp = this.clock.now().toISOString();
    let written = 0;
    const horizon = new Date(this.clock.now().getTime() - SWEEP_HORIZON_MS);
    const before = mark?.state as State | undefined;
    for (const [type, extra] of implied(stateOf(webhookUser), before, horizon)) {
      const data = { user: webhookUser, ...extra };
      written += await this.outbox.enqueue({ type, timestamp, data }, `${type}:${key}`);
    }
    await this.mark(webhookUser);
    return written;
  }

  /** Moves the user's mark forward to this version (never back: a late writer loses). */
  private async mark(user: WebhookUser): Promise<void> {
    const version = new Date(user.updatedAt);
    const state = stateOf(user);
    try {
      await this.marks.updateOne(
        { _id: new Types.ObjectId(user.id), version: { $lt: version } },
        { $set: { version, state } },
        { upsert: true },
      );
    } catch (error) {
      // A newer mark is there already (the upsert met its _id): nothing to do.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

function stateOf(user: WebhookUser): State {
  const state: Partial<WebhookUser> = { ...user };
  delete state.updatedAt;
  return state as State;
}

/**
 * The events a change from `before` to `now` implies: the status and role events the normal
 * path sends, and `user.updated` for any other field. Without a mark, a user created within the
 * horizon never reached the outbox at all (`user.created`); an older one had no event since
 * webhooks were set up, and the sweeper cannot tell what changed: it only marks them.
 */
function implied(now: State, before: State | undefined, since: Date): [WebhookEventType, object][] {
  if (!before) return new Date(now.createdAt) > since ? [['user.created', {}]] : [];
  const events: [WebhookEventType, object][] = [];
  const fields = new Set([...Object.keys(now), ...Object.keys(before)]);
  const changed = [...fields].filter(
    (f) =>
      JSON.stringify((now as Record<string, unknown>)[f]) !==
      JSON.stringify((before as Record<string, unknown>)[f]),
  );
  if (changed.includes('status')) {
    if (now.status === 'disabled') events.push(['user.disabled', {}]);
    else if (before.status === 'disabled') events.push(['user.enabled', {}]);
    else if (now.status === 'active') events.push(['user.verified', {}]);
  }
  if (changed.includes('role')) events.push(['user.role_changed', { previousRole: before.role }]);
  const others = changed.filter((f) => !['status', 'role', 'emailVerified'].includes(f));
  if (others.length > 0) events.push(['user.updated', { fields: others }]);
  return events;
}
