import { createHash, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { PublicEcJwk } from './signing-key.schema';

export const SIGNING_ALGORITHM = 'ES256' as const;

/** A key pair as the key set holds it: both halves parsed once, never per request. */
export interface KeyPair {
  kid: string;
  publicJwk: PublicEcJwk;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export function publicJwkOf(key: KeyObject): PublicEcJwk {
  const { kty, crv, x, y } = createPublicKey(key).export({ format: 'jwk' });
  if (kty !== 'EC' || crv !== 'P-256' || !x || !y) throw new Error('not an EC P-256 key');
  return { kty, crv, x, y };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, base64url. */
export function thumbprint(jwk: PublicEcJwk): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return createHash('sha256').update(canonical).digest('base64url');
}

export function keyPairOf(privateKey: KeyObject): KeyPair {
  const publicJwk = publicJwkOf(privateKey);
  return {
    kid: thumbprint(publicJwk),
    publicJwk,
    publicKey: createPublicKey({ key: { ...publicJwk }, format: 'jwk' }),
    privateKey,
  };
}

export function generateKeyPair(): KeyPair {
  return keyPairOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
}

export function privatePem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'pkcs8' }) as string;
}
