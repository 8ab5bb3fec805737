#!/usr/bin/env bash
# Starts the Berth server: http://127.0.0.1:8080, store under .berth/.
# Installs what a fresh Debian machine lacks, builds, and runs `berth serve` in the foreground.
# Extra arguments go to `berth serve` (for example --urls http://127.0.0.1:9090).
set -euo pipefail
cd "$(dirname "$0")"

scripts/ensure-tools.sh
scripts/ensure-docker.sh || echo "run.sh: no Docker engine; the environments API works, sessions answer 503" >&2

# Under the lock that ./berth takes too, so that the two never build into one folder at once.
mkdir -p artifacts
flock artifacts/.build-lock dotnet build src/Berth.Cli -c Release -o artifacts/berth --nologo -v quiet -clp:ErrorsOnly
exec dotnet artifacts/berth/berth.dll serve "$@"
