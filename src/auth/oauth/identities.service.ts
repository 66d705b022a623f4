import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model, Types } from 'mongoose';
import { isDuplicateKeyError } from '../../common/errors/mongo-errors';
import { DomainEvents } from '../../common/events/domain-event';
import { LinkedIdentityDto } from '../../users/dto/linked-identity.dto';
import { LinkedIdentities } from '../../users/linked-identities';
import { OAuthIdentity } from './identity.schema';

type StoredIdentity = OAuthIdentity & { _id: Types.ObjectId };

function toDto(identity: StoredIdentity): LinkedIdentityDto {
  return {
    id: String(identity._id),
    provider: identity.provider,
    ...(identity.email ? { email: identity.email } : {}),
    linkedAt: identity.createdAt.toISOString(),
    ...(identity.lastUsedAt ? { lastUsedAt: identity.lastUsedAt.toISOString() } : {}),
  };
}

/** The outcome of linking: the identity, or the user it already belongs to. */
export type LinkResult =
  | { linked: true; identity: LinkedIdentityDto; created: boolean }
  | { linked: false; ownerId: string };

/** Owns the provider identities: `(provider, subject)` linked to one user. */
@Injectable()
export class IdentitiesService implements LinkedIdentities {
  constructor(
    @InjectModel(OAuthIdentity.name) private readonly model: Model<OAuthIdentity>,
    private readonly events: DomainEvents,
  ) {}

  /** GET /users/me lists identities from a per-user cache: tell it. */
  private async changed(userId: string): Promise<void> {
    await this.events.emitAsync('users.changed', { userId });
  }

  async findBySubject(
    provider: string,
    subject: string,
  ): Promise<{ id: string; userId: string } | null> {
    const found = await this.model.findOne({ provider, subject }, { userId: 1 }).lean();
    return found ? { id: String(found._id), userId: found.userId } : null;
  }

  /**
   * Links `(provider, subject)` to the user; already theirs is fine (not created). The unique
   * index decides a race: the loser learns who owns it.
   */
  async link(
    userId: string,
    provider: string,
    subject: string,
    email: string | undefined,
  ): Promise<LinkResult> {
    try {
      const created = await this.model.create({ provider, subject, userId, email });
      await this.changed(userId);
      return { linked: true, identity: toDto(created.toObject()), created: true };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.model.findOne({ provider, subject }).lean();
      if (!existing) throw error;
      if (existing.userId !== userId) return { linked: false, ownerId: existing.userId };
      return { linked: true, identity: toDto(existing), created: false };
    }
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { lastUsedAt: at } });
  }

  async get(userId: string, id: string): Promise<LinkedIdentityDto | null> {
    if (!isValidObjectId(id)) return null;
    const found = await this.model.findOne({ _id: id, userId }).lean();
    return found ? toDto(found) : null;
  }

  async listOf(userId: string): Promise<LinkedIdentityDto[]> {
    const found = await this.model.find({ userId }).sort({ createdAt: 1, _id: 1 }).lean();
    return found.map(toDto);
  }

  async countOf(userId: string): Promise<number> {
    return this.model.countDocuments({ userId });
  }

  /** Removes the user's identity and returns it (to put back), or null when it is not theirs. */
  async remove(userId: string, id: string): Promise<StoredIdentity | null> {
    if (!isValidObjectId(id)) return null;
    const removed = await this.model.findOneAndDelete({ _id: id, userId }).lean();
    if (removed) await this.changed(userId);
    return removed;
  }

  /** Puts back an identity `remove` took (an unlink that turned out to be the last way in). */
  async restore(identity: StoredIdentity): Promise<void> {
    await this.model.create(identity).catch((error: unknown) => {
      if (!isDuplicateKeyError(error)) throw error;
    });
    await this.changed(String(identity.userId));
  }

  async deleteAllOf(userId: string): Promise<void> {
    await this.model.deleteMany({ userId });
  }
}
