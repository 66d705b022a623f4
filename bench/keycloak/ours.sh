#!/usr/bin/env bash
# Our side of the bench:
#   ours.sh db-start | db-stop          the development database (mongo-java-server, memory backend)
#                                       on $LOAD_CPU, port $DB_PORT
#   ours.sh prepare REF                 prints the directory of a build of REF: `work` is this
#                                       checkout as it is; a commit is cloned into .bench/ours-<sha>
#                                       (node_modules linked from this checkout when the lock file
#                                       is the same, else `npm ci`); both built with `nest build`
#   ours.sh start NAME DIR PORT MODE [VAR=value ...]
#                                       `node <flags of its start:prod> dist/main` pinned to
#                                       $SERVER_CPU, NODE_ENV=production (MODE=bench) or development
#                                       (MODE=provision: mails, with their codes, go to the log);
#                                       database `bench-NAME`; prints READY_MS (spawn to the first
#                                       200 of /health/ready)
#   ours.sh stop NAME
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# The measured configuration: production, rate limits on but far above the load (the auth limit
# still counts every /auth request in the database), no emailed second step at sign-in.
app_env() {
  cat <<E
NODE_ENV=$1
PORT=$2
MONGO_URI=mongodb://127.0.0.1:$DB_PORT/bench-$3
JWT_ACCESS_SECRET=perf-bench-secret-perf-bench-secret-0123456789
PASSWORD_PEPPER=perf-bench-pepper-perf-bench-pepper
TOTP_ENCRYPTION_KEY=a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=
LOG_LEVEL=$([ "$1" = production ] && echo warn || echo info)
RATE_LIMIT_AUTH=1000000/1m
RATE_LIMIT_DEFAULT=1000000/1m
LOCKOUT_THRESHOLD=100
LOGIN_EMAIL_OTP=false
E
}

db_start() {
  alive "$RUN/db.pid" && return 0
  [ -d "$ROOT/.devdb/classes" ] || (cd "$ROOT" && npm run -s devdb:fetch)
  # DevDb stops when its stdin closes: a fifo held open by a sleeping writer keeps it up
  rm -f "$RUN/db.in"; mkfifo "$RUN/db.in"
  DEVDB_PORT=$DB_PORT setsid taskset -c "$LOAD_CPU" java -XX:ActiveProcessorCount=1 \
    -cp "$ROOT/.devdb/classes:$ROOT/.devdb/lib/*" DevDb < "$RUN/db.in" > "$RUN/db.log" 2>&1 &
  echo $! > "$RUN/db.pid"
  setsid sleep 1000000 > "$RUN/db.in" &
  echo $! > "$RUN/db-holder.pid"
  for _ in $(seq 1 100); do grep -q '^ready' "$RUN/db.log" && return 0; sleep 0.1; done
  die "the development database did not start: $RUN/db.log"
}

db_stop() { stop_pidfile "$RUN/db.pid"; stop_pidfile "$RUN/db-holder.pid"; rm -f "$RUN/db.in"; }

prepare() {
  local ref=$1 dir sha
  if [ "$ref" = work ]; then
    dir=$ROOT
  else
    sha=$(git -C "$ROOT" rev-parse --short "$ref^{commit}")
    dir="$STATE/ours-$sha"
    if [ ! -d "$dir/.git" ]; then
      git clone -q --shared --no-checkout "$ROOT" "$dir" && git -C "$dir" checkout -q "$sha"
    fi
    if [ ! -e "$dir/node_modules" ]; then
      if cmp -s "$dir/package-lock.json" "$ROOT/package-lock.json"; then
        ln -s "$ROOT/node_modules" "$dir/node_modules"
      else
        log "installing the dependencies of $sha (its lock file differs from this checkout's)"
        (cd "$dir" && MONGOMS_DISABLE_POSTINSTALL=1 npm ci --no-audit --no-fund --loglevel=error >&2) \
          || (cd "$dir" && MONGOMS_DISABLE_POSTINSTALL=1 npm install --no-audit --no-fund --loglevel=error >&2)
      fi
    fi
  fi
  # The API only: the admin console's static files are not on any measured path.
  (cd "$dir" && npx nest build >&2)
  echo "$dir"
}

start() {
  local name=$1 dir=$2 port=$3 mode=$4 flags t0 t1 code=000
  shift 4
  stop_pidfile "$RUN/ours-$name.pid"
  # the node flags its start:prod script runs with (the Dockerfile's CMD has the same)
  flags=$(node -p "(require('$dir/package.json').scripts['start:prod'] || '').replace(/^node\s*/, '').replace(/\s*dist\/main.*$/, '')")
  local nodeenv=production; [ "$mode" = provision ] && nodeenv=development
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && die "port $port is in use by another program"
  t0=$(date +%s%N)
  (cd "$dir" && exec env $(app_env "$nodeenv" "$port" "$name" | tr '\n' ' ') "$@" \
    taskset -c "$SERVER_CPU" node $flags ${NODE_EXTRA_ARGS:-} dist/main) > "$RUN/ours-$name.log" 2>&1 &
  echo $! > "$RUN/ours-$name.pid"
  for _ in $(seq 1 1500); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health/ready" || true)
    [ "$code" = 200 ] && break
    alive "$RUN/ours-$name.pid" || { tail -20 "$RUN/ours-$name.log" >&2; die "ours ($name) exited: $RUN/ours-$name.log"; }
    sleep 0.02
  done
  t1=$(date +%s%N)
  [ "$code" = 200 ] || die "ours ($name) not ready in 30 s: $RUN/ours-$name.log"
  # its own CPU time until then: what a loaded machine changes least
  echo "READY_MS $(( (t1 - t0) / 1000000 )) pid $(cat "$RUN/ours-$name.pid") cpu_s $(awk -v t="$(ticks "$(cat "$RUN/ours-$name.pid")")" -v hz="$HZ" 'BEGIN {printf "%.2f", t / hz}') flags '$flags'"
}

case "${1:-}" in
  db-start) db_start ;;
  db-stop) db_stop ;;
  prepare) prepare "$2" ;;
  start) shift; start "$@" ;;
  stop) stop_pidfile "$RUN/ours-$2.pid" ;;
  *) echo "usage: ours.sh db-start|db-stop|prepare REF|start NAME DIR PORT MODE [VAR=value...]|stop NAME" >&2; exit 2 ;;
esac
