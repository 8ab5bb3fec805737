#!/usr/bin/env bash
# Measures how fast a session is ready for its first command, against the Docker engine doing the
# same through its API: builds berth and the bench in Release, then runs once (a few minutes; it
# removes its servers, sandboxes, networks and images when done). Needs a running Docker engine.
# Extra arguments go to the bench, for example --sessions 20 --bursts 1.
# Exit code: 0 every target met, 1 a target missed, 2 the bench could not measure.
set -euo pipefail
cd "$(dirname "$0")/../.."

scripts/ensure-docker.sh

out=artifacts/bench/sessions
dotnet build src/Berth.Cli -c Release -o "$out/berth" --nologo -v quiet -clp:ErrorsOnly
dotnet build bench/sessions -c Release -o "$out/bench" --nologo -v quiet -clp:ErrorsOnly

exec timeout --signal=TERM --kill-after=30 1800 \
  dotnet "$out/bench/Berth.Bench.Sessions.dll" --berth "$out/berth/berth.dll" "$@"
