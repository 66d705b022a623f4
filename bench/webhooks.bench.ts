/**
 * Webhook delivery, as figures (nothing here fails). The app runs in this process on the
 * development database; the receiver is a separate Node process on loopback (so its CPU is not
 * counted) that answers 204 and notes, for each delivery, the time since the change
 * (`timestamp` in the body).
 *
 * - change → delivery: BENCH_CHANGES profile changes through the API, one after another; p50/p99
 *   from the change to the receiver's arrival;
 * - rate: BENCH_DELIVERIES outbox entries written at once, then drained by the worker: events
 *   per second, and per CPU-second of the app's process (its user + system time).
 *
 *   npm run bench:webhooks
 */
import { ChildProcess, spawn } from 'node:child_process';
import { WebhookEndpoints } from '../src/webhooks/webhook-endpoints.service';
import { WebhookOutbox } from '../src/webhooks/webhook-outbox.service';
import { BENCH_PASSWORD, createBenchUser, postJson, startBenchApp } from './support';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 3000);

const RECEIVER = `
const http = require('node:http');
const lags = [];
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET') return res.end(JSON.stringify(lags.splice(0)));
    lags.push(Date.now() - Date.parse(JSON.parse(Buffer.concat(chunks).toString()).timestamp));
    res.writeHead(204).end();
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

async function startReceiver(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  return { child, url: `http://127.0.0.1:${port}/hooks` };
}

/** Takes what the receiver has noted since the last call (ms from change to arrival). */
const drain = async (url: string) => (await (await fetch(url)).json()) as number[];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function until(read: () => Promise<number>, target: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let seen: number[] = [];
  while (Date.now() < deadline) {
    seen = seen.concat([await read()]);
    if (seen.at(-1)! >= target) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`only ${seen.at(-1)} of ${target} within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const receiver = await startReceiver();
  const { app, url } = await startBenchApp({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_POLL_INTERVAL: '100ms',
  });
  const stats = receiver.url.replace('/hooks', '/stats');
  await app
    .get(WebhookEndpoints)
    .create({ url: receiver.url, events: ['*'] }, { id: 'bench', origin: {} });
  const email = `bench-webhooks-${Date.now()}@example.com`;
  await createBenchUser(app, email);
  const { accessToken } = (await (
    await postJson(`${url}/api/v1/auth/login`, { email, password: BENCH_PASSWORD })
  ).json()) as { accessToken: string };

  // Change → delivery, one change at a time.
  let lags: number[] = [];
  for (let i = 0; i < CHANGES; i += 1) {
    const res = await fetch(`${url}/api/v1/users/me`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ firstName: `Bench${i}` }),
    });
    if (!res.ok) throw new Error(`PATCH answered ${res.status}`);
  }
  await until(async () => (lags = lags.concat(await drain(stats))).length, CHANGES, 60_000);
  lags.sort((a, b) => a - b);
  console.log(
    `change → delivery (${CHANGES} profile changes, sequential): p50 ${percentile(lags, 50)} ms, p99 ${percentile(lags, 99)} ms`,
  );

  // Rate: a backlog written at once, drained by the worker.
  const outbox = app.get(WebhookOutbox);
  const at = new Date().toISOString();
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < DELIVERIES; i += 100)
    await Promise.all(
      Array.from({ length: Math.min(100, DELIVERIES - i) }, (_, j) =>
        outbox.enqueue({ type: 'user.updated', timestamp: at, data: { user: { id: `${i + j}` } } }),
      ),
    );
  let delivered = 0;
  await until(async () => (delivered += (await drain(stats)).length), DELIVERIES, 300_000);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(
    `rate: ${DELIVERIES} deliveries in ${seconds.toFixed(1)} s = ${Math.round(DELIVERIES / seconds)}/s; ` +
      `${Math.round(DELIVERIES / cpuSeconds)} per CPU-second of the app (${cpuSeconds.toFixed(1)} s CPU; ` +
      `outbox written and drained; the database's own CPU not counted)`,
  );
  await app.close();
  receiver.child.kill();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
