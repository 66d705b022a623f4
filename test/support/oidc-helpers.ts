import { once } from 'node:events';
import { createServer } from 'node:net';
import * as oidc from 'openid-client';
import { bearer, Pair } from './auth-helpers';
import { TestApp } from './test-app';

/** A loopback port nobody listens on now (the issuer URL must be known before the app boots). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RegisteredClient {
  clientId: string;
  clientSecret?: string;
  [key: string]: unknown;
}

/** Registers a client through the admin API. */
export async function registerClient(
  t: TestApp,
  admin: Pair,
  body: Record<string, unknown>,
): Promise<RegisteredClient> {
  const res = await t
    .http()
    .post('/api/v1/admin/oidc-clients')
    .set(bearer(admin))
    .send({ firstParty: true, public: false, ...body })
    .expect(201);
  return res.body as RegisteredClient;
}

/** openid-client's view of our provider for a client (discovery over loopback http). */
export function relyingParty(
  issuer: string,
  client: RegisteredClient,
): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(issuer),
    client.clientId,
    client.clientSecret,
    client.clientSecret ? oidc.ClientSecretBasic(client.clientSecret) : oidc.None(),
    { execute: [oidc.allowInsecureRequests] },
  );
}

/** The error code an openid-client call failed with (an OAuth error response's `error`). */
export async function oauthError(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    // A 401 comes as a WWW-Authenticate challenge, whose parameters carry the error.
    const { error: code, cause } = error as {
      error?: string;
      cause?: { parameters?: { error?: string } }[];
    };
    return String(code ?? cause?.[0]?.parameters?.error ?? (error as Error).message);
  }
  throw new Error('the call succeeded');
}
