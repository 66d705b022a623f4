import { HttpError } from 'react-admin';

/**
 * The one HTTP client of the console: the public API under /api/v1, the access token in memory
 * only, and the refresh token in the HttpOnly cookie the API sets (`refreshTokenCookie: true`),
 * which no script here can read. A 401 on a call refreshes once (one refresh at a time, shared
 * by every caller) and retries; errors are the API's problem details, surfaced by `detail`.
 */
const BASE = '/api/v1';
/** The problem code of a call refused because the impersonation it was made in has ended. */
export const IMPERSONATION_ENDED = 'impersonation_ended';
const CSRF_HEADER = { 'X-Requested-With': 'XMLHttpRequest' };

let accessToken: string | null = null;
/** When the access token stops being accepted (ms since the epoch), less a margin. */
let renewAt = 0;
let refreshing: Promise<boolean> | null = null;
/**
 * A flag (never a token) that this browser holds a console session cookie: without it a fresh
 * page does not ask the API to refresh, so a signed-out visit sends no call bound to answer 401
 * (which the browser would log as an error). Set at sign-in, cleared at sign-out or refusal.
 */
const SIGNED_IN_HINT = 'um_console_signed_in';
const hinted = () => {
  try {
    return localStorage.getItem(SIGNED_IN_HINT) === '1';
  } catch {
    return true; // storage blocked: ask the API as before
  }
};
const hint = (on: boolean) => {
  try {
    if (on) localStorage.setItem(SIGNED_IN_HINT, '1');
    else localStorage.removeItem(SIGNED_IN_HINT);
  } catch {
    // storage blocked: nothing to remember
  }
};
/** Renew this long before the token's end, so a call never goes out with an expired one. */
const RENEW_MARGIN_MS = 30_000;
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

/** Whom the console acts as (an admin's impersonation token is in use), or null. */
export interface Impersonation {
  userId: string;
  email: string;
}
let impersonation: Impersonation | null = null;
const listeners = new Set<() => void>();
export const currentImpersonation = () => impersonation;
export const onImpersonationChange = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};
const setImpersonation = (value: Impersonation | null) => {
  impersonation = value;
  listeners.forEach((listener) => listener());
};

/**
 * Acting as a user: their token replaces the admin's in memory only. The admin's refresh cookie
 * stays as it was, so ending (or the token's expiry) brings the admin's own session back.
 */
export function beginImpersonation(token: string, expiresIn: number, who: Impersonation) {
  accessToken = token;
  renewAt = Date.now() + expiresIn * 1000;
  setImpersonation(who);
}

/**
 * Back to the admin's own session, through the refresh cookie. The impersonation view stays until
 * the admin's token is there: the admin pages it gives way to must not call without one.
 */
export async function endImpersonation(): Promise<boolean> {
  accessToken = null;
  const back = await refreshSession();
  setImpersonation(null);
  return back;
}

export const hasSession = () => accessToken !== null;
export const setAccessToken = (token: string | null, expiresInSeconds = 0) => {
  if (token === null && impersonation) setImpersonation(null);
  accessToken = token;
  renewAt = token ? Date.now() + expiresInSeconds * 1000 - RENEW_MARGIN_MS : 0;
  signedOut = token === null;
  hint(token !== null);
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
  if (signedOut || !hinted()) return Promise.resolve(false);
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
      const pair = (await res.json()) as { accessToken: string; expiresIn: number };
      setAccessToken(pair.accessToken, pair.expiresIn);
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
  // A call made as a user is never retried as the admin: when the impersonation token has run
  // out (or was revoked) the admin is back, and this call fails instead.
  const asUser = auth && impersonation !== null;
  const ended = async () => {
    await endImpersonation();
    return new HttpError('The session as the user has ended.', 401, {
      status: 401,
      code: IMPERSONATION_ENDED,
    });
  };
  // An access token about to expire is renewed first: the 401-then-refresh path stays for a
  // token revoked early, not for the everyday expiry.
  if (auth && accessToken && Date.now() >= renewAt) {
    if (asUser) throw await ended();
    await refreshSession();
  }
  let res = await send();
  if (res.status === 401 && asUser) throw await ended();
  if (res.status === 401 && auth && (await refreshSession())) res = await send();
  if (!res.ok) throw await toError(res);
  if (res.status === 204 || res.headers.get('content-length') === '0') return undefined as T;
  return (await res.json()) as T;
}
