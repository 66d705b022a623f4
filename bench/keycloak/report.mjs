// Prints the table of a bench run: node report.mjs .bench/results/<mode>-<stamp>.jsonl
// For each scenario, each round's pair (ours / Keycloak, or b / a for two commits) gives one
// ratio of requests per server CPU-second; the median ratio and the spread (min-max) follow.
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const meta = Object.assign({}, ...rows.filter((r) => r.meta));
const windows = rows.filter((r) => !r.meta);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

console.log(
  `\n${meta.mode} run ${meta.date}, commit ${meta.commit}, ${meta.cpu}, Node ${meta.node}`,
);
console.log(
  `load average at the start ${meta.loadavg}; c${meta.conns}, ${meta.meas_s} s windows; per server CPU-second`,
);
for (let i = 0; meta[`r${i}`]; i++) console.log(`r${i} = ${meta[`r${i}`]}`);
const bad = windows.reduce((n, r) => n + r.bad + r.socket_errors, 0);
if (windows.length)
  console.log(
    `${windows.length} windows, ${bad} bad responses (non-2xx, unexpected body or socket error)`,
  );
const runs = (prefix) => windows.filter((r) => r.label.startsWith(prefix));
const ratios = (l, r) =>
  l.map((x, i) => (r[i] ? x.per_cpu_s / r[i].per_cpu_s : NaN)).filter(Number.isFinite);
const spread = (xs) =>
  `**${median(xs).toFixed(2)}** (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
const figures = (rows) => rows.map((x) => fmt(x.per_cpu_s, x.per_cpu_s < 100 ? 1 : 0)).join(' · ');
const loads = (rows) => rows.map((x) => x.loadavg.split(' ')[0]).join(', ');
if (meta.mode === 'commits') {
  // rounds: each rN window paired with the r0 window of the same round
  const byRound = (i) =>
    runs(`r${i} `).sort((a, b) => a.label.localeCompare(b.label, 'en', { numeric: true }));
  const base = byRound(0);
  console.log(
    '\n| commit | GET /users/me per server CPU-s, each round | ratio to r0 per round | median (spread) | load avg |',
  );
  console.log('|---|---:|---:|---:|---|');
  for (let i = 0; meta[`r${i}`]; i++) {
    const rows = byRound(i),
      q = ratios(rows, base);
    console.log(
      `| r${i} | ${figures(rows)} | ${q.map((x) => x.toFixed(2)).join(' · ')} | ${spread(q)} | ${loads(rows)} |`,
    );
  }
} else if (windows.length) {
  const scenarios = [...new Set(windows.map((r) => r.label.split(' ')[1]))];
  console.log(
    '\n| scenario | ours | Keycloak | ours/Keycloak per run | median (spread) | load avg |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  for (const s of scenarios) {
    const l = runs(`ours ${s} `),
      r = runs(`keycloak ${s} `);
    console.log(
      `| ${s} | ${figures(l)} | ${figures(r)} | ${ratios(l, r)
        .map((x) => x.toFixed(2))
        .join(' · ')} | ${spread(ratios(l, r))} | ${loads([...l, ...r])} |`,
    );
  }
}
const rssOf = (prefix) => runs(prefix).map((r) => r.rss_mb);
if (meta.mode === 'side-by-side')
  console.log(
    `\nRSS after each window (MB), ours: ${rssOf('ours ').join(' ')}; Keycloak: ${rssOf('keycloak ').join(' ')}`,
  );
if (meta.rss_after_load_mb)
  console.log(`\nRSS after load (MB): ${JSON.stringify(meta.rss_after_load_mb)}`);
if (meta.keycloak_start) console.log(`Keycloak start: ${meta.keycloak_start}`);
const starts = rows.filter((r) => r.start_ready_ms !== undefined);
if (starts.length)
  console.log(
    `ours, spawn to /health/ready 200 (ms): ${starts.map((r) => r.start_ready_ms).join(', ')}; median ${median(starts.map((r) => r.start_ready_ms))}; its CPU-seconds until then: ${starts.map((r) => r.cpu_s_at_ready).join(', ')}; RSS at ready (MB): ${starts.map((r) => r.rss_at_ready_mb).join(', ')}`,
  );
console.log(`\nraw: ${process.argv[2]}`);
