import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

/**
 * A WebAuthn authenticator in a few lines of Node, for the ceremonies a browser will not make: a
 * wrong relying-party id, a wrong origin, no user verification, a counter that goes back. It
 * holds one P-256 key (ES256), answers with "none" attestation, and builds clientDataJSON and
 * authenticatorData byte for byte as the specification lays them out; every field can be bent.
 * The happy ceremonies in Chromium's virtual authenticator (auth-passkeys.e2e-spec.ts) show that
 * what this builds is what a real browser sends.
 */
export interface Bend {
  /** The origin written into clientDataJSON (default: the authenticator's). */
  origin?: string;
  /** The relying-party id whose hash leads authenticatorData (default: the options'). */
  rpId?: string;
  /** User verification flag (default true). */
  userVerified?: boolean;
  /** The signature counter to report (default: one more than last time). */
  counter?: number;
  /** clientDataJSON's `type` (default: the ceremony's). */
  type?: string;
}

type Json = Record<string, unknown>;

const b64url = (bytes: Buffer | Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/** The CBOR subset WebAuthn needs: small maps of integers, text and byte strings. */
function cbor(value: unknown): Buffer {
  const head = (major: number, n: number) => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 256) return Buffer.from([(major << 5) | 24, n]);
    if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  if (value instanceof Map) {
    const parts: Buffer[] = [head(5, value.size)];
    for (const [k, v] of value) parts.push(cbor(k), cbor(v));
    return Buffer.concat(parts);
  }
  throw new Error(`cbor: cannot encode ${typeof value}`);
}

export class SoftAuthenticator {
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly credentialId = b64url(randomBytes(16));
  private userHandle?: string;
  private counter = 0;

  constructor(readonly origin: string) {}

  /** `navigator.credentials.create(...).toJSON()` for these creation options. */
  create(options: Json, bend: Bend = {}): Json {
    const rp = options.rp as { id: string };
    this.userHandle = (options.user as { id: string }).id;
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const cose = new Map<number, unknown>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const id = Buffer.from(this.credentialId, 'base64url');
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, cbor(cose)]);
    const authData = this.authData(rp.id, bend, 0x40, attested);
    const clientData = this.clientData('webauthn.create', options, bend);
    const attestationObject = cbor(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
    };
  }

  /** `navigator.credentials.get(...).toJSON()` for these request options. */
  get(options: Json, bend: Bend = {}): Json {
    const authData = this.authData(String(options.rpId), bend, 0);
    const clientData = this.clientData('webauthn.get', options, bend);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), {
      key: this.keys.privateKey,
      dsaEncoding: 'der',
    });
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientData),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
    };
  }

  private clientData(type: string, options: Json, bend: Bend): Buffer {
    return Buffer.from(
      JSON.stringify({
        type: bend.type ?? type,
        challenge: options.challenge,
        origin: bend.origin ?? this.origin,
        crossOrigin: false,
      }),
    );
  }

  /** rpIdHash, flags (UP, UV, plus `extra`), the counter, then what the ceremony attaches. */
  private authData(rpId: string, bend: Bend, extra: number, attested?: Buffer): Buffer {
    const flags = 0x01 | (bend.userVerified === false ? 0 : 0x04) | extra;
    this.counter = bend.counter ?? this.counter + 1;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([
      sha256(bend.rpId ?? rpId),
      Buffer.from([flags]),
      count,
      ...(attested ? [attested] : []),
    ]);
  }
}
