import { HttpStatus } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { DomainException } from '../errors/domain.exception';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `AcceptsNdjson`: the route reads a JSON Lines body as a stream. */
    ndjson?: boolean;
  }
}

export const NDJSON = 'application/x-ndjson';

/** Marks a route that reads `application/x-ndjson`; elsewhere such a body is 415. */
export const AcceptsNdjson = () => RouteConfig({ ndjson: true });

const isNdjson = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() === NDJSON;

/**
 * JSON Lines bodies are not parsed: the route gets the request stream as its body and reads it
 * line by line, so a file of any size is never held in memory (no body limit applies; the route
 * bounds each line). Only on routes marked `AcceptsNdjson`.
 */
export function registerNdjsonBodyParser(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(NDJSON, (_request, payload, done) => done(null, payload));
  fastify.addHook('preParsing', async (request) => {
    if (request.is404 || !isNdjson(request)) return;
    if (request.routeOptions.config.ndjson !== true)
      throw new DomainException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'unsupported_media_type',
        'This route accepts application/json only.',
      );
  });
}

/** The body of an `AcceptsNdjson` route: the stream, or 415 when another type was sent. */
export function ndjsonBody(request: FastifyRequest): Readable {
  const body = request.body as Readable | undefined;
  if (!isNdjson(request) || !body || typeof body.on !== 'function')
    throw new DomainException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'unsupported_media_type',
      'This route accepts application/x-ndjson only.',
    );
  return body;
}

/**
 * The lines of a stream, read as they are consumed (the next chunk is pulled only when the
 * consumer asks for a line: back-pressure to the client). A line longer than `maxBytes` comes
 * out as `null` (its rest skipped), so one huge line cannot grow memory. Blank lines are skipped;
 * each line comes with its number (from 1).
 */
export async function* readLines(
  stream: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<{ number: number; text: string | null }> {
  let pending: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let number = 0;
  const flush = function* (): Generator<{ number: number; text: string | null }> {
    number += 1;
    const text = tooLong ? null : Buffer.concat(pending).toString('utf8').replace(/\r$/, '');
    pending = [];
    size = 0;
    tooLong = false;
    if (text === null || text.trim() !== '') yield { number, text };
  };
  for await (const chunk of stream) {
    let buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (let at = buffer.indexOf(10); at >= 0; at = buffer.indexOf(10)) {
      take(buffer.subarray(0, at));
      yield* flush();
      buffer = buffer.subarray(at + 1);
    }
    take(buffer);
  }
  if (size > 0 || tooLong) yield* flush();

  function take(part: Buffer): void {
    if (tooLong || part.length === 0) return;
    if (size + part.length > maxBytes) {
      tooLong = true;
      pending = [];
      return;
    }
    pending.push(part);
    size += part.length;
  }
}
