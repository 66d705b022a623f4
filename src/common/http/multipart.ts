import multipart from '@fastify/multipart';
import { HttpStatus } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainException } from '../errors/domain.exception';
import { dropBody } from './drop-body';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by `AcceptsMultipart`: the route reads a multipart body. */
    multipart?: boolean;
  }
}

/** Marks an upload route: the only routes where a multipart body is not 415. */
export const AcceptsMultipart = () => RouteConfig({ multipart: true });

export const isMultipartRequest = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() ===
  'multipart/form-data';

/** Busboy's limits for every upload route; the file size itself is counted by the upload code. */
export interface MultipartLimits {
  /** Busboy stops a file one byte past this; the uploader answers 413 on that byte. */
  maxFileBytes: number;
}

/**
 * Multipart bodies, on upload routes only. `@fastify/multipart` parses lazily (the route reads
 * the parts as a stream), so nothing is buffered before the route's own checks run. Elsewhere a
 * multipart body is 415 like any other non-JSON body, before anything reads it. When a route
 * answers before the body was read to its end (413 mid-file, 415 on the first bytes), the
 * connection is closed with the answer, so the rest of a large body is never read.
 */
export async function registerMultipart(
  fastify: FastifyInstance,
  limits: MultipartLimits,
): Promise<void> {
  await fastify.register(multipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: limits.maxFileBytes + 1,
      files: 2, // a second file is refused by the route (400), not by busboy (413)
      fields: 10,
      fieldSize: 1024,
      parts: 12,
      headerPairs: 20,
    },
  });
  fastify.addHook('preParsing', async (request) => {
    if (request.is404 || !isMultipartRequest(request)) return;
    if (request.routeOptions.config.multipart !== true)
      throw new DomainException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'unsupported_media_type',
        'This route accepts application/json only.',
      );
  });
  // A refused upload ends its connection, however much of the body had arrived: kept alive, Node
  // would read (and drop) the rest of it first, all 7 MB of a file just over the limit. A little
  // of what is still arriving is read and dropped before the answer (a close with unread bytes
  // resets the connection, and the reset can overtake the 413); past that bound it stays unread.
  fastify.addHook('onSend', async (request, reply) => {
    if (isMultipartRequest(request) && (!request.raw.readableEnded || reply.statusCode >= 400)) {
      void reply.header('connection', 'close');
      if (reply.statusCode >= 400) await dropBody(request.raw, DROP_BYTES, DROP_MS);
    }
  });
}

/** How much of a refused upload's remaining body is read and dropped before the answer, at most. */
const DROP_BYTES = 256 * 1024;
const DROP_MS = 2_000;

/**
 * Stops reading a multipart request's body, once a part was refused: busboy would otherwise read
 * (and drop) the rest of it while the answer is prepared. With the answer's `Connection: close`,
 * Node then destroys the socket once the answer is flushed.
 */
export function stopReadingBody(request: FastifyRequest): void {
  if (request.raw.readableEnded) return;
  request.raw.unpipe();
  request.raw.pause();
}
