#!/usr/bin/env bash
# The side-by-side bench (npm run bench:keycloak). See README.md next to this file.
#   run.sh [side-by-side]    ours (this checkout, built and run as deployed) and Keycloak 26.4.5,
#                            each scenario measured in pairs, RUNS times: GET /users/me vs userinfo,
#                            rotating refresh, sign-in (bcrypt, then argon2id at Keycloak's
#                            parameters); RSS after load; start times
#   run.sh commits A B [C..] ours at several commits (`work` = this checkout), GET /users/me,
#                            each round every commit in turn; ratios to the first
#   run.sh start             ours: spawn to the first 200 of /health/ready, 5 times, empty database
# Env: RUNS=3 CONNS=16 WARM_S=3 MEAS_S=10 KC_WARM_S=300 (the JVM's warm-up, under load)
#      SCENARIOS="read refresh login login-argon2id"
set -euo pipefail
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}"
MODE="${1:-side-by-side}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$STATE/results/$MODE-$STAMP.jsonl"
mkdir -p "$STATE/results"
OURS_URL=http://127.0.0.1:18100
KC_URL=http://127.0.0.1:$KC_PORT
for tool in wrk taskset flock curl python3 java mvn unzip; do
  command -v $tool > /dev/null || die "$tool is missing (Debian: apt-get install -y wrk util-linux curl python3 maven unzip)"
done

cleanup() {
  for f in "$RUN"/ours-*.pid; do [ -e "$f" ] && bash "$HERE/ours.sh" stop "$(basename "$f" .pid | sed 's/^ours-//')"; done
  bash "$HERE/keycloak.sh" stop; bash "$HERE/ours.sh" db-stop
}
trap cleanup EXIT

window() { flock -w 900 "$LOCK" bash "$HERE/window.sh" "$OUT" "$@" > /dev/null; tail -1 "$OUT" | summary_line; }
summary_line() {
  node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.error(`  ${r.label.padEnd(28)} ${String(r.per_cpu_s).padStart(8)} req/CPU-s  ${String(r.rps).padStart(8)} req/s  p99 ${r.p99_ms} ms  bad ${r.bad + r.socket_errors}  others on core ${r.other_cpu_s_on_server_core} s  load ${r.loadavg}`)'
}
meta() {   # a line of context for the report
  node -e 'console.log(JSON.stringify({ meta: true, ...JSON.parse(process.argv[1]) }))' "$1" >> "$OUT"
}
meta "{\"mode\":\"$MODE\",\"date\":\"$(date -u +%FT%TZ)\",\"commit\":\"$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src package.json || echo '+changes')\",\"cpu\":\"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo) x $(nproc)\",\"node\":\"$(node -v)\",\"loadavg\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"conns\":$CONNS,\"meas_s\":$MEAS_S}"

# ours NAME DIR PORT [VAR=value...]: a fresh database, users provisioned (development mode), then
# restarted as deployed (production)
ours_ready() {
  local name=$1 dir=$2 port=$3; shift 3
  bash "$HERE/ours.sh" start "$name" "$dir" "$port" provision "$@" > /dev/null
  taskset -c "$LOAD_CPU" node "$HERE/ours.mjs" provision "http://127.0.0.1:$port" "$RUN/ours-$name.log" "$NUSERS"
  bash "$HERE/ours.sh" start "$name" "$dir" "$port" bench "$@"
}
prime() {   # unmeasured load: LABEL URL PIDFILE SECONDS SCENARIO...
  local label=$1 url=$2 pidfile=$3 secs=$4 s; shift 4
  for s in "$@"; do
    WARM_S=1 MEAS_S=$secs flock -w 900 "$LOCK" bash "$HERE/window.sh" "$RUN/prime.jsonl" "$label" "$s" "$url" "$pidfile" > /dev/null
  done
}

