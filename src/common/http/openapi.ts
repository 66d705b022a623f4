import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ProblemDto } from '../dto/problem.dto';
import { problemResponse } from './api-problems.decorator';

/** The OpenAPI extension on an operation that lists the permissions it needs (set by `@Authenticated`). */
export const PERMISSIONS_EXTENSION = 'x-required-permissions';

/** The security scheme of GET /metrics: METRICS_TOKEN as a bearer, not a user's access token. */
export const METRICS_SECURITY = 'metrics';

const TAGS: Record<string, string> = {
  auth: 'Sign-up with an emailed code, two-step sign-in, token refresh and sign-out, and the password flows.',
  sessions: "The caller's signed-in sessions: list them and end any one.",
  me: "The signed-in user's own account: profile, avatar and deletion.",
  assets:
    "The caller's files (images and PDFs): upload through the API or straight from the browser to Cloudinary, list, fetch, delete.",
  admin:
    'Administration: users, assets, roles, signing keys, the audit log and figures. Each operation names the permission it needs.',
  health: 'Liveness and readiness probes for orchestrators (outside the API prefix).',
  metrics: 'Prometheus metrics for monitoring (outside the API prefix; METRICS_TOKEN when set).',
  keys: 'The public keys that verify access tokens, for other services (outside the API prefix).',
};

/**
 * A route whose body is JSON or multipart (`AcceptsAvatar`) names its multipart schema here; the
 * document builder puts it under `multipart/form-data` (Nest's explorer gives every media type
 * of a body the same schema).
 */
export const MULTIPART_SCHEMA_EXTENSION = 'x-multipart-schema';

type Operation = {
  operationId?: string;
  description?: string;
  parameters?: { in?: string }[];
  [PERMISSIONS_EXTENSION]?: string[];
  security?: Array<Record<string, string[]>>;
  requestBody?: {
    content?: Record<string, { schema?: { $ref?: string; allOf?: { $ref?: string }[] } }>;
  };
  responses: Record<string, { description?: string }>;
  [MULTIPART_SCHEMA_EXTENSION]?: { $ref: string };
};

/**
 * The OpenAPI document front-end teams generate clients from. The Swagger CLI plugin derives the
 * schemas from the DTOs; this pass then states what holds for every operation, so no route can
 * forget it: plain operationIds (the method names), `security: []` on public routes, closed
 * request bodies (unknown fields are refused), and the error responses every route can give
 * (400 wherever there is a query or a body, 503 everywhere).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('User management API')
    .setDescription(
      'Registration, login, sessions, profiles, roles, assets and audit. Errors are RFC 9457 problem details.',
    )
    .setVersion('1')
    .setLicense('UNLICENSED', 'https://spdx.org/licenses/')
    .addServer('/', 'This server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description: 'The METRICS_TOKEN of the server (GET /metrics only).',
      },
      METRICS_SECURITY,
    );
  for (const [name, description] of Object.entries(TAGS)) config.addTag(name, description);
  const document = SwaggerModule.createDocument(app, config.build(), {
    extraModels: [ProblemDto],
    operationIdFactory: (_controller, method) => method,
  });

  const requestSchemas = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      const form = operation[MULTIPART_SCHEMA_EXTENSION];
      delete operation[MULTIPART_SCHEMA_EXTENSION];
      const multipart = operation.requestBody?.content?.['multipart/form-data'];
      if (form && multipart) multipart.schema = form;
      operation.security ??= [];
      // 503: the database is unreachable (`dependency_down`), or the instance is shutting down.
      const shared = [500, 503];
      if (path.startsWith('/api/')) shared.push(429);
      if (operation.security.length > 0) shared.push(401);
      // Query parameters are validated like bodies: unknown or malformed ones are 400.
      if (operation.parameters?.some((parameter) => parameter.in === 'query')) shared.push(400);
      if (operation.requestBody) {
        shared.push(400, 415);
        for (const media of Object.values(operation.requestBody.content ?? {})) {
          // A body schema is a $ref, or (a body with alternatives) an allOf around one.
          const ref = media.schema?.$ref ?? media.schema?.allOf?.[0]?.$ref;
          if (ref) requestSchemas.add(ref.split('/').pop()!);
        }
      }
      for (const status of shared) operation.responses[status] ??= problemResponse(status);
      const permissions = operation[PERMISSIONS_EXTENSION];
      if (permissions?.length) {
        const needs = `Requires the permission${permissions.length > 1 ? 's' : ''} ${permissions.map((p) => `\`${p}\``).join(', ')}.`;
        operation.description = operation.description
          ? `${operation.description}\n\n${needs}`
          : needs;
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!response.description)
          response.description = STATUS_CODES[Number(status)] ?? 'Response';
      }
    }
  }
  const schemas = (document.components?.schemas ?? {}) as Record<
    string,
    { additionalProperties?: boolean }
  >;
  for (const name of requestSchemas) if (schemas[name]) schemas[name].additionalProperties = false;
  return document;
}
