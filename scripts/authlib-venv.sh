#!/usr/bin/env bash
# The Python relying party of the OpenID provider's tests (test/oidc-authlib.e2e-spec.ts): a venv
# in .venv-authlib/ (git-ignored) with a pinned authlib, made once, the way scripts/fuzz.sh makes
# schemathesis's. Prints the venv's python. Needs python3 with venv (Debian: python3-venv).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV="$ROOT/.venv-authlib"
AUTHLIB_VERSION=1.9.6
REQUESTS_VERSION=2.32.5
if ! "$VENV/bin/python" -c "import authlib, requests, sys; sys.exit(authlib.__version__ != '$AUTHLIB_VERSION')" 2>/dev/null; then
  echo "authlib-venv: installing authlib $AUTHLIB_VERSION into .venv-authlib/" >&2
  command -v python3 >/dev/null || { echo "authlib-venv: python3 is required" >&2; exit 2; }
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet "authlib==$AUTHLIB_VERSION" "requests==$REQUESTS_VERSION"
fi
echo "$VENV/bin/python"
