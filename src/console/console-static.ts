import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HttpStatus } from '@nestjs/common';
import { DomainException } from '../common/errors/domain.exception';
import { toProblem } from '../common/errors/problem';

/** Where `npm run build` puts the console (`admin-console/dist`), from src/ and dist/ alike. */
export const CONSOLE_DIR = resolve(__dirname, '..', '..', 'admin-console', 'dist');
export const CONSOLE_PATH = '/admin';
/** What Vite's `html.cspNonce` writes into index.html, replaced by a fresh nonce per request. */
const NONCE_PLACEHOLDER = /__CSP_NONCE__/g;

/**
 * The page's policy: its own scripts and styles only, styles injected at run time only with this
 * response's nonce, API calls to this origin, images from this origin (the local store's files,
 * avatars) or the asset CDN, nothing framed, no plugins, no forms posted elsewhere.
 */
export function consoleCsp(nonce: string, imageOrigins: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data: ${imageOrigins.join(' ')}`.trimEnd(),
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/**
 * Serves the admin console (issue 15) at /admin: index.html with a per-request CSP nonce, and
 * the hashed bundle under /admin/assets/ through @fastify/static (immutable: every build names
 * its files anew). The console is a client of the public API like any other; nothing here grants
 * it anything. Without a built console, /admin says how to build it.
 */
export async function registerAdminConsole(
  app: NestFastifyApplication,
  options: { dir?: string; imageOrigins?: string[] } = {},
): Promise<void> {
  const dir = options.dir ?? CONSOLE_DIR;
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: `${CONSOLE_PATH}/assets/`,
    decorateReply: false,
    index: false,
    dotfiles: 'deny',
    immutable: true,
    maxAge: '365d',
    suppressWarning: true, // helmet's headers (nosniff) apply to these files too
  });

  const serveIndex = async (request: FastifyRequest, reply: FastifyReply) => {
    const html = await readFile(join(dir, 'index.html'), 'utf8').catch(() => undefined);
    if (html === undefined) {
      const { problem } = toProblem(
        new DomainException(
          HttpStatus.NOT_FOUND,
          'not_found',
          'The admin console is not built: run `npm run build` (or `npm start`).',
        ),
        request.id,
      );
      return reply.code(problem.status).type('application/problem+json').send(problem);
    }
    const nonce = randomBytes(16).toString('base64');
    return reply
      .header('content-security-policy', consoleCsp(nonce, options.imageOrigins))
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(html.replace(NONCE_PLACEHOLDER, nonce));
  };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get(CONSOLE_PATH, serveIndex);
  fastify.get(`${CONSOLE_PATH}/`, serveIndex);
}
