import {
  Button,
  Card,
  CardContent,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useEffect, useState } from 'react';
import { Confirm, useDataProvider } from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { useCan } from './permissions';
import { useAction } from './report-error';
import type { Session, User } from './types';

const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * The user's live sessions (device, IP, created, last used), each revocable, and "revoke all".
 * A revoked session's tokens are refused at once by the API.
 */
export function UserSessions({ user }: { user: User }) {
  const can = useCan();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const action = useAction();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const [reload, setReload] = useState(0);
  const [confirmAll, setConfirmAll] = useState(false);
  useEffect(() => {
    let live = true;
    dataProvider
      .userSessions(user.id)
      .then((list) => live && setSessions(list.items))
      .catch(() => live && setSessions(null));
    return () => {
      live = false;
    };
  }, [user.id, user.status, user.updatedAt, dataProvider, reload]);
  const manage = can('users:manage');
  const revoke = async (session: Session) => {
    if (
      await action(
        () => dataProvider.revokeUserSession(user.id, session.id),
        `The session${session.userAgent ? ` on ${session.userAgent}` : ''} of ${user.email} has ended.`,
      )
    )
      setReload((n) => n + 1);
  };
  const revokeAll = async () => {
    setConfirmAll(false);
    if (
      await action(
        () => dataProvider.revokeUserSessions(user.id),
        `Every session of ${user.email} has ended.`,
      )
    )
      setReload((n) => n + 1);
  };
  return (
    <Card data-testid="user-sessions-card">
      <CardContent>
        <Stack
          direction="row"
          sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1 }}
        >
          <Typography variant="h6">
            Live sessions (
            <span data-testid="user-sessions">{sessions ? sessions.length : '…'}</span>)
          </Typography>
          {manage && (
            <Button
              color="warning"
              variant="outlined"
              disabled={!sessions?.length}
              onClick={() => setConfirmAll(true)}
            >
              Revoke all
            </Button>
          )}
        </Stack>
        {sessions && sessions.length === 0 && <Typography>No live sessions.</Typography>}
        {sessions && sessions.length > 0 && (
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>Device</TableCell>
                  <TableCell>IP</TableCell>
                  <TableCell>Signed in</TableCell>
                  <TableCell>Last used</TableCell>
                  {manage && <TableCell />}
                </TableRow>
              </TableHead>
              <TableBody>
                {sessions.map((s) => (
                  <TableRow key={s.id} data-testid="session-row">
                    <TableCell sx={{ wordBreak: 'break-word' }}>
                      {s.userAgent ?? 'unknown device'}
                      {s.current && ' (this console)'}
                    </TableCell>
                    <TableCell>{s.ip ?? '—'}</TableCell>
                    <TableCell>{when(s.createdAt)}</TableCell>
                    <TableCell>{when(s.lastUsedAt)}</TableCell>
                    {manage && (
                      <TableCell>
                        <Button size="small" color="warning" onClick={() => void revoke(s)}>
                          Revoke
                        </Button>
                      </TableCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
        <Confirm
          isOpen={confirmAll}
          title={`End every session of ${user.email}?`}
          content="They are signed out everywhere and must sign in again."
          onConfirm={() => void revokeAll()}
          onClose={() => setConfirmAll(false)}
        />
      </CardContent>
    </Card>
  );
}
