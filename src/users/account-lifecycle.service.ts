import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model } from 'mongoose';
import { notFound } from '../common/errors/domain.exception';
import { DomainEvents, EventMap } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Actor, Grantor } from '../common/decorators/current-actor.decorator';
import { assertGrantable, grantErrors } from '../rbac/grants';
import { ADMIN_ROLE, Permission } from '../rbac/permissions';
import { AdminGuard } from './admin-guard';
import { UserDto } from './dto/user.dto';
import { toUserDto } from './user.mapper';
import { User } from './user.schema';
import { usersErrors } from './users.errors';

/** A role as the rbac feature resolved it: its name and the permissions it grants. */
export interface RoleGrant {
  name: string;
  permissions: readonly Permission[];
}

type Before = Pick<User, 'role' | 'status' | 'email' | 'locale'>;

/**
 * The changes that can take an account out of use: status, role and deletion. Each is one
 * conditional update followed by the last-admin re-check: if no active admin is left, the change
 * is undone and refused (409), so the invariant holds without a transaction (the development
 * database has none). Those that can take an admin away run one at a time under `AdminGuard`, so
 * that of two admins demoting each other at once exactly one succeeds (without it both would see
 * zero admins and both be undone).
 */
@Injectable()
export class AccountLifecycle {
  constructor(
    @InjectModel(User.name) private readonly model: Model<User>,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly guard: AdminGuard,
  ) {}

  async setStatus(id: string, status: 'active' | 'disabled', actor: Actor): Promise<UserDto> {
    const before = await this.guarded(status === 'disabled', async () => {
      const before = await this.swap(id, { status });
      if (before.status === status) return before;
      await this.keepAnAdmin(before, () =>
        this.model.updateOne({ _id: id, status }, { $set: { status: before.status } }),
      );
      return before;
    });
    if (before.status === status) return this.current(id);
    await this.events.emitAsync('users.changed', { userId: id });
    if (status === 'disabled') await this.events.emitAsync('users.disabled', { userId: id });
    this.announce('users.status_changed', id, actor, { from: before.status, to: status }, before);
    return this.current(id);
  }

  /**
   * Gives the user `role` (resolved by the caller with the rbac feature). Least privilege: never
   * the caller's own role (403 `own_role`), and only a role whose every permission the caller
   * holds (403 `permission_escalation`), so `users:manage` alone cannot make anyone an admin.
   */
  async setRole(id: string, role: RoleGrant, actor: Grantor): Promise<UserDto> {
    if (id === actor.id) throw grantErrors.ownRole();
    assertGrantable(actor.permissions, role.permissions);
    const before = await this.guarded(role.name !== ADMIN_ROLE, async () => {
      const before = await this.swap(id, { role: role.name });
      if (before.role === role.name) return before;
      await this.keepAnAdmin(before, () =>
        this.model.updateOne({ _id: id, role: role.name }, { $set: { role: before.role } }),
      );
      return before;
    });
    if (before.role === role.name) return this.current(id);
    await this.events.emitAsync('users.changed', { userId: id });
    this.announce('users.role_changed', id, actor, { from: before.role, to: role.name }, before);
    return this.current(id);
  }

  /**
   * Deletes the account and everything it owns, ordered so that an interruption leaves nothing
   * usable: disable and mark it first (its tokens die with the status), then each feature removes
   * what it owns (`users.deleting`, awaited: sessions, codes, counters, assets), the user last.
   * `FinishDeletionsJob` completes a deletion that stopped half-way.
   */
  async delete(id: string, actor: Actor): Promise<void> {
    await this.guard.hold(async () => {
      const before = await this.swap(id, { status: 'disabled', deletingAt: this.clock.now() });
      await this.keepAnAdmin(before, () =>
        this.model.updateOne(
          { _id: id },
          { $set: { status: before.status }, $unset: { deletingAt: 1 } },
        ),
      );
    });
    await this.finish(id);
    this.announce('users.deleted', id, actor);
  }

  /** The idempotent rest of a deletion: dependants, then the user. */
  async finish(id: string): Promise<void> {
    await this.events.emitAsync('users.deleting', { userId: id });
    await this.model.deleteOne({ _id: id, deletingAt: { $ne: null } });
  }

  /**
   * Deletes accounts still pending (never verified) that were created, and last re-registered,
   * before `cutoff`, through the same cascade as any deletion (a registration avatar goes too).
   * Never touches any other status. Returns how many went.
   */
  async deletePendingBefore(cutoff: Date): Promise<number> {
    const stale = { status: 'pending', createdAt: { $lt: cutoff }, updatedAt: { $lt: cutoff } };
    const candidates = await this.model.find({ ...stale, deletingAt: null }, { _id: 1 }).lean();
    let deleted = 0;
    for (const { _id } of candidates) {
      // Marked only if still stale: a re-registration in between keeps the account.
      const marked = await this.model
        .findOneAndUpdate(
          { _id, ...stale, deletingAt: null },
          { $set: { deletingAt: this.clock.now() } },
          { projection: { _id: 1 }, timestamps: false },
        )
        .lean();
      if (!marked) continue;
      await this.finish(String(_id));
      deleted += 1;
    }
    return deleted;
  }

  /** Deletions started before `cutoff` and not finished (the process stopped): finishes them. */
  async finishInterrupted(cutoff: Date): Promise<number> {
    const stuck = await this.model.find({ deletingAt: { $lte: cutoff } }, { _id: 1 }).lean();
    for (const { _id } of stuck) await this.finish(String(_id));
    return stuck.length;
  }

  /** The audit entry (and, with an address, the mail) for an admin's change to a user. */
  private announce(
    action: 'users.status_changed' | 'users.role_changed' | 'users.deleted',
    id: string,
    actor: Actor,
    details?: Record<string, unknown>,
    recipient?: Pick<User, 'email' | 'locale'>,
  ): void {
    this.events.emit(action, {
      actorId: actor.id,
      targetType: 'user',
      targetId: id,
      ...actor.origin,
      outcome: 'success',
      ...(details ? { details } : {}),
      ...(recipient ? { notify: { email: recipient.email, locale: recipient.locale } } : {}),
    } as EventMap[typeof action]);
  }

  /** Sets fields and returns what they were; 404 for an unknown or departing user. */
  private async swap(id: string, set: Partial<User>): Promise<Before> {
    const before = isValidObjectId(id)
      ? await this.model
          .findOneAndUpdate(
            { _id: id, deletingAt: null },
            { $set: set },
            { new: false, projection: { role: 1, status: 1, email: 1, locale: 1 } },
          )
          .lean()
      : null;
    if (!before) throw notFound('The user');
    return before;
  }

  /** `work` under the admin guard when `mayRemoveAnAdmin`, else as it is. */
  private guarded<T>(mayRemoveAnAdmin: boolean, work: () => Promise<T>): Promise<T> {
    return mayRemoveAnAdmin ? this.guard.hold(work) : work();
  }

  private async keepAnAdmin(before: Before, undo: () => Promise<unknown>): Promise<void> {
    if (before.role !== ADMIN_ROLE || before.status !== 'active') return;
    const admins = await this.model.countDocuments({
      role: ADMIN_ROLE,
      status: 'active',
      deletingAt: null,
    });
    if (admins > 0) return;
    await undo();
    throw usersErrors.lastAdmin();
  }

  private async current(id: string): Promise<UserDto> {
    const user = await this.model.findById(id).lean();
    if (!user) throw notFound('The user');
    return toUserDto(user);
  }
}
