import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import type { AdapterPayload } from 'oidc-provider';
import { Clock } from '../common/time/clock';
import { OidcRecord } from './oidc-record.schema';

/** Records without an expiry of their own (none today) live this long. */
const DEFAULT_TTL_S = 14 * 24 * 3600;

/**
 * The provider's storage in MongoDB (one collection, a `kind` per model). Every read checks the
 * expiry itself; `consume` is one conditional update, so of two requests using the same code or
 * refresh token at once exactly one wins.
 */
@Injectable()
export class OidcStore {
  constructor(
    @InjectModel(OidcRecord.name) private readonly model: Model<OidcRecord>,
    private readonly clock: Clock,
  ) {}

  async upsert(kind: string, id: string, payload: AdapterPayload, expiresIn?: number) {
    const now = this.clock.now().getTime();
    const doc = {
      kind,
      payload: JSON.stringify(payload),
      expiresAt: new Date(now + (expiresIn ?? DEFAULT_TTL_S) * 1000),
      ...pick(payload),
    };
    await this.model.replaceOne({ _id: key(kind, id) }, doc, { upsert: true });
  }

  async find(kind: string, id: string): Promise<AdapterPayload | undefined> {
    return this.one({ _id: key(kind, id) });
  }

  async findBy(
    kind: string,
    field: 'uid' | 'userCode',
    value: string,
  ): Promise<AdapterPayload | undefined> {
    return this.one({ kind, [field]: value });
  }

  /** Marks a code or refresh token used; false when another request used it first. */
  async consume(kind: string, id: string): Promise<boolean> {
    const now = this.clock.now();
    const res = await this.model.updateOne(
      { _id: key(kind, id), consumedAt: { $exists: false }, expiresAt: { $gt: now } },
      { $set: { consumedAt: now } },
    );
    return res.modifiedCount === 1;
  }

  async destroy(kind: string, id: string): Promise<void> {
    await this.model.deleteOne({ _id: key(kind, id) });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.model.deleteMany({ grantId });
  }

  /** Ends everything issued to a client (it was deleted). */
  async revokeByClient(clientId: string): Promise<void> {
    await this.model.deleteMany({ clientId });
  }

  /** Ends everything a user holds: sessions, grants, codes and tokens. Idempotent. */
  async revokeByAccount(accountId: string): Promise<number> {
    return (await this.model.deleteMany({ accountId })).deletedCount;
  }

  async purgeExpired(): Promise<number> {
    return (await this.model.deleteMany({ expiresAt: { $lte: this.clock.now() } })).deletedCount;
  }

  private async one(filter: Record<string, unknown>): Promise<AdapterPayload | undefined> {
    const doc = await this.model
      .findOne({ ...filter, expiresAt: { $gt: this.clock.now() } })
      .lean();
    if (!doc) return undefined;
    const payload = JSON.parse(doc.payload) as AdapterPayload;
    if (doc.consumedAt) payload.consumed = Math.floor(doc.consumedAt.getTime() / 1000);
    return payload;
  }
}

const key = (kind: string, id: string) => `${kind}:${id}`;

/** The fields the store looks up by, when the payload has them. */
function pick(payload: AdapterPayload) {
  const out: Partial<Pick<OidcRecord, 'grantId' | 'uid' | 'userCode' | 'accountId' | 'clientId'>> =
    {};
  if (typeof payload.grantId === 'string') out.grantId = payload.grantId;
  if (typeof payload.uid === 'string') out.uid = payload.uid;
  if (typeof payload.userCode === 'string') out.userCode = payload.userCode;
  if (typeof payload.accountId === 'string') out.accountId = payload.accountId;
  if (typeof payload.clientId === 'string') out.clientId = payload.clientId;
  return out;
}
