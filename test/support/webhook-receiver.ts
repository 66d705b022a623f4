import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What to answer: a status (and headers), after `delayMs`. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  delayMs?: number;
}

/**
 * A webhook receiver on loopback: records every request and answers from a script (the next
 * answer of `answers`, then `fallback`), for the specs to check what a real receiver would.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  answers: Answer[] = [];
  fallback: Answer = { status: 200 };
  private server?: Server;
  port = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      // A sender killed mid-request resets the connection: that is expected here, not a failure.
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const answer = this.answers.shift() ?? this.fallback;
        setTimeout(() => {
          if (res.destroyed) return;
          res.writeHead(answer.status, answer.headers).end('ok');
        }, answer.delayMs ?? 0);
      });
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** The events received, parsed. */
  events(): { type: string; timestamp: string; data: Record<string, unknown> }[] {
    return this.received.map((r) => JSON.parse(r.body));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}
