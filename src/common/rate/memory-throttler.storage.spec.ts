import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { TestClock } from '../../../test/support/test-app';

/** A real full GC, so heap figures mean live memory, not garbage not yet collected. */
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
import { MemoryThrottlerStorage } from './memory-throttler.storage';

describe(MemoryThrottlerStorage.name, () => {
  let clock: TestClock;
  let storage: MemoryThrottlerStorage;

  beforeEach(() => {
    clock = new TestClock();
    storage = new MemoryThrottlerStorage(clock);
  });
  afterEach(() => storage.onApplicationShutdown());

  const hit = (key = 'default:1.2.3.4', limit = 3, ttl = 60_000, block = 0) =>
    storage.increment(key, ttl, limit, block, 'default');

  it('counts up to the limit, then blocks until the window ends', async () => {
    for (let i = 1; i <= 3; i++)
      expect(await hit()).toMatchObject({ totalHits: i, isBlocked: false });
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 60 });
    clock.advance(59_000);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    clock.advance(1_000);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps keys apart', async () => {
    for (let i = 0; i < 4; i++) await hit('a');
    expect(await hit('b')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('honours a block longer than the window', async () => {
    for (let i = 0; i < 4; i++) await hit('k', 3, 1_000, 10_000);
    clock.advance(5_000);
    expect(await hit('k', 3, 1_000, 10_000)).toMatchObject({ isBlocked: true });
    clock.advance(5_000);
    expect(await hit('k', 3, 1_000, 10_000)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('costs constant memory for a million hits on one key', async () => {
    await hit('busy', 10_000_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) await hit('busy', 10_000_000);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    expect(storage.size).toBe(1);
    expect((await hit('busy', 10_000_000)).totalHits).toBe(1_000_002);
    // The library's storage kept one timestamp per hit here (8 MB+ for a million).
    expect(grown).toBeLessThan(4 * 1024 * 1024);
  });

  it('sweeps ended windows, so memory follows the live keys', async () => {
    for (let i = 0; i < 1_000; i++) await hit(`ip:${i}`);
    expect(storage.size).toBe(1_000);
    clock.advance(60_000);
    storage.sweep();
    expect(storage.size).toBe(0);
  });
});
