import { Injectable, Logger } from '@nestjs/common';

/**
 * Work that runs after the response, off the request path: per-account work that must not show
 * in response times (forgot-password, resends: known and unknown emails answer alike), mail
 * delivery. A failure is logged, never an unhandled rejection. Tests and shutdown `drain()` it.
 */
@Injectable()
export class BackgroundWork {
  private readonly logger = new Logger('Background');
  private readonly running = new Set<Promise<void>>();

  run(name: string, work: () => Promise<unknown>): void {
    // After the current I/O phase, so the response that scheduled this is written first.
    const task = new Promise<void>((start) => setImmediate(start))
      .then(work)
      .then(
        () => undefined,
        (err: unknown) => this.logger.error({ err, task: name }, `background task ${name} failed`),
      )
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  /** Resolves when every task started so far, and any they started, has finished. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
