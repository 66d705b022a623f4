import { HashSlots } from './hash-slots';

describe(HashSlots.name, () => {
  it('runs at most `size` tasks at once, the rest in the order they came', async () => {
    const slots = new HashSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (i: number) =>
      slots.run(async () => {
        started.push(i);
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return i;
      });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => task(i)));
    expect(results).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(most).toBe(2);
    expect(started).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('gives the slot back when a task fails', async () => {
    const slots = new HashSlots(1);
    await expect(slots.run(() => Promise.reject(new Error('bad hash')))).rejects.toThrow(
      'bad hash',
    );
    await expect(slots.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('has at least one slot', async () => {
    await expect(new HashSlots(0).run(() => Promise.resolve(1))).resolves.toBe(1);
  });
});
