import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { randomBytes } from 'node:crypto';
import { AtRestCipher } from '../common/crypto/at-rest-cipher';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Actor } from '../common/decorators/current-actor.decorator';
import { totpConfig, TotpConfig } from '../config/configuration';
import { CreateOidcClientDto, OidcClientDto, OidcClientWithSecretDto } from './dto/oidc-client.dto';
import { OidcClient } from './oidc-client.schema';
import { oidcErrors } from './oidc.errors';
import { OidcStore } from './oidc-store';

/** The additional data a secret's ciphertext is bound to: it decrypts only as that client's. */
const context = (clientId: string) => `oidc-client:${clientId}`;
const CLIENT_ID = /^[\w-]{22}$/;

/** What the provider needs of a client (its metadata, in the protocol's names). */
export type ClientMetadata = Record<string, unknown> & { client_id: string };

/**
 * The clients admins register. The secret is generated here, shown once, and stored encrypted
 * (TOTP_ENCRYPTION_KEY): the provider compares it in clear at the token endpoint, so a hash
 * would not do. Every change is audited.
 */
@Injectable()
export class OidcClients {
  private readonly cipher: AtRestCipher;

  constructor(
    @InjectModel(OidcClient.name) private readonly model: Model<OidcClient>,
    private readonly store: OidcStore,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    @Inject(totpConfig.KEY) config: TotpConfig,
  ) {
    this.cipher = new AtRestCipher(config.encryptionKey, 'client secret');
  }

  async create(dto: CreateOidcClientDto, actor: Actor): Promise<OidcClientWithSecretDto> {
    assertConsistent(dto);
    const clientId = randomBytes(16).toString('base64url');
    const secret = dto.public ? undefined : newSecret();
    const doc = await this.model.create({
      _id: clientId,
      name: dto.name,
      grantTypes: dto.grantTypes,
      redirectUris: dto.redirectUris ?? [],
      postLogoutRedirectUris: dto.postLogoutRedirectUris ?? [],
      scopes: dto.scopes ?? [],
      firstParty: dto.firstParty,
      public: dto.public,
      secret: secret && this.cipher.encrypt(secret, context(clientId)),
      createdAt: this.clock.now(),
    });
    this.audit('oidc_clients.created', clientId, actor, {
      name: dto.name,
      grantTypes: dto.grantTypes,
      public: dto.public,
      firstParty: dto.firstParty,
    });
    return { ...toDto(doc.toObject()), ...(secret ? { clientSecret: secret } : {}) };
  }

  async list(): Promise<OidcClientDto[]> {
    const docs = await this.model.find().sort({ createdAt: -1 }).lean();
    return docs.map(toDto);
  }

  async get(clientId: string): Promise<OidcClientDto | undefined> {
    if (!CLIENT_ID.test(clientId)) return undefined;
    const doc = await this.model.findById(clientId).lean();
    return doc ? toDto(doc) : undefined;
  }

  /** A new secret at once: the old one stops working with this answer. */
  async rotateSecret(clientId: string, actor: Actor): Promise<OidcClientWithSecretDto> {
    const existing = await this.get(clientId);
    if (!existing) throw notFound('The client');
    if (existing.public) throw oidcErrors.publicClientSecret();
    const secret = newSecret();
    const doc = await this.model
      .findOneAndUpdate(
        { _id: clientId },
        {
          $set: {
            secret: this.cipher.encrypt(secret, context(clientId)),
            secretRotatedAt: this.clock.now(),
          },
        },
        { new: true },
      )
      .lean();
    if (!doc) throw notFound('The client');
    this.audit('oidc_clients.secret_rotated', clientId, actor, { name: doc.name });
    return { ...toDto(doc), clientSecret: secret };
  }

  /** Deletes the client and everything issued to it (grants, tokens, codes). */
  async remove(clientId: string, actor: Actor): Promise<void> {
    const doc = CLIENT_ID.test(clientId) ? await this.model.findById(clientId).lean() : null;
    if (!doc) throw notFound('The client');
    await this.model.deleteOne({ _id: clientId });
    await this.store.revokeByClient(clientId);
    this.audit('oidc_clients.deleted', clientId, actor, { name: doc.name });
  }

  /** The client as the provider's metadata (secret decrypted), or undefined. */
  async metadataFor(clientId: string): Promise<ClientMetadata | undefined> {
    if (!CLIENT_ID.test(clientId)) return undefined;
    const doc = await this.model.findById(clientId).select('+secret').lean();
    if (!doc) return undefined;
    const code = doc.grantTypes.includes('authorization_code');
    return {
      client_id: doc._id,
      client_name: doc.name,
      ...(doc.public
        ? { token_endpoint_auth_method: 'none' }
        : {
            token_endpoint_auth_method: 'client_secret_basic',
            client_secret: this.cipher.decrypt(doc.secret!, context(doc._id)),
          }),
      grant_types: doc.grantTypes,
      response_types: code ? ['code'] : [],
      redirect_uris: doc.redirectUris,
      post_logout_redirect_uris: doc.postLogoutRedirectUris,
      'urn:first_party': doc.firstParty,
      'urn:api_scopes': doc.scopes.join(' '),
    };
  }

  private audit(
    action: 'oidc_clients.created' | 'oidc_clients.secret_rotated' | 'oidc_clients.deleted',
    clientId: string,
    actor: Actor,
    details: Record<string, unknown>,
  ): void {
    this.events.emit(action, {
      actorId: actor.id,
      targetType: 'oidc_client',
      targetId: clientId,
      ...actor.origin,
      outcome: 'success',
      details,
    });
  }
}

const newSecret = () => randomBytes(32).toString('base64url');

/** The rules between fields that class-validator cannot say alone. */
function assertConsistent(dto: CreateOidcClientDto): void {
  const grants = new Set(dto.grantTypes);
  if (grants.size === 0) throw oidcErrors.invalidClient('grantTypes', 'must name at least one');
  if (grants.has('authorization_code') && !dto.redirectUris?.length)
    throw oidcErrors.invalidClient('redirectUris', 'are required with authorization_code');
  if (!grants.has('authorization_code') && dto.redirectUris?.length)
    throw oidcErrors.invalidClient('redirectUris', 'are only for authorization_code');
  if (grants.has('refresh_token') && !grants.has('authorization_code'))
    throw oidcErrors.invalidClient('grantTypes', 'refresh_token needs authorization_code');
  if (grants.has('client_credentials') && dto.public)
    throw oidcErrors.invalidClient('grantTypes', 'a public client cannot use client_credentials');
  for (const uri of [...(dto.redirectUris ?? []), ...(dto.postLogoutRedirectUris ?? [])])
    if (URL.parse(uri)?.hash !== '')
      throw oidcErrors.invalidClient('redirectUris', 'must be absolute URLs without a fragment');
}

function toDto(doc: OidcClient): OidcClientDto {
  return {
    clientId: doc._id,
    name: doc.name,
    grantTypes: doc.grantTypes,
    redirectUris: doc.redirectUris,
    postLogoutRedirectUris: doc.postLogoutRedirectUris,
    scopes: doc.scopes,
    firstParty: doc.firstParty,
    public: doc.public,
    createdAt: doc.createdAt.toISOString(),
    ...(doc.secretRotatedAt ? { secretRotatedAt: doc.secretRotatedAt.toISOString() } : {}),
  };
}
