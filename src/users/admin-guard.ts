import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainException } from '../common/errors/domain.exception';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { AdminGuardLock } from './admin-guard.schema';

const LOCK_ID = 'last-admin';
/**
 * How long a holder may keep the lock: far longer than its few queries take, so it only matters
 * when a holder died with it (the next change then waits this long at most).
 */
export const ADMIN_GUARD_LEASE_MS = 10_000;
/** How long a change waits for the lock before it gives up (503): past one whole lease. */
const WAIT_MS = ADMIN_GUARD_LEASE_MS + 5_000;

/**
 * Serializes the changes that can take an account out of the active admins, across instances,
 * without transactions. The last-admin rule alone (change, count, undo if none is left) keeps an
 * admin whatever the interleaving, but two admins demoting each other at once would both see zero
 * and both be undone, though one could have gone through. Holding this lock around the change and
 * its count makes one of them finish first: the other then sees the truth, and only it is refused.
 *
 * The lock is one document taken by a conditional `findOneAndUpdate` (or, the first time, an
 * upsert that the unique `_id` lets through once), as the job leases are; it is a lease, so a
 * crashed holder cannot block for more than `ADMIN_GUARD_LEASE_MS`. Safety does not depend on it:
 * should a lease run out under a slow holder, the count-and-undo still refuses the one change too
 * many. Uses the wall clock, not the injectable Clock, which tests move by hours.
 */
@Injectable()
export class AdminGuard {
  constructor(@InjectModel(AdminGuardLock.name) private readonly model: Model<AdminGuardLock>) {}

  async hold<T>(work: () => Promise<T>): Promise<T> {
    const token = await this.take();
    try {
      return await work();
    } finally {
      await this.model.updateOne({ _id: LOCK_ID, holder: token }, { $set: { until: new Date(0) } });
    }
  }

  private async take(): Promise<string> {
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt += 1) {
      const now = new Date();
      try {
        const taken = await this.model
          .findOneAndUpdate(
            { _id: LOCK_ID, until: { $lte: now } },
            { $set: { holder: token, until: new Date(now.getTime() + ADMIN_GUARD_LEASE_MS) } },
            { upsert: true, new: true, projection: { _id: 1 } },
          )
          .lean();
        if (taken) return token;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      if (Date.now() > deadline) throw busy();
      // The holder needs a few queries: poll soon, a little later each time, jittered.
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 4), 80) * (0.5 + Math.random()));
    }
  }
}

/** Only when holders keep it for a whole lease and more: a database far too slow, in practice. */
const busy = () =>
  new DomainException(
    HttpStatus.SERVICE_UNAVAILABLE,
    'admin_change_busy',
    'Another change to an admin account is still under way; try again.',
    { retryAfterSeconds: 1 },
  );
