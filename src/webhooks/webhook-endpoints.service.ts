import { Inject, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { AtRestCipher } from '../common/crypto/at-rest-cipher';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Actor } from '../common/decorators/current-actor.decorator';
import { totpConfig, TotpConfig, webhooksConfig, WebhooksConfig } from '../config/configuration';
import { UsersService } from '../users/users.service';
import { checkUrlShape, resolveTarget } from './delivery/target-url';
import {
  CreateWebhookDto,
  UpdateWebhookDto,
  WebhookDto,
  WebhookWithSecretDto,
} from './dto/webhook.dto';
import { WebhookEndpoint } from './webhook-endpoint.schema';
import { ALL_EVENTS, WebhookEventChoice } from './webhook-event-types';
import { newWebhookSecret } from './webhook-signer';
import { webhookErrors } from './webhooks.errors';

/** What the sender needs of an endpoint: where, and the secrets that sign now. */
export interface SigningEndpoint {
  id: string;
  url: string;
  enabled: boolean;
  secrets: string[];
}

/** The secret's ciphertext decrypts only as this endpoint's. */
const context = (id: string) => `webhook:${id}`;

/**
 * The endpoints admins register. The secret is generated here, shown once, stored encrypted
 * (TOTP_ENCRYPTION_KEY; it signs, so a hash would not do). Every change is audited.
 */
@Injectable()
export class WebhookEndpoints {
  private readonly cipher: AtRestCipher;

  constructor(
    @InjectModel(WebhookEndpoint.name) private readonly model: Model<WebhookEndpoint>,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly users: UsersService,
    @Inject(webhooksConfig.KEY) private readonly config: WebhooksConfig,
    @Inject(totpConfig.KEY) totp: TotpConfig,
  ) {
    this.cipher = new AtRestCipher(totp.encryptionKey, 'webhook secret');
  }

  async create(dto: CreateWebhookDto, actor: Actor): Promise<WebhookWithSecretDto> {
    await this.assertCallable(dto.url);
    const _id = new Types.ObjectId();
    const secret = newWebhookSecret();
    const now = this.clock.now();
    const doc = await this.model.create({
      _id,
      url: dto.url,
      events: dto.events,
      description: dto.description ?? '',
      enabled: dto.enabled ?? true,
      secrets: [{ value: this.cipher.encrypt(secret, context(String(_id))), createdAt: now }],
      createdAt: now,
      createdBy: actor.id,
    });
    this.audit('webhooks.created', String(_id), actor, {
      host: hostOf(dto.url),
      events: dto.events,
    });
    return { ...toDto(doc.toObject()), secret };
  }

  async list(): Promise<WebhookDto[]> {
    const docs = await this.model.find().sort({ createdAt: -1 }).lean();
    return docs.map(toDto);
  }

  async get(id: string): Promise<WebhookDto> {
    const doc = await this.model.findById(id).lean();
    if (!doc) throw notFound('The webhook');
    return toDto(doc);
  }

