import { checkShape, MAX_JSON_DEPTH } from './json-body';

describe(checkShape.name, () => {
  const nested = (depth: number) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;

  it('accepts ordinary bodies and nesting up to the cap', () => {
    expect(checkShape({ email: 'a@example.com', tags: ['x', { y: 1 }] })).toBeUndefined();
    expect(checkShape(nested(MAX_JSON_DEPTH))).toBeUndefined();
  });

  it('refuses nesting past the cap without recursion, even 100k levels deep', () => {
    expect(checkShape(nested(MAX_JSON_DEPTH + 1))?.message).toMatch(/deeper than/);
    expect(checkShape({ a: nested(100_000) })).toMatchObject({
      field: expect.stringMatching(/^a/),
    });
  });

  it('refuses prototype keys at any level, naming the field', () => {
    expect(checkShape(JSON.parse('{"__proto__":{"admin":true}}'))).toEqual({
      field: '__proto__',
      message: 'is not an accepted field',
    });
    expect(checkShape({ profile: { constructor: 1 } })).toEqual({
      field: 'profile.constructor',
      message: 'is not an accepted field',
    });
    expect(checkShape({ list: [{ prototype: 1 }] })).toEqual({
      field: 'list[0].prototype',
      message: 'is not an accepted field',
    });
  });
});
