import { Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Confirm, useDataProvider } from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { useCan } from './permissions';
import { useAction } from './report-error';
import type { LinkedIdentity, Passkey, User } from './types';

/** Why an action on one's own account is not offered here (the API refuses it: own_account). */
export const OWN_ACCOUNT_REASON =
  'This is your own account: change your own sign-in methods, two-factor, status or deletion from your account settings, not from the admin console.';

/**
 * How the user signs in: linked providers (unlink one), passkeys (remove all, for a lost device),
 * and the codes an admin can mail (a password reset, a fresh verification code).
 */
export function UserSignIn({ user, own }: { user: User; own: boolean }) {
  const can = useCan();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const action = useAction();
  const [identities, setIdentities] = useState<LinkedIdentity[]>([]);
  const [passkeys, setPasskeys] = useState<Passkey[]>([]);
  const [reload, setReload] = useState(0);
  const [confirm, setConfirm] = useState<'passkeys' | 'reset' | null>(null);
  useEffect(() => {
    let live = true;
    dataProvider
      .userIdentities(user.id)
      .then((r) => live && setIdentities(r.items))
      .catch(() => undefined);
    dataProvider
      .userPasskeys(user.id)
      .then((r) => live && setPasskeys(r.items))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [user.id, dataProvider, reload]);
  const manage = can('users:manage');
  const again = () => setReload((n) => n + 1);
  const unlink = async (identity: LinkedIdentity) => {
    if (
      await action(
        () => dataProvider.unlinkUserIdentity(user.id, identity.id),
        `${identity.provider} is no longer linked to ${user.email}.`,
      )
    )
      again();
  };
  const removePasskeys = async () => {
    setConfirm(null);
    if (
      await action(
        () => dataProvider.removeUserPasskeys(user.id),
        `The passkeys of ${user.email} are removed.`,
      )
    )
      again();
  };
  const sendReset = async () => {
    setConfirm(null);
    await action(
      () => dataProvider.sendPasswordReset(user.id),
      `A password reset code was mailed to ${user.email}.`,
    );
  };
  return (
    <Card data-testid="user-sign-in">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Sign-in
        </Typography>
        <Typography variant="subtitle2">Linked providers</Typography>
        {identities.length === 0 && <Typography variant="body2">None.</Typography>}
        {identities.map((identity) => (
          <Stack
            key={identity.id}
            direction="row"
            spacing={1}
            sx={{ alignItems: 'center', flexWrap: 'wrap' }}
          >
            <Typography variant="body2">
              {identity.provider}
              {identity.email ? ` (${identity.email})` : ''}, linked{' '}
              {new Date(identity.linkedAt).toLocaleDateString()}
            </Typography>
            {manage && (
              <Button size="small" disabled={own} onClick={() => void unlink(identity)}>
                Unlink
              </Button>
            )}
          </Stack>
        ))}
        <Typography variant="subtitle2" sx={{ mt: 1 }}>
          Passkeys
        </Typography>
        {passkeys.length === 0 && <Typography variant="body2">None.</Typography>}
        {passkeys.map((p) => (
          <Typography key={p.id} variant="body2" data-testid="passkey-row">
            {p.name}, added {new Date(p.createdAt).toLocaleDateString()}
            {p.lastUsedAt ? `, last used ${new Date(p.lastUsedAt).toLocaleDateString()}` : ''}
          </Typography>
        ))}
        {manage && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mt: 2 }}>
            {passkeys.length > 0 && (
              <Button
                variant="outlined"
                color="warning"
                disabled={own}
                onClick={() => setConfirm('passkeys')}
              >
                Remove passkeys
              </Button>
            )}
            <Button
              variant="outlined"
              disabled={user.status !== 'active'}
              onClick={() => setConfirm('reset')}
            >
              Send password reset
            </Button>
            {!user.emailVerified && user.status === 'pending' && (
              <Button
                variant="outlined"
                onClick={() =>
                  void action(
                    () => dataProvider.sendVerification(user.id),
                    `A new verification code was mailed to ${user.email}.`,
                  )
                }
              >
                Resend verification
              </Button>
            )}
          </Box>
        )}
        {manage && user.status !== 'active' && (
          <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
            A password reset is only for an active account (this one is {user.status}).
          </Typography>
        )}
        <Confirm
          isOpen={confirm === 'passkeys'}
          title={`Remove every passkey of ${user.email}?`}
          content="For a lost device: they sign in with their password (or a provider) and add a new passkey."
          onConfirm={() => void removePasskeys()}
          onClose={() => setConfirm(null)}
        />
        <Confirm
          isOpen={confirm === 'reset'}
          title={`Mail ${user.email} a password reset code?`}
          content="Any code they were sent before stops working."
          onConfirm={() => void sendReset()}
          onClose={() => setConfirm(null)}
        />
      </CardContent>
    </Card>
  );
}
