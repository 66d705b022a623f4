import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  TextField,
} from '@mui/material';
import { useState } from 'react';
import { useDataProvider } from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { useAction } from './report-error';
import type { ProfilePatch, User } from './types';

const FIELDS = [
  ['firstName', 'First name'],
  ['lastName', 'Last name'],
  ['username', 'Username'],
  ['phone', 'Phone (+country code)'],
] as const;

/** Edits the user's profile fields (PATCH /admin/users/:id); an emptied field is cleared. */
export function EditProfileButton({ user }: { user: User }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const action = useAction();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const start = () => {
    setValues(Object.fromEntries(FIELDS.map(([key]) => [key, user[key] ?? ''])));
    setOpen(true);
  };
  const save = async () => {
    // Only what changed: an unchanged username is not checked again.
    const patch: ProfilePatch = Object.fromEntries(
      FIELDS.filter(([key]) => (user[key] ?? '') !== values[key].trim()).map(([key]) => [
        key,
        values[key].trim(),
      ]),
    );
    if (
      await action(
        () => dataProvider.updateUserProfile(user.id, patch),
        `The profile of ${user.email} is saved.`,
      )
    )
      setOpen(false);
  };
  return (
    <>
      <Button size="small" variant="outlined" onClick={start}>
        Edit profile
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="xs">
        <DialogTitle>Edit {user.email}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {FIELDS.map(([key, label]) => (
              <TextField
                key={key}
                name={key}
                label={label}
                size="small"
                value={values[key] ?? ''}
                onChange={(e) => setValues({ ...values, [key]: e.target.value })}
              />
            ))}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>Cancel</Button>
          <Button variant="contained" onClick={() => void save()}>
            Save
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
