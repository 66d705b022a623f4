import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { LOCALES } from '../common/i18n/locales';
import type { Locale } from '../common/i18n/locales';

export { LOCALES };
export type { Locale };

/**
 * `pending`: signed up, email not verified yet; `invited`: created by an admin (or an import
 * without a password), waiting for its owner to accept and set a password; `active`; `disabled`.
 */
export const USER_STATUSES = ['pending', 'invited', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const GENDERS = ['female', 'male', 'non_binary', 'other', 'prefer_not_to_say'] as const;
export type Gender = (typeof GENDERS)[number];

@Schema({ _id: false, versionKey: false })
export class UserAvatar {
  @Prop({ required: true })
  assetId!: string;

  @Prop({ required: true })
  url!: string;
}

@Schema({ collection: 'users', timestamps: true })
export class User {
  /** Stored trimmed and lower-cased; unique. */
  @Prop({ required: true, unique: true, lowercase: true, trim: true, maxlength: 254 })
  email!: string;

  /** Optional; stored lower-cased, unique where present. */
  @Prop({ unique: true, sparse: true, lowercase: true, trim: true, maxlength: 32 })
  username?: string;

  @Prop({ trim: true, maxlength: 100 })
  firstName?: string;

  @Prop({ trim: true, maxlength: 100 })
  lastName?: string;

  @Prop({ enum: GENDERS })
  gender?: Gender;

  /** E.164. */
  @Prop()
  phone?: string;

  /** The language of the user's mails (and of responses when the request names none). */
  @Prop({ enum: LOCALES })
  locale?: Locale;

  @Prop({ type: UserAvatar })
  avatar?: UserAvatar;

  @Prop({ required: true, default: 'user' })
  role!: string;

  @Prop({ required: true, enum: USER_STATUSES, default: 'pending' })
  status!: UserStatus;

  @Prop()
  emailVerifiedAt?: Date;

  /**
   * `<scheme>$<hash>`, see PasswordHasher; never leaves the users service. Absent for an
   * account created by a sign-in provider until its owner sets one (forgot/reset password).
   */
  @Prop({ select: false })
  passwordHash?: string;

  @Prop({ default: false })
  twoFactorEnabled!: boolean;

  @Prop()
  lastLoginAt?: Date;

  /**
   * Lower-cased first name, last name and both together, for the admin search: an anchored
   * `$regex` on an indexed, lower-cased field (no `$text` on the development database).
   */
  @Prop({ type: [String], default: undefined, select: false })
  nameKeys?: string[];

  /** Custom data the user reads and admins write (see metadata.ts for the rules of all three). */
  @Prop({ type: Object, default: undefined })
  publicMetadata?: Record<string, unknown>;

  /** Custom data for admins only; never in the user's own responses. */
  @Prop({ type: Object, default: undefined })
  privateMetadata?: Record<string, unknown>;

  /** Custom data the user writes themselves. */
  @Prop({ type: Object, default: undefined })
  unsafeMetadata?: Record<string, unknown>;

  /** Set when a deletion started; the user is disabled, and a job finishes an interrupted one. */
  @Prop()
  deletingAt?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
// The admin list: newest first, optionally within one role or status; and the name search.
UserSchema.index({ createdAt: -1, _id: -1 });
UserSchema.index({ role: 1, createdAt: -1, _id: -1 });
UserSchema.index({ status: 1, createdAt: -1, _id: -1 });
UserSchema.index({ nameKeys: 1 });
UserSchema.index({ deletingAt: 1 }, { sparse: true });
// The webhook sweeper: users changed within a recent window (every write bumps updatedAt).
UserSchema.index({ updatedAt: 1 });
