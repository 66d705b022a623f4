import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { Counter, CounterSchema } from './counter.schema';
import { WindowCounter } from './window-counter.service';

const WINDOW_MS = 60_000;

describe(WindowCounter.name, () => {
  let unit: UnitModule;
  let counters: WindowCounter;
  beforeAll(async () => {
    unit = await createUnitModule({
      models: [{ name: Counter.name, schema: CounterSchema }],
      providers: [WindowCounter],
    });
    counters = unit.moduleRef.get(WindowCounter);
  });
  afterAll(() => unit.close());

  it('hands out `limit` slots per window, then refuses until the window ends', async () => {
    for (let i = 1; i <= 3; i++)
      expect(await counters.take('slots', WINDOW_MS, 3)).toMatchObject({ taken: true, count: i });
    expect(await counters.take('slots', WINDOW_MS, 3)).toMatchObject({ taken: false });
    unit.clock.advance(WINDOW_MS + 1);
    expect(await counters.take('slots', WINDOW_MS, 3)).toMatchObject({ taken: true, count: 1 });
  });

  it('refuses every slot while a lock runs, even one given back, and answers when the lock ends', async () => {
    for (let i = 0; i < 3; i++) await counters.take('locked', WINDOW_MS, 3);
    const until = new Date(unit.clock.now().getTime() + 10 * WINDOW_MS);
    expect(await counters.lock('locked', until)).toBe(true);
    await counters.release('locked');
    await counters.release('locked');
    expect(await counters.take('locked', WINDOW_MS, 3)).toEqual({ taken: false, resetsAt: until });
    unit.clock.advance(10 * WINDOW_MS + 1);
    expect(await counters.take('locked', WINDOW_MS, 3)).toMatchObject({ taken: true, count: 1 });
  });

  it('answers every caller (a slot or a refusal) while 30 others take, give back and reset at once', async () => {
    const churn = async (i: number) => {
      const slot = await counters.take('churn', WINDOW_MS, 5);
      if (!slot.taken) return 'refused';
      // What the OTP check does: a winner resets the budget, the others give their slot back.
      await (i % 7 === 0 ? counters.reset('churn') : counters.release('churn'));
      return 'taken';
    };
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => churn(i)));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    }
  });
});
