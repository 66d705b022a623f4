import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { redactUrlPassword } from '../common/redact-url';

/** The injection token of the shared Redis connection, or `null` when REDIS_URL is unset. */
export const REDIS = Symbol('REDIS');

/** How long a start waits for Redis before it fails with one readable line. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A command that gets no answer this fast fails, and its caller degrades (see each user). */
const COMMAND_TIMEOUT_MS = 500;

/**
 * Connects to REDIS_URL before the app starts (an unreachable Redis stops the start, like an
 * unreachable MongoDB). At run time, commands never queue while disconnected: they fail at once,
 * so a Redis outage degrades the features that use it instead of stalling requests; ioredis keeps
 * reconnecting in the background.
 */
export async function connectRedis(url: string, logger = new Logger('Redis')): Promise<Redis> {
  // Loaded here, not at the top: an instance without REDIS_URL never loads ioredis (a start's 17 ms).
  const { Redis: RedisClient } = await import('ioredis');
  const client = new RedisClient(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    // After a failed connect, disconnect() arms this timer on a stream that already closed, and
    // nothing clears it: 2 s (the default) of a process that cannot exit.
    disconnectTimeout: 200,
  });
  let reported = false;
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
    // ioredis repeats the error at every reconnect attempt: one line per outage is enough.
    if (reported) return;
    reported = true;
    logger.error({ err }, 'Redis connection lost; retrying');
  });
  client.on('ready', () => {
    if (reported) logger.log('Redis connection restored');
    reported = false;
  });
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    // The 'error' event names the cause (ECONNREFUSED, a DNS failure); the rejection only says "closed".
    const cause = lastError ?? (error instanceof Error ? error : new Error(String(error)));
    throw new Error(
      `Redis at REDIS_URL=${redactUrlPassword(url)} did not answer: ${cause.message}`,
    );
  }
  return client;
}
