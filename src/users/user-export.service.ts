import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { User } from './user.schema';
import { userFilter, UserQuery } from './user-directory.service';

/**
 * One user as the export writes it: the import line's fields (so an export imports as it is),
 * then what the import does not restore. `passwordHash` only when asked for and permitted.
 */
export interface ExportedUser {
  email: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  role: string;
  status: string;
  passwordHash?: string;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  unsafeMetadata?: Record<string, unknown>;
  id: string;
  username?: string;
  locale?: string;
  twoFactorEnabled: boolean;
  createdAt: string;
  lastLoginAt?: string;
}

/** How many users a cursor batch holds: the export's memory does not grow with the user count. */
const BATCH = 500;

/** Every user matching the list's filters, oldest first, read through a cursor. */
@Injectable()
export class UserExport {
  constructor(@InjectModel(User.name) private readonly model: Model<User>) {}

  async *users(
    query: Pick<UserQuery, 'role' | 'status' | 'search' | 'metadata'>,
    options: { passwordHashes: boolean },
  ): AsyncGenerator<ExportedUser> {
    let find = this.model.find(userFilter(query)).sort({ _id: 1 });
    if (options.passwordHashes) find = find.select('+passwordHash');
    for await (const user of find.lean().cursor({ batchSize: BATCH })) {
      yield {
        email: user.email,
        emailVerified: Boolean(user.emailVerifiedAt),
        ...(user.firstName ? { firstName: user.firstName } : {}),
        ...(user.lastName ? { lastName: user.lastName } : {}),
        role: user.role,
        status: user.status,
        ...(options.passwordHashes && user.passwordHash ? { passwordHash: user.passwordHash } : {}),
        ...(user.publicMetadata ? { publicMetadata: user.publicMetadata } : {}),
        ...(user.privateMetadata ? { privateMetadata: user.privateMetadata } : {}),
        ...(user.unsafeMetadata ? { unsafeMetadata: user.unsafeMetadata } : {}),
        id: String(user._id),
        ...(user.username ? { username: user.username } : {}),
        ...(user.locale ? { locale: user.locale } : {}),
        twoFactorEnabled: Boolean(user.twoFactorEnabled),
        createdAt: user.createdAt.toISOString(),
        ...(user.lastLoginAt ? { lastLoginAt: user.lastLoginAt.toISOString() } : {}),
      };
    }
  }
}
