import type { DataProvider, GetListParams, Identifier, RaRecord } from 'react-admin';
import { api } from './api';
import type { OidcClient } from './oidc-clients';
import type { Webhook, WebhookDelivery } from './webhooks';
import type {
  LinkedIdentity,
  OidcClientWithSecret,
  Page,
  Passkey,
  ProfilePatch,
  Role as RoleBody,
  SessionList,
  Stats,
  User,
} from './types';

type Filter = Record<string, unknown>;
const text = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
const isoDate = (value: unknown) => {
  const t = text(value);
  return t ? new Date(t).toISOString() : undefined;
};

/** Each resource's list route and how react-admin's filter and sort map to its query. */
const LISTS: Record<
  string,
  (params: GetListParams) => Record<string, string | number | undefined>
> = {
  users: ({ filter, sort }) => ({
    search: text((filter as Filter).q),
    role: text((filter as Filter).role),
    status: text((filter as Filter).status),
    sort:
      sort && (sort.field === 'createdAt' || sort.field === 'email')
        ? `${sort.order === 'DESC' ? '-' : ''}${sort.field}`
        : undefined,
  }),
  'audit-logs': ({ filter }) => ({
    actorId: text((filter as Filter).actorId),
    action: text((filter as Filter).action),
    targetId: text((filter as Filter).targetId),
    from: isoDate((filter as Filter).from),
    to: isoDate((filter as Filter).to),
  }),
  assets: ({ filter }) => ({ ownerId: text((filter as Filter).ownerId) }),
};

type Role = RoleBody & RaRecord;

async function roles(): Promise<Role[]> {
  const { items } = await api<{ items: RoleBody[] }>('/admin/roles');
  return items.map((role) => ({ ...role, id: role.name }));
}

type OidcClientBody = OidcClientWithSecret;
const asRecord = (client: OidcClientBody) => ({ ...client, id: client.clientId });

async function oidcClients(): Promise<RaRecord[]> {
  const { items } = await api<{ items: OidcClientBody[] }>('/admin/oidc-clients');
  return items.map(asRecord);
}

async function webhooks(): Promise<RaRecord[]> {
  const { items } = await api<{ items: RaRecord[] }>('/admin/webhooks');
  return items;
}

const path = (resource: string, id?: Identifier) =>
  `/admin/${resource}${id === undefined ? '' : `/${encodeURIComponent(String(id))}`}`;

async function list(resource: string, params: GetListParams) {
  if (resource === 'roles' || resource === 'oidc-clients' || resource === 'webhooks') {
    // Short lists the API answers whole: sorted and paged here.
    const all: RaRecord[] =
      resource === 'roles'
        ? await roles()
        : resource === 'webhooks'
          ? await webhooks()
          : await oidcClients();
    const { field, order } = params.sort ?? { field: 'name', order: 'ASC' };
    all.sort(
      (a, b) => String(a[field]).localeCompare(String(b[field])) * (order === 'DESC' ? -1 : 1),
    );
    const { page, perPage } = params.pagination ?? { page: 1, perPage: 25 };
    return { data: all.slice((page - 1) * perPage, page * perPage), total: all.length };
  }
  const query = LISTS[resource]?.(params) ?? {};
  const { page, perPage } = params.pagination ?? { page: 1, perPage: 25 };
  const result = await api<Page<RaRecord>>(path(resource), {
    query: { ...query, page, limit: Math.min(perPage, 100) },
  });
  return { data: result.items, total: result.total };
}

/**
 * react-admin's data provider over the admin API: `{ items, total, page, limit }` pages, roles
 * keyed by name, bulk asset deletion in one call, and the extra calls the console needs (stats,
 * a user's role/status/2FA/sessions). Errors are the API's problem details (`detail` shown).
 */
