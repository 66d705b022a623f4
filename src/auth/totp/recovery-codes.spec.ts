import {
  generateRecoveryCodes,
  hashRecoveryCode,
  normalizeRecoveryCode,
  RECOVERY_CODE_COUNT,
  RECOVERY_CODE_PATTERN,
} from './recovery-codes';

describe('recovery codes', () => {
  it('makes ten distinct codes of ten base32 characters', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
      expect(code).toMatch(RECOVERY_CODE_PATTERN);
    }
  });

  it('reads a code typed in capitals, without the hyphen, or with O, I and L for 0 and 1', () => {
    expect(normalizeRecoveryCode('AB0C1-DE1FG')).toBe('ab0c1de1fg');
    expect(normalizeRecoveryCode('abOcI-deLfg')).toBe('ab0c1de1fg');
    expect(hashRecoveryCode('p', 'u1', 'ABOCI-DELFG')).toBe(
      hashRecoveryCode('p', 'u1', 'ab0c1de1fg'),
    );
  });

  it('binds the hash to the user and the pepper', () => {
    const hash = hashRecoveryCode('p', 'u1', 'ab0c1-de1fg');
    expect(hashRecoveryCode('p', 'u2', 'ab0c1-de1fg')).not.toBe(hash);
    expect(hashRecoveryCode('q', 'u1', 'ab0c1-de1fg')).not.toBe(hash);
    expect(hash).not.toContain('ab0c1');
  });
});
