import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { Clock } from '../../common/time/clock';
import { JwtConfig, OtpConfig } from '../../config/configuration';
import { kidOf, SigningKeys } from '../../signing-keys/signing-keys.service';
import { TokenService } from './token.service';

/**
 * The key set as an instance holds it: `known` is what it has loaded; `resolveVerifier` reloads
 * (here: learns the keys of `elsewhere`) for a kid it does not know, as SigningKeys does.
 */
class KeySetInMemory {
  readonly known = new Map<string, KeyObject>();
  readonly elsewhere = new Map<string, KeyObject>();
  reloads = 0;
  private signing?: { kid: string; privateKey: KeyObject };

  add(kid: string, where: 'here' | 'elsewhere'): void {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    (where === 'here' ? this.known : this.elsewhere).set(kid, publicKey);
    this.signing = { kid, privateKey };
  }

  signer() {
    return this.signing!;
  }

  verifierFor(token: string): KeyObject | undefined {
    return this.known.get(kidOf(token) ?? '');
  }

  async resolveVerifier(token: string): Promise<KeyObject | undefined> {
    if (!this.known.has(kidOf(token) ?? '')) {
      this.reloads += 1;
      for (const [kid, key] of this.elsewhere) this.known.set(kid, key);
    }
    return this.verifierFor(token);
  }
}

describe('TokenService: mfa tokens', () => {
  const config = { issuer: 'https://id.test', audience: 'api', accessTtlMs: 900_000 } as JwtConfig;
  const otp = { ttlMs: 600_000 } as OtpConfig;
  let keys: KeySetInMemory;
  let tokens: TokenService;

  beforeEach(() => {
    keys = new KeySetInMemory();
    tokens = new TokenService(
      new JwtService(),
      config,
      otp,
      new Clock(),
      keys as unknown as SigningKeys,
    );
  });

  it('verifies a token signed with a key this instance has', async () => {
    keys.add('k1', 'here');
    const token = tokens.mfaToken('u1', 'a1', 'totp');
    await expect(tokens.verifyMfaToken(token)).resolves.toMatchObject({
      sub: 'u1',
      aid: 'a1',
      mth: 'totp',
      typ: 'mfa',
    });
    expect(keys.reloads).toBe(0);
  });

  it('reloads the key set for a key another instance has just added, then verifies', async () => {
    keys.add('k2', 'elsewhere');
    const token = tokens.mfaToken('u2', 'a2', 'email_otp');
    await expect(tokens.verifyMfaToken(token)).resolves.toMatchObject({ sub: 'u2', aid: 'a2' });
    expect(keys.reloads).toBe(1);
  });

  it('refuses a token whose key no reload brings', async () => {
    keys.add('k3', 'elsewhere');
    const token = tokens.mfaToken('u3', 'a3', 'email_otp');
    keys.elsewhere.clear();
    await expect(tokens.verifyMfaToken(token)).rejects.toMatchObject({
      code: 'invalid_mfa_token',
    });
  });
});
