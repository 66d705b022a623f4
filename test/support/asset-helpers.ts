import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pair, bearer } from './auth-helpers';
import { TestApp } from './test-app';

/** POSTs (or PUTs) one file as multipart. */
export function upload(
  t: TestApp,
  pair: Pair,
  bytes: Buffer,
  fileName = 'file.bin',
  options: { field?: string; path?: string; method?: 'post' | 'put'; contentType?: string } = {},
) {
  const { field = 'file', path = '/api/v1/assets', method = 'post' } = options;
  return t
    .http()
    [method](path)
    .set(bearer(pair))
    .attach(field, bytes, { filename: fileName, contentType: options.contentType ?? 'image/png' });
}

/** The app's HTTP server, listening on a loopback port (for requests supertest cannot make). */
export async function listen(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer();
  if (!server.listening) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  return (server.address() as AddressInfo).port;
}

export interface StreamedUpload {
  status: number;
  body: Record<string, unknown>;
  /** How many bytes the client had written when the answer came. */
  sentBeforeAnswer: number;
  connection?: string;
}

/**
 * Streams a multipart upload of `head` followed by filler, chunk by chunk, as a slow client
 * would, and stops as soon as the server answers (or after `maxBytes`).
 */
export async function streamUpload(
  port: number,
  token: string,
  head: Buffer,
  maxBytes: number,
): Promise<StreamedUpload> {
  const boundary = 'streamed-upload-boundary';
  const request = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/assets',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
  });
  request.on('error', () => undefined); // the server may close while we still write: expected
  let sent = 0;
  let answeredAt = -1;
  const answer = new Promise<StreamedUpload>((resolve) => {
    request.on('response', (response) => {
      answeredAt = sent;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
            string,
            unknown
          >,
          sentBeforeAnswer: answeredAt,
          connection: response.headers.connection,
        }),
      );
    });
  });
  const write = (chunk: Buffer | string) => {
    sent += Buffer.byteLength(chunk);
    return request.write(chunk);
  };
  write(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\n` +
      'Content-Type: image/png\r\n\r\n',
  );
  write(head);
  const filler = Buffer.alloc(64 * 1024, 0x41);
  while (answeredAt < 0 && sent < maxBytes && !request.destroyed) {
    if (!write(filler))
      await Promise.race([once(request, 'drain'), answer, once(request, 'close')]);
  }
  if (answeredAt < 0 && !request.destroyed) request.end(`\r\n--${boundary}--\r\n`);
  const result = await answer;
  request.destroy();
  return result;
}
