import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** Debian's `redis-server` (what `.ci/run` installs), or the one named by REDIS_SERVER_PATH. */
export function findRedisServer(): string | undefined {
  const candidate = process.env.REDIS_SERVER_PATH ?? 'redis-server';
  try {
    execFileSync(candidate, ['--version'], { stdio: 'ignore' });
    return candidate;
  } catch {
    return undefined;
  }
}

/** A free TCP port on loopback (the kernel picks it; the server binds it right after). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A real Redis on loopback, in memory only, started by the spec and stopped by it. */
export class TestRedis {
  url = '';
  private child?: ChildProcess;

  constructor(private readonly binary: string) {}

  async start(): Promise<string> {
    const port = await freePort();
    const child = spawn(
      this.binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () => reject(new Error(`redis-server did not start: ${out}`)),
        10_000,
      );
      const read = (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
    });
    this.url = `redis://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
}
