/**
 * Timing oracles: prints the median answer time for a known and an unknown email on
 * forgot-password and on login with a wrong password, and their ratio. A ratio far from 1 lets
 * an attacker tell which emails have accounts. Figures only; nothing here fails.
 */
import { createBenchUser, postJson, startBenchApp } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 200);

/**
 * Medians for a known and an unknown email, their requests interleaved (so warm-up and drift
 * weigh on both alike). `gapMs` spaces the requests, so the figure is each request's own cost,
 * not the load of the previous one's after-work.
 */
async function medians(
  send: (email: string) => Promise<Response>,
  emails: [known: string, unknown: string],
  expected: number,
  gapMs = 0,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < ROUNDS * 2; i++) {
    const which = (i + Math.floor(i / 2)) % 2; // known, unknown, unknown, known, ...
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
    const started = process.hrtime.bigint();
    const res = await send(emails[which]);
    await res.arrayBuffer();
    times[which].push(Number(process.hrtime.bigint() - started) / 1e6);
    if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}`);
  }
  const median = (list: number[]) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)];
  return [median(times[0]), median(times[1])];
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

  const emails: [string, string] = [known, unknown];
  const forgot = (email: string) => postJson(`${url}/api/v1/auth/forgot-password`, { email });
  report(
    `POST /auth/forgot-password, spaced ${GAP_MS} ms`,
    ...(await medians(forgot, emails, 202, GAP_MS)),
  );
  report('POST /auth/forgot-password, back to back', ...(await medians(forgot, emails, 202)));

  const login = (email: string) =>
    postJson(`${url}/api/v1/auth/login`, { email, password: 'not the right password' });
  report('POST /auth/login, wrong password', ...(await medians(login, emails, 401)));
  await app.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
