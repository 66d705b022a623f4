import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../errors/mongo-errors';
import { literalPrefix } from '../escape-regex';
import { Clock } from '../time/clock';
import { Counter } from './counter.schema';

export interface Hit {
  count: number;
  /** When the current window ends. */
  resetsAt: Date;
}

/** The answer to `take`: a slot (with its number in the window), or a refusal and when to retry. */
export type Slot =
  { taken: true; count: number; resetsAt: Date } | { taken: false; resetsAt: Date };

/**
 * A racing request can change the document between our steps (a slot given back, the window
 * reset): then we go round again. Each extra round means another caller's change went through,
 * but under heavy churn (20 parallel submits of one code: one resets, the others give back) 4
 * rounds were not always enough, and the request failed with a 500.
 */
const MAX_ROUNDS = 16;
/** How soon to try again when the rounds ran out: the churn that caused it lasts milliseconds. */
const BUSY_RETRY_MS = 1000;

/**
 * Fixed-window counters kept in MongoDB, so that every instance sees the same count: the auth
 * rate limit and the login lockout both stand on this. Each state change is one atomic update.
 */
@Injectable()
export class WindowCounter {
  constructor(
    @InjectModel(Counter.name) private readonly model: Model<Counter>,
    private readonly clock: Clock,
  ) {}

  /** Counts one more hit, whatever the count; the caller decides what the count means. */
  async hit(key: string, windowMs: number): Promise<Hit> {
    const now = this.clock.now();
    const live = await this.model
      .findOneAndUpdate(
        { _id: key, expiresAt: { $gt: now } },
        { $inc: { count: 1 } },
        { new: true },
      )
      .lean();
    if (live) return { count: live.count, resetsAt: live.expiresAt };
    const expiresAt = new Date(now.getTime() + windowMs);
    try {
      // A new window; a lock set earlier stays as it is.
      const fresh = await this.model
        .findOneAndUpdate(
          { _id: key, expiresAt: { $lte: now } },
          { $set: { count: 1, windowStart: now, expiresAt } },
          { new: true },
        )
        .lean();
      if (fresh) return { count: 1, resetsAt: expiresAt };
      await this.model.create({ _id: key, count: 1, windowStart: now, expiresAt });
      return { count: 1, resetsAt: expiresAt };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return this.hit(key, windowMs); // another request opened the window first
    }
  }

  /**
   * Takes one of `limit` slots in the key's window, in one conditional update, or refuses when
   * all are taken or a lock runs. Unlike checking a count and recording afterwards, no number of
   * concurrent callers can take more than `limit` slots: the attempt limits stand on this.
   */
  async take(key: string, windowMs: number, limit: number): Promise<Slot> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = this.clock.now();
      const unlocked = { $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] };
      const inWindow = await this.model
        .findOneAndUpdate(
          { _id: key, expiresAt: { $gt: now }, count: { $lt: limit }, ...unlocked },
          { $inc: { count: 1 } },
          { new: true },
        )
        .lean();
      if (inWindow) return { taken: true, count: inWindow.count, resetsAt: inWindow.expiresAt };

      const expiresAt = new Date(now.getTime() + windowMs);
      const reopened = await this.model
        .findOneAndUpdate(
          { _id: key, expiresAt: { $lte: now }, ...unlocked },
          { $set: { count: 1, windowStart: now, expiresAt }, $unset: { lockedUntil: 1 } },
          { new: true },
        )
        .lean();
      if (reopened) return { taken: true, count: 1, resetsAt: expiresAt };

      const current = await this.model.findById(key).lean();
      if (current) {
        const lock =
          current.lockedUntil && current.lockedUntil > now ? current.lockedUntil : undefined;
        const full = current.expiresAt > now && current.count >= limit;
        if (lock || full) {
          return {
            taken: false,
            resetsAt: new Date(
              Math.max(lock?.getTime() ?? 0, full ? current.expiresAt.getTime() : 0),
            ),
          };
        }
        continue; // changed under us (e.g. a slot was just given back): try again
      }
      try {
        await this.model.create({ _id: key, count: 1, windowStart: now, expiresAt });
        return { taken: true, count: 1, resetsAt: expiresAt };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error; // another request opened the window first
      }
    }
    // Still changing under us: refuse this one (a limit may refuse, never over-grant).
    return { taken: false, resetsAt: new Date(this.clock.now().getTime() + BUSY_RETRY_MS) };
  }

  /** The key's live window, if any, without counting. */
  async peek(key: string): Promise<Hit | undefined> {
    const live = await this.model
      .findOne({ _id: key, expiresAt: { $gt: this.clock.now() } })
      .lean();
    return live
      ? {
          count: live.count,
          resetsAt:
            live.lockedUntil && live.lockedUntil > live.expiresAt
              ? live.lockedUntil
              : live.expiresAt,
        }
      : undefined;
  }

  /** Gives back a slot taken with `take` (an attempt that turned out not to count). */
  async release(key: string): Promise<void> {
    await this.model.updateOne({ _id: key, count: { $gt: 0 } }, { $inc: { count: -1 } });
  }

  /** Sets a lock unless one is already running; true when this call set it. */
  async lock(key: string, until: Date): Promise<boolean> {
    const now = this.clock.now();
    const locked = await this.model
      .findOneAndUpdate(
        { _id: key, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] },
        { $set: { lockedUntil: until }, $max: { expiresAt: until } },
        { projection: { _id: 1 } },
      )
      .lean();
    return locked !== null;
  }

  async reset(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }

  /** Removes every counter whose key starts with `prefix` (matched literally). */
  async resetPrefix(prefix: string): Promise<void> {
    await this.model.deleteMany({ _id: literalPrefix(prefix) });
  }

  /** Removes windows and locks that have ended (TTL indexes do this too on real MongoDB). */
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const { deletedCount } = await this.model.deleteMany({
      expiresAt: { $lte: now },
      $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
    });
    return deletedCount;
  }
}
