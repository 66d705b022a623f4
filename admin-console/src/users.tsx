import { Alert, Button, Chip, useMediaQuery, type Theme } from '@mui/material';
import {
  BooleanField,
  Create,
  CreateButton,
  Datagrid,
  DateField,
  FunctionField,
  List,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SimpleForm,
  SimpleList,
  TextField,
  TextInput,
  TopToolbar,
  email,
  required,
  useListContext,
} from 'react-admin';
import { useCan } from './permissions';
import type { User } from './types';

export const STATUS_CHOICES = [
  { id: 'pending', name: 'pending' },
  { id: 'invited', name: 'invited' },
  { id: 'active', name: 'active' },
  { id: 'disabled', name: 'disabled' },
];
export const BUILT_IN_ROLES = [
  { id: 'user', name: 'user' },
  { id: 'admin', name: 'admin' },
];

const statusColor = {
  active: 'success',
  disabled: 'error',
  pending: 'warning',
  invited: 'info',
} as const;
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

const FILTER_LABELS: Record<string, string> = { q: 'search', role: 'role', status: 'status' };

/**
 * Says when the list is narrowed (a search, a role or a status), with one click back to everyone:
 * an empty page should never look like "no users" when it is "no users matching".
 */
function ActiveFilters() {
  const { filterValues, setFilters, total } = useListContext();
  const active = Object.entries(filterValues ?? {}).filter(
    ([, value]) => value !== undefined && value !== '',
  );
  if (active.length === 0) return null;
  const described = active
    .map(([key, value]) => `${FILTER_LABELS[key] ?? key} "${String(value)}"`)
    .join(', ');
  return (
    <Alert
      severity="info"
      data-testid="active-filters"
      sx={{ mx: 1, my: 1 }}
      action={
        <Button color="inherit" size="small" onClick={() => setFilters({}, {})}>
          Clear filters
        </Button>
      }
    >
      {`Showing ${total ?? '…'} user${total === 1 ? '' : 's'} matching ${described}.`}
    </Alert>
  );
}

/** Users: search, role and status filters, sorting by email or sign-up date; the URL holds it all. */
export function UserList() {
  const can = useCan();
  // A phone shows one card per user instead of an eight-column table.
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <List
      filters={userFilters(can('roles:manage'))}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={
        can('users:manage') ? (
          <TopToolbar>
            <CreateButton label="Invite user" />
          </TopToolbar>
        ) : (
          false
        )
      }
    >
      <ActiveFilters />
      {narrow ? (
        <SimpleList
          linkType="show"
          primaryText={(u: User) => u.email}
          secondaryText={(u: User) => [fullName(u), u.role].filter(Boolean).join(' · ')}
          tertiaryText={(u: User) => <StatusChip status={u.status} />}
          empty={
            <Alert severity="info" sx={{ m: 1 }}>
              No user matches.
            </Alert>
          }
        />
      ) : (
        <Datagrid
          rowClick="show"
          bulkActionButtons={false}
          empty={
            <Alert severity="info" sx={{ m: 1 }}>
              No user matches.
            </Alert>
          }
        >
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
      )}
    </List>
  );
}

/**
 * Invites a user: the account is created `invited` and its owner is mailed a code to choose a
 * password with. A role the caller could not grant is refused by the API (403).
 */
export function UserInvite() {
  const can = useCan();
  return (
    <Create title="Invite user" redirect="show">
      <SimpleForm>
        <TextInput source="email" validate={[required(), email()]} fullWidth />
        <TextInput source="firstName" />
        <TextInput source="lastName" />
        {can('roles:manage') ? (
          <ReferenceInput source="role" reference="roles">
            <SelectInput label="Role" optionText="name" defaultValue="user" />
          </ReferenceInput>
        ) : (
          <SelectInput source="role" choices={BUILT_IN_ROLES} defaultValue="user" />
        )}
      </SimpleForm>
    </Create>
  );
}
