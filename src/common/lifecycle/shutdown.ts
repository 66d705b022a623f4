import { INestApplication, Injectable, Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundWork } from '../background/background-work';

const IDLE_SWEEP_MS = 50;

/** Whether this instance is shutting down: readiness fails, responses close their connections. */
@Injectable()
export class ShutdownState {
  private draining = false;

  get isDraining(): boolean {
    return this.draining;
  }

  startDraining(): void {
    this.draining = true;
  }
}

export interface ShutdownOptions {
  /** How long to go on serving after the signal, readiness failing, so load balancers move away. */
  drainMs: number;
  /** How long requests in flight may take to finish once no new connection is accepted. */
  timeoutMs: number;
}

/**
 * Graceful shutdown on SIGTERM (and Ctrl-C): drain, stop accepting, let requests in flight and
 * the background work they left (mail, audit entries) finish, all within the timeout, then close
 * everything else (scheduled jobs, MongoDB, Redis) through Nest's hooks. In that order, so no
 * request or mail ever meets a closed database. Resolves once done.
 */
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');
  private closing?: Promise<void>;

  constructor(
    private readonly app: INestApplication,
    private readonly options: ShutdownOptions,
  ) {}

  listen(exit: (code: number) => void = (code) => process.exit(code)): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const)
      process.once(signal, () => {
        this.logger.log(`${signal}: shutting down`);
        this.close().then(
          () => exit(0),
          (err: unknown) => {
            this.logger.error({ err }, 'shutdown failed');
            exit(1);
          },
        );
      });
  }

  close(): Promise<void> {
    this.closing ??= this.run();
    return this.closing;
  }

  private async run(): Promise<void> {
    const started = Date.now();
    this.app.get(ShutdownState).startDraining();
    if (this.options.drainMs > 0) await sleep(this.options.drainMs);

    const server = this.app.getHttpServer() as Server;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    // Keep-alive connections end as soon as they have no request in flight (close() ends the
    // idle ones once; a connection whose response was still running becomes idle later).
    const sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const timer = setTimeout(() => {
      this.logger.warn(`requests still running after ${this.options.timeoutMs} ms: cut off`);
      server.closeAllConnections();
    }, this.options.timeoutMs);
    await stopped;
    clearInterval(sweeper);
    clearTimeout(timer);
    // What answered requests left running (mail delivery, audit entries) before the database goes.
    const left = Math.max(0, started + this.options.drainMs + this.options.timeoutMs - Date.now());
    const drained = await Promise.race([
      this.app
        .get(BackgroundWork)
        .drain()
        .then(() => true),
      sleep(left).then(() => false),
    ]);
    if (!drained) this.logger.warn('background work still running at the timeout: abandoned');

    await this.app.close();
    this.logger.log(`shut down in ${Date.now() - started} ms`);
  }
}
