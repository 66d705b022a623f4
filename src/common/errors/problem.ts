import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainException, FieldError } from './domain.exception';
import { isDatabaseUnavailable } from './mongo-errors';

/**
 * What a client is told to wait after a 503 `dependency_down`: about one server-selection
 * timeout, the time a replica set takes to elect a primary.
 */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** RFC 9457 problem details, as every error response of the API carries it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  requestId: string;
}

export interface RenderedProblem {
  problem: Problem;
  headers: Record<string, string>;
}

/** Codes for errors raised by the framework rather than by our domain (e.g. Fastify's parser, via Nest). */
const GENERIC_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Framework errors whose message repeats the request (Nest's unmatched route: "Cannot GET
 * /path?query"); errors never echo the request, so these get a fixed sentence.
 */
const FIXED_DETAILS: Record<number, string> = {
  404: 'The resource was not found.',
  405: 'This method is not allowed here.',
};

function problem(
  status: number,
  detail: string,
  requestId: string,
  code?: string,
  errors?: FieldError[],
): Problem {
  return {
    type: 'about:blank',
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(code ? { code } : {}),
    ...(errors ? { errors } : {}),
    requestId,
  };
}

function httpDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

/** Maps any thrown value to a problem; unknown errors become a bare 500 that reveals nothing. */
export function toProblem(error: unknown, requestId: string): RenderedProblem {
  const headers: Record<string, string> = {};
  if (isDatabaseUnavailable(error)) {
    headers['retry-after'] = String(DEPENDENCY_RETRY_AFTER_SECONDS);
    return {
      problem: problem(
        HttpStatus.SERVICE_UNAVAILABLE,
        'The database is unavailable right now; retry in a few seconds.',
        requestId,
        'dependency_down',
      ),
      headers,
    };
  }
  if (error instanceof DomainException) {
    if (error.extras.retryAfterSeconds !== undefined)
      headers['retry-after'] = String(error.extras.retryAfterSeconds);
    return {
      problem: problem(
        error.getStatus(),
        httpDetail(error),
        requestId,
        error.code,
        error.extras.errors,
      ),
      headers,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const detail =
      status >= 500
        ? 'The service could not handle the request.'
        : (FIXED_DETAILS[status] ?? httpDetail(error));
    return { problem: problem(status, detail, requestId, GENERIC_CODES[status]), headers };
  }
  // Fastify's own errors (raised before Nest sees the request); their messages are safe to show.
  const fastify = error as { code?: unknown; statusCode?: unknown; message?: unknown };
  if (
    typeof fastify?.statusCode === 'number' &&
    fastify.statusCode >= 400 &&
    fastify.statusCode < 500
  ) {
    const status = fastify.statusCode;
    const detail =
      typeof fastify.code === 'string' && fastify.code.startsWith('FST_')
        ? String(fastify.message)
        : 'The request could not be processed.';
    return { problem: problem(status, detail, requestId, GENERIC_CODES[status]), headers };
  }
  return {
    problem: problem(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'Something failed on our side; quote the request id if you report it.',
      requestId,
    ),
    headers,
  };
}
