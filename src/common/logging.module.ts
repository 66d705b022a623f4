import { Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, TransportSingleOptions } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';
import { appConfig, AppConfig } from '../config/configuration';

/** Where log lines go: stdout, or a stream a test reads (override this token). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'otp',
  'token',
  'accessToken',
  'refreshToken',
  'mfaToken',
  'secret',
];

/**
 * Paths pino replaces with "[redacted]": credentials, tokens and codes never reach a log line.
 * A `*` matches one level only, so each key is listed at the first two levels (`*.password`
 * would miss `req.body.password`). One-time codes go by their own paths: a bare `*.code` would
 * also hide MongoDB's error codes.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.flatMap((key) => [`*.${key}`, `*.*.${key}`]),
  '*.body.code',
  '*.context.code',
];

/**
 * Readable, coloured lines (pino-pretty, a dev dependency, in a worker thread) for a person at a
 * terminal: only outside production and tests, only when logging to stdout (a test passes its
 * own stream), and only if pino-pretty is installed. Everywhere else: one JSON object a line.
 */
export function prettyTransport(
  app: AppConfig,
  destination: unknown,
): TransportSingleOptions | undefined {
  if (app.production || app.nodeEnv === 'test' || destination !== process.stdout) return undefined;
  try {
    require.resolve('pino-pretty');
  } catch {
    return undefined;
  }
  return {
    target: 'pino-pretty',
    options: {
      // The worker thread cannot see whether stdout is a terminal; decide here.
      colorize: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context,req,res,responseTime',
      messageFormat: '{if context}[{context}] {end}{msg}',
    },
  };
}

/**
 * Query parameters whose values a log line may show: paging, sorting, and the admin filters that
 * hold ids, role names, statuses, action names and instants. Every other value is replaced, by
 * allow-list rather than deny-list: a provider's `code` and `state`, a token, the admin's `search`
 * (an email address or a name, personal data) and whatever an unexpected parameter carries.
 */
const LOGGED_QUERY = new Set([
  'page',
  'limit',
  'sort',
  'role',
  'status',
  'action',
  'actorId',
  'targetId',
  'ownerId',
  'from',
  'to',
]);
/** A parameter name shown as it is; any other (it could be the data itself) is replaced whole. */
const PLAIN_NAME = /^[A-Za-z_][\w.-]{0,39}$/;

/** A request URL as logged: the path, and of the query only the values `LOGGED_QUERY` allows. */
export function redactQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const parts = url
    .slice(start + 1)
    .split('&')
    .map((part) => {
      const equals = part.indexOf('=');
      const name = equals === -1 ? part : part.slice(0, equals);
      if (part === '' || LOGGED_QUERY.has(name)) return part;
      return PLAIN_NAME.test(name) ? `${name}=[redacted]` : '[redacted]';
    });
  return `${url.slice(0, start)}?${parts.join('&')}`;
}

/** In pretty mode a request is one short line: `GET /api/v1/sessions 200 3ms`. */
const prettyRequestMessages: Pick<
  HttpLoggerOptions,
  'customSuccessMessage' | 'customErrorMessage'
> = {
  customSuccessMessage: (req, res, ms) =>
    `${req.method} ${redactQuery(req.url ?? '')} ${res.statusCode} ${Math.round(ms)}ms`,
  customErrorMessage: (req, res, err) =>
    `${req.method} ${redactQuery(req.url ?? '')} ${res.statusCode} ${err.message}`,
};

/** Whether a request line (at `info`) can be written at this level. */
export const logsRequests = (level: string) => ['trace', 'debug', 'info'].includes(level);

@Global()
@Module({
  providers: [{ provide: LOG_DESTINATION, useValue: process.stdout }],
  exports: [LOG_DESTINATION],
})
class LogDestinationModule {}

@Module({
  imports: [
    LoggerModule.forRootAsync({
      imports: [LogDestinationModule],
      inject: [appConfig.KEY, LOG_DESTINATION],
      useFactory: (app: AppConfig, destination: DestinationStream) => {
        const options: HttpLoggerOptions = {
          level: app.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // The id Fastify assigned (see request-id.ts).
          genReqId: (req) => (req as { id?: string }).id ?? 'unknown',
          customProps: () => ({}),
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: redactQuery(req.url),
            }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        };
        const transport = prettyTransport(app, destination);
        return {
          pinoHttp: transport
            ? { ...options, ...prettyRequestMessages, transport }
            : [options, destination],
          // The per-request line is at `info`: above it (warn, error, silent) no request would
          // ever be logged, so pino-http's per-request child logger, redaction and middleware
          // hop are skipped altogether. Errors still carry the request id (ProblemDetailsFilter).
          forRoutes: logsRequests(app.logLevel)
            ? [{ path: '{*path}', method: RequestMethod.ALL }]
            : [],
        };
      },
    }),
  ],
})
export class LoggingModule {}
