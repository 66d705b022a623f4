import {
  Datagrid,
  DateField,
  DateTimeInput,
  FunctionField,
  List,
  TextField,
  TextInput,
} from 'react-admin';

const filters = [
  <TextInput
    key="action"
    source="action"
    label="Action"
    alwaysOn
    helperText="e.g. roles.created"
  />,
  <TextInput key="actorId" source="actorId" label="Actor id" alwaysOn />,
  <TextInput key="targetId" source="targetId" label="Target id" />,
  <DateTimeInput key="from" source="from" label="From" />,
  <DateTimeInput key="to" source="to" label="To" />,
];

/** The audit log (audit:read): newest first, filtered by actor, action, target and time. */
export function AuditList() {
  return (
    <List filters={filters} exporter={false} perPage={25} sort={{ field: 'at', order: 'DESC' }}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="at" showTime sortable={false} />
        <TextField source="action" sortable={false} />
        <TextField source="actorId" emptyText="—" sortable={false} />
        <FunctionField
          label="Target"
          render={(e: { targetType?: string; targetId?: string }) =>
            e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'
          }
        />
        <TextField source="outcome" sortable={false} />
        <TextField source="ip" emptyText="—" sortable={false} />
        <FunctionField
          label="Details"
          render={(e: { details?: unknown }) => (e.details ? JSON.stringify(e.details) : '')}
        />
      </Datagrid>
    </List>
  );
}
