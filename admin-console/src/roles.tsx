import { useMediaQuery, type Theme } from '@mui/material';
import {
  BooleanField,
  CheckboxGroupInput,
  Create,
  Datagrid,
  Edit,
  type RaRecord,
  FunctionField,
  List,
  SaveButton,
  SimpleList,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  regex,
  required,
  useNotify,
  useRecordContext,
  useRedirect,
} from 'react-admin';
import { ConfirmDeleteButton } from './delete-button';
import { useCan } from './permissions';
import { PERMISSIONS } from './types';
import { useReportError } from './report-error';

/**
 * The permission checkboxes: one the caller does not hold is disabled (granting it is 403
 * `permission_escalation`), unless the role already has it (it may stay or go).
 */
function usePermissionChoices(current: readonly string[] = []) {
  const can = useCan();
  return PERMISSIONS.map((p) => ({ id: p, name: p, disabled: !can(p) && !current.includes(p) }));
}
const NAME = [
  required(),
  regex(
    /^[a-z][a-z0-9_-]{1,31}$/,
    '2–32 lower-case letters, digits, _ or -, starting with a letter',
  ),
];

function DeleteRole() {
  const role = useRecordContext<{ builtIn: boolean; name: string }>();
  if (!role || role.builtIn) return null;
  return (
    <ConfirmDeleteButton
      title={`Delete the role ${role.name}?`}
      content="A role someone still holds cannot be deleted."
      done={`Role ${role.name} deleted`}
    />
  );
}

/** Roles (roles:manage): the built-in ones read-only, custom ones editable and deletable. */
export function RoleList() {
  const narrow = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
  return (
    <List sort={{ field: 'name', order: 'ASC' }} exporter={false} perPage={25}>
      {narrow ? (
        <SimpleList
          rowClick={(_id, _resource, record) => (record.builtIn ? false : 'edit')}
          primaryText={(r: RaRecord) => String(r.name)}
          secondaryText={(r: RaRecord) => (r.permissions as string[]).join(', ') || '—'}
        />
      ) : (
        <Datagrid
          rowClick={(_id, _resource, record) => (record.builtIn ? false : 'edit')}
          bulkActionButtons={false}
        >
          <TextField source="name" />
          <FunctionField
            label="Permissions"
            sortable={false}
            render={(r: { permissions: string[] }) => r.permissions.join(', ') || '—'}
          />
          <BooleanField source="builtIn" sortable={false} />
          <DeleteRole />
        </Datagrid>
      )}
    </List>
  );
}

/** After a save, say which role and what happened, then back to the list. */
function useRoleSaved(verb: 'created' | 'saved') {
  const notify = useNotify();
  const redirect = useRedirect();
  return (role: RaRecord) => {
    notify(`Role ${String(role.name)} ${verb}`, { type: 'success' });
    redirect('list', 'roles');
  };
}

export function RoleCreate() {
  const report = useReportError();
  const choices = usePermissionChoices();
  const onSuccess = useRoleSaved('created');
  return (
    <Create mutationOptions={{ onError: report, onSuccess }}>
      <SimpleForm defaultValues={{ permissions: [] }}>
        <TextInput source="name" validate={NAME} helperText="e.g. support" />
        <CheckboxGroupInput
          source="permissions"
          choices={choices}
          row={false}
          helperText="Only permissions you hold can be given."
        />
      </SimpleForm>
    </Create>
  );
}

const EditToolbar = () => (
  <Toolbar>
    <SaveButton />
  </Toolbar>
);

export function RoleEdit() {
  const report = useReportError();
  const onSuccess = useRoleSaved('saved');
  return (
    <Edit mutationMode="pessimistic" mutationOptions={{ onError: report, onSuccess }}>
      <SimpleForm toolbar={<EditToolbar />}>
        <TextInput source="name" disabled />
        <RolePermissions />
      </SimpleForm>
    </Edit>
  );
}

/** In the edit form: what the role had when it was loaded decides what may stay. */
function RolePermissions() {
  const role = useRecordContext<{ permissions: string[] }>();
  const choices = usePermissionChoices(role?.permissions);
  return (
    <CheckboxGroupInput
      source="permissions"
      choices={choices}
      row={false}
      helperText="Only permissions you hold can be added."
    />
  );
}
