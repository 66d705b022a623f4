import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../errors/mongo-errors';
import { Clock } from '../time/clock';
import { Counter } from './counter.schema';

export interface Hit {
  count: number;
  /** When the current window ends. */
  resetsAt: Date;
}

/**
 * Fixed-window counters kept in MongoDB, so that every instance sees the same count: the auth
 * rate limit and the login lockout both stand on this. Each operation is one atomic update.
 */
@Injectable()
export class WindowCounter {
  constructor(
    @InjectModel(Counter.name) private readonly model: Model<Counter>,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowMs: number): Promise<Hit> {
    const now = this.clock.now();
    const live = await this.model
      .findOneAndUpdate({ _id: key, expiresAt: { $gt: now } }, { $inc: { count: 1 } }, { new: true })
      .lean();
    if (live) return { count: live.count, resetsAt: live.expiresAt };
    const expiresAt = new Date(now.getTime() + windowMs);
    try {
      // A new window; a lock set earlier stays as it is.
      const fresh = await this.model
        .findOneAndUpdate({ _id: key, expiresAt: { $lte: now } }, { $set: { count: 1, windowStart: now, expiresAt } }, { new: true })
        .lean();
      if (fresh) return { count: 1, resetsAt: expiresAt };
      await this.model.create({ _id: key, count: 1, windowStart: now, expiresAt });
      return { count: 1, resetsAt: expiresAt };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      return this.hit(key, windowMs); // another request opened the window first
    }
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

  /** The end of the running lock on any of these keys, the latest one. */
  async lockedUntil(keys: string[]): Promise<Date | undefined> {
    const now = this.clock.now();
    const locks = await this.model.find({ _id: { $in: keys }, lockedUntil: { $gt: now } }, { lockedUntil: 1 }).lean();
    return locks.map((l) => l.lockedUntil!).sort((a, b) => b.getTime() - a.getTime())[0];
  }

  async reset(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }

  /** Removes windows and locks that have ended (TTL indexes do this too on real MongoDB). */
  @Cron(CronExpression.EVERY_HOUR)
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const { deletedCount } = await this.model.deleteMany({
      expiresAt: { $lte: now },
      $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }],
    });
    return deletedCount;
  }
}
