import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { notFound } from '../common/errors/domain.exception';
import { isDuplicateKeyError } from '../common/errors/mongo-errors';
import { DomainEvents } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Actor, Grantor } from '../common/decorators/current-actor.decorator';
import { CacheInvalidations } from '../cluster/cache-invalidations';
import { UsersService } from '../users/users.service';
import { RoleDto } from './dto/role.dto';
import { assertGrantable, beyondHeld, grantErrors } from './grants';
import { BUILT_IN_ROLES, Permission } from './permissions';
import { rbacErrors } from './rbac.errors';
import { Role } from './role.schema';

/**
 * How long an instance trusts its copy of the role table. A change drops every instance's copy
 * at once (broadcast through Redis); without Redis, another instance sees the change within this
 * long. That lag is acceptable for a permission *grant*, and a revocation that must be instant is
 * a session revocation, which is checked against the database.
 */
export const ROLE_TABLE_TTL_MS = 5_000;

type RoleTable = ReadonlyMap<string, readonly Permission[]>;

const NO_PERMISSIONS: readonly Permission[] = [];

/** Roles and what they may do: the built-in ones from permissions.ts, custom ones from MongoDB. */
@Injectable()
export class RbacService {
  private table?: { roles: RoleTable; until: number };
  private loading?: Promise<RoleTable>;
  /** Counts invalidations: a table loaded while one happened may predate it and is not kept. */
  private generation = 0;

  constructor(
    @InjectModel(Role.name) private readonly model: Model<Role>,
    private readonly users: UsersService,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly invalidations: CacheInvalidations,
  ) {
    invalidations.on((message) => {
      if (message.kind !== 'roles') return;
      this.generation += 1;
      this.table = undefined;
      this.loading = undefined;
    });
  }

  /** The caller's permissions, resolved from their role on every request (never from the token). */
  async permissionsOf(role: string): Promise<readonly Permission[]> {
    const roles = await this.roles();
    return roles.get(role) ?? NO_PERMISSIONS; // an unknown role may do nothing
  }

  async exists(role: string): Promise<boolean> {
    return (await this.roles(true)).has(role);
  }

  /** A role and its permissions as stored now (not the cached table), or `undefined`. */
  async find(name: string): Promise<RoleDto | undefined> {
    const permissions = (await this.roles(true)).get(name);
    return permissions ? toRoleDto(name, permissions) : undefined;
  }

  async list(): Promise<RoleDto[]> {
    const roles = await this.roles(true);
    return [...roles].map(([name, permissions]) => toRoleDto(name, permissions));
  }

  /** Creates a custom role; only with permissions the caller holds (403 `permission_escalation`). */
  async create(name: string, permissions: Permission[], actor: Grantor): Promise<RoleDto> {
    if (name in BUILT_IN_ROLES) throw rbacErrors.roleExists(name);
    assertGrantable(actor.permissions, permissions);
    try {
      await this.model.create({ name, permissions });
    } catch (error) {
      if (isDuplicateKeyError(error)) throw rbacErrors.roleExists(name);
      throw error;
    }
    await this.changed(name, 'roles.created', actor, { permissions });
    return toRoleDto(name, permissions);
  }

  /**
   * Replaces a custom role's permissions. Adding one is granting it, so the caller must hold every
   * permission added (403 `permission_escalation`); one they lack may stay, or go, if the role had
   * it already. The check is the update's own filter (the role still has every such permission),
   * so a concurrent change to the role cannot slip a grant between a read and the write.
   */
  async update(name: string, permissions: Permission[], actor: Grantor): Promise<RoleDto> {
    if (name in BUILT_IN_ROLES) throw rbacErrors.builtIn(name);
    const notHeld = beyondHeld(actor.permissions, permissions);
    // `$all: []` would match nothing: the condition is only there when there is something to keep.
    const filter = notHeld.length > 0 ? { name, permissions: { $all: notHeld } } : { name };
    const updated = await this.model
      .findOneAndUpdate(filter, { $set: { permissions } }, { new: true })
      .lean();
    if (!updated) {
      const current = await this.model.findOne({ name }, { permissions: 1 }).lean();
      if (!current) throw notFound('The role');
      const added = notHeld.filter((permission) => !current.permissions.includes(permission));
      throw grantErrors.escalation(added.length > 0 ? added : notHeld);
    }
    await this.changed(name, 'roles.updated', actor, { permissions });
    return toRoleDto(name, updated.permissions);
  }

  /**
   * Refuses while any user holds the role. A user given the role in the instant between that
   * check and the delete is left with an unknown role, which grants nothing (deny by default).
   */
  async delete(name: string, actor: Actor): Promise<void> {
    if (name in BUILT_IN_ROLES) throw rbacErrors.builtIn(name);
    const holders = await this.users.countByRole(name);
    if (holders > 0) throw rbacErrors.inUse(name, holders);
    const { deletedCount } = await this.model.deleteOne({ name });
    if (deletedCount === 0) throw notFound('The role');
    await this.changed(name, 'roles.deleted', actor);
  }

  private async changed(
    role: string,
    action: 'roles.created' | 'roles.updated' | 'roles.deleted',
    actor: Actor,
    details?: Record<string, unknown>,
  ): Promise<void> {
    await this.invalidations.publish({ kind: 'roles' });
    this.events.emit(action, {
      actorId: actor.id,
      targetType: 'role',
      targetId: role,
      ...actor.origin,
      outcome: 'success',
      ...(details ? { details } : {}),
    });
  }

  private async roles(fresh = false): Promise<RoleTable> {
    const now = this.clock.now().getTime();
    if (!fresh && this.table && this.table.until > now) return this.table.roles;
    // One load at a time: a burst of requests after expiry shares it.
    const generation = this.generation;
    const loading = (this.loading ??= this.load().finally(() => {
      if (this.loading === loading) this.loading = undefined;
    }));
    const roles = await loading;
    if (generation === this.generation) this.table = { roles, until: now + ROLE_TABLE_TTL_MS };
    return roles;
  }

  private async load(): Promise<RoleTable> {
    const custom = await this.model.find({}, { name: 1, permissions: 1 }).sort({ name: 1 }).lean();
    const roles = new Map<string, readonly Permission[]>(Object.entries(BUILT_IN_ROLES));
    for (const role of custom) if (!roles.has(role.name)) roles.set(role.name, role.permissions);
    return roles;
  }
}

function toRoleDto(name: string, permissions: readonly Permission[]): RoleDto {
  return { name, permissions: [...permissions], builtIn: name in BUILT_IN_ROLES };
}
