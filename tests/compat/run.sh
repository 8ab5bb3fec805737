#!/usr/bin/env bash
# Runs the SDK wire-compatibility test against a running Berth server.
#
#   BERTH_URL=http://127.0.0.1:8080 BERTH_TOKEN=pt-... tests/compat/run.sh
#
# BERTH_TOKEN must be an admin token (the test deletes what it creates). If it is unset and
# the repository's .berth/admin-token exists, that token is used.
# Extra arguments are passed to `node --test` (e.g. --test-reporter=spec).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ -z "${BERTH_TOKEN:-}" && -f "$here/../../.berth/admin-token" ]]; then
  BERTH_TOKEN="$(tr -d '[:space:]' < "$here/../../.berth/admin-token")"
  export BERTH_TOKEN
fi
: "${BERTH_URL:?set BERTH_URL to the Berth server, e.g. http://127.0.0.1:8080}"
: "${BERTH_TOKEN:?set BERTH_TOKEN to an admin token (pt-...)}"

if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund >&2
fi

exec node --test "$@" environments.test.mjs
