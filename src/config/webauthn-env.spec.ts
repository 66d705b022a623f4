import { ConfigValidationError, parseEnv } from './env';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
}

describe('WEBAUTHN_* configuration', () => {
  it('defaults the relying party and its origin from PUBLIC_URL', () => {
    expect(parseEnv({ PUBLIC_URL: 'https://id.example.com/auth' }).webauthn).toEqual({
      rpId: 'id.example.com',
      rpName: 'User management',
      origins: ['https://id.example.com'],
    });
    expect(parseEnv({}).webauthn).toMatchObject({
      rpId: 'localhost',
      origins: ['http://localhost:3000'],
    });
  });

  it('takes a parent domain and several origins on it', () => {
    const env = {
      PUBLIC_URL: 'https://id.example.com',
      WEBAUTHN_RP_ID: 'Example.com',
      WEBAUTHN_ORIGINS: 'https://app.example.com, https://id.example.com',
    };
    expect(parseEnv(env).webauthn).toMatchObject({
      rpId: 'example.com',
      origins: ['https://app.example.com', 'https://id.example.com'],
    });
  });

  it('refuses an origin off the RP id, a non-origin, and an RP id that is not a domain', () => {
    expect(
      problemsOf({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://evil.com' }),
    ).toEqual([expect.stringContaining('WEBAUTHN_ORIGINS: https://evil.com is not on')]);
    expect(
      problemsOf({ WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.com/login' }),
    ).toEqual([expect.stringContaining('is not an origin')]);
    expect(problemsOf({ WEBAUTHN_RP_ID: 'https://example.com' })).toEqual(
      expect.arrayContaining([expect.stringContaining('WEBAUTHN_RP_ID must be a domain name')]),
    );
  });
});
