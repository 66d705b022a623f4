// The hash's own ceiling on one core: verifications per CPU-second of argon2id at Keycloak's
// parameters (m 7 MiB, t 5, p 1) and of bcrypt at cost 11, with this project's own packages,
// one at a time (as the API runs argon2id: one hash per core). Sign-in rates are read against it.
// Usage: taskset -c 0 node bench/keycloak/hash-ceiling.mjs [seconds=8]
import argon2 from 'argon2';
import bcrypt from 'bcrypt';

const seconds = Number(process.argv[2] ?? 8);
const input = 'a 44-character pre-hash, as the API computes';
async function ceiling(label, verify) {
  await verify();
  const c0 = process.cpuUsage(),
    t0 = Date.now();
  let n = 0;
  while (Date.now() - t0 < seconds * 1000) if ((await verify()) === true) n++;
  const c = process.cpuUsage(c0);
  console.log(
    `${label}: ${(n / ((c.user + c.system) / 1e6)).toFixed(1)} verifications per CPU-second`,
  );
}
const a = await argon2.hash(input, {
  type: argon2.argon2id,
  memoryCost: 7168,
  timeCost: 5,
  parallelism: 1,
});
await ceiling('argon2id m 7 MiB t 5 p 1', () => argon2.verify(a, input));
const b = await bcrypt.hash(input, 11);
await ceiling('bcrypt cost 11', () => bcrypt.compare(input, b));
