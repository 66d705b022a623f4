import { Box, Link as MuiLink, Typography } from '@mui/material';
import { AutocompleteInput, Link, ReferenceInput, TextInput } from 'react-admin';
import type { UserSummary } from './types';

/**
 * A person as the admin pages embed them (`{ id, email, name }`): the name and email, a link to
 * their page. Without a summary (an account that is gone, or a caller without users:read) the id.
 */
export function PersonLink({ person, id }: { person?: UserSummary; id?: string }) {
  if (person)
    return (
      <MuiLink
        component={Link}
        to={`/users/${person.id}/show`}
        onClick={(e: { stopPropagation: () => void }) => e.stopPropagation()}
        data-testid="person-link"
        underline="hover"
      >
        {person.name ? `${person.name} <${person.email}>` : person.email}
      </MuiLink>
    );
  if (!id) return <span>—</span>;
  return (
    <Typography component="span" variant="body2" sx={{ fontFamily: 'monospace' }}>
      {id}
    </Typography>
  );
}

/**
 * A filter that picks a user by searching their email or name (the users list's own search), for
 * a caller who may read users; otherwise the bare id field.
 */
export function userPicker(source: string, label: string, canReadUsers: boolean) {
  if (!canReadUsers)
    return <TextInput key={source} source={source} label={`${label} id`} alwaysOn />;
  return (
    <ReferenceInput key={source} source={source} reference="users" alwaysOn>
      <AutocompleteInput
        label={label}
        optionText={(u: { email: string }) => u.email}
        filterToQuery={(q: string) => ({ q })}
        sx={{ minWidth: 240 }}
      />
    </ReferenceInput>
  );
}

const readable = (value: unknown): string => {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length ? value.map(readable).join(', ') : 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
};
const words = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();

/** An audit entry's details as a key/value list ("from: user", "to: admin"), not raw JSON. */
export function AuditDetails({ details }: { details?: Record<string, unknown> }) {
  if (!details || Object.keys(details).length === 0) return null;
  return (
    <Box
      component="dl"
      sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '0 8px' }}
    >
      {Object.entries(details).map(([key, value]) => (
        <Box key={key} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="caption" color="text.secondary">
            {words(key)}
          </Typography>
          <Typography component="dd" variant="caption" sx={{ m: 0, wordBreak: 'break-word' }}>
            {readable(value)}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
