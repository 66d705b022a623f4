import {
  Box,
  Button,
  Card,
  CardContent,
  FormControl,
  FormHelperText,
  InputLabel,
  MenuItem,
  Select,
  Stack,
  Typography,
} from '@mui/material';
import { type ReactNode, useState } from 'react';
import {
  Confirm,
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  FunctionField,
  ImageField,
  Pagination,
  ReferenceManyField,
  Show,
  TextField,
  useDataProvider,
  useGetIdentity,
  useGetList,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { BUILT_IN_PERMISSIONS, useCan, useCanGrant } from './permissions';
import { useReportError } from './report-error';
import { useStartImpersonation } from './impersonation';
import { PersonLink } from './people';
import { EditProfileButton } from './user-profile-form';
import { UserSessions } from './user-sessions';
import { OWN_ACCOUNT_REASON, UserSignIn } from './user-sign-in';
import type { AuditEntry, User } from './types';
import { fullName, StatusChip } from './users';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', py: 0.5 }}>
      <Typography sx={{ width: 160, flexShrink: 0 }} color="text.secondary" variant="body2">
        {label}
      </Typography>
      <Box sx={{ minWidth: 0, wordBreak: 'break-word' }}>{children}</Box>
    </Box>
  );
}

function Profile() {
  const user = useRecordContext<User>();
  const can = useCan();
  if (!user) return null;
  return (
    <Card data-testid="user-profile">
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography variant="h6" gutterBottom>
            Profile
          </Typography>
          {can('users:manage') && <EditProfileButton user={user} />}
        </Stack>
        <Row label="Email">{user.email}</Row>
        <Row label="Username">{user.username ?? '—'}</Row>
        <Row label="Name">{fullName(user) || '—'}</Row>
        <Row label="Phone">{user.phone ?? '—'}</Row>
        <Row label="Role">
          <span data-testid="user-role">{user.role}</span>
        </Row>
        <Row label="Status">
          <span data-testid="user-status">
            <StatusChip status={user.status} />
          </span>
        </Row>
        <Row label="Email verified">{user.emailVerified ? 'yes' : 'no'}</Row>
        <Row label="Two-factor (TOTP)">{user.twoFactorEnabled ? 'on' : 'off'}</Row>
        <Row label="Signed up">{new Date(user.createdAt).toLocaleString()}</Row>
        <Row label="Last sign-in">
          {user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString() : 'never'}
        </Row>
      </CardContent>
    </Card>
  );
}

/**
 * The user's role. Only roles within the caller's own permissions can be chosen (others are shown
 * greyed out), and never on the caller's own page: the API refuses both (403).
 */
function RoleControl({ user, disabled }: { user: User; disabled: boolean }) {
  const can = useCan();
  const canGrant = useCanGrant();
  const { identity } = useGetIdentity();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const report = useReportError();
  const { data: roles } = useGetList(
    'roles',
    { pagination: { page: 1, perPage: 100 } },
    { enabled: can('roles:manage') },
  );
  const permissionsOf = new Map<string, readonly string[]>(
    roles
      ? roles.map((r) => [String(r.id), r.permissions as string[]])
      : Object.entries(BUILT_IN_PERMISSIONS),
  );
  const names = [...permissionsOf.keys()];
  const choices = names.includes(user.role) ? names : [...names, user.role];
  const own = identity?.id === user.id;
  const [promotion, setPromotion] = useState<string | null>(null);
  const held = new Set(permissionsOf.get(user.role) ?? []);
  /** A role that gives permissions the user does not hold yet is confirmed first. */
  const choose = (role: string) => {
    const added = (permissionsOf.get(role) ?? []).filter((p) => !held.has(p));
    if (added.length > 0) setPromotion(role);
    else void change(role);
  };
  const change = async (role: string) => {
    setPromotion(null);
    try {
      await dataProvider.setUserRole(user.id, role);
      notify(`${user.email} now has the role ${role}.`, { type: 'success' });
      refresh();
    } catch (error) {
      report(error);
    }
  };
  return (
    <FormControl size="small" sx={{ width: 220, flex: '0 0 auto' }} disabled={disabled || own}>
      <InputLabel id="role-label">Role</InputLabel>
      <Select
        labelId="role-label"
        label="Role"
        value={user.role}
        onChange={(e) => choose(String(e.target.value))}
        data-testid="role-select"
      >
        {choices.map((name) => (
          <MenuItem
            key={name}
            value={name}
            disabled={name !== user.role && !canGrant(permissionsOf.get(name) ?? [])}
          >
            {name}
          </MenuItem>
        ))}
      </Select>
      {own && <FormHelperText>Nobody can change their own role.</FormHelperText>}
      <Confirm
        isOpen={promotion !== null}
        title={`Give ${user.email} the role ${promotion ?? ''}?`}
        content={`They will be able to use the admin console with: ${(permissionsOf.get(promotion ?? '') ?? []).join(', ')}.`}
        onConfirm={() => void change(promotion!)}
        onClose={() => setPromotion(null)}
      />
    </FormControl>
  );
}

