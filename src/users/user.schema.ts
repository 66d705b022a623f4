import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

export const USER_STATUSES = ['pending', 'active', 'disabled'] as const;
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

  @Prop({ type: UserAvatar })
  avatar?: UserAvatar;

  @Prop({ required: true, default: 'user', index: true })
  role!: string;

  @Prop({ required: true, enum: USER_STATUSES, default: 'pending', index: true })
  status!: UserStatus;

  @Prop()
  emailVerifiedAt?: Date;

  /** `<scheme>$<hash>`, see PasswordHasher; never leaves the users service. */
  @Prop({ required: true, select: false })
  passwordHash!: string;

  @Prop({ default: false })
  twoFactorEnabled!: boolean;

  @Prop()
  lastLoginAt?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);
UserSchema.index({ createdAt: -1 });
