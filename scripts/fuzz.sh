#!/usr/bin/env bash
# OpenAPI fuzz run (issue 8, "OpenAPI agreement"): schemathesis over /docs-json, twice — without
# credentials, then with an admin's bearer token — against a fresh API on an in-memory database.
#
#   scripts/fuzz.sh [--max-examples N] [--seed S] [--workers W]   (npm run fuzz -- --max-examples 10)
#
# Defaults: 50 examples, seed 8, 1 worker. Makes a Python venv in .venv-fuzz/ (git-ignored) with a
# pinned schemathesis, builds dist/ when it is missing or older than the sources, starts the dev
# database (in memory) and the API on a free port, reached on 127.0.0.1 only, and stops both on
# exit. The authenticated run gives every case its own fresh admin token (scripts/fuzz_auth.py), so
# the fuzzer's logout, logout-all and DELETE /sessions/{id} cannot revoke the token of later cases.
# Exit status: 0 when both runs are clean, 1 when either finds a failure, 2 when a run or the
# harness itself could not run. Reports, logs and the OpenAPI document tested: .fuzz-report/
# (git-ignored); failures.txt there groups every failing check with one example each.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

SCHEMATHESIS_VERSION=4.32.5
VENV="$ROOT/.venv-fuzz"
REPORT_DIR="$ROOT/.fuzz-report"
CHECKS=not_a_server_error,status_code_conformance,response_schema_conformance,negative_data_rejection,positive_data_acceptance
MAX_EXAMPLES=50
SEED=8
WORKERS=1

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    -n | --max-examples) MAX_EXAMPLES=${2:?--max-examples needs a number}; shift 2 ;;
    --max-examples=*) MAX_EXAMPLES=${1#*=}; shift ;;
    --seed) SEED=${2:?--seed needs a number}; shift 2 ;;
    --seed=*) SEED=${1#*=}; shift ;;
    -w | --workers) WORKERS=${2:?--workers needs a number}; shift 2 ;;
    --workers=*) WORKERS=${1#*=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "fuzz: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
for value in "$MAX_EXAMPLES" "$SEED" "$WORKERS"; do
  [[ "$value" =~ ^[0-9]+$ ]] || { echo "fuzz: '$value' is not a whole number" >&2; exit 2; }
done

started=$(date +%s)
log() { echo "fuzz: $*" >&2; }
die() { log "$*"; exit 2; }

# Only loopback traffic: never send the fuzzer or the probes through a proxy.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

# --- schemathesis, pinned, in its own venv ----------------------------------------------------
if [ "$("$VENV/bin/schemathesis" --version 2>/dev/null || true)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
  log "installing schemathesis $SCHEMATHESIS_VERSION into ${VENV#"$ROOT"/}/"
  command -v python3 >/dev/null || die "python3 is required (3.10 or newer)"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "could not create the venv (is python3-venv installed?)"
  "$VENV/bin/python" -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION" || die "pip could not install schemathesis==$SCHEMATHESIS_VERSION"
fi
ST="$VENV/bin/schemathesis"

# --- the app, built from the current sources ------------------------------------------------------
if [ ! -f dist/main.js ] || [ -n "$(find src tsconfig.json tsconfig.build.json package-lock.json -newer dist/main.js -print -quit)" ]; then
  log "building dist/"
  npm run --silent build >&2 || die "npm run build failed"
fi

rm -rf "$REPORT_DIR"
mkdir -p "$REPORT_DIR"

DB_PID='' APP_PID='' ST_PID='' TAIL_PID=''
cleanup() {
  local pid
  for pid in "$ST_PID" "$TAIL_PID" "$APP_PID" "$DB_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# In-memory dev database (mongo-java-server, or mongod where Java is absent).
node scripts/fuzz-db.js >"$REPORT_DIR/db.out" 2>"$REPORT_DIR/db.log" &
DB_PID=$!
MONGO_URI=''
for _ in $(seq 1800); do # up to 3 minutes: the first use may fetch the jars
  MONGO_URI=$(sed -n 's/^MONGO_URI=//p' "$REPORT_DIR/db.out")
  [ -n "$MONGO_URI" ] && break
  kill -0 "$DB_PID" 2>/dev/null || { cat "$REPORT_DIR/db.log" >&2; die "the dev database did not start"; }
  sleep 0.1
done
[ -n "$MONGO_URI" ] || die "the dev database was not ready after 3 minutes"

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
BASE="http://127.0.0.1:$PORT"
ADMIN_EMAIL=fuzz-admin@example.com
ADMIN_PASSWORD="fuzz-$(node -e "console.log(require('crypto').randomBytes(12).toString('base64url'))")"
# GET /metrics asks for this bearer, as in production (the authenticated run sends it).
METRICS_TOKEN=$(node -e "console.log(require('crypto').randomBytes(32).toString('hex'))")

# WEBHOOK_DELIVERY=false: the fuzzer registers webhooks at random URLs; nothing may be sent to them.
env NODE_ENV=test PORT="$PORT" MONGO_URI="$MONGO_URI" WEBHOOK_DELIVERY=false \
  RATE_LIMIT_AUTH=100000/1m RATE_LIMIT_DEFAULT=100000/1m \
  LOGIN_EMAIL_OTP=false LOCKOUT_THRESHOLD=100 LOCKOUT_ACCOUNT_THRESHOLD=100000 BCRYPT_COST=4 LOG_LEVEL=warn \
  JWT_ACCESS_TTL=1h ADMIN_EMAIL="$ADMIN_EMAIL" ADMIN_PASSWORD="$ADMIN_PASSWORD" METRICS_TOKEN="$METRICS_TOKEN" \
  ASSET_STORAGE=local ASSET_DIR="$REPORT_DIR/assets" \
  node dist/main >"$REPORT_DIR/app.log" 2>&1 &
APP_PID=$!
ready=''
for _ in $(seq 600); do
  if curl -fsS -o /dev/null --max-time 2 "$BASE/health/ready" 2>/dev/null; then ready=1; break; fi
  kill -0 "$APP_PID" 2>/dev/null || { cat "$REPORT_DIR/app.log" >&2; die "the API exited during start-up"; }
  sleep 0.1
done
[ -n "$ready" ] || { tail -20 "$REPORT_DIR/app.log" >&2; die "the API was not ready after 60 s"; }
log "API on $BASE (database $MONGO_URI)"
curl -fsS --max-time 10 "$BASE/docs-json" -o "$REPORT_DIR/openapi.json" || die "could not fetch $BASE/docs-json"

# Fail fast unless the bootstrapped admin signs in with its password alone (LOGIN_EMAIL_OTP=false
# answers a token pair): the authenticated run logs in the same way for every case.
curl -sS --max-time 10 -H 'content-type: application/json' \
  --data "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" "$BASE/api/v1/auth/login" |
  grep -q '"accessToken":"ey' || die "could not sign in as the bootstrapped admin"

# Output is not sanitised: the failures are only readable with the passwords and tokens that were
# sent, and every credential here is throwaway (a random admin password, an in-memory database).
run_schemathesis() { # name, extra args...
  local name=$1 rc t0 out="$REPORT_DIR/$1.txt"
  shift
  log "run '$name': --max-examples $MAX_EXAMPLES --seed $SEED --workers $WORKERS"
  t0=$(date +%s)
  # In the background with `wait`, so that a signal stops the run at once (see cleanup).
  : >"$out"
  "$ST" --config-file "scripts/fuzz-$name.toml" run "$BASE/docs-json" --url "$BASE" \
    --checks "$CHECKS" --max-examples "$MAX_EXAMPLES" --seed "$SEED" --workers "$WORKERS" \
    --generation-database none --continue-on-failure --request-timeout 10 --no-color --output-sanitize false \
    --report junit,ndjson --report-dir "$REPORT_DIR/$name" \
    "$@" >"$out" 2>&1 &
  ST_PID=$!
  tail -n +1 -f --pid="$ST_PID" "$out" &
  TAIL_PID=$!
  rc=0
  wait "$ST_PID" || rc=$?
  wait "$TAIL_PID" || true
  ST_PID='' TAIL_PID=''
  echo "$name $rc $(($(date +%s) - t0))" >>"$REPORT_DIR/summary"
}

run_schemathesis unauthenticated
FUZZ_BASE_URL=$BASE FUZZ_ADMIN_EMAIL=$ADMIN_EMAIL FUZZ_ADMIN_PASSWORD=$ADMIN_PASSWORD FUZZ_METRICS_TOKEN=$METRICS_TOKEN \
  run_schemathesis authenticated

# --- summary --------------------------------------------------------------------------------------
status=0
echo
echo "fuzz summary (schemathesis $SCHEMATHESIS_VERSION, --max-examples $MAX_EXAMPLES, --seed $SEED)"
while read -r name rc secs; do
  case "$rc" in
    0) verdict=clean ;;
    1) verdict=FAILED; [ "$status" = 2 ] || status=1 ;;
    *) verdict="ERROR (schemathesis exit $rc)"; status=2 ;;
  esac
  printf '  %-16s %-32s %4d s\n' "$name" "$verdict" "$secs"
done <"$REPORT_DIR/summary"
shopt -s nullglob
reports=("$REPORT_DIR"/*/ndjson-*.ndjson)
if [ ${#reports[@]} -gt 0 ]; then
  "$VENV/bin/python" scripts/fuzz-failures.py "${reports[@]}" >"$REPORT_DIR/failures.txt" || true
  if [ "$status" = 1 ]; then
    echo "failing checks by operation, check and answer (details: ${REPORT_DIR#"$ROOT"/}/failures.txt):"
    "$VENV/bin/python" scripts/fuzz-failures.py --brief "${reports[@]}" || true
  fi
fi
echo "  total wall time $(($(date +%s) - started)) s; reports and logs in ${REPORT_DIR#"$ROOT"/}/"
exit "$status"
