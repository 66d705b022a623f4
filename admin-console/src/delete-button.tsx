import DeleteIcon from '@mui/icons-material/Delete';
import { Button } from '@mui/material';
import { useState } from 'react';
import {
  Confirm,
  useDelete,
  useDeleteMany,
  useListContext,
  useNotify,
  useRecordContext,
  useResourceContext,
} from 'react-admin';
import { useReportError } from './report-error';

/**
 * Deletes the row's record after a confirmation and says what went ("holiday.png deleted").
 * react-admin's own button would say "Element deleted": its message is a translation key whose
 * fallback is the generic text.
 */
export function ConfirmDeleteButton({
  title,
  content,
  done,
}: {
  title: string;
  content: string;
  done: string;
}) {
  const record = useRecordContext();
  const resource = useResourceContext();
  const notify = useNotify();
  const report = useReportError();
  const [open, setOpen] = useState(false);
  const [remove, { isPending }] = useDelete();
  if (!record || !resource) return null;
  const confirm = () =>
    remove(
      resource,
      { id: record.id, previousData: record },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          setOpen(false);
          notify(done, { type: 'info' });
        },
        onError: (error) => {
          setOpen(false);
          report(error);
        },
      },
    );
  return (
    <>
      <Button
        size="small"
        color="error"
        aria-label="Delete"
        startIcon={<DeleteIcon />}
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        Delete
      </Button>
      <Confirm
        isOpen={open}
        loading={isPending}
        title={title}
        content={content}
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

/** Deletes the selected rows in one call and says how many went. */
export function BulkDeleteConfirmButton({ noun }: { noun: [string, string] }) {
  const { selectedIds, onUnselectItems, resource } = useListContext();
  const notify = useNotify();
  const report = useReportError();
  const [open, setOpen] = useState(false);
  const [removeMany, { isPending }] = useDeleteMany();
  const count = selectedIds.length;
  const what = `${count} ${count === 1 ? noun[0] : noun[1]}`;
  const confirm = () =>
    removeMany(
      resource,
      { ids: selectedIds },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          setOpen(false);
          onUnselectItems();
          notify(`${what} deleted`, { type: 'info' });
        },
        onError: (error) => {
          setOpen(false);
          report(error);
        },
      },
    );
  return (
    <>
      <Button size="small" color="error" startIcon={<DeleteIcon />} onClick={() => setOpen(true)}>
        Delete
      </Button>
      <Confirm
        isOpen={open}
        loading={isPending}
        title={`Delete ${what}?`}
        content="They are removed from storage too."
        onConfirm={confirm}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
