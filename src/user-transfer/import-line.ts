import { isEmail } from 'class-validator';
import { Metadata, METADATA_FIELDS, metadataProblem } from '../users/metadata';

/** The fields an import line may have; any other is refused (a typo must not pass silently). */
const FIELDS = new Set([
  'email',
  'emailVerified',
  'firstName',
  'lastName',
  'role',
  'status',
  'passwordHash',
  ...Object.values(METADATA_FIELDS),
]);
/** Fields an export carries that the import does not restore: accepted and ignored. */
const EXPORT_ONLY = new Set([
  'id',
  'username',
  'locale',
  'twoFactorEnabled',
  'createdAt',
  'lastLoginAt',
]);
const IMPORT_STATUSES = ['active', 'disabled', 'pending', 'invited'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;

/** A line that passed the checks that need nothing but itself. */
export interface ImportLine {
  email: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  role: string;
  status: ImportStatus;
  passwordHash?: string;
  publicMetadata?: Metadata;
  privateMetadata?: Metadata;
  unsafeMetadata?: Metadata;
}

/**
 * Parses and checks one line of an import (see docs/api-contract.md, "Import line"): a JSON
 * object with `email` and optional `emailVerified`, `firstName`, `lastName`, `role` (default
 * `user`), `status` and `passwordHash`. Without a hash the account is `invited` (unless
 * `disabled`); with one, `status` defaults to `active` when the email is verified, else `pending`.
 */
export function parseImportLine(text: string): ImportLine | { reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { reason: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { reason: 'not a JSON object' };
  const line = value as Record<string, unknown>;
  const unknown = Object.keys(line).find((key) => !FIELDS.has(key) && !EXPORT_ONLY.has(key));
  if (unknown !== undefined) return { reason: `unknown field "${unknown.slice(0, 40)}"` };

  if (typeof line.email !== 'string') return { reason: 'email is required' };
  const email = line.email.normalize('NFKC').trim().toLowerCase();
  if (email.length > 254 || !isEmail(email)) return { reason: 'email is not an email address' };
  if (line.emailVerified !== undefined && typeof line.emailVerified !== 'boolean')
    return { reason: 'emailVerified must be a boolean' };
  const names: Partial<Record<'firstName' | 'lastName', string>> = {};
  for (const field of ['firstName', 'lastName'] as const) {
    const name = line[field];
    if (name === undefined || name === null) continue;
    if (typeof name !== 'string' || name.length > 100 || !NO_CONTROL_CHARACTERS.test(name))
      return { reason: `${field} must be a text of at most 100 characters` };
    if (name.trim()) names[field] = name.trim();
  }
  const role = line.role ?? 'user';
  if (typeof role !== 'string' || !/^[a-z][a-z0-9_-]{1,31}$/.test(role))
    return { reason: 'role must be a role name' };
  if (line.passwordHash !== undefined && line.passwordHash !== null) {
    if (typeof line.passwordHash !== 'string' || line.passwordHash.length > 1024)
      return { reason: 'passwordHash must be a text of at most 1024 characters' };
  }
  const metadata: Partial<
    Record<(typeof METADATA_FIELDS)[keyof typeof METADATA_FIELDS], Metadata>
  > = {};
  for (const field of Object.values(METADATA_FIELDS)) {
    if (line[field] === undefined || line[field] === null) continue;
    const problem = metadataProblem(line[field]);
    if (problem) return { reason: `${field} ${problem}` };
    metadata[field] = line[field] as Metadata;
  }
  const hash = (line.passwordHash as string | null | undefined) ?? undefined;
  const emailVerified = line.emailVerified === true;
  if (line.status !== undefined && !IMPORT_STATUSES.includes(line.status as ImportStatus))
    return { reason: `status must be one of ${IMPORT_STATUSES.join(', ')}` };
  let status = line.status as ImportStatus | undefined;
  if (status === 'invited' && hash) return { reason: 'an invited user has no passwordHash' };
  if (!hash && status !== 'disabled') status = 'invited';
  status ??= emailVerified ? 'active' : 'pending';
  return {
    email,
    emailVerified,
    ...names,
    role,
    status,
    ...metadata,
    ...(hash ? { passwordHash: hash } : {}),
  };
}
