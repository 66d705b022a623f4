import { useMediaQuery, type Theme } from '@mui/material';
import {
  Datagrid,
  DateField,
  DateTimeInput,
  FunctionField,
  List,
  SimpleList,
  TextField,
  TextInput,
} from 'react-admin';
import { AuditDetails, PersonLink, userPicker } from './people';
import { useCan } from './permissions';
import type { AuditEntry } from './types';

function auditFilters(canReadUsers: boolean) {
  return [
    <TextInput
      key="action"
      source="action"
      label="Action"
      alwaysOn
      helperText="e.g. roles.created"
    />,
    userPicker('actorId', 'Actor', canReadUsers),
    userPicker('targetId', 'Target user', canReadUsers),
    <DateTimeInput key="from" source="from" label="From" />,
    <DateTimeInput key="to" source="to" label="To" />,
  ];
}

/** What an entry was about: the user (a link), or the target's kind and id. */
export const AuditTarget = ({ entry }: { entry: AuditEntry }) =>
  entry.targetType === 'user' ? (
    <PersonLink person={entry.target} id={entry.targetId} />
  ) : entry.targetType ? (
    <span>{`${entry.targetType} ${entry.targetId ?? ''}`}</span>
  ) : (
    <span>—</span>
  );

/** The audit log (audit:read): newest first, filtered by actor, action, target and time. */
export function AuditList() {
  const can = useCan();
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <List
      filters={auditFilters(can('users:read'))}
      exporter={false}
      perPage={25}
      sort={{ field: 'at', order: 'DESC' }}
    >
      {narrow ? (
        <SimpleList
          linkType={false}
          primaryText={(e: AuditEntry) => `${e.action} (${e.outcome})`}
          secondaryText={(e: AuditEntry) => (
            <>
              <PersonLink person={e.actor} id={e.actorId} /> → <AuditTarget entry={e} />
              <AuditDetails details={e.details} />
            </>
          )}
          tertiaryText={(e: AuditEntry) => new Date(e.at).toLocaleString()}
        />
      ) : (
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <DateField source="at" showTime sortable={false} />
          <TextField source="action" sortable={false} />
          <FunctionField
            label="Actor"
            render={(e: AuditEntry) => <PersonLink person={e.actor} id={e.actorId} />}
          />
          <FunctionField label="Target" render={(e: AuditEntry) => <AuditTarget entry={e} />} />
          <TextField source="outcome" sortable={false} />
          <TextField source="ip" emptyText="—" sortable={false} />
          <FunctionField
            label="Details"
            render={(e: AuditEntry) => <AuditDetails details={e.details} />}
          />
        </Datagrid>
      )}
    </List>
  );
}
