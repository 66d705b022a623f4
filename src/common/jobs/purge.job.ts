import { Inject, Logger } from '@nestjs/common';
import { JobLeases } from '../../cluster/job-leases.service';

/** What one scheduled tick did: ran (removing that many), or left the run to the lease's holder. */
export type ScheduledRun = { ran: true; removed: number } | { ran: false };

/**
 * The shape of every scheduled purge: a subclass names what it removes, says how (`purge`, which
 * must be idempotent and safe to interrupt), and puts `@Cron` on a `tick` that calls
 * `runScheduled`. That first takes the job's lease, so with several instances one of them runs
 * each tick. A failure is logged and the next tick tries again; nothing ever throws into the
 * scheduler.
 */
export abstract class PurgeJob {
  private readonly logger = new Logger(this.constructor.name);
  @Inject(JobLeases) private readonly leases!: JobLeases;

  protected constructor(private readonly what: string) {}

  protected abstract purge(): Promise<number>;

  /** The scheduler's entry point: `@Cron(...)` on it, and `return this.runScheduled()`. */
  abstract tick(): Promise<ScheduledRun>;

  /** Runs now, lease or not (tests, and an operator's manual run). */
  async run(): Promise<number> {
    try {
      const removed = await this.purge();
      if (removed > 0) this.logger.log(`purged ${removed} ${this.what}`);
      return removed;
    } catch (err) {
      this.logger.error({ err }, `could not purge ${this.what}`);
      return 0;
    }
  }

  /** A scheduler tick: runs only on the instance that takes the lease. */
  protected async runScheduled(): Promise<ScheduledRun> {
    let taken: boolean;
    try {
      taken = await this.leases.take(this.constructor.name);
    } catch (err) {
      this.logger.error({ err }, `could not take the lease to purge ${this.what}`);
      return { ran: false };
    }
    return taken ? { ran: true, removed: await this.run() } : { ran: false };
  }
}
