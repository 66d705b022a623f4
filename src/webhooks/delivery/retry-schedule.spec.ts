import { nextDelayMs, parseRetryAfter } from './retry-schedule';

describe('nextDelayMs', () => {
  const schedule = [5_000, 300_000, 1_800_000];

  it('follows the schedule, within 20% of jitter either way', () => {
    expect(nextDelayMs(schedule, 1, undefined, () => 0.5)).toBe(5_000);
    expect(nextDelayMs(schedule, 2, undefined, () => 0)).toBe(240_000);
    expect(nextDelayMs(schedule, 3, undefined, () => 1)).toBe(2_160_000);
  });

  it('gives up when the schedule is spent', () => {
    expect(nextDelayMs(schedule, 4)).toBeUndefined();
  });

  it('waits as long as Retry-After asks when that is longer, at most a day', () => {
    expect(nextDelayMs(schedule, 1, 60_000, () => 0.5)).toBe(60_000);
    expect(nextDelayMs(schedule, 1, 1_000, () => 0.5)).toBe(5_000);
    expect(nextDelayMs(schedule, 1, 30 * 86_400_000, () => 0.5)).toBe(86_400_000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