export const dataProvider = {
  getList: list,
  async getOne(resource: string, { id }: { id: Identifier }) {
    if (resource === 'roles') {
      const role = (await roles()).find((r) => r.id === id);
      if (!role) throw new Error('The role was not found.');
      return { data: role };
    }
    if (resource === 'users') return { data: await api<RaRecord>(path(resource, id)) };
    throw new Error(`${resource} records are only listed`);
  },
  async getMany(resource: string, { ids }: { ids: Identifier[] }) {
    if (resource === 'roles') return { data: (await roles()).filter((r) => ids.includes(r.id)) };
    const found = await Promise.all(
      ids.map((id) => api<RaRecord>(path(resource, id)).catch(() => undefined)),
    );
    return { data: found.filter((r): r is RaRecord => r !== undefined) };
  },
  async getManyReference(
    resource: string,
    params: GetListParams & { target: string; id: Identifier },
  ) {
    return list(resource, { ...params, filter: { ...params.filter, [params.target]: params.id } });
  },
  async create(resource: string, { data }: { data: Partial<Role> & Record<string, unknown> }) {
    if (resource === 'users') {
      // An invitation: the API mails the code; empty optional fields are left out.
      const body = Object.fromEntries(
        ['email', 'firstName', 'lastName', 'role']
          .map((key) => [key, text(data[key])])
          .filter(([, value]) => value !== undefined),
      );
      return { data: await api<RaRecord>('/admin/users', { method: 'POST', body }) };
    }
    if (resource === 'oidc-clients') {
      const client = await api<OidcClientBody>('/admin/oidc-clients', {
        method: 'POST',
        body: data,
      });
      return { data: asRecord(client) };
    }
    if (resource === 'webhooks') {
      const body = {
        url: text(data.url),
        events: data.events,
        description: text(data.description),
      };
      return { data: await api<RaRecord>('/admin/webhooks', { method: 'POST', body }) };
    }
    if (resource !== 'roles') throw new Error(`${resource} cannot be created here`);
    const role = await api<RoleBody>('/admin/roles', {
      method: 'POST',
      body: { name: data.name, permissions: data.permissions ?? [] },
    });
    return { data: { ...role, id: role.name } };
  },
  async update(resource: string, { id, data }: { id: Identifier; data: Partial<Role> }) {
    if (resource !== 'roles') throw new Error(`${resource} cannot be edited here`);
    const role = await api<RoleBody>(path('roles', id), {
      method: 'PATCH',
      body: { permissions: data.permissions ?? [] },
    });
    return { data: { ...role, id: role.name } };
  },
  async updateMany(): Promise<never> {
    throw new Error('Not supported');
  },
  async delete(
    resource: string,
    { id, previousData }: { id: Identifier; previousData?: RaRecord },
  ) {
    await api(path(resource, id), { method: 'DELETE' });
    return { data: previousData ?? { id } };
  },
  async deleteMany(resource: string, { ids }: { ids: Identifier[] }) {
    if (resource === 'assets') {
      const { deleted } = await api<{ deleted: string[] }>('/admin/assets/bulk-delete', {
        method: 'POST',
        body: { ids },
      });
      return { data: deleted };
    }
    for (const id of ids) await api(path(resource, id), { method: 'DELETE' });
    return { data: ids };
  },

  getStats: () => api<Stats>('/admin/stats'),
  userSessions: (id: Identifier) => api<SessionList>(`${path('users', id)}/sessions`),
  revokeUserSession: (id: Identifier, sessionId: string) =>
    api(`${path('users', id)}/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE' }),
  revokeUserSessions: (id: Identifier) =>
    api(`${path('users', id)}/sessions`, { method: 'DELETE' }),
  updateUserProfile: (id: Identifier, body: ProfilePatch) =>
    api<User>(path('users', id), { method: 'PATCH', body }),
  sendPasswordReset: (id: Identifier) =>
    api(`${path('users', id)}/password-reset`, { method: 'POST' }),
  sendVerification: (id: Identifier) =>
    api(`${path('users', id)}/verification`, { method: 'POST' }),
  userIdentities: (id: Identifier) =>
    api<{ items: LinkedIdentity[] }>(`${path('users', id)}/identities`),
  unlinkUserIdentity: (id: Identifier, identityId: string) =>
    api(`${path('users', id)}/identities/${encodeURIComponent(identityId)}`, { method: 'DELETE' }),
  userPasskeys: (id: Identifier) => api<{ items: Passkey[] }>(`${path('users', id)}/passkeys`),
  removeUserPasskeys: (id: Identifier) =>
    api(`${path('users', id)}/passkeys`, { method: 'DELETE' }),
  setUserStatus: (id: Identifier, status: 'active' | 'disabled') =>
    api<RaRecord>(`${path('users', id)}/status`, { method: 'PATCH', body: { status } }),
  setUserRole: (id: Identifier, role: string) =>
    api<RaRecord>(`${path('users', id)}/role`, { method: 'PATCH', body: { role } }),
  resetUserTwoFactor: (id: Identifier) => api(`${path('users', id)}/2fa`, { method: 'DELETE' }),
  rotateOidcClientSecret: async (id: Identifier) =>
    asRecord(
      await api<OidcClientBody>(`${path('oidc-clients', id)}/rotate-secret`, { method: 'POST' }),
    ) as OidcClient,
  rotateWebhookSecret: (id: Identifier) =>
    api<Webhook>(`${path('webhooks', id)}/rotate-secret`, { method: 'POST' }),
  setWebhookEnabled: (id: Identifier, enabled: boolean) =>
    api<Webhook>(path('webhooks', id), { method: 'PATCH', body: { enabled } }),
  webhookDeliveries: async (id: Identifier) =>
    (await api<{ items: WebhookDelivery[] }>(`${path('webhooks', id)}/deliveries`)).items,
  resendWebhookDelivery: (id: Identifier, deliveryId: string) =>
    api<WebhookDelivery>(
      `${path('webhooks', id)}/deliveries/${encodeURIComponent(deliveryId)}/resend`,
      { method: 'POST' },
    ),
};

type Extras = Pick<
  typeof dataProvider,
  | 'getStats'
  | 'userSessions'
  | 'revokeUserSession'
  | 'revokeUserSessions'
  | 'updateUserProfile'
  | 'sendPasswordReset'
  | 'sendVerification'
  | 'userIdentities'
  | 'unlinkUserIdentity'
  | 'userPasskeys'
  | 'removeUserPasskeys'
  | 'setUserStatus'
  | 'setUserRole'
  | 'resetUserTwoFactor'
  | 'rotateOidcClientSecret'
  | 'rotateWebhookSecret'
  | 'setWebhookEnabled'
  | 'webhookDeliveries'
  | 'resendWebhookDelivery'
>;
export type ConsoleDataProvider = DataProvider & Extras;
/** react-admin's generic signatures, which the concrete methods above satisfy at run time. */
export const consoleDataProvider = dataProvider as unknown as ConsoleDataProvider;
