import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthenticationCredentialDto } from '../../auth/passkeys/dto/passkey.dto';
import type { Visit } from './oidc-interactions';

/** What the sign-in pages read and write on the raw request, outside Nest's pipes. */
const FORM_LIMIT = 16 * 1024;

export function redirect(visit: Visit, uid: string): void {
  visit.res.statusCode = 303;
  visit.res.setHeader('location', `/oidc/interaction/${encodeURIComponent(uid)}`);
  visit.res.setHeader('cache-control', 'no-store');
  visit.res.end();
}

/** A JSON answer to the passkey page's script (its ceremony's options, or why not). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** The `sid` claim of an access token we just signed (no verification needed: it is ours). */
export function sessionIdOf(token: string): string | undefined {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as {
      sid?: unknown;
    };
    return typeof claims.sid === 'string' ? claims.sid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The passkey page's answer (the JSON of `startAuthentication`), held to the API's own DTO
 * rules, since no pipe runs here: undefined when it is not one (so no object reaches a query).
 */
export async function parseCredential(
  raw: string,
): Promise<AuthenticationResponseJSON | undefined> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const dto = plainToInstance(AuthenticationCredentialDto, parsed);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length ? undefined : (dto as unknown as AuthenticationResponseJSON);
}

/** An urlencoded form body, at most 16 KiB (anything else reads as an empty form). */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT) return new URLSearchParams();
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
