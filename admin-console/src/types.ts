export type Permission =
  | 'users:read'
  | 'users:manage'
  | 'users:delete'
  | 'assets:read'
  | 'assets:delete'
  | 'audit:read'
  | 'roles:manage'
  | 'stats:read'
  | 'signing-keys:manage'
  | 'users:export-hashes'
  | 'oidc-clients:manage'
  | 'webhooks:manage';

export const PERMISSIONS: Permission[] = [
  'users:read',
  'users:manage',
  'users:delete',
  'assets:read',
  'assets:delete',
  'audit:read',
  'roles:manage',
  'stats:read',
  'signing-keys:manage',
  'users:export-hashes',
  'oidc-clients:manage',
  'webhooks:manage',
];

export interface User {
  id: string;
  email: string;
  username?: string;
  firstName?: string;
  lastName?: string;
  gender?: string;
  phone?: string;
  avatarUrl?: string;
  role: string;
  status: 'pending' | 'invited' | 'active' | 'disabled';
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastLoginAt?: string;
  publicMetadata?: Record<string, unknown>;
  privateMetadata?: Record<string, unknown>;
  unsafeMetadata?: Record<string, unknown>;
}

export interface Me extends User {
  permissions: Permission[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface Stats {
  users: { total: number; byStatus: Record<string, number>; byRole: Record<string, number> };
  signupsLast30Days: { date: string; count: number }[];
  sessions: { active: number };
  assets: { total: number; bytes: number };
}

export interface TokenPair {
  accessToken: string;
  expiresIn: number;
  user: User;
}

export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
  method: 'email_otp' | 'totp' | 'passkey';
}
