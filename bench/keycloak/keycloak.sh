#!/usr/bin/env bash
# Keycloak for the side-by-side bench:  keycloak.sh setup | start | stop | provision
#   setup:     org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip through Maven (cached in ~/.m2),
#              unpacked into .bench/keycloak-$KC_VERSION; `kc.sh build --db=dev-file` once.
#   start:     production mode (`start --optimized`), local caches, loopback HTTP, pinned to
#              $SERVER_CPU; waits for the first 200 of /realms/master and prints START_S (launch to
#              that 200), on a database provisioned before (or a fresh one with KC_FRESH=1).
#   provision: realm `bench` with Keycloak's defaults (argon2id m 7 MiB t 5 p 1), public client
#              bench-cli (password grant), 200 users; checks one request per scenario.
# The JVM is as kc.sh sets it up outside a container (G1, -Xms64m -Xmx512m); pinned to one core,
# it sees one processor, so its GC and JIT threads share that core with the requests.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
KC_VERSION="${KC_VERSION:-26.4.5}"
KC_HOME="$STATE/keycloak-$KC_VERSION"
M2="${M2_REPO:-$HOME/.m2/repository}"
ZIP="$M2/org/keycloak/keycloak-quarkus-dist/$KC_VERSION/keycloak-quarkus-dist-$KC_VERSION.zip"

setup() {
  if [ ! -f "$ZIP" ]; then
    log "fetching org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip with Maven (~160 MB)"
    mvn -q dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" -Dtransitive=false
  fi
  if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
    rm -rf "$KC_HOME.tmp" && mkdir -p "$KC_HOME.tmp"
    unzip -q "$ZIP" -d "$KC_HOME.tmp" && mv "$KC_HOME.tmp/keycloak-$KC_VERSION" "$KC_HOME" && rmdir "$KC_HOME.tmp"
  fi
  JAVA_HOME="$(find_jdk21 || { install_jdk && find_jdk21; })" \
    || die "Keycloak needs a JDK >= 21: install one (e.g. Temurin) or set KC_JAVA_HOME"
  export JAVA_HOME
  if [ ! -f "$KC_HOME/.bench-built" ]; then
    log "kc.sh build --db=dev-file (once, ~20 s)"
    taskset -c "$SERVER_CPU" "$KC_HOME/bin/kc.sh" build --db=dev-file > "$RUN/kc-build.log" 2>&1 \
      || die "kc.sh build failed: see $RUN/kc-build.log"
    touch "$KC_HOME/.bench-built"
  fi
}

start() {
  setup
  alive "$RUN/kc.pid" && die "Keycloak is already running (pid $(cat "$RUN/kc.pid"))"
  [ "${KC_FRESH:-0}" = 1 ] && rm -rf "$KC_HOME/data"
  exec 9>"$LOCK"; flock -w 900 9   # the start time is measured without another bench's load
  local t0 t1 code=000
  t0=$(date +%s%N)
  # On JDK 24 and later its thread pool's thread-local reset needs java.lang opened (its own advice)
  local opens=""
  [ "$(java_major)" -ge 24 ] && opens="--add-opens=java.base/java.lang=ALL-UNNAMED"
  JAVA_OPTS_APPEND="$opens" KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    setsid taskset -c "$SERVER_CPU" "$KC_HOME/bin/kc.sh" start --optimized --cache=local \
    --http-enabled=true --hostname-strict=false --http-host=127.0.0.1 --http-port="$KC_PORT" \
    > "$RUN/kc.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$RUN/kc.sh.pid"
  for _ in $(seq 1 1800); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$KC_PORT/realms/master" || true)
    [ "$code" = 200 ] && break
    alive "$RUN/kc.sh.pid" || { tail -20 "$RUN/kc.log" >&2; die "Keycloak exited: see $RUN/kc.log"; }
    sleep 0.1
  done
  t1=$(date +%s%N)
  flock -u 9; exec 9>&-
  [ "$code" = 200 ] || die "Keycloak gave no 200 within 180 s: see $RUN/kc.log"
  # kc.sh runs the JVM as its child: the measured process is the one that listens
  ss -ltnpH "sport = :$KC_PORT" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2 > "$RUN/kc.pid"
  echo "START_S $(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.2f", d / 1e9}') pid $(cat "$RUN/kc.pid") java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | tr -d '"')"
}

java_major() {
  "$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}'
}

stop() {
  stop_pidfile "$RUN/kc.sh.pid"   # kc.sh passes TERM on to the JVM
  stop_pidfile "$RUN/kc.pid"
}

case "${1:-}" in
  setup) setup ;;
  start) start ;;
  stop) stop ;;
  provision) python3 "$HERE/keycloak.py" provision --users "$NUSERS" && python3 "$HERE/keycloak.py" check ;;
  *) echo "usage: keycloak.sh setup|start|stop|provision" >&2; exit 2 ;;
esac
