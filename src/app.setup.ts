import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'nestjs-pino';
import { ProblemDto } from './common/dto/problem.dto';
import { requestId } from './common/http/request-id';
import { AppConfig, appConfig } from './config/configuration';

export const API_PREFIX = 'api/v1';
const JSON_BODY_LIMIT = 1024 * 1024;

/** The HTTP platform: Fastify, with our request ids and a 1 MiB JSON body limit. */
export function createAdapter(trustProxy: boolean): FastifyAdapter {
  return new FastifyAdapter({
    trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    genReqId: requestId,
    requestIdHeader: false,
    return503OnClosing: true,
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
  app.useLogger(app.get(PinoLogger));
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (request.url.startsWith(`/${API_PREFIX}/`)) void reply.header('cache-control', 'no-store');
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
  app.enableCors({
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
  });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('User management API')
      .setDescription('Registration, login, sessions, profiles, roles, assets and audit. Errors are RFC 9457 problem details.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
    { extraModels: [ProblemDto] },
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
