#!/usr/bin/env bash
# Times Berth's cold image builds against `docker build --no-cache` of the equivalent Dockerfile,
# and the answer to a cache hit. Builds berth and the bench in Release, starts `berth serve` on a
# free port with a temporary store, runs the rounds (5 by default, about 20 s per build on a quiet
# machine), prints a table with PASS/MISS, and removes its server, images and temporary folders.
# Needs a running Docker engine (scripts/ensure-docker.sh), the Debian mirror and the npm registry.
# Extra arguments go to the bench, for example --rounds 7 or --cache-hit-tries 50.
# Exit code: 0 every target met, 1 a target missed, 2 the bench could not measure.
set -euo pipefail
cd "$(dirname "$0")/../.."

fail() {
  echo "bench/build/run.sh: $*" >&2
  exit 2
}

build() {
  dotnet build "$1" -c Release -o "$2" --nologo -v quiet -clp:ErrorsOnly || fail "$1 does not build"
}

command -v dotnet >/dev/null 2>&1 || fail "the .NET SDK is missing (see global.json for the version)"
timeout 10 docker info >/dev/null 2>&1 || fail "no Docker engine answers; start one with scripts/ensure-docker.sh"

out=artifacts/bench
build src/Berth.Cli "$out/berth"
build bench/build "$out/build"

# The bench bounds each build; the outer limit only catches a hang in the bench itself. SIGTERM
# lets it stop its server and remove its images and folders before it exits.
exec timeout --signal=TERM --kill-after=240 3600 \
  dotnet "$out/build/Berth.Bench.Build.dll" --berth "$out/berth/berth.dll" "$@"
