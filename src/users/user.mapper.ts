import { Types } from 'mongoose';
import { UserDto } from './dto/user.dto';
import { User } from './user.schema';

type StoredUser = Omit<User, 'passwordHash'> & {
  _id: Types.ObjectId | string;
  passwordHash?: string;
};

/**
 * The only way a user leaves the users service: an explicit list of public fields. The admin
 * view (`admin: true`) adds `privateMetadata`, which the user never sees.
 */
export function toUserDto(user: StoredUser, view: { admin?: boolean } = {}): UserDto {
  return {
    id: String(user._id),
    email: user.email,
    ...(user.username ? { username: user.username } : {}),
    ...(user.firstName ? { firstName: user.firstName } : {}),
    ...(user.lastName ? { lastName: user.lastName } : {}),
    ...(user.gender ? { gender: user.gender } : {}),
    ...(user.phone ? { phone: user.phone } : {}),
    ...(user.locale ? { locale: user.locale } : {}),
    ...(user.avatar ? { avatarUrl: user.avatar.url } : {}),
    role: user.role,
    status: user.status,
    emailVerified: Boolean(user.emailVerifiedAt),
    twoFactorEnabled: Boolean(user.twoFactorEnabled),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    ...(user.lastLoginAt ? { lastLoginAt: user.lastLoginAt.toISOString() } : {}),
    publicMetadata: user.publicMetadata ?? {},
    unsafeMetadata: user.unsafeMetadata ?? {},
    ...(view.admin ? { privateMetadata: user.privateMetadata ?? {} } : {}),
  };
}