case "$MODE" in
side-by-side)
  SCENARIOS="${SCENARIOS:-read refresh login login-argon2id}"
  bash "$HERE/keycloak.sh" setup
  bash "$HERE/ours.sh" db-stop; bash "$HERE/ours.sh" db-start
  dir=$(bash "$HERE/ours.sh" prepare work)
  log "ours: provisioning"; ours_ready a "$dir" 18100
  log "Keycloak: starting"
  kc_start=$(bash "$HERE/keycloak.sh" start); log "$kc_start"
  python3 "$HERE/keycloak.py" check > /dev/null 2>&1 || { log "Keycloak: provisioning"; bash "$HERE/keycloak.sh" provision; }
  meta "{\"keycloak_start\":\"$kc_start\"}"
  log "Keycloak: JIT warm-up under load, ${KC_WARM_S:-300} s in 20 s windows (a fresh JVM is far slower)"
  python3 "$HERE/keycloak.py" set-revoke on
  w=${KC_WARM_S:-300}
  for _ in $(seq 1 $(( w / 60 > 0 ? w / 60 : 1 ))); do prime kc-warm "$KC_URL" "$RUN/kc.pid" 20 kc-userinfo kc-refresh kc-login; done
  log "ours: warm-up, 10 s a scenario"
  prime ours-warm "$OURS_URL" "$RUN/ours-a.pid" 10 ours-me ours-refresh ours-login
  pair() {   # ROUND OURS_SCENARIO KC_SCENARIO LABEL: both orders in turn, so neither always goes first
    if [ $(( $1 % 2 )) = 1 ]; then
      window "ours $4 r$1" "$2" "$OURS_URL" "$RUN/ours-a.pid"; window "keycloak $4 r$1" "$3" "$KC_URL" "$RUN/kc.pid"
    else
      window "keycloak $4 r$1" "$3" "$KC_URL" "$RUN/kc.pid"; window "ours $4 r$1" "$2" "$OURS_URL" "$RUN/ours-a.pid"
    fi
  }
  for r in $(seq 1 "$RUNS"); do
    log "round $r of $RUNS"
    [[ " $SCENARIOS " == *" read "* ]] && pair "$r" ours-me kc-userinfo read
    [[ " $SCENARIOS " == *" refresh "* ]] && pair "$r" ours-refresh kc-refresh refresh
    [[ " $SCENARIOS " == *" login "* ]] && pair "$r" ours-login kc-login login
  done
  meta "{\"rss_after_load_mb\":{\"ours\":$(rss_mb "$(cat "$RUN/ours-a.pid")"),\"keycloak\":$(rss_mb "$(cat "$RUN/kc.pid")")}}"
  if [[ " $SCENARIOS " == *" login-argon2id "* ]]; then
    log "ours: PASSWORD_HASH=argon2id at Keycloak's parameters (m 7 MiB, t 5, p 1); one sign-in a user re-hashes"
    bash "$HERE/ours.sh" start a "$dir" 18100 bench PASSWORD_HASH=argon2id ARGON2_MEMORY_KIB=7168 ARGON2_TIME_COST=5
    taskset -c "$LOAD_CPU" node "$HERE/ours.mjs" signin-all "$OURS_URL" "$NUSERS"
    prime ours-warm "$OURS_URL" "$RUN/ours-a.pid" 10 ours-login
    for r in $(seq 1 "$RUNS"); do pair "$r" ours-login kc-login login-argon2id; done
  fi
  ;;
commits)
  # ours at several commits, GET /users/me: r0 is the baseline, each round measures every one
  # (the order rotates from round to round), each ratio is rN / r0 of the same round
  shift; [ $# -ge 2 ] || die "usage: run.sh commits BASE OTHER [MORE...]"
  refs=("$@")
  bash "$HERE/ours.sh" db-stop; bash "$HERE/ours.sh" db-start
  for i in "${!refs[@]}"; do
    dir=$(bash "$HERE/ours.sh" prepare "${refs[$i]}")
    rev=$([ "${refs[$i]}" = work ] && echo HEAD || echo "${refs[$i]}")
    meta "{\"r$i\":\"${refs[$i]}: $(git -C "$ROOT" log -1 --format='%h %s' "$rev" | cut -c1-90 | tr -d '"\\')\"}"
    ours_ready "r$i" "$dir" $((18100 + i))
    prime "r$i-warm" "http://127.0.0.1:$((18100 + i))" "$RUN/ours-r$i.pid" 10 ours-me ours-me
  done
  n=${#refs[@]}
  for r in $(seq 1 "$RUNS"); do
    log "round $r of $RUNS"
    for k in $(seq 0 $((n - 1))); do
      i=$(( (k + r - 1) % n ))
      window "r$i read r$r" ours-me "http://127.0.0.1:$((18100 + i))" "$RUN/ours-r$i.pid"
    done
  done
  rss="{}"
  for i in "${!refs[@]}"; do rss=$(node -e 'const o=JSON.parse(process.argv[1]); o[process.argv[2]]=+process.argv[3]; console.log(JSON.stringify(o))' "$rss" "r$i" "$(rss_mb "$(cat "$RUN/ours-r$i.pid")")"); done
  meta "{\"rss_after_load_mb\":$rss}"
  ;;
start)
  bash "$HERE/ours.sh" db-stop; bash "$HERE/ours.sh" db-start
  dir=$(bash "$HERE/ours.sh" prepare work)
  bash "$HERE/ours.sh" start warm "$dir" 18100 bench > /dev/null   # fills Node's compile cache, as the image build does
  bash "$HERE/ours.sh" stop warm
  for i in $(seq 1 5); do
    line=$(flock -w 900 "$LOCK" bash "$HERE/ours.sh" start "start$i" "$dir" 18100 bench)
    rss=$(rss_mb "$(cat "$RUN/ours-start$i.pid")")
    bash "$HERE/ours.sh" stop "start$i"
    log "start $i (empty database): $line, RSS at ready ${rss} MB"
    meta "{\"start_ready_ms\":$(echo "$line" | awk '{print $2}'),\"cpu_s_at_ready\":$(echo "$line" | awk '{print $6}'),\"rss_at_ready_mb\":$rss}"
  done
  ;;
*) echo "usage: run.sh [side-by-side] | commits A B | start" >&2; exit 2 ;;
esac
node "$HERE/report.mjs" "$OUT"
