import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error a client can act on: an HTTP status, a stable machine-readable `code`, and a detail
 * sentence safe to show. The problem-details filter renders it.
 */
export class DomainException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string | undefined,
    detail: string,
    readonly extras: { retryAfterSeconds?: number; errors?: FieldError[] } = {},
  ) {
    super(detail, status);
  }
}

export const invalidInput = (errors: FieldError[], detail = 'The request is not valid.') =>
  new DomainException(HttpStatus.BAD_REQUEST, 'validation_failed', detail, { errors });
export const notFound = (what: string) =>
  new DomainException(HttpStatus.NOT_FOUND, 'not_found', `${what} was not found.`);
export const conflict = (code: string, detail: string) =>
  new DomainException(HttpStatus.CONFLICT, code, detail);
export const tooManyRequests = (code: string, detail: string, retryAfterSeconds: number) =>
  new DomainException(HttpStatus.TOO_MANY_REQUESTS, code, detail, { retryAfterSeconds });
