/**
 * Timing oracles: prints the median answer time for a known and an unknown email on
 * forgot-password and on login with a wrong password, and their ratio. A ratio far from 1 lets
 * an attacker tell which emails have accounts. Figures only; nothing here fails.
 */
import { createBenchUser, postJson, startBenchApp } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 200);

/** `gapMs` spaces the requests, so the figure is each request's own cost, not the load of the previous one's after-work. */
async function medianMs(
  send: () => Promise<Response>,
  expected: number,
  gapMs = 0,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    const started = process.hrtime.bigint();
    const res = await send();
    await res.arrayBuffer();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function report(label: string, known: number, unknown: number): void {
  console.log(
    `${label}: known ${known.toFixed(2)} ms, unknown ${unknown.toFixed(2)} ms (median of ${ROUNDS}; ratio ${(known / unknown).toFixed(2)})`,
  );
}

async function main(): Promise<void> {
  // BCRYPT_COST as in production, so the login figures include the hash it is meant to hide behind.
  const { app, url } = await startBenchApp({
    BCRYPT_COST: process.env.BCRYPT_COST ?? '11',
    LOCKOUT_THRESHOLD: '100',
  });
  const known = `timing-${Date.now()}@example.com`;
  const unknown = `nobody-${Date.now()}@example.com`;
  await createBenchUser(app, known);

  const forgot = (email: string) => () => postJson(`${url}/api/v1/auth/forgot-password`, { email });
  report(
    `POST /auth/forgot-password, spaced ${GAP_MS} ms`,
    await medianMs(forgot(known), 202, GAP_MS),
    await medianMs(forgot(unknown), 202, GAP_MS),
  );
  report(
    'POST /auth/forgot-password, back to back',
    await medianMs(forgot(known), 202),
    await medianMs(forgot(unknown), 202),
  );

  const login = (email: string) => () =>
    postJson(`${url}/api/v1/auth/login`, { email, password: 'not the right password' });
  report(
    'POST /auth/login, wrong password',
    await medianMs(login(known), 401),
    await medianMs(login(unknown), 401),
  );
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
