import {
  createHash,
  createHmac,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Who signs in next at the fake, and how the fake misbehaves (for the refusal specs). */
export interface FakeLogin {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
  /** ID token signed with a key that is not in the JWKS (a forgery). */
  forgeSignature?: boolean;
  /** ID token carrying this nonce instead of the one the client sent. */
  nonce?: string;
  /** ID token for another audience. */
  audience?: string;
}

interface Grant {
  login: FakeLogin;
  clientId: string;
  redirectUri: string;
  nonce?: string;
  codeChallenge?: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A small, scripted stand-in for two providers, on loopback, for the cases a real provider
 * cannot be made to produce:
 *
 * - under `/oidc`: an OpenID Connect issuer (discovery, authorize, token, JWKS, userinfo) whose
 *   next ID token can be forged (signed by a key outside its JWKS), carry a wrong nonce or a
 *   wrong audience;
 * - under `/facebook`: Facebook Login's OAuth 2.0 dialog and token endpoint and the Graph API's
 *   `/me`, checking what Facebook checks (client secret, redirect URI, the code once, PKCE when
 *   a challenge was sent, and `appsecret_proof`).
 *
 * Authorization codes are single use; the token endpoint checks the PKCE verifier (S256).
 */
export class OAuthFake {
  readonly requests: string[] = [];
  next?: FakeLogin;
  private server?: Server;
  private base = '';
  private readonly grants = new Map<string, Grant>();
  private readonly tokens = new Map<string, { login: FakeLogin; clientId: string }>();
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

  constructor(readonly clients: Record<string, string>) {}

  get issuer(): string {
    return `${this.base}/oidc`;
  }
  get facebookDialogUrl(): string {
    return `${this.base}/facebook/dialog/oauth`;
  }
  get facebookGraphUrl(): string {
    return `${this.base}/facebook/graph`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) =>
        this.json(res, 500, { error: String(error) }),
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    this.requests.push(`${req.method} ${url.pathname}`);
    const form = req.method === 'POST' ? new URLSearchParams(await body(req)) : url.searchParams;
    switch (url.pathname) {
      case '/oidc/.well-known/openid-configuration':
        return this.json(res, 200, {
          issuer: this.issuer,
          authorization_endpoint: `${this.issuer}/authorize`,
          token_endpoint: `${this.issuer}/token`,
          jwks_uri: `${this.issuer}/jwks`,
          userinfo_endpoint: `${this.issuer}/userinfo`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_post'],
        });
      case '/oidc/jwks':
        return this.json(res, 200, {
          keys: [
            {
              ...this.key.publicKey.export({ format: 'jwk' }),
              kid: 'k1',
              alg: 'RS256',
              use: 'sig',
            },
          ],
        });
      case '/oidc/authorize':
      case '/facebook/dialog/oauth':
        return this.authorize(url, res);
      case '/oidc/token':
      case '/facebook/graph/oauth/access_token':
        return this.token(form, res, url.pathname.startsWith('/oidc'));
      case '/oidc/userinfo':
      case '/facebook/graph/me':
        return this.me(req, url, res, url.pathname.startsWith('/facebook'));
      default:
        return this.json(res, 404, { error: 'not_found' });
    }
  }

  private authorize(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const clientId = q.get('client_id') ?? '';
    if (!this.clients[clientId] || !this.next)
      return this.json(res, 400, { error: 'invalid_request' });
    const code = b64url(randomBytes(24));
    this.grants.set(code, {
      login: this.next,
      clientId,
      redirectUri: q.get('redirect_uri') ?? '',
      nonce: q.get('nonce') ?? undefined,
      codeChallenge: q.get('code_challenge') ?? undefined,
    });
    const back = new URL(q.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    res.writeHead(302, { location: back.href }).end();
  }

  private token(form: URLSearchParams, res: ServerResponse, oidc: boolean): void {
    const code = form.get('code') ?? '';
    const grant = this.grants.get(code);
    this.grants.delete(code); // single use
    const clientId = form.get('client_id') ?? '';
    if (
      !grant ||
      grant.clientId !== clientId ||
      this.clients[clientId] !== form.get('client_secret')
    )
      return this.json(res, 400, { error: 'invalid_grant' });
    if (grant.redirectUri !== form.get('redirect_uri'))
      return this.json(res, 400, { error: 'invalid_grant', error_description: 'redirect_uri' });
    const verifier = form.get('code_verifier') ?? '';
    if (
      grant.codeChallenge &&
      b64url(createHash('sha256').update(verifier).digest()) !== grant.codeChallenge
    )
      return this.json(res, 400, { error: 'invalid_grant', error_description: 'pkce' });
    const accessToken = b64url(randomBytes(24));
    this.tokens.set(accessToken, { login: grant.login, clientId });
    if (!oidc)
      return this.json(res, 200, {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: 3600,
      });
    return this.json(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      id_token: this.idToken(grant, clientId),
    });
  }

  private idToken(grant: Grant, clientId: string): string {
    const { login } = grant;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: this.issuer,
      sub: login.sub,
      aud: login.audience ?? clientId,
      iat: now,
      exp: now + 300,
      nonce: login.nonce ?? grant.nonce,
      ...(login.email ? { email: login.email, email_verified: login.email_verified ?? false } : {}),
      ...(login.given_name ? { given_name: login.given_name } : {}),
      ...(login.family_name ? { family_name: login.family_name } : {}),
    };
    const key: KeyObject = login.forgeSignature ? this.otherKey.privateKey : this.key.privateKey;
    const signingInput = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }))}.${b64url(JSON.stringify(claims))}`;
    return `${signingInput}.${b64url(sign('sha256', Buffer.from(signingInput), key))}`;
  }

  private me(req: IncomingMessage, url: URL, res: ServerResponse, facebook: boolean): void {
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    const issued = this.tokens.get(token);
    if (!issued) return this.json(res, 401, { error: 'invalid_token' });
    const { login } = issued;
    if (!facebook)
      return this.json(res, 200, {
        sub: login.sub,
        email: login.email,
        email_verified: login.email_verified,
      });
    const secret = this.clients[issued.clientId];
    const proof = createHmac('sha256', secret).update(token).digest('hex');
    if (url.searchParams.get('appsecret_proof') !== proof)
      return this.json(res, 400, { error: { message: 'Invalid appsecret_proof' } });
    return this.json(res, 200, {
      id: login.sub,
      ...(login.email ? { email: login.email } : {}),
      ...(login.given_name ? { first_name: login.given_name } : {}),
      ...(login.family_name ? { last_name: login.family_name } : {}),
    });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
