// Our side's clients, through the real API only:
//   node ours.mjs provision BASE LOG [N=200]   N users (register, the code from the server's log in
//        development mode, verify-email), then checks: sign-in gives a token pair, /users/me 200,
//        a wrong password 401
//   node ours.mjs tokens BASE N accessToken|refreshToken   N sign-ins (users in turn), a token a line
//   node ours.mjs signin-all BASE [N=200]      one sign-in per user (re-hashes a stored password
//        under a new PASSWORD_HASH, as Keycloak re-hashes on the next sign-in)
import { readFileSync } from 'node:fs';

const [command, BASE, ...rest] = process.argv.slice(2);
const PASSWORD = 'bench password for perf runs';
const NUSERS = Number(process.env.NUSERS ?? 200);
const email = (i) => `perf-user-${i}@bench.local`;
const post = async (path, body) => {
  const r = await fetch(`${BASE}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: r.status, text: await r.text() };
};
const signIn = async (i) => {
  const r = await post('/auth/login', { email: email(i), password: PASSWORD });
  if (r.status !== 200 || !r.text.includes('"accessToken"'))
    throw new Error(`sign-in ${email(i)} -> ${r.status} ${r.text.slice(0, 200)}`);
  return JSON.parse(r.text);
};
/** Runs job(0..n-1), `concurrency` at a time. */
async function pool(n, concurrency, job) {
  const out = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const k = next++;
      out[k] = await job(k);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

// the development logger's line: mail to <addr>: "Your verification code"  code 123456
function codeFor(log, addr) {
  const lines = readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.includes(`mail to ${addr}: `));
  return (
    lines.at(-1)?.match(/\bcode (\d{6})\b/)?.[1] ?? lines.at(-1)?.match(/\\n\\n(\d{6})\\n/)?.[1]
  );
}

async function provision(log, n) {
  const t0 = Date.now();
  await pool(n, 4, async (i) => {
    const r = await post('/auth/register', {
      email: email(i),
      password: PASSWORD,
      firstName: 'Perf',
      lastName: 'User',
    });
    if (r.status === 409) return;
    if (r.status !== 201)
      throw new Error(`register ${email(i)} -> ${r.status} ${r.text.slice(0, 300)}`);
    let code;
    for (let k = 0; k < 200 && !code; k++) {
      code = codeFor(log, email(i));
      if (!code) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!code) throw new Error(`no code in ${log} for ${email(i)}`);
    const v = await post('/auth/verify-email', { email: email(i), code });
    if (v.status !== 200)
      throw new Error(`verify ${email(i)} -> ${v.status} ${v.text.slice(0, 300)}`);
  });
  const { accessToken } = await signIn(n - 1);
  const me = await fetch(`${BASE}/api/v1/users/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  const body = await me.text();
  if (me.status !== 200 || !body.includes(`"email":"${email(n - 1)}"`))
    throw new Error(`/users/me -> ${me.status} ${body.slice(0, 200)}`);
  const bad = await post('/auth/login', {
    email: email(0),
    password: 'wrong password for this user',
  });
  if (bad.status !== 401) throw new Error(`a wrong password gave ${bad.status}`);
  console.log(
    `[ours] ${n} users in ${((Date.now() - t0) / 1000).toFixed(1)} s; checks: sign-in, /users/me 200, wrong password 401`,
  );
}

if (command === 'provision') await provision(rest[0], Number(rest[1] ?? 200));
else if (command === 'tokens') {
  const [n, field] = rest;
  const first = Math.floor(Math.random() * NUSERS);
  const tokens = await pool(Number(n), 4, async (k) => (await signIn((first + k) % NUSERS))[field]);
  process.stdout.write(tokens.join('\n') + '\n');
} else if (command === 'signin-all') await pool(Number(rest[0] ?? NUSERS), 4, signIn);
else {
  console.error('usage: node ours.mjs provision|tokens|signin-all BASE ...');
  process.exit(2);
}
