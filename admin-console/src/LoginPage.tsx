import {
  Alert,
  Avatar,
  Box,
  Button,
  Card,
  CardContent,
  TextField,
  Typography,
} from '@mui/material';
import LockIcon from '@mui/icons-material/Lock';
import { type FormEvent, useState } from 'react';
import { useLogin } from 'react-admin';
import { passkeySignIn, passwordStep } from './authProvider';
import type { MfaChallenge } from './types';

/**
 * The real sign-in flow: the password, then the step the API asks for (an emailed code, a code
 * from the authenticator app / a recovery code, or the account's passkey); or a passkey alone,
 * username-less. The refresh token ends up only in the HttpOnly cookie.
 */
export function LoginPage() {
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<MfaChallenge | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Sign-in failed.');
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const answer = await passwordStep(email, password);
      if ('mfaRequired' in answer) {
        setChallenge(answer);
        setCode('');
      } else await login({ pair: answer });
    });
  };

  /** Without a challenge: username-less; with one: the passkey second step of that sign-in. */
  const usePasskey = (mfaToken?: string) =>
    void run(async () => login({ pair: await passkeySignIn(mfaToken) }));

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (!challenge) return;
    void run(() => login({ mfaToken: challenge.mfaToken, code: code.trim() }));
  };

  return (
    <Box
      sx={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        bgcolor: 'grey.100',
      }}
    >
      <Card sx={{ width: 380 }}>
        <CardContent>
          <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', mb: 2 }}>
            <Avatar sx={{ bgcolor: 'primary.main', mb: 1 }}>
              <LockIcon />
            </Avatar>
            <Typography variant="h6">User management · Admin</Typography>
          </Box>
          {error && (
            <Alert severity="error" sx={{ mb: 2 }} role="alert">
              {error}
            </Alert>
          )}
          {!challenge ? (
            <form onSubmit={submitPassword} aria-label="Sign in">
              <TextField
                label="Email or username"
                name="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                fullWidth
                required
                margin="dense"
                autoFocus
              />
              <TextField
                label="Password"
                name="password"
                type="password"
                autoComplete="current-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                fullWidth
                required
                margin="dense"
              />
              <Button type="submit" variant="contained" fullWidth sx={{ mt: 2 }} disabled={busy}>
                Sign in
              </Button>
              <Button
                variant="outlined"
                fullWidth
                sx={{ mt: 1 }}
                onClick={() => usePasskey()}
                disabled={busy}
              >
                Sign in with a passkey
              </Button>
            </form>
          ) : challenge.method === 'passkey' ? (
            <Box aria-label="Second step">
              <Typography variant="body2" sx={{ mb: 1 }}>
                Confirm with your passkey: your fingerprint, face, PIN or security key.
              </Typography>
              <Button
                variant="contained"
                fullWidth
                sx={{ mt: 2 }}
                onClick={() => usePasskey(challenge.mfaToken)}
                disabled={busy}
                autoFocus
              >
                Use my passkey
              </Button>
              <Button fullWidth sx={{ mt: 1 }} onClick={() => setChallenge(null)} disabled={busy}>
                Start over
              </Button>
            </Box>
          ) : (
            <form onSubmit={submitCode} aria-label="Second step">
              <Typography variant="body2" sx={{ mb: 1 }}>
                {challenge.method === 'totp'
                  ? 'Enter the code from your authenticator app, or one of your recovery codes.'
                  : 'We emailed you a 6-digit sign-in code. Enter it here.'}
              </Typography>
              <TextField
                label={
                  challenge.method === 'totp'
                    ? 'Authenticator or recovery code'
                    : 'Code from the email'
                }
                name="code"
                autoComplete="one-time-code"
                value={code}
                onChange={(e) => setCode(e.target.value)}
                fullWidth
                required
                margin="dense"
                autoFocus
              />
              <Button type="submit" variant="contained" fullWidth sx={{ mt: 2 }} disabled={busy}>
                Verify
              </Button>
              <Button fullWidth sx={{ mt: 1 }} onClick={() => setChallenge(null)} disabled={busy}>
                Start over
              </Button>
            </form>
          )}
        </CardContent>
      </Card>
    </Box>
  );
}
