import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model } from 'mongoose';
import { notFound } from '../common/errors/domain.exception';
import { Clock } from '../common/time/clock';
import { AccountLifecycle } from './account-lifecycle.service';
import { UserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import { Locale, User } from './user.schema';
import { usersErrors } from './users.errors';
import { UsersService } from './users.service';

export interface NewInvitedUser {
  email: string;
  firstName?: string;
  lastName?: string;
  role: string;
  locale?: Locale;
}

/**
 * Accounts an admin (or an import) created for someone who has not chosen a password yet. The
 * codes and mails are the invitations feature's; this owns the accounts' state: `invited` until
 * accepted, then `active` with a password and a verified email, in one conditional update.
 */
@Injectable()
export class InvitedUsers {
  constructor(
    @InjectModel(User.name) private readonly model: Model<User>,
    private readonly users: UsersService,
    private readonly lifecycle: AccountLifecycle,
    private readonly clock: Clock,
  ) {}

  /** 409 `email_taken` when the address has an account, whatever its status. */
  create(data: NewInvitedUser): Promise<UserDto> {
    return this.users.create({ ...data, status: 'invited' });
  }

  /** The account of `email` while it is invited; `null` for none or another status. */
  async findByEmail(email: string): Promise<UserDto | null> {
    const user = await this.users.findByEmail(email);
    return user?.status === 'invited' ? user : null;
  }

  /** The invited account of `id`: 404 for no account, 409 `not_invited` for any other status. */
  async get(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw notFound('The user');
    if (user.status !== 'invited') throw usersErrors.notInvited();
    return user;
  }

  /**
   * Sets the password and verifies the email of a still-invited account; `null` when it is no
   * longer invited (accepted by a parallel request, revoked): the update is the state change.
   */
  async accept(id: string, passwordHash: string): Promise<UserDto | null> {
    if (!isValidObjectId(id)) return null;
    const accepted = await this.model
      .findOneAndUpdate(
        { _id: id, status: 'invited', deletingAt: null },
        { $set: { passwordHash, status: 'active', emailVerifiedAt: this.clock.now() } },
        { new: true },
      )
      .lean();
    if (!accepted) return null;
    await this.users.changed(id);
    return toUserDto(accepted);
  }

  /**
   * Revokes an invitation by deleting the account it created (with its codes, through the usual
   * deletion cascade), only while it is still invited: 404 unknown, 409 `not_invited` otherwise.
   */
  async revoke(id: string): Promise<UserDto> {
    const user = await this.get(id);
    const marked = await this.model
      .findOneAndUpdate(
        { _id: id, status: 'invited', deletingAt: null },
        { $set: { deletingAt: this.clock.now() } },
        { projection: { _id: 1 } },
      )
      .lean();
    if (!marked) throw usersErrors.notInvited();
    await this.lifecycle.finish(id);
    return user;
  }
}
