import { onFirstUse } from './on-first-use';

describe('onFirstUse', () => {
  it('loads once, for the first call and every call after it, including those made while it loads', async () => {
    let loads = 0;
    const library = onFirstUse(async () => ({ n: ++loads }));
    const [a, b] = await Promise.all([library(), library()]);
    const c = await library();
    expect(loads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('forgets a load that failed: the next call tries again', async () => {
    let loads = 0;
    const library = onFirstUse(async () => {
      loads += 1;
      if (loads === 1) throw new Error('EMFILE');
      return 'loaded';
    });
    await expect(library()).rejects.toThrow('EMFILE');
    await expect(library()).resolves.toBe('loaded');
    await expect(library()).resolves.toBe('loaded');
    expect(loads).toBe(2);
  });
});
