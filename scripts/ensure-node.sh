#!/usr/bin/env bash
# Prints the bin directory of a Node.js the project can run on (24.9 or newer: Jest's require() of
# ESM-only packages needs it), installing the pinned Node 24 LTS into .tools/node (git-ignored)
# first when the `node` on PATH is older.
#
#   export PATH="$(scripts/ensure-node.sh):$PATH"    # then node, npm, npx all run on Node 24
#
# The binary comes from the npm package node-<os>-<arch> (a plain tarball: `npm pack` checks its
# integrity, no install scripts run). npm itself is whichever npm is on PATH; its launcher is
# `#!/usr/bin/env node`, so with this directory first it runs on this Node too.
set -euo pipefail

NODE_VERSION=24.21.0
MIN_MAJOR=24
MIN_MINOR=9

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/node"

# 1 when the given node is at least MIN_MAJOR.MIN_MINOR, else 0 (also when it does not run).
recent_enough() {
  "$1" -p "const [a, b] = process.versions.node.split('.').map(Number); +(a > $MIN_MAJOR || (a === $MIN_MAJOR && b >= $MIN_MINOR))" 2>/dev/null || echo 0
}

if current="$(command -v node)" && [ "$(recent_enough "$current")" = 1 ]; then
  dirname "$current"
  exit 0
fi

if [ -x "$dest/bin/node" ] && [ "$("$dest/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  echo "$dest/bin"
  exit 0
fi

case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "ensure-node: no Node $NODE_VERSION package for $(uname -s); install Node $MIN_MAJOR (see .nvmrc)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: no Node $NODE_VERSION package for $(uname -m); install Node $MIN_MAJOR (see .nvmrc)" >&2; exit 1 ;;
esac

echo "ensure-node: installing Node $NODE_VERSION ($os-$arch) into .tools/node" >&2
mkdir -p "$root/.tools"
tmp="$(mktemp -d "$root/.tools/.node-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
tarball="$(cd "$tmp" && npm pack --silent "node-$os-$arch@$NODE_VERSION")"
mkdir -p "$tmp/x"
tar -xzf "$tmp/$tarball" -C "$tmp/x"
rm -rf "$dest"
mv "$tmp/x/package" "$dest"

if [ "$("$dest/bin/node" --version)" != "v$NODE_VERSION" ]; then
  echo "ensure-node: $dest/bin/node does not report v$NODE_VERSION" >&2
  exit 1
fi
echo "$dest/bin"
