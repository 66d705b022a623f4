import { INestApplication, Injectable, Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

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
 * Graceful shutdown on SIGTERM (and Ctrl-C): drain, stop accepting, let requests in flight
 * finish (bounded), then close everything else (scheduled jobs, MongoDB, Redis, mail) through
 * Nest's hooks. In that order, so no request ever meets a closed database. Resolves once done.
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

    await this.app.close();
    this.logger.log(`shut down in ${Date.now() - started} ms`);
  }
}
