import {
  startAuthentication,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { AuthProvider } from 'react-admin';
import { api, hasSession, IMPERSONATION_ENDED, refreshSession, setAccessToken } from './api';
import type { Me, MfaChallenge, Permission, TokenPair } from './types';

let me: Promise<Me> | null = null;
/** Forget who is signed in (the token in use changed: an impersonation began or ended). */
export const forgetCurrentUser = () => {
  me = null;
};

/** The signed-in user with their permissions (GET /users/me), read once per session. */
export function currentUser(): Promise<Me> {
  me ??= api<Me>('/users/me').catch((error: unknown) => {
    me = null;
    throw error;
  });
  return me;
}

function signedIn(pair: { accessToken: string; expiresIn: number }) {
  setAccessToken(pair.accessToken, pair.expiresIn);
  me = null;
}

/** The password step; the login page shows the second step when one is asked for. */
export async function passwordStep(
  email: string,
  password: string,
): Promise<MfaChallenge | TokenPair> {
  return api<MfaChallenge | TokenPair>('/auth/login', {
    method: 'POST',
    body: { email, password, refreshTokenCookie: true },
    auth: false,
  });
}

/**
 * A passkey's ceremony: the API's request options, the browser's prompt (a fingerprint, a PIN, a
 * security key), and the signed challenge back for a token pair (the refresh token in the cookie).
 * Without `mfaToken`, username-less sign-in (a passkey is both factors); with it, the second step
 * after the password (`method: "passkey"`).
 */
export async function passkeySignIn(mfaToken?: string): Promise<TokenPair> {
  const base = mfaToken ? '/auth/login/passkey' : '/auth/passkeys';
  const optionsJSON = await api<PublicKeyCredentialRequestOptionsJSON>(`${base}/options`, {
    method: 'POST',
    body: mfaToken ? { mfaToken } : {},
    auth: false,
  });
  const credential = await startAuthentication({ optionsJSON });
  return api<TokenPair>(`${base}/verify`, {
    method: 'POST',
    body: { ...(mfaToken ? { mfaToken } : {}), credential, refreshTokenCookie: true },
    auth: false,
  });
}

/**
 * Sign-in as react-admin sees it: `{ mfaToken, code }` (the second step) or `{ pair }` (a
 * password step that needed no second one). Either way the refresh token is only in the cookie.
 */
export const authProvider: AuthProvider = {
  async login(params: { mfaToken?: string; code?: string; pair?: TokenPair }) {
    if (params.pair) return signedIn(params.pair);
    const pair = await api<TokenPair>('/auth/login/verify', {
      method: 'POST',
      body: { mfaToken: params.mfaToken, code: params.code, refreshTokenCookie: true },
      auth: false,
    });
    signedIn(pair);
  },
  async logout() {
    if (!hasSession()) await refreshSession();
    if (hasSession()) await api('/auth/logout', { method: 'POST' }).catch(() => undefined);
    setAccessToken(null);
    me = null;
  },
  async checkAuth() {
    if (hasSession() || (await refreshSession())) return;
    throw { message: false };
  },
  async checkError(error: { status?: number; body?: { code?: string } }) {
    // The impersonation ended: the admin's own session is back, nothing to sign out of.
    if (error?.body?.code === IMPERSONATION_ENDED) return;
    if (error?.status === 401) {
      setAccessToken(null);
      me = null;
      throw { message: false };
    }
  },
  async getPermissions(): Promise<Permission[]> {
    if (!hasSession() && !(await refreshSession())) return [];
    return (await currentUser()).permissions;
  },
  async getIdentity() {
    const user = await currentUser();
    const name = [user.firstName, user.lastName].filter(Boolean).join(' ');
    return { id: user.id, fullName: name || user.email, avatar: user.avatarUrl };
  },
};
