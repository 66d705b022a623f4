import { HttpError, useNotify, useRefresh } from 'react-admin';

/**
 * A failed action shows the problem's `detail`; a rule the API upholds (409: the last admin,
 * one's own account) is a warning to read, not a failure.
 */
export function useReportError() {
  const notify = useNotify();
  return (error: unknown) => {
    const status = error instanceof HttpError ? error.status : undefined;
    const message = error instanceof Error ? error.message : 'The action failed.';
    notify(message, { type: status === 409 ? 'warning' : 'error' });
  };
}

/**
 * Runs one admin action: on success says what happened (in words, never "Element updated") and
 * reloads the page's data; on failure shows the API's reason.
 */
export function useAction() {
  const notify = useNotify();
  const refresh = useRefresh();
  const report = useReportError();
  return async (run: () => Promise<unknown>, done: string): Promise<boolean> => {
    try {
      await run();
      notify(done, { type: 'success' });
      refresh();
      return true;
    } catch (error) {
      report(error);
      return false;
    }
  };
}
