import { INestApplication, Injectable, Logger } from '@nestjs/common';
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackgroundWork } from '../background/background-work';

const IDLE_SWEEP_MS = 50;
/** How long new requests are answered 503 before the listener closes (see `run`). */
const REFUSE_MS = 200;
/** How long idle keep-alive connections stay open once the listener is closed (see `run`). */
const IDLE_GRACE_MS = 500;

/**
 * Whether this instance is shutting down. Draining: readiness fails, requests are still served,
 * each response closing its connection. Closing (no longer accepting connections): a request that
 * arrives on a connection still open is answered 503 `shutting_down` with `Connection: close`
 * and `Retry-After` instead of being served, or reset with its connection.
 */
@Injectable()
export class ShutdownState {
  private draining = false;
  private closing = false;

  get isDraining(): boolean {
    return this.draining;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  startDraining(): void {
    this.draining = true;
  }

  startClosing(): void {
    this.draining = true;
    this.closing = true;
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
    // Still listening, answering 503 to what arrives, for a moment: connections the kernel
    // accepted while we were busy are taken and answered, not reset when the listener closes.
    this.app.get(ShutdownState).startClosing();
    await sleep(REFUSE_MS);
    this.logger.log('no longer accepting connections');
    // Stop accepting, but not through http.Server#close, which also closes every idle keep-alive
    // connection at once: a client that had just sent a request on one would get a reset. For a
    // moment they stay open, and what arrives on them is answered 503 with Connection: close.
    const stopped = new Promise<void>((resolve) =>
      NetServer.prototype.close.call(server, () => resolve()),
    );
    // Then the keep-alive connections still idle end (a connection whose response was still
    // running becomes idle later, and its response closes it anyway).
    let sweeper: NodeJS.Timeout | undefined;
    const grace = setTimeout(() => {
      sweeper = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      server.closeIdleConnections();
    }, IDLE_GRACE_MS);
    const timer = setTimeout(() => {
      this.logger.warn(`requests still running after ${this.options.timeoutMs} ms: cut off`);
      server.closeAllConnections();
    }, this.options.timeoutMs);
    await stopped;
    clearTimeout(grace);
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
