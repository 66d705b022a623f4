import { HttpError } from 'react-admin';

/**
 * The one HTTP client of the console: the public API under /api/v1, the access token in memory
 * only, and the refresh token in the HttpOnly cookie the API sets (`refreshTokenCookie: true`),
 * which no script here can read. A 401 on a call refreshes once (one refresh at a time, shared
 * by every caller) and retries; errors are the API's problem details, surfaced by `detail`.
 */
const BASE = '/api/v1';
const CSRF_HEADER = { 'X-Requested-With': 'XMLHttpRequest' };

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
/**
 * Set once a refresh was refused (or after sign-out): later checks in this page skip the call
 * instead of spending the /auth rate limit on answers already known. Signing in clears it.
 */
let signedOut = false;

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  code?: string;
  errors?: { field: string; message: string }[];
}

export const hasSession = () => accessToken !== null;
export const setAccessToken = (token: string | null) => {
  accessToken = token;
  signedOut = token === null;
};

async function toError(res: Response): Promise<HttpError> {
  let body: Problem | undefined;
  try {
    body = (await res.json()) as Problem;
  } catch {
    body = undefined;
  }
  const fields = body?.errors?.map((e) => `${e.field}: ${e.message}`).join('; ');
  const message = [body?.detail ?? res.statusText, fields].filter(Boolean).join(' — ');
  return new HttpError(message || `HTTP ${res.status}`, res.status, body);
}

/** Swaps the cookie's refresh token for a new access token (and a new cookie). */
export function refreshSession(): Promise<boolean> {
  if (signedOut) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const res = await fetch(`${BASE}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...CSRF_HEADER },
        body: JSON.stringify({ refreshTokenCookie: true }),
        credentials: 'same-origin',
      });
      if (!res.ok) {
        setAccessToken(null);
        return false;
      }
      accessToken = ((await res.json()) as { accessToken: string }).accessToken;
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** false for the sign-in calls: a 401 there is an answer, not an expired token. */
  auth?: boolean;
}

export async function api<T>(path: string, options: CallOptions = {}): Promise<T> {
  const { method = 'GET', body, query, auth = true } = options;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined && value !== '') params.set(key, String(value));
  const url = `${BASE}${path}${params.size ? `?${params}` : ''}`;
  const send = () =>
    fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        ...(auth && accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  let res = await send();
  if (res.status === 401 && auth && (await refreshSession())) res = await send();
  if (!res.ok) throw await toError(res);
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
  return (await res.json()) as T;
}
