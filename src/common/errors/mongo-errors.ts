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
