import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model } from 'mongoose';
import { DomainEvents, RequestOrigin } from '../common/events/domain-event';
import { conflict, notFound } from '../common/errors/domain.exception';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { UserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import { Gender, Locale, User, UserStatus } from './user.schema';

export interface NewUser {
  email: string;
  /** Unset for an account created by a sign-in provider. */
  passwordHash?: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  role?: string;
  status?: UserStatus;
  emailVerifiedAt?: Date;
  locale?: Locale;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  unsafeMetadata?: Record<string, unknown>;
}

/** Profile fields a user may change about themselves; `''` clears an optional one. */
export interface ProfilePatch {
  firstName?: string;
  lastName?: string;
  gender?: Gender | '';
  username?: string;
  phone?: string;
  locale?: Locale;
}
const PROFILE_FIELDS = ['firstName', 'lastName', 'gender', 'username', 'phone', 'locale'] as const;

/** The lower-cased names the admin search matches by prefix: each name and both together. */
export function nameKeys(names: { firstName?: string; lastName?: string }): string[] | undefined {
  const parts = [names.firstName, names.lastName]
    .map((part) => part?.trim().toLowerCase())
    .filter((part): part is string => Boolean(part));
  if (parts.length === 0) return undefined;
  return [...new Set(parts.length === 2 ? [...parts, parts.join(' ')] : parts)];
}

/** What the auth flows need to decide about a login; stays inside the server. */
export interface UserCredentials {
  user: UserDto;
  /** Unset when the account has no password (created by a sign-in provider). */
  passwordHash?: string;
}

const duplicate = (field: 'email' | 'username') =>
  field === 'username'
    ? conflict('username_taken', 'That username is already taken.')
    : conflict('email_taken', 'An account with that email already exists.');

/** Owns the users collection; every other feature goes through here. */
@Injectable()
export class UsersService {
  constructor(
    @InjectModel(User.name) private readonly model: Model<User>,
    private readonly events: DomainEvents,
  ) {}

  async findById(id: string): Promise<UserDto | null> {
    if (!isValidObjectId(id)) return null;
    const user = await this.model.findById(id).lean();
    return user ? toUserDto(user) : null;
  }

  async findByEmail(email: string): Promise<UserDto | null> {
    const user = await this.model.findOne({ email: email.trim().toLowerCase() }).lean();
    return user ? toUserDto(user) : null;
  }

  /** Login accepts an email or a username in one field. */
  async findCredentials(login: string): Promise<UserCredentials | null> {
    const key = login.trim().toLowerCase();
    const filter = key.includes('@') ? { email: key } : { username: key };
    const user = await this.model.findOne(filter).select('+passwordHash').lean();
    return user ? { user: toUserDto(user), passwordHash: user.passwordHash } : null;
  }

  async findCredentialsById(id: string): Promise<UserCredentials | null> {
    if (!isValidObjectId(id)) return null;
    const user = await this.model.findById(id).select('+passwordHash').lean();
    return user ? { user: toUserDto(user), passwordHash: user.passwordHash } : null;
  }

  /** Inserts a user; the unique indexes decide races (409 for a duplicate email or username). */
  async create(data: NewUser): Promise<UserDto> {
    try {
      const created = await this.model.create({ ...data, nameKeys: nameKeys(data) });
      return toUserDto(created.toObject());
    } catch (error) {
      throw this.translateDuplicate(error) ?? error;
    }
  }

  /**
   * Creates a pending account, or refreshes one still pending for that email (new password,
   * names, username and locale, the ones left out removed), so that nobody can squat an address. A username held only by someone else's pending
   * sign-up is released. Verified duplicates: 409.
   */
  async registerPending(
    data: Required<Pick<NewUser, 'email' | 'passwordHash'>> &
      Pick<NewUser, 'username' | 'firstName' | 'lastName' | 'locale'>,
  ): Promise<UserDto> {
    const existing = await this.model.findOne({ email: data.email }).lean();
    if (existing && existing.status !== 'pending') throw duplicate('email');
    if (data.username) {
      const holder = await this.model
        .findOne({ username: data.username }, { email: 1, status: 1 })
        .lean();
      if (holder && holder.email !== data.email) {
        if (holder.status !== 'pending') throw duplicate('username');
        await this.model.updateOne(
          { _id: holder._id, status: 'pending' },
          { $unset: { username: 1 } },
        );
      }
    }
    if (!existing) return this.create({ ...data, status: 'pending', role: 'user' });
    const keys = nameKeys(data);
    // Whatever this sign-up leaves out goes: nothing of an earlier one survives into the account.
    const optional = ['username', 'firstName', 'lastName', 'locale'] as const;
    const cleared = {
      ...Object.fromEntries(optional.filter((field) => !data[field]).map((field) => [field, 1])),
      ...(keys ? {} : { nameKeys: 1 }),
    };
    const unset = Object.keys(cleared).length > 0 ? { $unset: cleared } : {};
    try {
      const updated = await this.model
        .findOneAndUpdate(
          { _id: existing._id, status: 'pending', deletingAt: null },
          { $set: { ...data, ...(keys ? { nameKeys: keys } : {}) }, ...unset },
          { new: true },
        )
        .lean();
      if (!updated) throw duplicate('email');
      return toUserDto(updated);
    } catch (error) {
      throw this.translateDuplicate(error) ?? error;
    }
  }

  /**
   * An active, verified account without a password, for a sign-in provider that verified the
   * email. A sign-up still pending for that address is taken over: the provider proved who owns
   * the mailbox, and the pending account's password (set by whoever registered) is dropped, as
   * are its names and username, so nobody who squatted the address keeps a way in.
   */
  async createVerified(
    data: Pick<NewUser, 'email' | 'firstName' | 'lastName' | 'locale'>,
    at: Date,
  ): Promise<UserDto> {
    const given = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
    const fields = { ...given, status: 'active' as const, role: 'user', emailVerifiedAt: at };
    const keys = nameKeys(data);
    const pending = await this.model
      .findOneAndUpdate(
        { email: data.email, status: 'pending', deletingAt: null },
        {
          $set: { ...fields, ...(keys ? { nameKeys: keys } : {}) },
          $unset: {
            passwordHash: 1,
            username: 1,
            ...(data.firstName ? {} : { firstName: 1 }),
            ...(data.lastName ? {} : { lastName: 1 }),
            ...(keys ? {} : { nameKeys: 1 }),
          },
        },
        { new: true },
      )
      .lean();
    if (!pending) return this.create({ ...fields, email: data.email });
    await this.changed(String(pending._id));
    return toUserDto(pending);
  }

  /**
   * Marks the email verified; a pending account becomes active, and so does an invited one (a
   * password reset code proves the same control of the mailbox as the invitation's).
   */
  async markEmailVerified(id: string, at: Date): Promise<UserDto | null> {
    const user = await this.model.findById(id).lean();
    if (!user) return null;
    const set: Partial<User> = { emailVerifiedAt: user.emailVerifiedAt ?? at };
    if (user.status === 'pending' || user.status === 'invited') set.status = 'active';
    const updated = await this.model.findByIdAndUpdate(id, { $set: set }, { new: true }).lean();
    if (!updated) return null;
    await this.changed(id);
    return toUserDto(updated);
  }

  /** False for an account created by a sign-in provider that has not set a password yet. */
  async hasPassword(id: string): Promise<boolean> {
    if (!isValidObjectId(id)) return false;
    return (await this.model.exists({ _id: id, passwordHash: { $exists: true } })) !== null;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { passwordHash } });
    await this.changed(id); // `hasPassword` in GET /users/me
  }

  /**
   * Removes the password, if it is still the one `expected` (a change in between wins): true when
   * removed. Passwordless accounts sign in with a passkey; forgot-password sets one again.
   */
  async removePasswordHash(id: string, expected: string): Promise<boolean> {
    const { modifiedCount } = await this.model.updateOne(
      { _id: id, passwordHash: expected },
      { $unset: { passwordHash: 1 } },
    );
    await this.changed(id);
    return modifiedCount === 1;
  }

  /** Puts back a password `removePasswordHash` took, unless one was set since. */
  async restorePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.model.updateOne(
      { _id: id, passwordHash: { $exists: false } },
      { $set: { passwordHash } },
    );
    await this.changed(id);
  }

  async recordLogin(id: string, at: Date): Promise<UserDto | null> {
    const updated = await this.model
      .findByIdAndUpdate(id, { $set: { lastLoginAt: at } }, { new: true })
      .lean();
    if (!updated) return null;
    await this.changed(id);
    return toUserDto(updated);
  }

  /**
   * Applies a profile change (already validated); an empty string clears an optional field.
   * Mails the user which fields changed. `actorId` is the admin's when one made the change.
   */
  async updateProfile(
    id: string,
    patch: ProfilePatch,
    origin: RequestOrigin,
    actorId = id,
  ): Promise<UserDto> {
    const current = await this.model.findById(id).select('+nameKeys').lean();
    if (!current || current.deletingAt) throw notFound('The user');
    const set: Record<string, unknown> = {};
    const unset: Record<string, 1> = {};
    const changed: (keyof ProfilePatch)[] = [];
    for (const field of PROFILE_FIELDS) {
      const value = patch[field];
      if (value === undefined || value === (current[field] ?? '')) continue;
      changed.push(field);
      if (value === '') unset[field] = 1;
      else set[field] = value;
    }
    if (changed.length === 0) return toUserDto(current);
    const names = { ...current, ...set };
    for (const field of Object.keys(unset)) delete (names as Record<string, unknown>)[field];
    const keys = nameKeys(names);
    if (keys) set.nameKeys = keys;
    else unset.nameKeys = 1;
    try {
      const updated = await this.model
        .findOneAndUpdate(
          { _id: id, deletingAt: null },
          { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
          { new: true },
        )
        .lean();
      if (!updated) throw notFound('The user');
      await this.changed(id);
      // Which fields, never their values: the mail and the audit entry name them only.
      this.events.emit('users.profile_updated', {
        actorId,
        targetType: 'user',
        targetId: id,
        ...origin,
        outcome: 'success',
        details: { fields: changed },
        notify: { email: updated.email, locale: updated.locale },
      });
      return toUserDto(updated);
    } catch (error) {
      throw this.translateDuplicate(error) ?? error;
    }
  }

  /**
   * Users (not being deleted) last written in `(after, upTo]`, oldest change first (then by id),
   * at most `limit`: the webhook sweeper's window (served by the `updatedAt` index). `afterId`
   * continues a page inside the millisecond `after`: those written then with a greater id.
   */
  async changedBetween(
    after: Date,
    upTo: Date,
    limit: number,
    afterId?: string,
  ): Promise<UserDto[]> {
    const since = afterId
      ? { $or: [{ updatedAt: { $gt: after } }, { updatedAt: after, _id: { $gt: afterId } }] }
      : { updatedAt: { $gt: after } };
    const users = await this.model
      .find({ $and: [since, { updatedAt: { $lte: upTo } }], deletingAt: null })
      .sort({ updatedAt: 1, _id: 1 })
      .limit(limit)
      .lean();
    return users.map((user) => toUserDto(user));
  }

  async countByRole(role: string): Promise<number> {
    return this.model.countDocuments({ role });
  }

  /** Tells the owners of cached copies (the session cache) that this user changed; awaited. */
  async changed(userId: string): Promise<void> {
    await this.events.emitAsync('users.changed', { userId });
  }

  translateDuplicate(error: unknown) {
    if (!isDuplicateKeyError(error)) return undefined;
    // keyPattern names the index on inserts; on updates some servers only say it in the message.
    const field =
      Object.keys(error.keyPattern ?? {})[0] ??
      (/username/.test(error.message ?? '') ? 'username' : 'email');
    return duplicate(field === 'username' ? 'username' : 'email');
  }

  /** The flag clients see; the credential itself belongs to auth (its TOTP service). */
  async setTwoFactorEnabled(id: string, enabled: boolean): Promise<UserDto | null> {
    const updated = await this.model
      .findByIdAndUpdate(id, { $set: { twoFactorEnabled: enabled } }, { new: true })
      .lean();
    if (!updated) return null;
    await this.changed(id);
    return toUserDto(updated);
  }

  /** Points the user at an avatar asset, or at none (`null`); `null` when there is no such user. */
  async setAvatar(
    id: string,
    avatar: { assetId: string; url: string } | null,
  ): Promise<UserDto | null> {
    if (!isValidObjectId(id)) return null;
    const update = avatar ? { $set: { avatar } } : { $unset: { avatar: 1 } };
    const updated = await this.model.findByIdAndUpdate(id, update, { new: true }).lean();
    if (!updated) return null;
    await this.changed(id);
    return toUserDto(updated);
  }
}
