#!/usr/bin/env bash
# Starts a real `berth serve` on a free loopback port with an empty store, runs the client
# compatibility suite in tests/compat against it (TAP on stdout), and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

data=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$data"
}
trap cleanup EXIT

dotnet build src/Berth.Cli -c Release -o artifacts/berth --nologo -v quiet -clp:ErrorsOnly >&2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-40000 -n 1)
url="http://127.0.0.1:$port"
# The suite is about the API; image builds would only compete with it for the machine.
BERTH__Runtime__DockerEndpoint="unix://$data/no-docker.sock" \
  dotnet artifacts/berth/berth.dll serve --urls "$url" --data-dir "$data" >"$data/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 1 60); do
  curl -fsS "$url/healthz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 0.5
done

BERTH_URL=$url BERTH_TOKEN=$(cat "$data/admin-token") tests/compat/run.sh --test-reporter=tap
