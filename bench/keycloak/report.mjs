// Prints the table of a bench run: node report.mjs .bench/results/<mode>-<stamp>.jsonl
// For each scenario, each round's pair (ours / Keycloak, or b / a for two commits) gives one
// ratio of requests per server CPU-second; the median ratio and the spread (min-max) follow.
import { readFileSync } from 'node:fs';

const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const meta = Object.assign({}, ...rows.filter((r) => r.meta));
const windows = rows.filter((r) => !r.meta);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const [left, right] = meta.mode === 'commits' ? ['b', 'a'] : ['ours', 'keycloak'];

console.log(`\n${meta.mode} run ${meta.date}, commit ${meta.commit}, ${meta.cpu}, Node ${meta.node}`);
console.log(`load average at the start ${meta.loadavg}; c${meta.conns}, ${meta.meas_s} s windows; per server CPU-second`);
if (meta.a) console.log(`a = ${meta.a}\nb = ${meta.b}`);
const bad = windows.reduce((n, r) => n + r.bad + r.socket_errors, 0);
if (windows.length) console.log(`${windows.length} windows, ${bad} bad responses (non-2xx, unexpected body or socket error)`);
const scenarios = [...new Set(windows.map((r) => r.label.split(' ')[1]))];
if (scenarios.length) {
  console.log(`\n| scenario | ${left} | ${right} | ${left}/${right} per run | median (spread) | load avg |`);
  console.log('|---|---:|---:|---:|---:|---|');
}
for (const s of scenarios) {
  const round = (side) => windows.filter((r) => r.label.startsWith(`${side} ${s} `));
  const l = round(left), r = round(right);
  const ratios = l.map((x, i) => (r[i] ? x.per_cpu_s / r[i].per_cpu_s : NaN)).filter(Number.isFinite);
  const digits = l[0].per_cpu_s < 100 ? 1 : 0;
  console.log(
    `| ${s} | ${l.map((x) => fmt(x.per_cpu_s, digits)).join(' · ')} | ${r.map((x) => fmt(x.per_cpu_s, digits)).join(' · ')} | ` +
      `${ratios.map((x) => x.toFixed(2)).join(' · ')} | **${median(ratios).toFixed(2)}** (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}) | ` +
      `${[...l, ...r].map((x) => x.loadavg.split(' ')[0]).join(', ')} |`,
  );
}
if (meta.rss_after_load_mb) console.log(`\nRSS after load (MB): ${JSON.stringify(meta.rss_after_load_mb)}`);
if (meta.keycloak_start) console.log(`Keycloak start: ${meta.keycloak_start}`);
const starts = rows.filter((r) => r.start_ready_ms !== undefined);
if (starts.length)
  console.log(`ours, spawn to /health/ready 200 (ms): ${starts.map((r) => r.start_ready_ms).join(', ')}; median ${median(starts.map((r) => r.start_ready_ms))}; RSS at ready (MB): ${starts.map((r) => r.rss_at_ready_mb).join(', ')}`);
console.log(`\nraw: ${process.argv[2]}`);
