import AssessmentIcon from '@mui/icons-material/Assessment';
import AppsIcon from '@mui/icons-material/Apps';
import ImageIcon from '@mui/icons-material/Image';
import PeopleIcon from '@mui/icons-material/People';
import SecurityIcon from '@mui/icons-material/Security';
import WebhookIcon from '@mui/icons-material/Webhook';
import { Admin, Resource } from 'react-admin';
import { AssetList } from './assets';
import { AuditList } from './audit';
import { authProvider } from './authProvider';
import { Dashboard } from './Dashboard';
import { consoleDataProvider } from './dataProvider';
import { ConsoleLayout } from './Layout';
import { LoginPage } from './LoginPage';
import { OidcClientCreate, OidcClientList } from './oidc-clients';
import { RoleCreate, RoleEdit, RoleList } from './roles';
import type { Permission } from './types';
import { UserShow } from './user-show';
import { UserInvite, UserList } from './users';
import { WebhookCreate, WebhookList } from './webhooks';

/**
 * The admin console: react-admin over the public admin API. Each section appears only for the
 * permission it needs; the API enforces them all the same.
 */
export function App() {
  return (
    <Admin
      title="User management"
      dataProvider={consoleDataProvider}
      authProvider={authProvider}
      loginPage={LoginPage}
      dashboard={Dashboard}
      layout={ConsoleLayout}
      requireAuth
      disableTelemetry
    >
      {(permissions: Permission[] | undefined) => {
        const can = (p: Permission) => Array.isArray(permissions) && permissions.includes(p);
        return [
          can('users:read') ? (
            <Resource
              key="users"
              name="users"
              list={UserList}
              show={UserShow}
              create={can('users:manage') ? UserInvite : undefined}
              icon={PeopleIcon}
              recordRepresentation="email"
            />
          ) : null,
          can('roles:manage') ? (
            <Resource
              key="roles"
              name="roles"
              list={RoleList}
              create={RoleCreate}
              edit={RoleEdit}
              icon={SecurityIcon}
              recordRepresentation="name"
            />
          ) : null,
          can('audit:read') ? (
            <Resource
              key="audit-logs"
              name="audit-logs"
              options={{ label: 'Audit log' }}
              list={AuditList}
              icon={AssessmentIcon}
            />
          ) : null,
          can('oidc-clients:manage') ? (
            <Resource
              key="oidc-clients"
              name="oidc-clients"
              options={{ label: 'OpenID clients' }}
              list={OidcClientList}
              create={OidcClientCreate}
              icon={AppsIcon}
              recordRepresentation="name"
            />
          ) : null,
          can('webhooks:manage') ? (
            <Resource
              key="webhooks"
              name="webhooks"
              list={WebhookList}
              create={WebhookCreate}
              icon={WebhookIcon}
              recordRepresentation="url"
            />
          ) : null,
          can('assets:read') ? (
            <Resource key="assets" name="assets" list={AssetList} icon={ImageIcon} />
          ) : null,
        ];
      }}
    </Admin>
  );
}
