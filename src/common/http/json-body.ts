import type { FastifyInstance } from 'fastify';
import { HttpStatus } from '@nestjs/common';
import { DomainException, FieldError, invalidInput } from '../errors/domain.exception';

/** Deeper than any request body of this API; far below what would overflow a validator's stack. */
export const MAX_JSON_DEPTH = 32;
/** Keys that would reach an object's prototype machinery; refused like any other unknown field. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The body parser for every route: JSON. Other types (form posts, text/plain: the bodies a web
 * page can send cross-site without a CORS preflight) get 415; multipart is let through on upload
 * routes only (see multipart.ts).
 * An empty body is no body, as front-end wrappers send on bodiless POSTs.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, body, done) => {
      const text = body as string;
      if (text.trim() === '') return done(null, undefined);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return done(
          new DomainException(HttpStatus.BAD_REQUEST, 'bad_request', 'The body is not valid JSON.'),
          undefined,
        );
      }
      // Every body of this API is an object: a bare `null`, number, string or array is not
      // "no body" (that is the empty body above), and must not become `{}` on its way in.
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return done(
          invalidInput([{ field: '(body)', message: 'must be a JSON object' }]),
          undefined,
        );
      const problem = checkShape(value);
      return problem ? done(invalidInput([problem]), undefined) : done(null, value);
    },
  );
}

/** Walks the parsed body without recursion (a hostile body cannot overflow the stack here). */
export function checkShape(value: unknown): FieldError | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [
    { value, depth: 0, path: '' },
  ];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value !== 'object' || node.value === null) continue;
    if (node.depth >= MAX_JSON_DEPTH)
      return {
        field: node.path || '(body)',
        message: `nests deeper than ${MAX_JSON_DEPTH} levels`,
      };
    for (const [key, child] of Object.entries(node.value)) {
      const path = Array.isArray(node.value)
        ? `${node.path}[${key}]`
        : node.path
          ? `${node.path}.${key}`
          : key;
      if (!Array.isArray(node.value) && FORBIDDEN_KEYS.has(key))
        return { field: path, message: 'is not an accepted field' };
      stack.push({ value: child, depth: node.depth + 1, path });
    }
  }
  return undefined;
}
