import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';

/** The three custom-data slots of a user, and who may write each. */
export const METADATA_SCOPES = ['public', 'private', 'unsafe'] as const;
export type MetadataScope = (typeof METADATA_SCOPES)[number];
export const METADATA_FIELDS = {
  /** Read by the user, written by admins. */
  public: 'publicMetadata',
  /** Admins only. */
  private: 'privateMetadata',
  /** Read and written by the user: never trust it for a decision. */
  unsafe: 'unsafeMetadata',
} as const;
export type Metadata = Record<string, unknown>;

/** The most a slot may hold, as compact JSON in UTF-8. */
export const METADATA_MAX_BYTES = 8 * 1024;

/**
 * Why `value` cannot be a metadata object, or `undefined` when it can: a JSON object (not an
 * array or null) of at most 8 KiB, whose keys at any depth neither start with `$` nor contain
 * `.` (MongoDB reads those as operators and paths). Walked without recursion.
 */
export function metadataProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be a JSON object';
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > METADATA_MAX_BYTES)
    return `must be at most ${METADATA_MAX_BYTES} bytes as JSON`;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    for (const [key, child] of Object.entries(node)) {
      if (!Array.isArray(node) && (key.startsWith('$') || key.includes('.')))
        return 'keys must not start with "$" or contain "."';
      stack.push(child);
    }
  }
  return undefined;
}

/** A metadata object in a request body; `{}` empties the slot. */
export const MetadataField = () =>
  applyDecorators(
    ValidateBy({
      name: 'isMetadata',
      validator: {
        validate: (value: unknown) => metadataProblem(value) === undefined,
        defaultMessage: (args) => metadataProblem(args?.value) ?? 'is not valid',
      },
    }),
    ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { plan: 'pro' } }),
  );

/**
 * The top-level key a search names: what the list's `metadata` parameter accepts. No flags, so
 * the OpenAPI document can carry it as the parameter's `pattern`.
 */
export const METADATA_SEARCH =
  /^(public|private|unsafe)\.([A-Za-z0-9_-]{1,64})(?::([\s\S]{0,200}))?$/;

/**
 * The filter for `metadata=<scope>.<key>[:<value>]`: the key exists, or its value equals `value`
 * as a string, or as the number, boolean or null that text spells (`plan:pro`, `seats:5`).
 */
export function metadataFilter(search: string): Record<string, unknown> | undefined {
  const m = METADATA_SEARCH.exec(search);
  if (!m) return undefined;
  const path = `${METADATA_FIELDS[m[1] as MetadataScope]}.${m[2]}`;
  if (m[3] === undefined) return { [path]: { $exists: true } };
  const values: unknown[] = [m[3]];
  if (m[3] === 'true' || m[3] === 'false' || m[3] === 'null') values.push(JSON.parse(m[3]));
  else if (/^-?\d+(\.\d+)?$/.test(m[3])) values.push(Number(m[3]));
  return { [path]: { $in: values } };
}