  async update(id: string, dto: UpdateWebhookDto, actor: Actor): Promise<WebhookDto> {
    if (dto.url !== undefined) await this.assertCallable(dto.url);
    const set: Partial<WebhookEndpoint> = {};
    if (dto.url !== undefined) set.url = dto.url;
    if (dto.events !== undefined) set.events = dto.events;
    if (dto.description !== undefined) set.description = dto.description;
    if (dto.enabled !== undefined) set.enabled = dto.enabled;
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id },
        { $set: set, ...(dto.enabled === true ? { $unset: { disabledReason: 1 } } : {}) },
        { new: true },
      )
      .lean();
    if (!doc) throw notFound('The webhook');
    this.audit('webhooks.updated', id, actor, { fields: Object.keys(set) });
    return toDto(doc);
  }

  async remove(id: string, actor: Actor): Promise<void> {
    const { deletedCount } = await this.model.deleteOne({ _id: id });
    if (deletedCount === 0) throw notFound('The webhook');
    this.audit('webhooks.deleted', id, actor, {});
  }

  /**
   * A new secret, shown in this answer only. The ones it replaces keep signing for
   * WEBHOOK_SECRET_OVERLAP (both signatures are sent), so receivers can switch without a gap.
   */
  async rotateSecret(id: string, actor: Actor): Promise<WebhookWithSecretDto> {
    const now = this.clock.now();
    const secret = newWebhookSecret();
    const overlapEnd = new Date(now.getTime() + this.config.secretOverlapMs);
    const current = await this.model.findById(id).select('+secrets').lean();
    if (!current) throw notFound('The webhook');
    const kept = current.secrets
      .filter((s) => !s.expiresAt || s.expiresAt > now)
      .map((s) => ({
        ...s,
        expiresAt: s.expiresAt && s.expiresAt < overlapEnd ? s.expiresAt : overlapEnd,
      }));
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id },
        {
          $set: {
            secrets: [{ value: this.cipher.encrypt(secret, context(id)), createdAt: now }, ...kept],
            secretRotatedAt: now,
          },
        },
        { new: true },
      )
      .lean();
    if (!doc) throw notFound('The webhook');
    this.audit('webhooks.secret_rotated', id, actor, {});
    return { ...toDto(doc), secret };
  }

  /** The enabled endpoints subscribed to `type`, by id. */
  async subscribedTo(type: string): Promise<Types.ObjectId[]> {
    const docs = await this.model
      .find({ enabled: true, events: { $in: [type, ALL_EVENTS] } }, { _id: 1 })
      .lean();
    return docs.map((d) => d._id);
  }

  /** The endpoint with the secrets that sign now (decrypted), or undefined when it is gone. */
  async forSending(id: Types.ObjectId): Promise<SigningEndpoint | undefined> {
    const doc = await this.model.findById(id).select('+secrets').lean();
    if (!doc) return undefined;
    const now = this.clock.now();
    const secrets = doc.secrets
      .filter((s) => !s.expiresAt || s.expiresAt > now)
      .map((s) => this.cipher.decrypt(s.value, context(String(doc._id))));
    return { id: String(doc._id), url: doc.url, enabled: doc.enabled, secrets };
  }

  /** The sender turns an endpoint off (`gone`: 410; `failing`: a day of failures); audited. */
  async disable(id: string, reason: 'gone' | 'failing'): Promise<void> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, enabled: true },
        { $set: { enabled: false, disabledReason: reason } },
        { new: true },
      )
      .lean();
    if (!doc) return; // already off: another instance (or an admin) got there first
    // The admin who registered it is told (when their account still exists and is active).
    const owner = doc.createdBy ? await this.users.findById(doc.createdBy) : null;
    this.events.emit('webhooks.disabled', {
      targetType: 'webhook',
      targetId: id,
      outcome: 'success',
      details: { reason, host: hostOf(doc.url) },
      ...(owner?.status === 'active'
        ? { notify: { email: owner.email, locale: owner.locale } }
        : {}),
    });
  }

  /** Refuses at creation what the sender would refuse (the lookup is done again at each delivery). */
  private async assertCallable(url: string): Promise<void> {
    const allowPrivate = this.config.allowPrivateNetworks;
    // Anything goes where private networks are allowed: the shape alone, no lookup.
    const target = allowPrivate ? checkUrlShape(url, true) : await resolveTarget(url, false);
    // A name that does not resolve now may later: only a definite refusal stops the creation.
    if (typeof target === 'string' && target !== 'dns_failed')
      throw webhookErrors.urlRefused(target);
  }

  private audit(
    action:
      'webhooks.created' | 'webhooks.updated' | 'webhooks.secret_rotated' | 'webhooks.deleted',
    id: string,
    actor: Actor,
    details: Record<string, unknown>,
  ): void {
    this.events.emit(action, {
      actorId: actor.id,
      targetType: 'webhook',
      targetId: id,
      ...actor.origin,
      outcome: 'success',
      details,
    });
  }
}

/** Only the host goes into the audit log: a URL's path or query may carry a receiver's token. */
const hostOf = (url: string) => new URL(url).host;

function toDto(doc: WebhookEndpoint): WebhookDto {
  return {
    id: String(doc._id),
    url: doc.url,
    events: doc.events as WebhookEventChoice[],
    description: doc.description ?? '',
    enabled: doc.enabled,
    ...(doc.disabledReason ? { disabledReason: doc.disabledReason } : {}),
    createdAt: doc.createdAt.toISOString(),
    ...(doc.secretRotatedAt ? { secretRotatedAt: doc.secretRotatedAt.toISOString() } : {}),
  };
}
