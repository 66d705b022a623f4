import { Counter, CounterSchema } from '../../common/rate/counter.schema';
import { WindowCounter } from '../../common/rate/window-counter.service';
import { loginConfig } from '../../config/configuration';
import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { ACCOUNT_WINDOW_MS, LockoutService } from './lockout.service';

const ACCOUNT_FAILURE_LIMIT = 50;

const THRESHOLD = 5;
const DURATION_MS = 15 * 60_000;

describe(LockoutService.name, () => {
  let unit: UnitModule;
  let lockout: LockoutService;
  const locked: unknown[] = [];

  beforeAll(async () => {
    unit = await createUnitModule({
      models: [{ name: Counter.name, schema: CounterSchema }],
      providers: [
        WindowCounter,
        LockoutService,
        {
          provide: loginConfig.KEY,
          useValue: {
            emailOtp: true,
            lockoutThreshold: THRESHOLD,
            lockoutDurationMs: DURATION_MS,
            accountLockoutThreshold: ACCOUNT_FAILURE_LIMIT,
          },
        },
      ],
    });
    lockout = unit.moduleRef.get(LockoutService);
    unit.events.on('domain.auth.login.locked', (event) => locked.push(event));
  });
  afterAll(() => unit.close());

  const fail = async (
    subject: { identifier: string; userId?: string; email?: string },
    ip: string,
  ) => lockout.failed(await lockout.begin(subject, { ip }));

  it('locks the pair after LOCKOUT_THRESHOLD failures, for LOCKOUT_DURATION, and not another IP', async () => {
    const subject = { identifier: 'pair@example.com', userId: 'u-pair' };
    for (let i = 0; i < THRESHOLD; i++) await fail(subject, '10.0.0.1');
    await expect(lockout.begin(subject, { ip: '10.0.0.1' })).rejects.toMatchObject({
      code: 'account_locked',
    });
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.0.0.2' }));
    unit.clock.advance(DURATION_MS + 1000);
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.0.0.1' }));
  });

  it("forgives the pair's failures on success", async () => {
    const subject = { identifier: 'forgive@example.com', userId: 'u-forgive' };
    for (let i = 0; i < THRESHOLD - 1; i++) await fail(subject, '10.0.1.1');
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.0.1.1' }));
    for (let i = 0; i < THRESHOLD - 1; i++) await fail(subject, '10.0.1.1');
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.0.1.1' }));
  });

  it('leaves no slot taken after a success that opened its window', async () => {
    const subject = { identifier: 'first@example.com', userId: 'u-first' };
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.0.2.1' }));
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.0.2.1' }));
    for (let i = 0; i < THRESHOLD - 1; i++) await fail(subject, '10.0.2.1');
    // Still one slot: the two successes gave theirs back.
    const last = await lockout.begin(subject, { ip: '10.0.2.1' });
    await lockout.failed(last);
    await expect(lockout.begin(subject, { ip: '10.0.2.1' })).rejects.toMatchObject({
      code: 'account_locked',
    });
  });

  it('locks the whole account after LOCKOUT_ACCOUNT_THRESHOLD failures from many IPs, and tells the owner', async () => {
    const subject = {
      identifier: 'spread@example.com',
      userId: 'u-spread',
      email: 'spread@example.com',
    };
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++)
      await fail(subject, `10.1.${Math.floor(i / THRESHOLD)}.${i % THRESHOLD}`);
    const error = await lockout.begin(subject, { ip: '10.9.9.9' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'account_locked' });
    expect(locked).toContainEqual(
      expect.objectContaining({
        details: { scope: 'account' },
        notify: { email: 'spread@example.com' },
      }),
    );
    unit.clock.advance(ACCOUNT_WINDOW_MS + 1000);
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.9.9.9' }));
  });

  it("does not spend the pair's slots on attempts the account lock refused", async () => {
    const subject = {
      identifier: 'owner@example.com',
      userId: 'u-owner',
      email: 'owner@example.com',
    };
    for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++)
      await fail(subject, `10.2.${Math.floor(i / THRESHOLD)}.${i % THRESHOLD}`);
    unit.clock.advance(ACCOUNT_WINDOW_MS - 60_000);
    for (let i = 0; i < THRESHOLD; i++)
      await expect(lockout.begin(subject, { ip: '10.3.3.3' })).rejects.toMatchObject({
        code: 'account_locked',
      });
    unit.clock.advance(61_000); // the account lock is over: the owner's IP was never charged
    await lockout.succeeded(await lockout.begin(subject, { ip: '10.3.3.3' }));
  });

  it('gives back every slot of an attempt that did not count', async () => {
    const subject = { identifier: 'void@example.com', userId: 'u-void' };
    for (let i = 0; i < THRESHOLD * 3; i++)
      await lockout.void(await lockout.begin(subject, { ip: '10.0.2.1' }));
    await fail(subject, '10.0.2.1');
  });

  it('never hands out more than LOCKOUT_THRESHOLD slots to parallel attempts', async () => {
    const subject = { identifier: 'parallel@example.com', userId: 'u-parallel' };
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => lockout.begin(subject, { ip: '10.0.3.1' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(THRESHOLD);
  });

  it('checks one code of a sign-in attempt at a time, and frees the attempt when done', async () => {
    let release!: () => void;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = lockout.oneCheckAtATime('attempt-1', () => {
      started();
      return new Promise<string>((resolve) => (release = () => resolve('first')));
    });
    await running;
    const duplicates = await Promise.allSettled(
      Array.from({ length: 10 }, () => lockout.oneCheckAtATime('attempt-1', async () => 'dup')),
    );
    expect(duplicates.map((d) => d.status === 'rejected' && d.reason.code)).toEqual(
      Array(10).fill('verification_in_progress'),
    );
    await expect(lockout.oneCheckAtATime('attempt-2', async () => 'other')).resolves.toBe('other');
    release();
    await expect(first).resolves.toBe('first');
    await expect(
      lockout.oneCheckAtATime('attempt-1', () => Promise.reject(new Error('refused'))),
    ).rejects.toThrow('refused');
    await expect(lockout.oneCheckAtATime('attempt-1', async () => 'again')).resolves.toBe('again');
  });
});
