import ReplayIcon from '@mui/icons-material/Replay';
import {
  Button,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useState } from 'react';
import {
  CheckboxGroupInput,
  Create,
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  FunctionField,
  List,
  SimpleForm,
  TextField,
  TextInput,
  required,
  useDataProvider,
  useNotify,
  useRecordContext,
  useRedirect,
  useRefresh,
} from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { useReportError } from './report-error';
import { NewSecretButton, SecretDialog, type ShownSecret } from './secret-dialog';

/** An endpoint as the admin API lists it. */
export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  disabledReason?: string;
  createdAt: string;
  secret?: string;
}

export interface WebhookDelivery {
  id: string;
  messageId: string;
  type: string;
  state: 'pending' | 'delivered' | 'failed';
  attemptCount: number;
  attempts: { at: string; status?: number; durationMs: number; error?: string }[];
  createdAt: string;
  nextAttemptAt?: string;
}

const EVENT_CHOICES = [
  ['*', 'Every event'],
  ['user.created', 'user.created'],
  ['user.verified', 'user.verified'],
  ['user.updated', 'user.updated'],
  ['user.disabled', 'user.disabled'],
  ['user.enabled', 'user.enabled'],
  ['user.deleted', 'user.deleted'],
  ['user.role_changed', 'user.role_changed'],
  ['session.revoked', 'session.revoked'],
].map(([id, name]) => ({ id, name }));

const signingSecret = (webhook: Webhook): ShownSecret | undefined =>
  webhook.secret
    ? {
        title: 'Signing secret',
        note: 'Verify deliveries with any Standard Webhooks library.',
        values: [{ testId: 'webhook-secret', value: webhook.secret }],
      }
    : undefined;

function RotateSecret() {
  const webhook = useRecordContext<Webhook>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  if (!webhook) return null;
  return (
    <NewSecretButton
      rotate={() => dataProvider.rotateWebhookSecret(webhook.id).then(signingSecret)}
    />
  );
}

function EnabledToggle() {
  const webhook = useRecordContext<Webhook>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const report = useReportError();
  const refresh = useRefresh();
  if (!webhook) return null;
  return (
    <Button
      size="small"
      onClick={(event) => {
        event.stopPropagation();
        dataProvider.setWebhookEnabled(webhook.id, !webhook.enabled).then(refresh, report);
      }}
    >
      {webhook.enabled ? 'Turn off' : 'Turn on'}
    </Button>
  );
}

const STATE_COLOR = { pending: 'warning', delivered: 'success', failed: 'error' } as const;

/** The endpoint's recent deliveries, each with its last answer and a "Send again" button. */
function Deliveries() {
  const webhook = useRecordContext<Webhook>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const report = useReportError();
  const notify = useNotify();
  const [items, setItems] = useState<WebhookDelivery[]>();
  const load = useCallback(() => {
    if (webhook) dataProvider.webhookDeliveries(webhook.id).then(setItems, report);
  }, [webhook, dataProvider, report]);
  useEffect(load, [load]);
  if (!webhook || !items) return null;
  if (items.length === 0) return <Typography variant="body2">No deliveries yet.</Typography>;
  return (
    <Table size="small" data-testid="webhook-deliveries">
      <TableHead>
        <TableRow>
          <TableCell>Event</TableCell>
          <TableCell>State</TableCell>
          <TableCell>Attempts</TableCell>
          <TableCell>Last answer</TableCell>
          <TableCell>Created</TableCell>
          <TableCell />
        </TableRow>
      </TableHead>
      <TableBody>
        {items.map((d) => {
          const last = d.attempts.at(-1);
          return (
            <TableRow key={d.id}>
              <TableCell>
                {d.type}
                <Typography variant="caption" sx={{ display: 'block', fontFamily: 'monospace' }}>
                  {d.messageId}
                </Typography>
              </TableCell>
              <TableCell>
                <Chip size="small" label={d.state} color={STATE_COLOR[d.state]} />
              </TableCell>
              <TableCell>{d.attemptCount}</TableCell>
              <TableCell>
                {last ? `${last.status ?? last.error} (${last.durationMs} ms)` : '—'}
              </TableCell>
              <TableCell>{new Date(d.createdAt).toLocaleString()}</TableCell>
              <TableCell>
                <Button
                  size="small"
                  startIcon={<ReplayIcon />}
                  onClick={() =>
                    dataProvider.resendWebhookDelivery(webhook.id, d.id).then(() => {
                      notify('Queued again', { type: 'info' });
                      load();
                    }, report)
                  }
                >
                  Send again
                </Button>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/** Webhook endpoints (webhooks:manage); a row opens on its recent deliveries. */
export function WebhookList() {
  const report = useReportError();
  return (
    <List sort={{ field: 'createdAt', order: 'DESC' }} exporter={false} perPage={25}>
      <Datagrid rowClick="expand" expand={<Deliveries />} bulkActionButtons={false}>
        <TextField source="url" sortable={false} />
        <FunctionField
          label="Events"
          sortable={false}
          render={(w: Webhook) => w.events.join(', ')}
        />
        <FunctionField
          label="State"
          sortable={false}
          render={(w: Webhook) =>
            w.enabled ? 'on' : `off${w.disabledReason ? ` (${w.disabledReason})` : ''}`
          }
        />
        <DateField source="createdAt" showTime />
        <EnabledToggle />
        <RotateSecret />
        <DeleteWithConfirmButton
          confirmTitle="Delete this endpoint?"
          confirmContent="Nothing more is sent to it, and its pending deliveries are dropped."
          mutationOptions={{ onError: report }}
        />
      </Datagrid>
    </List>
  );
}

export function WebhookCreate() {
  const report = useReportError();
  const redirect = useRedirect();
  const [created, setCreated] = useState<Webhook>();
  return (
    <>
      <Create
        redirect={false}
        mutationOptions={{ onError: report, onSuccess: (w: Webhook) => setCreated(w) }}
      >
        <SimpleForm defaultValues={{ events: ['*'] }}>
          <TextInput
            source="url"
            validate={required()}
            helperText="https:// (http and private addresses only where allowed)"
          />
          <CheckboxGroupInput source="events" choices={EVENT_CHOICES} validate={required()} />
          <TextInput source="description" />
        </SimpleForm>
      </Create>
      <SecretDialog
        secret={created && signingSecret(created)}
        onClose={() => {
          setCreated(undefined);
          redirect('list', 'webhooks');
        }}
      />
    </>
  );
}
