import { Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { appConfig, AppConfig } from '../config/configuration';

/** Where log lines go: stdout, or a stream a test reads (override this token). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

const SECRET_KEYS = ['password', 'currentPassword', 'newPassword', 'passwordHash', 'otp', 'token', 'accessToken', 'refreshToken', 'mfaToken', 'secret'];

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
      useFactory: (app: AppConfig, destination: DestinationStream) => ({
        pinoHttp: [
          {
            level: app.logLevel,
            redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
            // The id Fastify assigned (see request-id.ts).
            genReqId: (req) => (req as { id?: string }).id ?? 'unknown',
            customProps: () => ({}),
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
          destination,
        ],
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class LoggingModule {}
