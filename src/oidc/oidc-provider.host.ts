import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hkdfSync } from 'node:crypto';
import type { Provider } from 'oidc-provider';
import {
  appConfig,
  AppConfig,
  jwtConfig,
  JwtConfig,
  oauthConfig,
  OAuthConfig,
  oidcConfig,
  OidcConfig,
  totpConfig,
  TotpConfig,
} from '../config/configuration';
import { SigningKeys } from '../signing-keys/signing-keys.service';
import { mongoAdapter } from './mongo-adapter';
import { OidcAccounts } from './oidc-accounts';
import { OidcClients } from './oidc-clients.service';
import { OidcPages } from './oidc-pages';
import { INTERACTION_PATH, OIDC_PREFIX, providerConfiguration } from './oidc-provider.config';
import { OidcInteractions } from './interactions/oidc-interactions';
import { PASSKEY_ASSETS_PATH, passkeyAsset } from './interactions/passkey-assets';
import { requestOrigin } from '../common/http/request-origin';
import { OidcStore } from './oidc-store';
import { OidcRateLimit, triesSecret } from './oidc-rate-limit';
import { DEPENDENCY_RETRY_AFTER_SECONDS, toProblem } from '../common/errors/problem';
import { sendProblem } from '../common/errors/problem.filter';
import { tooManyRequests } from '../common/errors/domain.exception';
import { isDatabaseUnavailable } from '../common/errors/mongo-errors';

type OidcModule = typeof import('oidc-provider');

/** The paths the provider answers (everything else stays Nest's). */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * Hosts panva's oidc-provider (a Koa app) inside this Fastify server: discovery at the issuer's
 * well-known path, every other endpoint under /oidc. The library is loaded on the first request
 * for it (it is not needed to start). It signs with the key set of the signing-keys module: a
 * provider is built for the keys that verify now, the signing one first, and built again on the
 * first request after that set changes (a rotation, a retired key dropped): the keys are parsed
 * once per change, never per request.
 */
