/** The longest a receiver's `Retry-After` can park a delivery. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60_000;

/** Up to this share of a delay is added or taken away at random, so retries do not march in step. */
const JITTER = 0.2;

/**
 * The delay before the next attempt after `failures` failed ones, from the schedule (the Standard
 * Webhooks one by default: 5s, 5m, 30m, 2h, 5h, 10h, 10h, about a day), with jitter; `undefined`
 * when the schedule is spent. A `Retry-After` the receiver sent wins when it asks for longer,
 * capped at a day (a receiver cannot park a delivery for a week).
 */
export function nextDelayMs(
  schedule: readonly number[],
  failures: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | undefined {
  const base = schedule[failures - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (1 + JITTER * (2 * random() - 1)));
  if (retryAfterMs === undefined) return jittered;
  return Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/** `Retry-After` as milliseconds from `now`: seconds or an HTTP date; `undefined` if neither. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
