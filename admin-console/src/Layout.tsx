import type { ReactNode } from 'react';
import { Layout, usePermissions } from 'react-admin';
import { ImpersonationView, useImpersonation } from './impersonation';
import { NoAccess } from './NoAccess';
import type { Permission } from './types';

/**
 * On a phone (390 px) the page itself must not scroll sideways: react-admin already folds the menu
 * into a drawer and the lists show cards; the tables left (a user's sessions, assets and audit
 * entries) scroll inside their own frame, and the content may shrink below its children's width
 * (a flex item's default `min-width: auto` would push the page wider).
 */
const FIT_SMALL_SCREENS = {
  // react-admin's root is `min-width: fit-content`: the widest table would set the page's width.
  minWidth: 0,
  '& .RaLayout-content': { minWidth: 0 },
  '& .RaList-main, & .RaList-content, & .RaShow-main, & .RaShow-card, & .MuiCard-root': {
    minWidth: 0,
    maxWidth: '100%',
  },
  '& .RaDatagrid-tableWrapper, & .MuiTableContainer-root': { overflowX: 'auto' },
  '& .RaFilterForm-root, & .RaTopToolbar-root': { flexWrap: 'wrap' },
} as const;

/** react-admin's layout, or the "no access" page for an account without admin permissions. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { permissions, isPending } = usePermissions<Permission[]>();
  const acting = useImpersonation();
  if (acting) return <ImpersonationView who={acting} />;
  if (!isPending && Array.isArray(permissions) && permissions.length === 0) return <NoAccess />;
  return <Layout sx={FIT_SMALL_SCREENS}>{children}</Layout>;
}
