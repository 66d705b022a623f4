import { useState } from 'react';
import {
  BooleanField,
  BooleanInput,
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
  useRecordContext,
  useRedirect,
} from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { useReportError } from './report-error';
import { NewSecretButton, SecretDialog, type ShownSecret } from './secret-dialog';
import type { OidcClientWithSecret } from './types';

/** A registered client as the admin API lists it (`id` is its clientId); the secret only when just made. */
export type OidcClient = OidcClientWithSecret & { id: string };

const GRANT_CHOICES = ['authorization_code', 'refresh_token', 'client_credentials'].map((g) => ({
  id: g,
  name: g,
}));

/** One entry per line (or comma-separated) to a list, and back. */
const lines = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(/[\n,]/)
        .map((v) => v.trim())
        .filter(Boolean)
    : value;
const joined = (value: unknown) => (Array.isArray(value) ? value.join('\n') : value);

/** A confidential client's secret (absent for a public one), with the ID it goes with. */
const clientSecret = (client: OidcClient): ShownSecret | undefined =>
  client.clientSecret
    ? {
        title: `Client secret of ${client.name}`,
        values: [
          { label: 'Client ID', testId: 'client-id', value: client.clientId },
          { label: 'Client secret', testId: 'client-secret', value: client.clientSecret },
        ],
      }
    : undefined;

function RotateSecret() {
  const client = useRecordContext<OidcClient>();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  if (!client || client.public) return null;
  return (
    <NewSecretButton
      rotate={() => dataProvider.rotateOidcClientSecret(client.id).then(clientSecret)}
    />
  );
}

/** OpenID Connect clients (oidc-clients:manage): the apps that sign users in through us. */
export function OidcClientList() {
  const report = useReportError();
  return (
    <List sort={{ field: 'createdAt', order: 'DESC' }} exporter={false} perPage={25}>
      <Datagrid rowClick={false} bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="clientId" label="Client ID" sortable={false} />
        <FunctionField
          label="Grants"
          sortable={false}
          render={(c: OidcClient) => c.grantTypes.join(', ')}
        />
        <FunctionField
          label="Redirect URIs"
          sortable={false}
          render={(c: OidcClient) => c.redirectUris.join(' ') || '—'}
        />
        <BooleanField source="firstParty" sortable={false} />
        <BooleanField source="public" sortable={false} />
        <DateField source="createdAt" showTime />
        <RotateSecret />
        <DeleteWithConfirmButton
          confirmTitle="Delete this client?"
          confirmContent="Its users are signed out of it, and every token it holds stops working."
          mutationOptions={{ onError: report }}
        />
      </Datagrid>
    </List>
  );
}

export function OidcClientCreate() {
  const report = useReportError();
  const redirect = useRedirect();
  const [created, setCreated] = useState<OidcClient>();
  const toList = () => redirect('list', 'oidc-clients');
  return (
    <>
      <Create
        redirect={false}
        mutationOptions={{
          onError: report,
          onSuccess: (client: OidcClient) => (client.clientSecret ? setCreated(client) : toList()),
        }}
      >
        <SimpleForm
          defaultValues={{
            grantTypes: ['authorization_code', 'refresh_token'],
            firstParty: false,
            public: false,
          }}
        >
          <TextInput source="name" validate={required()} />
          <CheckboxGroupInput source="grantTypes" choices={GRANT_CHOICES} />
          <TextInput
            source="redirectUris"
            multiline
            parse={lines}
            format={joined}
            helperText="One per line, compared exactly"
          />
          <TextInput source="postLogoutRedirectUris" multiline parse={lines} format={joined} />
          <TextInput
            source="scopes"
            parse={lines}
            format={joined}
            helperText="API scopes for client_credentials, e.g. reports:read"
          />
          <BooleanInput source="firstParty" helperText="Ours: users are not asked for consent" />
          <BooleanInput
            source="public"
            helperText="A browser or mobile app without a secret (PKCE required)"
          />
        </SimpleForm>
      </Create>
      <SecretDialog
        secret={created && clientSecret(created)}
        onClose={() => {
          setCreated(undefined);
          toList();
        }}
      />
    </>
  );
}
