import type { ReactNode } from 'react';
import { Layout, usePermissions } from 'react-admin';
import { NoAccess } from './NoAccess';
import type { Permission } from './types';

/** react-admin's layout, or the "no access" page for an account without admin permissions. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { permissions, isPending } = usePermissions<Permission[]>();
  if (!isPending && Array.isArray(permissions) && permissions.length === 0) return <NoAccess />;
  return <Layout>{children}</Layout>;
}
