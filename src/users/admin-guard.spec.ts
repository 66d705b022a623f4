import { createUnitModule, UnitModule } from '../../test/support/unit-db';
import { AdminGuard } from './admin-guard';
import { AdminGuardLock, AdminGuardLockSchema } from './admin-guard.schema';

describe(AdminGuard.name, () => {
  let unit: UnitModule;
  let guard: AdminGuard;

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [{ name: AdminGuardLock.name, schema: AdminGuardLockSchema }],
      providers: [AdminGuard],
    });
    guard = unit.moduleRef.get(AdminGuard);
  });
  afterAll(() => unit.close());

  it('runs 20 parallel holders one at a time, each to its end', async () => {
    let inside = 0;
    let most = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        guard.hold(async () => {
          inside += 1;
          most = Math.max(most, inside);
          // A few queries, as a real holder makes, so that the others really wait.
          for (let q = 0; q < 3; q++) await unit.db.collection('admin_guard').findOne({});
          inside -= 1;
          return i;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('releases the lock when the work fails, and passes the failure on', async () => {
    await expect(guard.hold(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(await guard.hold(() => Promise.resolve('next'))).toBe('next');
  });

  it('takes over a lock whose holder died once its lease ran out', async () => {
    await unit.db
      .collection<{ _id: string }>('admin_guard')
      .updateOne(
        { _id: 'last-admin' },
        { $set: { holder: 'crashed', until: new Date(Date.now() - 1) } },
        { upsert: true },
      );
    expect(await guard.hold(() => Promise.resolve('taken'))).toBe('taken');
  });
});
