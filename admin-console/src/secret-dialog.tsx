import KeyIcon from '@mui/icons-material/Key';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { useReportError } from './report-error';

/** What the API shows this once (a client secret, a signing secret), ready to be displayed. */
export interface ShownSecret {
  title: string;
  /** Said after "Copy it now: it is shown only this once." */
  note?: string;
  /** `testId` names the value for the console's e2e spec. */
  values: { label?: string; testId: string; value: string }[];
}

/**
 * The secret, shown this once: the API never shows it again. Closed while `secret` is absent.
 * Its clicks stop here: React bubbles them out of the portal to the list row the dialog was
 * opened from, and a row that expands on click would toggle on "Done".
 */
export function SecretDialog({ secret, onClose }: { secret?: ShownSecret; onClose: () => void }) {
  return (
    <Dialog
      open={!!secret}
      onClose={onClose}
      onClick={(event) => event.stopPropagation()}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle>{secret?.title}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }}>
          Copy it now: it is shown only this once.{secret?.note && ` ${secret.note}`}
        </Alert>
        <Stack spacing={2}>
          {secret?.values.map(({ label, testId, value }) => (
            <div key={testId}>
              {label && <Typography variant="body2">{label}</Typography>}
              <Typography
                data-testid={testId}
                sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
              >
                {value}
              </Typography>
            </div>
          ))}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Done</Button>
      </DialogActions>
    </Dialog>
  );
}

/** A row's "New secret" button: asks the API for one (`rotate`), then shows it once. */
export function NewSecretButton({ rotate }: { rotate: () => Promise<ShownSecret | undefined> }) {
  const report = useReportError();
  const [shown, setShown] = useState<ShownSecret>();
  return (
    <>
      <Button
        size="small"
        startIcon={<KeyIcon />}
        onClick={(event) => {
          event.stopPropagation();
          rotate().then(setShown, report);
        }}
      >
        New secret
      </Button>
      <SecretDialog secret={shown} onClose={() => setShown(undefined)} />
    </>
  );
}
