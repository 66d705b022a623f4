#!/usr/bin/env bash
# Fails when client/schema.d.ts (the types openapi-typescript generates from the OpenAPI document,
# checked in for the generated-client spec and for front-end teams to compare against) no longer
# matches the document in openapi.json, so a route or DTO change that breaks the types fails CI
# instead of the first front end that regenerates.
#
#   npm run client:check      (builds openapi.json first; npm run client:generate fixes a failure)
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f openapi.json ] || { echo "client types: openapi.json is missing (npm run openapi)" >&2; exit 2; }
fresh="$(mktemp --suffix=.d.ts)"
trap 'rm -f "$fresh"' EXIT
node_modules/.bin/openapi-typescript openapi.json --output "$fresh" >/dev/null # errors on stderr

if diff -u --label client/schema.d.ts --label 'generated from openapi.json' client/schema.d.ts "$fresh" >"$fresh.diff"; then
  echo "client types: client/schema.d.ts matches the OpenAPI document"
  rm -f "$fresh.diff"
else
  echo "client types: client/schema.d.ts is out of date with the OpenAPI document; run" >&2
  echo "  npm run client:generate" >&2
  echo "and commit the result (check the diff: a removed or changed type breaks front ends). The first 80 lines of it:" >&2
  head -n 80 "$fresh.diff" >&2
  rm -f "$fresh.diff"
  exit 1
fi
