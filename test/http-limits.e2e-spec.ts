import { connect, Socket } from 'node:net';
import { listen } from './support/asset-helpers';
import { Pair, signIn, signUp } from './support/auth-helpers';
import { png } from './support/files';
import { createTestApp, TestApp } from './support/test-app';

const MAX_BYTES = 5 * 1024 * 1024;

interface RawExchange {
  /** The response as received (status line, headers and body), or '' if there was none. */
  response: string;
  /** How many bytes the client managed to write before the server closed or it finished. */
  written: number;
  /** The socket error the client saw, if any (e.g. ECONNRESET). */
  error?: string;
}

/**
 * Writes `request` on a raw socket as fast as the server reads it (stopping when the server
 * closes) and collects what comes back until the server closes the connection.
 */
function exchange(port: number, request: Buffer): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let written = 0;
    let error: string | undefined;
    let closed = false;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      closed = true;
      resolve({ response: Buffer.concat(received).toString('latin1'), written, error });
    });
    socket.on('connect', async () => {
      const step = 64 * 1024;
      for (let at = 0; at < request.length && !closed && !socket.destroyed; at += step) {
        const chunk = request.subarray(at, at + step);
        const flushed = socket.write(chunk);
        written += chunk.length;
        if (!flushed)
          await new Promise((next) => {
            socket.once('drain', next);
            socket.once('close', next);
          });
      }
      // All of it written: wait for the answer and the server's close (or a keep-alive timeout).
      setTimeout(() => socket.destroy(), 5_000).unref();
    });
  });
}

const header = (response: string, name: string) =>
  new RegExp(`^${name}: *(.*)$`, 'im').exec(response.split('\r\n\r\n')[0])?.[1]?.trim();

/** Limits a client meets before its request is handled: what it gets back, and what is read. */
describe('HTTP limits', () => {
  let t: TestApp;
  let port: number;
  let ada: Pair;

  beforeAll(async () => {
    t = await createTestApp({ ASSET_MAX_BYTES: String(MAX_BYTES) });
    port = await listen(t);
    await signUp(t, 'limits@example.com');
    ada = await signIn(t, 'limits@example.com');
  });
  afterAll(() => t.close());

  /** A whole upload request (head and body, with its Content-Length): a PNG padded by `padding` bytes. */
  function uploadRequest(padding: number): { request: Buffer; bodyLength: number } {
    const boundary = 'limits-boundary';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n` +
          'Content-Type: image/png\r\n\r\n',
      ),
      png(16, 16, padding),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const head =
      `POST /api/v1/assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ada.accessToken}\r\n` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`;
    return { request: Buffer.concat([Buffer.from(head), body]), bodyLength: body.length };
  }

  it('answers uploads that arrived whole, just over the limit, with 413 and Connection: close', async () => {
    // Little enough past the limit that each whole body is in before its answer: kept alive, the
    // connection would have had the rest of the body read to be reused.
    const { request } = uploadRequest(MAX_BYTES + 16 * 1024);
    const results = await Promise.all(Array.from({ length: 8 }, () => exchange(port, request)));
    for (const result of results) {
      expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
      expect(result.response).toContain('"code":"file_too_large"');
      expect(header(result.response, 'connection')).toBe('close');
    }
  });

  it('stops reading a 32 MiB upload once it passed the 5 MiB limit, and closes the connection', async () => {
    // Far past the limit: on loopback a few MiB can be in before the limit is noticed (socket
    // buffers, Node's own reads ahead, the bounded drop before the answer), never most of it.
    const { request, bodyLength } = uploadRequest(32 * 1024 * 1024);
    const connections: Socket[] = [];
    const onConnection = (socket: Socket) => connections.push(socket);
    t.app.getHttpServer().on('connection', onConnection);
    const result = await exchange(port, request);
    t.app.getHttpServer().off('connection', onConnection);

    expect(result.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(header(result.response, 'connection')).toBe('close');
    // The server stopped reading past the limit (socket buffers aside) and closed the connection.
    expect(connections).toHaveLength(1);
    expect(connections[0].destroyed).toBe(true);
    expect(connections[0].bytesRead).toBeLessThan(bodyLength / 2);
    await t.http().get('/health/live').expect(200);
  });

  it('answers a 200 KB request header with 431 and Connection: close, not a reset', async () => {
    const big = 'x'.repeat(200 * 1024);
    const request = Buffer.from(
      `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${big}\r\n\r\n`,
    );
    const results = await Promise.all(Array.from({ length: 8 }, () => exchange(port, request)));
    for (const result of results) {
      expect(result.response).toMatch(/^HTTP\/1\.1 431 /);
      expect(header(result.response, 'connection')).toBe('close');
      expect(header(result.response, 'content-type')).toBe('application/problem+json');
      expect(result.error).toBeUndefined();
    }
    await t.http().get('/health/live').expect(200);
  });
});
