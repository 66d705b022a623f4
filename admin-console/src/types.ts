import type { components } from '../../client/schema';

/**
 * The console's types are the API's, generated from its OpenAPI document into client/schema.d.ts
 * (`npm run client:generate`): a route or DTO change that the console no longer fits fails
 * `npm run typecheck` instead of at run time.
 */
type Schemas = components['schemas'];

export type Permission = Schemas['Permission'];
export type User = Schemas['UserDto'];
export type Me = Schemas['MeDto'];
export type Stats = Schemas['StatsDto'];
export type TokenPair = Schemas['TokenPairDto'];
export type MfaChallenge = Schemas['MfaChallengeDto'];
export type Role = Schemas['RoleDto'];
export type OidcClientWithSecret = Schemas['OidcClientWithSecretDto'];
export type AuditEntry = Schemas['AdminAuditEntryDto'];
export type Asset = Schemas['AdminAssetDto'];
export type UserSummary = Schemas['UserSummaryDto'];
export type SessionList = Schemas['AdminSessionListDto'];
export type Session = Schemas['SessionDto'];
export type LinkedIdentity = Schemas['LinkedIdentityDto'];
export type Passkey = Schemas['PasskeyDto'];
export type ProfilePatch = Schemas['UpdateProfileDto'];

/** One page of a list route (`{ items, total, page, limit }`). */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

/**
 * Every permission, for the role form's checkboxes. The check below fails typecheck when the API
 * gains a permission this list lacks (or this list names one the API dropped).
 */
export const PERMISSIONS = [
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
  'users:impersonate',
] as const satisfies readonly Permission[];
type Missing = Exclude<Permission, (typeof PERMISSIONS)[number]>;
const everyPermissionListed: [Missing] extends [never] ? true : Missing = true;
void everyPermissionListed;
