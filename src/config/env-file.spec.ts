import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError, parseEnv } from './env';
import { loadEnvFile } from './env-file';

function envFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'env-file-')), '.env');
  writeFileSync(path, text);
  return path;
}

describe(loadEnvFile.name, () => {
  it('fills in what the shell did not set, and the shell wins', () => {
    const env: Record<string, string | undefined> = { PORT: '4000' };
    loadEnvFile(
      envFile('# comment\nPORT=5000\nLOG_LEVEL=debug\nMAIL_FROM="Us <us@example.com>"\n'),
      env,
    );
    expect(env).toEqual({ PORT: '4000', LOG_LEVEL: 'debug', MAIL_FROM: 'Us <us@example.com>' });
  });

  it('does nothing without a file', () => {
    const env = {};
    loadEnvFile(join(tmpdir(), 'no-such-dir', '.env'), env);
    expect(env).toEqual({});
  });

  it('lets validation name a bad value that came from the file, as for the shell', () => {
    const env: Record<string, string | undefined> = {};
    loadEnvFile(envFile('OTP_TTL=5 minutes\n'), env);
    expect(() => parseEnv(env)).toThrow(ConfigValidationError);
    expect(() => parseEnv(env)).toThrow(/OTP_TTL/);
  });
});
