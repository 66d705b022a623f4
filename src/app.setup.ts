import {
  HttpStatus,
  INestApplication,
  Logger,
  NestApplicationOptions,
  RequestMethod,
} from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DomainException, invalidInput, notFound } from './common/errors/domain.exception';
import { toProblem } from './common/errors/problem';
import { sendProblem } from './common/errors/problem.filter';
import { registerJsonBodyParser } from './common/http/json-body';
import { registerMultipart } from './common/http/multipart';
import { registerNdjsonBodyParser } from './common/http/ndjson-body';
import { dropBody } from './common/http/drop-body';
import { buildOpenApiDocument } from './common/http/openapi';
import { requestId } from './common/http/request-id';
import { securityHeaders } from './common/http/security-headers';
import { QuietFrameworkLogger } from './common/framework-logger';
import { ShutdownState } from './common/lifecycle/shutdown';
import { API_PREFIX } from './common/http/api-prefix';
import { AppConfig, appConfig, AssetsConfig, assetsConfig } from './config/configuration';
import { registerAdminConsole } from './console/console-static';

export { API_PREFIX };

/** The answer to a request that arrives once this instance no longer accepts connections. */
function shuttingDown(requestId: string) {
  return toProblem(
    new DomainException(
      HttpStatus.SERVICE_UNAVAILABLE,
      'shutting_down',
      'This instance is shutting down; retry the request.',
      { retryAfterSeconds: 1 },
    ),
    requestId,
  ).problem;
}
const JSON_BODY_LIMIT = 1024 * 1024;

/** Nest's own body parsers stay off: `configureApp` installs ours (JSON; multipart on upload routes). */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

const frameworkLogger = new Logger('HTTP');

/**
 * The HTTP platform: Fastify, with our request ids and a 1 MiB JSON body limit. Errors Fastify
 * raises before routing (a malformed URL, an over-long path parameter) and errors Node's parser
 * raises before Fastify (headers over 16 KiB) are problem details with a request id too, and
 * never echo the request.
 */
export function createAdapter(trustProxy: boolean): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    genReqId: requestId,
    requestIdHeader: false,
    return503OnClosing: true,
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('x-request-id', request.id);
      // An over-long path parameter can name nothing: the same 404 as any unknown id.
      const problem =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? notFound('The resource')
          : invalidInput([], 'The URL is not valid.');
      sendProblem(problem, request, reply, frameworkLogger);
    },
    clientErrorHandler: writeClientErrorProblem,
  });
}

/** Node's HTTP parser refused the request (e.g. 431 for oversized headers): answer on the raw socket. */
function writeClientErrorProblem(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 431
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 408
        : 400;
  const id = randomUUID();
  const detail =
    status === 431 ? 'The request headers are too large.' : 'The request could not be read.';
  const { problem } = toProblem(
    { statusCode: status, code: 'FST_CLIENT_ERROR', message: detail },
    id,
  );
  const body = JSON.stringify(problem);
  if (!socket.writable) return void socket.destroy();
  socket.end(
    `HTTP/1.1 ${status} ${problem.title}\r\nContent-Type: application/problem+json\r\nX-Request-Id: ${id}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  lingerThenClose(socket);
}

const LINGER_MS = 2_000;
const LINGER_BYTES = 1024 * 1024;

/**
 * Closing a socket that still holds unread bytes (the rest of a 200 KB header) sends the client
 * a reset, which can reach it before the answer does: so after the answer (and our FIN) the rest
 * of what the client sends is read and dropped, up to a bound, then the socket is destroyed.
 */
function lingerThenClose(socket: Socket): void {
  let dropped = 0;
  const close = () => socket.destroy();
  socket.removeAllListeners('data');
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  });
  socket.once('end', close);
  setTimeout(close, LINGER_MS).unref();
  socket.resume();
}

/**
 * Every route under /api/v1 except the health probes, the metrics and the local store's files;
 * shared with the OpenAPI exporter.
 */
export function setRoutePrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
      { path: '.well-known/jwks.json', method: RequestMethod.GET },
      { path: 'files/:ownerId/:name', method: RequestMethod.GET },
    ],
  });
}

/**
 * Everything that makes the app this API, shared by `main.ts` and the e2e tests: prefix,
 * security headers, CORS, request-id and no-store headers, and the OpenAPI document. (Fastify's
 * own errors, such as malformed JSON or a body over the limit, reach the problem-details filter
 * through Nest.)
 */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get<AppConfig>(appConfig.KEY);
  app.useLogger(new QuietFrameworkLogger(app.get(PinoLogger)));
  setRoutePrefix(app);

  const fastify = app.getHttpAdapter().getInstance();
  registerJsonBodyParser(fastify, JSON_BODY_LIMIT);
  registerNdjsonBodyParser(fastify);
  const assets = app.get<AssetsConfig>(assetsConfig.KEY);
  await registerMultipart(fastify, { maxFileBytes: assets.maxBytes });
  const security = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
  const shutdown = app.get(ShutdownState);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.headers(security);
    // Shutting down: each response ends its connection, so clients reconnect to another instance.
    if (shutdown.isDraining) void reply.header('connection', 'close');
    void reply.header('x-request-id', request.id);
    if (request.url.startsWith(`/${API_PREFIX}/`)) void reply.header('cache-control', 'no-store');
    // No longer accepting: what still arrives on an open connection is not started (safe for a
    // client to retry elsewhere, whatever its method), and the connection ends with the answer.
    if (shutdown.isClosing) {
      // Its body is read and dropped first: a connection closed with unread bytes is reset, and
      // the reset can overtake the answer (a PATCH on a new connection lost its 503 that way).
      await dropBody(request.raw, LINGER_BYTES, LINGER_MS);
      return reply
        .code(503)
        .headers({ 'retry-after': '1' })
        .type('application/problem+json')
        .send(shuttingDown(request.id));
    }
  });

  // Without allowed origins (production's default) CORS is not installed at all: with
  // `origin: false` its hook still ran on every request (an options object spread and Fastify's
  // route-options getter, ~5 µs) to add nothing; a preflight is a 404 either way.
  if (config.corsOrigins.length > 0)
    app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['X-Request-Id', 'Retry-After'] });

  // The admin console at /admin, with a CSP of its own (stricter than the one above, which
  // Swagger UI's inline scripts need); its images come from this origin or the asset CDN.
  await registerAdminConsole(app, {
    imageOrigins: assets.storage === 'cloudinary' ? ['https://res.cloudinary.com'] : [],
  });

  // Built on the first request for it, not at start (30-55 ms of every cold start).
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    swaggerOptions: { persistAuthorization: true },
  });
}
