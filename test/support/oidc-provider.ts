import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ProviderAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  given_name?: string;
  family_name?: string;
}

/**
 * panva's oidc-provider (a certified OpenID Provider) running on loopback in a child process
 * (`oidc/provider.mjs`), with one confidential test client. Real discovery, JWKS, PKCE, nonce,
 * ID tokens and userinfo: nothing of the app's side is stubbed.
 */
export class TestOpenIdProvider {
  issuer = '';
  private child?: ChildProcess;

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    private readonly redirectUris: string[],
  ) {}

  async start(): Promise<string> {
    const child = spawn(process.execPath, [join(__dirname, 'oidc', 'provider.mjs')], {
      env: {
        PATH: process.env.PATH,
        CLIENT_ID: this.clientId,
        CLIENT_SECRET: this.clientSecret,
        REDIRECT_URIS: this.redirectUris.join(','),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString('utf8')));
    this.issuer = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`provider did not start: ${errors}`)),
        15_000,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /ISSUER=(\S+)\n/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => reject(new Error(`provider exited (${code}): ${errors}`)));
    });
    return this.issuer;
  }

  /** The account the provider's next login interaction signs in. */
  async nextLogin(account: ProviderAccount): Promise<void> {
    const res = await fetch(`${this.issuer}/test/next-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    if (res.status !== 204) throw new Error(`next-login: ${res.status}`);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
