import { mongo } from 'mongoose';

const DUPLICATE_KEY = 11000;

/** MongoDB's duplicate-key error: a unique index refused the write. */
export function isDuplicateKeyError(
  error: unknown,
): error is { code: number; keyPattern?: Record<string, unknown>; message?: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === DUPLICATE_KEY
  );
}

/**
 * Errors that say the database could not be reached in time, not that the request was wrong:
 * no server to select, a connection refused or reset, an operation past its deadline (a stalled
 * or paused server), or a replica set between primaries. They become 503 `dependency_down`.
 */
const UNAVAILABLE: readonly (abstract new (...args: never[]) => Error)[] = [
  mongo.MongoNetworkError, // includes MongoNetworkTimeoutError and the pool-cleared error
  mongo.MongoServerSelectionError,
  mongo.MongoOperationTimeoutError,
  mongo.MongoTopologyClosedError,
  mongo.MongoNotConnectedError,
  mongo.MongoServerClosedError, // the server left the topology while the operation waited for it
];

/** The connection pool's own refusals, which the driver does not export as classes. */
const POOL_ERRORS = new Set(['MongoWaitQueueTimeoutError', 'MongoPoolClosedError']);

/**
 * Server errors a replica set answers while it elects a primary or shuts down (NotWritablePrimary,
 * NotPrimaryNoSecondaryOk, NotPrimaryOrSecondary, PrimarySteppedDown, InterruptedDueToReplStateChange,
 * ShutdownInProgress, InterruptedAtShutdown).
 */
const UNAVAILABLE_CODES = new Set([10107, 13435, 13436, 189, 11602, 91, 11600]);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (UNAVAILABLE.some((kind) => error instanceof kind)) return true;
  if (error instanceof mongo.MongoServerError)
    return typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code);
  if (error instanceof mongo.MongoError && POOL_ERRORS.has(error.name)) return true;
  // Mongoose queues operations while it has no connection, and gives up after bufferTimeoutMS.
  return (
    error instanceof Error &&
    error.name === 'MongooseError' &&
    /buffering timed out/.test(error.message)
  );
}
