import { createUnitModule, UnitModule } from '../../test/support/unit-db';
import { User, UserSchema } from '../users/user.schema';
import { UsersService } from '../users/users.service';
import { ALL_PERMISSIONS, Permission } from './permissions';
import { RbacService, ROLE_TABLE_TTL_MS } from './rbac.service';
import { Role, RoleSchema } from './role.schema';

describe(RbacService.name, () => {
  let unit: UnitModule;
  let rbac: RbacService;
  const actor = { id: 'actor', origin: {}, permissions: ALL_PERMISSIONS };

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: Role.name, schema: RoleSchema },
        { name: User.name, schema: UserSchema },
      ],
      providers: [RbacService, UsersService],
    });
    rbac = unit.moduleRef.get(RbacService);
  });
  afterAll(() => unit.close());

  it('gives the built-in roles their fixed permissions and an unknown role none', async () => {
    expect(await rbac.permissionsOf('user')).toEqual([]);
    expect(await rbac.permissionsOf('admin')).toContain(Permission.RolesManage);
    expect(await rbac.permissionsOf('ghost')).toEqual([]);
    expect(await rbac.permissionsOf('__proto__')).toEqual([]);
  });

  it('applies a change made here at once', async () => {
    await rbac.create('support', [Permission.UsersRead], actor);
    expect(await rbac.permissionsOf('support')).toEqual([Permission.UsersRead]);
    await rbac.update('support', [Permission.UsersRead, Permission.UsersManage], actor);
    expect(await rbac.permissionsOf('support')).toEqual([
      Permission.UsersRead,
      Permission.UsersManage,
    ]);
  });

  it('sees a change made by another instance within ROLE_TABLE_TTL_MS, not sooner', async () => {
    await rbac.permissionsOf('support'); // cached
    await unit.db.collection('roles').updateOne({ name: 'support' }, { $set: { permissions: [] } });
    expect(await rbac.permissionsOf('support')).toHaveLength(2);
    unit.clock.advance(ROLE_TABLE_TTL_MS + 1);
    expect(await rbac.permissionsOf('support')).toEqual([]);
  });

  it('grants only what the caller holds: a new permission must be theirs, one the role had may stay', async () => {
    const keeper = { id: 'keeper', origin: {}, permissions: [Permission.RolesManage] };
    await expect(rbac.create('mine', [Permission.UsersDelete], keeper)).rejects.toMatchObject({
      code: 'permission_escalation',
      status: 403,
    });
    await rbac.create('mine', [Permission.RolesManage], keeper);
    await expect(rbac.update('mine', ALL_PERMISSIONS.slice(), keeper)).rejects.toMatchObject({
      code: 'permission_escalation',
    });
    expect((await rbac.find('mine'))?.permissions).toEqual([Permission.RolesManage]);

    await rbac.create('ops', [Permission.UsersDelete, Permission.AuditRead], actor);
    // users:delete stays (the role had it), roles:manage is the keeper's own, audit:read goes.
    await rbac.update('ops', [Permission.UsersDelete, Permission.RolesManage], keeper);
    expect((await rbac.find('ops'))?.permissions).toEqual([
      Permission.UsersDelete,
      Permission.RolesManage,
    ]);
    await expect(
      rbac.update('ops', [Permission.UsersDelete, Permission.AuditRead], keeper),
    ).rejects.toMatchObject({ code: 'permission_escalation', message: /audit:read\.$/ });
    await expect(rbac.update('nope', [Permission.UsersRead], keeper)).rejects.toMatchObject({
      code: 'not_found',
    });
    await rbac.delete('mine', actor);
    await rbac.delete('ops', actor);
  });

  it('refuses to change or delete built-in roles, and to delete a role that is held', async () => {
    await expect(rbac.update('admin', [], actor)).rejects.toMatchObject({ code: 'role_built_in' });
    await expect(rbac.delete('user', actor)).rejects.toMatchObject({ code: 'role_built_in' });
    await expect(rbac.create('admin', [], actor)).rejects.toMatchObject({ code: 'role_exists' });
    await unit.db
      .collection('users')
      .insertOne({ email: 'h@example.com', role: 'support', status: 'active', passwordHash: 'x' });
    await expect(rbac.delete('support', actor)).rejects.toMatchObject({ code: 'role_in_use' });
    await unit.db.collection('users').deleteMany({});
    await rbac.delete('support', actor);
    expect(await rbac.permissionsOf('support')).toEqual([]);
    expect(await rbac.exists('support')).toBe(false);
  });
});
