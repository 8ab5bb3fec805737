#!/usr/bin/env bash
# Times Berth's cold image builds against `docker build --no-cache` of the equivalent Dockerfile,
# and the answer to a cache hit: builds berth and the bench in Release, starts `berth serve` on a
# free port with a temporary store, runs the rounds (a few minutes; about 30 s per build), prints
# a table with PASS/MISS, and removes its server, images and temporary folders.
# Needs a running Docker engine (scripts/ensure-docker.sh) and the Debian mirror and npm registry.
# Extra arguments go to the bench, for example --rounds 5 or --cache-hit-tries 50.
# Exit code: 0 every target met, 1 a target missed, 2 the bench could not measure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "bench/build/run.sh: the .NET SDK is missing (see global.json for the version)" >&2
  exit 2
fi

if ! timeout 10 docker info >/dev/null 2>&1; then
  echo "bench/build/run.sh: no Docker engine answers; start one with scripts/ensure-docker.sh" >&2
  exit 2
fi

out=artifacts/bench
dotnet build src/Berth.Cli -c Release -o "$out/berth" --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/build -c Release -o "$out/build" --nologo -v quiet -clp:ErrorsOnly

# The bench bounds each build; the outer limit only catches a hang in the bench itself. SIGTERM
# lets it stop its server and remove its images and folders before it exits.
exec timeout --signal=TERM --kill-after=120 3600 \
  dotnet "$out/build/Berth.Bench.Build.dll" --berth "$out/berth/berth.dll" "$@"