function Actions() {
  const user = useRecordContext<User>();
  const can = useCan();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const report = useReportError();
  const [confirm2fa, setConfirm2fa] = useState(false);
  const [confirmAct, setConfirmAct] = useState(false);
  const startImpersonation = useStartImpersonation();
  const { identity } = useGetIdentity();
  if (!user) return null;
  const manage = can('users:manage');
  const own = identity?.id === user.id;
  const setStatus = async (status: 'active' | 'disabled') => {
    try {
      await dataProvider.setUserStatus(user.id, status);
      notify(
        status === 'active'
          ? `${user.email} is active.`
          : `${user.email} is deactivated; their sessions ended.`,
        {
          type: 'success',
        },
      );
      refresh();
    } catch (error) {
      report(error);
    }
  };
  const actAs = async () => {
    setConfirmAct(false);
    try {
      await startImpersonation(user);
    } catch (error) {
      report(error);
    }
  };
  const reset2fa = async () => {
    setConfirm2fa(false);
    try {
      await dataProvider.resetUserTwoFactor(user.id);
      notify(`Two-factor sign-in is off for ${user.email}; their sessions ended.`, {
        type: 'success',
      });
      refresh();
    } catch (error) {
      report(error);
    }
  };
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Actions
        </Typography>
        <Stack
          direction="row"
          spacing={2}
          sx={{ flexWrap: 'wrap', alignItems: 'center' }}
          useFlexGap
        >
          {manage && <RoleControl user={user} disabled={!manage} />}
          {manage &&
            (user.status === 'disabled' ? (
              <Button variant="contained" color="success" onClick={() => void setStatus('active')}>
                Activate
              </Button>
            ) : (
              <Button
                variant="outlined"
                color="warning"
                disabled={own}
                onClick={() => void setStatus('disabled')}
              >
                Deactivate
              </Button>
            ))}
          {manage && (
            <Button
              variant="outlined"
              disabled={own || !user.twoFactorEnabled}
              onClick={() => setConfirm2fa(true)}
            >
              Reset 2FA
            </Button>
          )}
          {can('users:impersonate') && (
            <Button
              variant="outlined"
              disabled={own || user.role === 'admin' || user.status !== 'active'}
              onClick={() => setConfirmAct(true)}
            >
              Act as user
            </Button>
          )}
          {can('users:delete') && own && (
            <Button variant="outlined" color="error" disabled>
              Delete user
            </Button>
          )}
          {can('users:delete') && !own && (
            <DeleteWithConfirmButton
              label="Delete user"
              confirmTitle={`Delete ${user.email}?`}
              confirmContent="The account, its sessions and its files are deleted. This cannot be undone."
              redirect="list"
              mutationOptions={{ onError: report }}
            />
          )}
          {!manage && !can('users:delete') && (
            <Typography color="text.secondary">Your role can only read users.</Typography>
          )}
        </Stack>
        {own && (manage || can('users:delete')) && (
          <Typography
            variant="body2"
            color="text.secondary"
            sx={{ mt: 1 }}
            data-testid="own-account-reason"
          >
            {OWN_ACCOUNT_REASON}
          </Typography>
        )}
        <Confirm
          isOpen={confirmAct}
          title={`Act as ${user.email}?`}
          content="For support: they are mailed, every request is audited in your name, password, two-factor and passkey changes are refused, and it ends by itself after a few minutes."
          onConfirm={() => void actAs()}
          onClose={() => setConfirmAct(false)}
        />
        <Confirm
          isOpen={confirm2fa}
          title={`Turn off two-factor sign-in for ${user.email}?`}
          content="For a lost device: TOTP and the recovery codes go, and every session of the user ends."
          onConfirm={() => void reset2fa()}
          onClose={() => setConfirm2fa(false)}
        />
      </CardContent>
    </Card>
  );
}

