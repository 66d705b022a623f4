import { createHmac, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;

/** Crockford's base32 alphabet: no i, l, o or u, so nothing reads as another character. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** `xxxxx-xxxxx`: 50 random bits each, plenty against guesses that the lockout already limits. */
export const RECOVERY_CODE_PATTERN = /^[0-9A-Za-z]{5}-?[0-9A-Za-z]{5}$/;

export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/** As typed, case and hyphen aside, with the letters people mistake for digits read as those digits. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/-/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
}

/**
 * Keyed by the pepper and bound to the user: the codes are random enough that a fast keyed hash
 * is safe (unlike passwords), and a leaked table cannot be checked without the pepper.
 */
export function hashRecoveryCode(pepper: string, userId: string, input: string): string {
  return createHmac('sha256', pepper)
    .update(`recovery:${userId}:${normalizeRecoveryCode(input)}`)
    .digest('base64url');
}
