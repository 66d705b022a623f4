import {
  BooleanField,
  CheckboxGroupInput,
  Create,
  Datagrid,
  DeleteWithConfirmButton,
  Edit,
  FunctionField,
  List,
  SaveButton,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  regex,
  required,
  useRecordContext,
} from 'react-admin';
import { PERMISSIONS } from './types';
import { useReportError } from './report-error';

const PERMISSION_CHOICES = PERMISSIONS.map((p) => ({ id: p, name: p }));
const NAME = [
  required(),
  regex(
    /^[a-z][a-z0-9_-]{1,31}$/,
    '2–32 lower-case letters, digits, _ or -, starting with a letter',
  ),
];

function DeleteRole() {
  const role = useRecordContext<{ builtIn: boolean; name: string }>();
  const report = useReportError();
  if (!role || role.builtIn) return null;
  return (
    <DeleteWithConfirmButton
      confirmTitle={`Delete the role ${role.name}?`}
      confirmContent="A role someone still holds cannot be deleted."
      mutationOptions={{ onError: report }}
    />
  );
}

/** Roles (roles:manage): the built-in ones read-only, custom ones editable and deletable. */
export function RoleList() {
  return (
    <List sort={{ field: 'name', order: 'ASC' }} exporter={false} perPage={25}>
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
    </List>
  );
}

export function RoleCreate() {
  const report = useReportError();
  return (
    <Create redirect="list" mutationOptions={{ onError: report }}>
      <SimpleForm defaultValues={{ permissions: [] }}>
        <TextInput source="name" validate={NAME} helperText="e.g. support" />
        <CheckboxGroupInput source="permissions" choices={PERMISSION_CHOICES} row={false} />
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
  return (
    <Edit mutationMode="pessimistic" redirect="list" mutationOptions={{ onError: report }}>
      <SimpleForm toolbar={<EditToolbar />}>
        <TextInput source="name" disabled />
        <CheckboxGroupInput source="permissions" choices={PERMISSION_CHOICES} row={false} />
      </SimpleForm>
    </Edit>
  );
}
