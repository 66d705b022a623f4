#!/usr/bin/env bash
# One measured window:  window.sh OUT.jsonl LABEL SCENARIO URL PIDFILE
# Fresh tokens for the scenario (a pool of CONNS+16 access tokens, or one refresh token a
# connection), a WARM_S s wrk warm-up, a pause until the server is idle, then MEAS_S s of wrk
# (-t1, pinned to $LOAD_CPU) with the server's CPU time (utime+stime, /proc/<pid>/stat) and the
# busy time of its core read before and after. Appends one JSON line: requests, bad responses,
# server CPU-seconds, requests per server CPU-second, the CPU others took on the server's core,
# the server's RSS, the load average. Run it under the lock (run.sh does).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
OUT=$1 LABEL=$2 SCENARIO=$3 URL=$4 PID=$(cat "$5")
TOKFILE="$RUN/tokens-$SCENARIO.txt"
tokens() {
  case $SCENARIO in
    ours-me) taskset -c "$LOAD_CPU" node "$HERE/ours.mjs" tokens "$URL" $((CONNS + 16)) accessToken > "$TOKFILE" ;;
    ours-refresh) taskset -c "$LOAD_CPU" node "$HERE/ours.mjs" tokens "$URL" $((CONNS + 1)) refreshToken > "$TOKFILE" ;;
    kc-userinfo) taskset -c "$LOAD_CPU" python3 "$HERE/keycloak.py" tokens --n $((CONNS + 16)) --field access_token --scope openid --out "$TOKFILE" ;;
    kc-refresh) taskset -c "$LOAD_CPU" python3 "$HERE/keycloak.py" tokens --n $((CONNS + 1)) --field refresh_token --out "$TOKFILE" ;;
    *) rm -f "$TOKFILE" ;;
  esac
}
load() {
  SCENARIO=$SCENARIO NUSERS=$NUSERS TOKFILE=$([ -f "$TOKFILE" ] && echo "$TOKFILE") \
    taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNS" -d"$1s" --timeout 30s -s "$HERE/wrk.lua" "$URL"
}
tokens; load "$WARM_S" > "$RUN/warm.txt" 2>&1
tokens; wait_idle "$PID"
s0=$(ticks "$PID"); c0=$(core_busy "$SERVER_CPU")
load "$MEAS_S" > "$RUN/window.txt" 2>&1
s1=$(ticks "$PID"); c1=$(core_busy "$SERVER_CPU")
wrkjson=$(sed -n 's/^WRKJSON //p' "$RUN/window.txt")
[ -n "$wrkjson" ] || { cat "$RUN/window.txt" >&2; die "wrk printed no result"; }
node -e '
const [label, scenario, s, c, hz, rss, load, w] = process.argv.slice(1);
const r = JSON.parse(w), cpu = Number(s) / Number(hz);
console.log(JSON.stringify({ label, scenario, date: new Date().toISOString(), ...r,
  rps: +(r.requests / r.seconds).toFixed(1), server_cpu_s: +cpu.toFixed(2),
  per_cpu_s: +(r.ok / cpu).toFixed(1), other_cpu_s_on_server_core: +((Number(c) - Number(s)) / Number(hz)).toFixed(2),
  rss_mb: Number(rss), loadavg: load }));
' "$LABEL" "$SCENARIO" $((s1 - s0)) $((c1 - c0)) "$HZ" "$(rss_mb "$PID")" "$(cut -d' ' -f1-3 /proc/loadavg)" "$wrkjson" | tee -a "$OUT"
