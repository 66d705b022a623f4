/**
 * The part of panva's oidc-provider (ESM, no bundled types) that the OIDC module uses. Loose
 * where the library is loose; see the library's docs/README.md for the full configuration.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AnyObject = Record<string, unknown>;

  /** Koa's context as the provider hands it to configuration callbacks. */
  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    res: ServerResponse;
    method: string;
    path: string;
    query: AnyObject;
    headers: Record<string, string | string[] | undefined>;
    ip: string;
    status: number;
    type: string;
    body: unknown;
    set(name: string, value: string): void;
    oidc: {
      route?: string;
      client?: ClientLike;
      params?: AnyObject;
      session?: { accountId?: string };
      entities: AnyObject;
      [key: string]: unknown;
    };
  }

  export interface ClientLike {
    clientId: string;
    clientName?: string;
    clientAuthMethod: string;
    scope?: string;
    grantTypeAllowed(type: string): boolean;
    [key: string]: unknown;
  }

  export interface AdapterPayload extends AnyObject {
    accountId?: string;
    clientId?: string;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
    jti?: string;
    kind?: string;
    exp?: number;
    iat?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterConstructor = new (name: string) => Adapter;

  export interface Account {
    accountId: string;
    claims(
      use: string,
      scope: string,
      claims: AnyObject,
      rejected: string[],
    ): Promise<AnyObject> | AnyObject;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: AnyObject };
    params: AnyObject;
    session?: { accountId: string; uid: string; cookie: string };
    grantId?: string;
    lastSubmission?: AnyObject;
    returnTo: string;
  }

  export interface GrantInstance {
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantStatic {
    new (init: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export type Configuration = AnyObject;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    proxy: boolean;
    Grant: GrantStatic;
    Client: { find(id: string): Promise<ClientLike | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: AnyObject,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: AnyObject,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: 'server_error', listener: (ctx: KoaContextWithOIDC, err: unknown) => void): this;
    on(event: string, listener: (...args: unknown[]) => void): this;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
  }

  export const errors: Record<string, new (description?: string, detail?: string) => Error>;
  export default Provider;
}
