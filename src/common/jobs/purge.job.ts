import { Logger } from '@nestjs/common';

/**
 * The shape of every scheduled purge: a subclass names what it removes, says how (`purge`, which
 * must be idempotent and safe to interrupt), and puts `@Cron` on `tick`. A failure is logged and
 * the next tick tries again; nothing ever throws into the scheduler.
 */
export abstract class PurgeJob {
  private readonly logger = new Logger(this.constructor.name);

  protected constructor(private readonly what: string) {}

  protected abstract purge(): Promise<number>;

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
}
