#!/usr/bin/env bash
# Measures the environments API against a bare Kestrel endpoint on this machine: builds berth and
# the bench in Release, then runs every phase once (about a minute; it stops by itself and
# removes its servers and temporary folders). Extra arguments go to the bench, for example
# --duration 5, or --server-env Logging__LogLevel__Default=Warning to compare a configuration.
# Exit code: 0 every target met, 1 a target missed, 2 the bench could not measure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "bench/api/run.sh: the .NET SDK is missing (see global.json for the version)" >&2
  exit 2
fi

# Its own output folders: another bench may be running a server from a shared one, and a build
# must not overwrite the files of a running server.
out=artifacts/bench/api
dotnet build src/Berth.Cli -c Release -o "$out/berth" --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/api -c Release -o "$out/bench" --nologo -v quiet -clp:ErrorsOnly

# The bench bounds itself; the outer limit only catches a hang in the bench itself. SIGTERM
# lets it stop its servers and remove its folders before it exits.
exec timeout --signal=TERM --kill-after=30 900 \
  dotnet "$out/bench/Berth.Bench.Api.dll" --berth "$out/berth/berth.dll" "$@"
