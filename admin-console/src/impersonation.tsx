import { Alert, Box, Button, Card, CardContent, Typography } from '@mui/material';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useRedirect, useRefresh } from 'react-admin';
import {
  api,
  beginImpersonation,
  currentImpersonation,
  endImpersonation,
  onImpersonationChange,
  type Impersonation,
} from './api';
import { forgetCurrentUser } from './authProvider';
import type { Me, Session } from './types';

/** Whom the console acts as now (re-renders when an impersonation begins or ends). */
export const useImpersonation = (): Impersonation | null =>
  useSyncExternalStore(onImpersonationChange, currentImpersonation);

interface ImpersonationAnswer {
  accessToken: string;
  expiresIn: number;
}

/** Starts acting as the user (POST /admin/users/:id/impersonate); the API mails them. */
export function useStartImpersonation() {
  return async (user: { id: string; email: string }) => {
    const answer = await api<ImpersonationAnswer>(
      `/admin/users/${encodeURIComponent(user.id)}/impersonate`,
      { method: 'POST' },
    );
    // No refetch of the page: the layout swaps to the impersonation view at once, and the admin
    // pages' queries must never run with the user's token (they would be 403s).
    forgetCurrentUser();
    beginImpersonation(answer.accessToken, answer.expiresIn, {
      userId: user.id,
      email: user.email,
    });
  };
}

/**
 * The console while an admin acts as a user: a banner that says so with "Stop", and what the API
 * shows that user (their profile and sessions, read with their token). Each of these requests is
 * audited as the admin acting as the user.
 */
export function ImpersonationView({ who }: { who: Impersonation }) {
  const refresh = useRefresh();
  const redirect = useRedirect();
  const [me, setMe] = useState<Me | null>(null);
  const [sessions, setSessions] = useState<Session[]>([]);
  const [stopping, setStopping] = useState(false);
  useEffect(() => {
    api<Me>('/users/me').then(setMe, () => undefined);
    api<{ items: Session[] }>('/sessions').then(
      (r) => setSessions(r.items),
      () => undefined,
    );
  }, [who.userId]);
  const stop = async () => {
    setStopping(true);
    await api('/auth/impersonation/stop', { method: 'POST' }).catch(() => undefined);
    await endImpersonation();
    forgetCurrentUser();
    refresh();
    redirect('show', 'users', who.userId);
  };
  return (
    <Box sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 720, mx: 'auto' }}>
      <Alert
        severity="warning"
        data-testid="impersonation-banner"
        action={
          <Button
            color="inherit"
            variant="outlined"
            disabled={stopping}
            onClick={() => void stop()}
          >
            Stop
          </Button>
        }
      >
        {`You are acting as ${who.email}. Every request is audited in your name; password, two-factor and passkey changes are refused.`}
      </Alert>
      <Card data-testid="impersonated-me">
        <CardContent>
          <Typography variant="h6" gutterBottom>
            What {who.email} sees
          </Typography>
          {me ? (
            <>
              <Typography>Email: {me.email}</Typography>
              <Typography>
                Name: {[me.firstName, me.lastName].filter(Boolean).join(' ') || '—'}
              </Typography>
              <Typography>Role: {me.role}</Typography>
              <Typography>Status: {me.status}</Typography>
              <Typography>Live sessions: {sessions.length}</Typography>
            </>
          ) : (
            <Typography>Loading…</Typography>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
