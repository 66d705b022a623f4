import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { Clock } from '../common/time/clock';
import { INSTANCE_ID } from './instance-id';
import { JobLease } from './job-lease.schema';

/**
 * How long a lease lasts. Every instance's scheduler fires a job at the same wall-clock tick, so
 * the lease must outlast the spread of those ticks (clock skew, a busy event loop) and be shorter
 * than the shortest job period (5 minutes), so that the next tick finds it free even if its
 * holder crashed. It is not released after the run: a release would let an instance whose tick
 * came a second late run the job a second time.
 */
export const JOB_LEASE_MS = 60_000;

/** Scheduled jobs run once across all instances: each run first takes the job's lease. */
@Injectable()
export class JobLeases {
  constructor(
    @InjectModel(JobLease.name) private readonly model: Model<JobLease>,
    private readonly clock: Clock,
  ) {}

  /**
   * True when this instance now holds the lease: one atomic `findOneAndUpdate` that matches only
   * an expired lease (or, by upserting, a job never run). While someone holds it the filter
   * matches nothing, the upsert collides with the existing `_id`, and the answer is false.
   */
  async take(job: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      const taken = await this.model
        .findOneAndUpdate(
          { _id: job, until: { $lte: now } },
          {
            $set: {
              holder: INSTANCE_ID,
              takenAt: now,
              until: new Date(now.getTime() + JOB_LEASE_MS),
            },
          },
          { upsert: true, new: true, projection: { _id: 1 } },
        )
        .lean();
      return taken !== null;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
