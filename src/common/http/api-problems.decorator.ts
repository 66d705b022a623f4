import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ProblemDto } from '../dto/problem.dto';

const REQUEST_ID = '0b6f1c7e-2f4a-4c43-9d3e-5a1d2c3b4a59';

/** What each error status means here, with an example problem a client can expect. */
const PROBLEMS: Record<
  number,
  {
    description: string;
    code?: string;
    detail: string;
    errors?: { field: string; message: string }[];
  }
> = {
  400: {
    description: 'Invalid input (problem details list the fields)',
    code: 'validation_failed',
    detail: 'The request is not valid.',
    errors: [{ field: 'email', message: 'must be an email address' }],
  },
  401: {
    description: 'Missing, invalid or expired credentials or token',
    code: 'invalid_token',
    detail: 'A valid access token is required.',
  },
  403: {
    description: 'Authenticated but not allowed',
    code: 'forbidden',
    detail: 'You are not allowed to do this.',
  },
  404: { description: 'Not found', code: 'not_found', detail: 'The resource was not found.' },
  409: {
    description: 'Conflict with existing data',
    code: 'email_taken',
    detail: 'An account with that email already exists.',
  },
  413: {
    description: 'The file (or the body) is too large',
    code: 'file_too_large',
    detail: 'The file is larger than the limit of 5242880 bytes.',
  },
  415: {
    description:
      'Unsupported media type (JSON only; multipart on upload routes) or file type (decided from its bytes)',
    code: 'unsupported_media_type',
    detail: 'Unsupported Media Type: application/x-www-form-urlencoded',
  },
  429: {
    description: 'Too many requests (see Retry-After)',
    code: 'rate_limited',
    detail: 'Too many requests; slow down.',
  },
  500: {
    description: 'Unexpected failure (quote the request id)',
    detail: 'Something failed on our side; quote the request id if you report it.',
  },
  503: {
    description:
      'A dependency is down or did not answer in time (see Retry-After), or the instance is shutting down',
    code: 'dependency_down',
    detail: 'The database is unavailable right now; retry in a few seconds.',
  },
};

export function problemExample(status: number) {
  const { code, detail, errors } = PROBLEMS[status] ?? { detail: STATUS_CODES[status] ?? 'Error' };
  return {
    type: 'about:blank',
    title: STATUS_CODES[status],
    status,
    detail,
    ...(code ? { code } : {}),
    ...(errors ? { errors } : {}),
    requestId: REQUEST_ID,
  };
}

/**
 * The OpenAPI response object of an error status: RFC 9457 problem details with an example; a
 * route whose meaning of the status is its own says so with `description` and `detail`.
 */
export function problemResponse(
  status: number,
  own: { description?: string; detail?: string } = {},
) {
  const example = problemExample(status);
  return {
    description:
      own.description ?? PROBLEMS[status]?.description ?? STATUS_CODES[status] ?? 'Error',
    content: {
      'application/problem+json': {
        schema: { $ref: getSchemaPath(ProblemDto) },
        example: { ...example, detail: own.detail ?? example.detail },
      },
    },
  };
}

/**
 * Documents a route's own error responses as problem details. The ones every route shares
 * (400 and 415 with a body, 401 when signed in, 429, 500) are added for all of them by
 * `buildOpenApiDocument`.
 */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) => ApiResponse({ status, ...problemResponse(status) })),
  );
}