function UserAssets() {
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Assets
        </Typography>
        <ReferenceManyField
          reference="assets"
          target="ownerId"
          perPage={10}
          pagination={<Pagination />}
        >
          <Datagrid bulkActionButtons={false} empty={<Typography>No assets.</Typography>}>
            <FunctionField
              label="Preview"
              render={(a: { mimeType: string }) =>
                a.mimeType.startsWith('image/') ? (
                  <ImageField source="url" sx={{ '& img': { maxHeight: 40 } }} />
                ) : (
                  'PDF'
                )
              }
            />
            <TextField source="fileName" />
            <TextField source="mimeType" />
            <DateField source="createdAt" showTime />
          </Datagrid>
        </ReferenceManyField>
      </CardContent>
    </Card>
  );
}

function UserAudit() {
  return (
    <Card>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Recent audit entries
        </Typography>
        <ReferenceManyField reference="audit-logs" target="targetId" perPage={10}>
          <Datagrid bulkActionButtons={false} empty={<Typography>No entries.</Typography>}>
            <DateField source="at" showTime />
            <TextField source="action" />
            <FunctionField
              label="By"
              render={(e: AuditEntry) => <PersonLink person={e.actor} id={e.actorId} />}
            />
            <TextField source="outcome" />
          </Datagrid>
        </ReferenceManyField>
      </CardContent>
    </Card>
  );
}

/** The user's custom data, read-only: public (the user reads it), private (admins), unsafe (the user writes it). */
function CustomData() {
  const user = useRecordContext<User>();
  if (!user) return null;
  const slots = [
    ['Public metadata', user.publicMetadata],
    ['Private metadata', user.privateMetadata],
    ['Unsafe metadata', user.unsafeMetadata],
  ] as const;
  return (
    <Card data-testid="user-metadata">
      <CardContent>
        <Typography variant="h6" gutterBottom>
          Custom data
        </Typography>
        {slots.map(([label, value]) => (
          <Row key={label} label={label}>
            <Box component="pre" sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
              {value && Object.keys(value).length > 0 ? JSON.stringify(value, null, 2) : '—'}
            </Box>
          </Row>
        ))}
      </CardContent>
    </Card>
  );
}

/**
 * A user's page: profile (editable), role, status, 2FA reset, live sessions (revocable), sign-in
 * methods and mailed codes, assets, audit, deletion. Actions the API refuses on one's own account
 * are shown disabled with the reason.
 */
export function UserShow() {
  const can = useCan();
  return (
    <Show actions={false} title={<UserTitle />}>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, p: 2 }}>
        <Profile />
        <Actions />
        <SessionsAndSignIn />
        <CustomData />
        {can('assets:read') && <UserAssets />}
        {can('audit:read') && <UserAudit />}
      </Box>
    </Show>
  );
}

function SessionsAndSignIn() {
  const user = useRecordContext<User>();
  const { identity } = useGetIdentity();
  if (!user) return null;
  return (
    <>
      <UserSessions user={user} />
      <UserSignIn user={user} own={identity?.id === user.id} />
    </>
  );
}

function UserTitle() {
  const user = useRecordContext<User>();
  return <span>{user ? user.email : 'User'}</span>;
}
