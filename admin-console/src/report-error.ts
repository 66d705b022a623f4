import { HttpError, useNotify } from 'react-admin';

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
