import { Types } from 'mongoose';
import { createUnitModule, UnitModule } from '../../test/support/unit-db';
import { ALL_PERMISSIONS, Permission } from '../rbac/permissions';
import { AccountLifecycle } from './account-lifecycle.service';
import { AdminGuard } from './admin-guard';
import { AdminGuardLock, AdminGuardLockSchema } from './admin-guard.schema';
import { FinishDeletionsJob, DELETION_GRACE_MS } from './finish-deletions.job';
import { User, UserSchema } from './user.schema';

describe(AccountLifecycle.name, () => {
  let unit: UnitModule;
  let lifecycle: AccountLifecycle;
  const effects: string[] = [];
  let failDeleting = false;

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: User.name, schema: UserSchema },
        { name: AdminGuardLock.name, schema: AdminGuardLockSchema },
      ],
      providers: [AccountLifecycle, AdminGuard, FinishDeletionsJob],
    });
    lifecycle = unit.moduleRef.get(AccountLifecycle);
    for (const name of ['users.changed', 'users.disabled', 'users.deleting'])
      unit.events.on(`domain.${name}`, (event: { userId: string }) => {
        effects.push(`${name}:${event.userId}`);
        if (name === 'users.deleting' && failDeleting) throw new Error('storage is down');
      });
  });
  afterAll(() => unit.close());
  beforeEach(() => (effects.length = 0));

  const users = () => unit.db.collection('users');
  const actor = { id: 'actor', origin: {}, permissions: ALL_PERMISSIONS };
  const USER = { name: 'user', permissions: [] };
  async function user(role: string, status = 'active'): Promise<string> {
    const { insertedId } = await users().insertOne({
      email: `${new Types.ObjectId().toHexString()}@example.com`,
      role,
      status,
      passwordHash: 'x',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    return insertedId.toHexString();
  }
  const stored = (id: string) => users().findOne({ _id: new Types.ObjectId(id) });

  it('undoes and refuses a change that would leave no active admin', async () => {
    await users().deleteMany({});
    const only = await user('admin');
    await user('admin', 'disabled'); // a disabled admin does not count
    await expect(lifecycle.setRole(only, USER, actor)).rejects.toMatchObject({
      code: 'last_admin',
    });
    await expect(lifecycle.setStatus(only, 'disabled', actor)).rejects.toMatchObject({
      code: 'last_admin',
    });
    await expect(lifecycle.delete(only, actor)).rejects.toMatchObject({ code: 'last_admin' });
    expect(await stored(only)).toMatchObject({ role: 'admin', status: 'active' });
    expect((await stored(only))?.deletingAt).toBeUndefined();
    expect(effects).toEqual([]); // nothing was announced for a refused change
  });

  it('lets an admin go while another active admin remains', async () => {
    const second = await user('admin');
    await lifecycle.setRole(second, USER, actor);
    expect(await stored(second)).toMatchObject({ role: 'user' });
    expect(effects).toEqual([`users.changed:${second}`]);
  });

  it('disabling announces the change and the disabling (sessions end), once', async () => {
    const id = await user('user');
    const dto = await lifecycle.setStatus(id, 'disabled', actor);
    expect(dto.status).toBe('disabled');
    expect(effects).toEqual([`users.changed:${id}`, `users.disabled:${id}`]);
    await lifecycle.setStatus(id, 'disabled', actor); // already disabled: nothing new
    expect(effects).toHaveLength(2);
  });

  it('deletes dependants before the user, and a failed step fails the call with the user disabled', async () => {
    const id = await user('user');
    failDeleting = true;
    await expect(lifecycle.delete(id, actor)).rejects.toThrow('storage is down');
    failDeleting = false;
    const left = await stored(id);
    expect(left).toMatchObject({ status: 'disabled' });
    expect(left?.deletingAt).toBeInstanceOf(Date);
    await expect(lifecycle.setStatus(id, 'active', actor)).rejects.toMatchObject({
      code: 'not_found',
    });

    // The job finishes it once the grace period has passed, not before.
    const job = unit.moduleRef.get(FinishDeletionsJob);
    expect(await job.run()).toBe(0);
    unit.clock.advance(DELETION_GRACE_MS + 1);
    expect(await job.run()).toBe(1);
    expect(await stored(id)).toBeNull();
    expect(effects.filter((e) => e === `users.deleting:${id}`)).toHaveLength(2);
  });

  it("gives only roles within the caller's own permissions, and never to the caller", async () => {
    const target = await user('user');
    const helpdesk = { id: 'helper', origin: {}, permissions: [Permission.UsersManage] };
    const admin = { name: 'admin', permissions: ALL_PERMISSIONS };
    await expect(lifecycle.setRole(target, admin, helpdesk)).rejects.toMatchObject({
      code: 'permission_escalation',
      status: 403,
    });
    const self = { ...helpdesk, id: target };
    await expect(lifecycle.setRole(target, USER, self)).rejects.toMatchObject({
      code: 'own_role',
    });
    await expect(lifecycle.setRole(target, admin, { ...actor, id: target })).rejects.toMatchObject({
      code: 'own_role',
    });
    expect(await stored(target)).toMatchObject({ role: 'user' });
    const peer = { name: 'peer', permissions: [Permission.UsersManage] };
    await lifecycle.setRole(target, peer, helpdesk);
    expect(await stored(target)).toMatchObject({ role: 'peer' });
    expect(effects).toEqual([`users.changed:${target}`]);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    await expect(
      lifecycle.setRole(new Types.ObjectId().toHexString(), USER, actor),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(lifecycle.delete('nope', actor)).rejects.toMatchObject({ code: 'not_found' });
  });
});
