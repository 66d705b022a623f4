import { Chip } from '@mui/material';
import {
  BooleanField,
  Datagrid,
  DateField,
  FunctionField,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  TextField,
} from 'react-admin';
import { useCan } from './permissions';
import type { User } from './types';

export const STATUS_CHOICES = [
  { id: 'pending', name: 'pending' },
  { id: 'active', name: 'active' },
  { id: 'disabled', name: 'disabled' },
];
export const BUILT_IN_ROLES = [
  { id: 'user', name: 'user' },
  { id: 'admin', name: 'admin' },
];

const statusColor = { active: 'success', disabled: 'error', pending: 'warning' } as const;
export const StatusChip = ({ status }: { status: User['status'] }) => (
  <Chip size="small" label={status} color={statusColor[status] ?? 'default'} />
);
export const fullName = (u: User) => [u.firstName, u.lastName].filter(Boolean).join(' ');

function userFilters(canListRoles: boolean) {
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder="Search email, name, username" />,
    canListRoles ? (
      <ReferenceInput key="role" source="role" reference="roles" alwaysOn>
        <SelectInput label="Role" optionText="name" />
      </ReferenceInput>
    ) : (
      <SelectInput key="role" source="role" label="Role" choices={BUILT_IN_ROLES} alwaysOn />
    ),
    <SelectInput key="status" source="status" label="Status" choices={STATUS_CHOICES} alwaysOn />,
  ];
}

/** Users: search, role and status filters, sorting by email or sign-up date; the URL holds it all. */
export function UserList() {
  const can = useCan();
  return (
    <List
      filters={userFilters(can('roles:manage'))}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="email" />
        <FunctionField label="Name" sortable={false} render={(u: User) => fullName(u)} />
        <TextField source="username" sortable={false} />
        <TextField source="role" sortable={false} />
        <FunctionField
          label="Status"
          sortBy="status"
          sortable={false}
          render={(u: User) => <StatusChip status={u.status} />}
        />
        <BooleanField source="twoFactorEnabled" label="2FA" sortable={false} />
        <DateField source="createdAt" label="Signed up" showTime />
        <DateField source="lastLoginAt" label="Last sign-in" showTime sortable={false} />
      </Datagrid>
    </List>
  );
}
