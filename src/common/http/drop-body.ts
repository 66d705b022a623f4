import type { Readable } from 'node:stream';

/**
 * Reads what is left of a request's body and drops it, until its end or a bound, before the
 * answer goes out on a connection that closes: a socket closed with unread bytes is reset, and the
 * reset can overtake the answer. Past the bound (a client sending far more than it may) the rest
 * stays unread and a reset is acceptable; reading stops there.
 */
export function dropBody(body: Readable, maxBytes: number, maxMs: number): Promise<void> {
  if (body.readableEnded) return Promise.resolve();
  return new Promise((done) => {
    let dropped = 0;
    const finish = () => {
      clearTimeout(timer);
      body.off('data', count);
      body.pause();
      done();
    };
    const count = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > maxBytes) finish();
    };
    const timer = setTimeout(finish, maxMs).unref();
    body.on('data', count);
    body.once('end', finish);
    body.once('error', finish);
    body.resume();
  });
}
