import { Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { appConfig, AppConfig } from '../config/configuration';

/** Where log lines go: stdout, or a stream a test reads (override this token). */
export const LOG_DESTINATION = Symbol('LOG_DESTINATION');

/** Paths pino replaces with "[redacted]": credentials, tokens and codes never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  // One-time codes by their own paths only: a bare `*.code` would also hide MongoDB's error codes.
  '*.body.code',
  '*.context.code',
  '*.otp',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.mfaToken',
  '*.secret',
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