@Injectable()
export class OidcProviderHost implements OnModuleInit {
  private readonly logger = new Logger('OidcProvider');
  private library?: Promise<OidcModule>;
  private built?: { fingerprint: string; provider: Provider; handle: Handler };
  private readonly cookieKeys: string[];

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: SigningKeys,
    private readonly store: OidcStore,
    private readonly clients: OidcClients,
    private readonly accounts: OidcAccounts,
    private readonly pages: OidcPages,
    private readonly interactions: OidcInteractions,
    private readonly limits: OidcRateLimit,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
    @Inject(oauthConfig.KEY) private readonly oauth: OAuthConfig,
    @Inject(oidcConfig.KEY) private readonly oidc: OidcConfig,
    @Inject(jwtConfig.KEY) private readonly jwt: JwtConfig,
    @Inject(totpConfig.KEY) totp: TotpConfig,
  ) {
    // The provider's cookie-signing key, derived (its own label) from the secret we already hold.
    const derived = hkdfSync('sha256', totp.encryptionKey, '', 'oidc-provider cookies', 32);
    this.cookieKeys = [Buffer.from(derived).toString('base64url')];
  }

  get issuer(): string {
    return this.oauth.publicUrl;
  }

  /** Routes the provider's paths to it; the request body is left unread for Koa to parse. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register((scope, _opts, done) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, parsed) => parsed(null));
      const handler = (request: FastifyRequest, reply: FastifyReply) =>
        this.serve(request, reply, triesSecret(request.method, request.url), (_provider, handle) =>
          handle(request.raw, reply.raw),
        );
      scope.all(`${OIDC_PREFIX}/*`, handler);
      scope.get(DISCOVERY_PATH, handler);
      // The hosted sign-in pages (before the provider's own routes: more specific).
      const visit = (request: FastifyRequest, reply: FastifyReply) =>
        OidcInteractions.visit(request.raw, reply.raw, request.id, requestOrigin(request));
      scope.get<{ Params: { uid: string } }>(`${INTERACTION_PATH}/:uid`, (request, reply) =>
        this.serve(request, reply, false, (provider) =>
          this.interactions.show(provider, visit(request, reply)),
        ),
      );
      // The passkey page's scripts (plain files, before the provider's catch-all).
      scope.get<{ Params: { name: string } }>(`${PASSKEY_ASSETS_PATH}/:name`, (request, reply) => {
        const script = passkeyAsset(request.params.name);
        if (script === undefined) return reply.code(404).send({ error: 'not_found' });
        return reply
          .type('text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=3600')
          .send(script);
      });
      scope.post<{ Params: { uid: string; step: string } }>(
        `${INTERACTION_PATH}/:uid/:step`,
        (request, reply) =>
          this.serve(request, reply, true, (provider) =>
            this.interactions.submit(provider, visit(request, reply), request.params.step),
          ),
      );
      done();
    });
  }

  /** The provider for the current key set (built on first use and after each key change). */
  async provider(): Promise<Provider> {
    return (await this.current()).provider;
  }

  /**
   * Runs one provider request: the app's rate limit first (`secret`: it tries a password, code
   * or client secret), then the work on the raw response. A failure outside the provider's own
   * error handling is a problem response: 503 `dependency_down` while the database is away.
   */
  private async serve(
    request: FastifyRequest,
    reply: FastifyReply,
    secret: boolean,
    work: (provider: Provider, handle: Handler) => Promise<void> | void,
  ): Promise<void> {
    const wait = await this.limits.take(request.ip, secret);
    if (wait !== undefined) {
      const error = tooManyRequests('rate_limited', 'Too many requests; slow down.', wait);
      return sendProblem(error, request, reply, this.logger);
    }
    // The headers our hooks set (security headers, request id) go out on the raw response.
    for (const [name, value] of Object.entries(reply.getHeaders()))
      if (value !== undefined) reply.raw.setHeader(name, value as string);
    reply.hijack();
    try {
      const { provider, handle } = await this.current();
      await work(provider, handle);
    } catch (err) {
      if (isDatabaseUnavailable(err))
        this.logger.warn({ requestId: request.id }, 'database unavailable on an OpenID route');
      else this.logger.error({ err }, 'the OpenID provider failed');
      if (reply.raw.headersSent) return void reply.raw.end();
      const { problem, headers } = toProblem(err, String(request.id));
      reply.raw.writeHead(problem.status, {
        ...headers,
        'content-type': 'application/problem+json; charset=utf-8',
      });
      reply.raw.end(JSON.stringify(problem));
    }
  }

  private async current(): Promise<{ provider: Provider; handle: Handler }> {
    const library = await (this.library ??= import('oidc-provider'));
    const fingerprint = this.fingerprint();
    if (this.built?.fingerprint !== fingerprint) {
      const provider = this.build(library);
      this.built = { fingerprint, provider, handle: provider.callback() };
    }
    return this.built;
  }

  /** The signing key and the keys that verify: what the provider's key store must hold. */
  private fingerprint(): string {
    return `${this.keys.signer().kid}|${this.keys
      .jwks()
      .keys.map((key) => key.kid)
      .join(',')}`;
  }

  private build(library: OidcModule): Provider {
    const provider = new library.Provider(
      this.issuer,
      providerConfiguration({
        adapter: mongoAdapter(this.store, this.clients, library.errors),
        jwks: this.keys.privateJwks(),
        accounts: this.accounts,
        resources: this.oidc.resources,
        accessTtlS: Math.round(this.jwt.accessTtlMs / 1000),
        refreshTtlS: Math.round(this.jwt.refreshTtlMs / 1000),
        cookieKeys: this.cookieKeys,
        errors: library.errors,
        pages: this.pages.configuration(),
      }),
    );
    provider.proxy = this.app.trustProxy;
    // A path under /oidc the provider does not serve: an OAuth-shaped 404, not Koa's text.
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'invalid_request', error_description: 'unrecognized route' };
      }
    });
    // The provider renders its own failures as 500 `server_error`; one caused by the database
    // being away becomes the standard `temporarily_unavailable` with a 503 and Retry-After.
    provider.on('server_error', (ctx, err) => {
      if (!isDatabaseUnavailable(err))
        return this.logger.error({ err }, 'the OpenID provider failed');
      this.logger.warn('database unavailable on an OpenID route');
      if (ctx.status !== 500) return;
      ctx.status = 503;
      ctx.set('retry-after', String(DEPENDENCY_RETRY_AFTER_SECONDS));
      if (typeof ctx.body === 'object' && ctx.body !== null)
        ctx.body = {
          error: 'temporarily_unavailable',
          error_description: 'The database is unavailable right now; retry in a few seconds.',
        };
    });
    return provider;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
