/**
 * Something costly that a start does not need (a library only some requests use): loaded by the
 * first call, shared by every call after it and by the calls made while it loads. A load that
 * fails is forgotten, so the next call tries again (a transient EMFILE, a file replaced under a
 * running process) instead of every later call failing with the same error.
 */
export function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  return () => {
    if (!current) {
      const attempt = load();
      current = attempt;
      // Only this attempt is forgotten: a newer one started after it failed stays.
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };
}
