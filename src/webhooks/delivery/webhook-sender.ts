import http, { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { ResolvedTarget } from './target-url';

/** What the receiver's answer may weigh; past it the rest is not read. */
export const RESPONSE_CAP_BYTES = 64 * 1024;
/** What an attempt keeps of the answer. */
const EXCERPT_CHARS = 500;

export type SendOutcome =
  | { status: number; retryAfter?: string; response: string; durationMs: number }
  | { error: 'timeout' | 'connection_failed'; durationMs: number };

// Kept-alive connections per origin; each was opened to a checked address.
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 32 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 32 }),
};

/**
 * One POST to a resolved target: to the checked address only (the lookup is pinned; TLS still
 * checks the certificate against the host name), no redirect followed (a 3xx is an answer like
 * any other, and a failure), a deadline on the whole exchange, and at most RESPONSE_CAP_BYTES of
 * the answer read.
 */
export function send(
  target: ResolvedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const secure = target.url.protocol === 'https:';
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = (secure ? https : http).request(target.url, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      lookup: pinned,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'user-management-webhooks/1',
      },
    });
    const timer = setTimeout(() => {
      finish({ error: 'timeout', durationMs: elapsed() });
      request.destroy();
    }, timeoutMs);
    request.on('error', () => finish({ error: 'connection_failed', durationMs: elapsed() }));
    request.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const retryAfter = response.headers['retry-after'];
        finish({
          status: response.statusCode ?? 0,
          ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
          response: Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARS),
          durationMs: elapsed(),
        });
      };
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= RESPONSE_CAP_BYTES) chunks.push(chunk);
        else {
          // Enough: what matters is the status; the connection goes rather than read more.
          done();
          response.destroy();
        }
      });
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
