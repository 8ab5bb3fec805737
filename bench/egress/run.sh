#!/usr/bin/env bash
# Measures the egress gateway: a 100 MiB download from inside a sandbox whose only way out is the
# gateway, next to the same download from this machine directly, and the time to the first byte
# of a one-byte file both ways (what the gateway adds to a connection). The server it downloads
# from runs on a loopback address of this machine, named download.test through the gateway's
# hosts map; nothing leaves the machine. Removes its server, sandbox, networks and files when done.
# Targets: throughput at least 0.7x the direct download; at most 2 ms added at p50.
# Exit code: 0 every target met, 1 a target missed, 2 the bench could not measure.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Each download takes a tenth of a second or so, so single rounds vary; the median of many holds.
rounds="${ROUNDS:-25}"
probes="${PROBES:-50}"

fail() { echo "bench/egress: $*" >&2; exit 2; }
say() { echo "bench/egress: $*" >&2; }

scripts/ensure-docker.sh || fail "no Docker engine"
command -v python3 >/dev/null 2>&1 || fail "python3 is needed for the test download server"
out=artifacts/bench/egress
dotnet build src/Berth.Cli -c Release -o "$out/berth" --nologo -v quiet -clp:ErrorsOnly >&2 || fail "berth does not build"

work="$(mktemp -d /tmp/berth-bench-egress.XXXXXX)"
instance="bench-egress-$(basename "$work" | tr -dc 'a-zA-Z0-9' | tail -c 6 | tr 'A-Z' 'a-z')"
address="127.$((RANDOM % 200 + 20)).$((RANDOM % 200 + 20)).1"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  local label="label=berth.instance=$instance"
  docker ps -aq --filter "$label" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network ls -q --filter "$label" | xargs -r docker network rm >/dev/null 2>&1 || true
  docker images -q --filter "$label" | sort -u | xargs -r docker rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

say "files and a download server on $address:80"
mkdir -p "$work/www"
head -c $((100 * 1024 * 1024)) /dev/urandom >"$work/www/big.bin"
printf x >"$work/www/one.bin"
python3 -m http.server 80 --bind "$address" --directory "$work/www" >"$work/www.log" 2>&1 &
pids+=($!)

say "berth serve on $url (instance $instance)"
env BERTH__Runtime__InstanceName="$instance" "BERTH__Egress__HostsMap__download.test=$address" \
  Logging__LogLevel__Default=Warning \
  dotnet "$out/berth/berth.dll" serve --urls "$url" --data-dir "$work/data" >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fs "$url/healthz" >/dev/null || fail "berth serve did not start: $(tail -n 5 "$work/serve.log")"

berth() { BERTH_URL="$url" BERTH_TOKEN="$(cat "$work/data/admin-token")" dotnet "$out/berth/berth.dll" "$@"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
environment=$(berth env create bench-egress --network limited --allow-host download.test --json | json '["id"]')

# The sandbox gets as many CPUs as the machine, like the direct download beside it: the
# default of one would measure the sandbox's limit, not the gateway.
session=$(curl -fsS -X POST "$url/v1/sessions" -H "Authorization: Bearer $(cat "$work/data/admin-token")" \
  -d "{\"environment_id\":\"$environment\",\"resources\":{\"cpus\":$(nproc)}}" | json '["id"]')
[[ -n $session ]] || fail "no session started"
for _ in $(seq 1 600); do
  [[ $(berth session get "$session" --json | json '["status"]') == idle ]] && break
  sleep 0.5
done

download='curl -sS -o /dev/null -w "%{speed_download}\n"'
# Name resolution is left out: the direct side connects to an address and resolves nothing.
first_byte='curl -sS -o /dev/null -w "%{time_namelookup} %{time_starttransfer}\n"'

say "$rounds downloads of 100 MiB each way, alternating"
: >"$work/through.txt"; : >"$work/direct.txt"
for _ in $(seq 1 "$rounds"); do
  berth exec "$session" -- "$download http://download.test/big.bin" >>"$work/through.txt"
  eval "$download http://$address/big.bin" >>"$work/direct.txt"
done

say "$probes first-byte times each way"
berth exec "$session" -- "for i in \$(seq 1 $probes); do $first_byte http://download.test/one.bin; done" \
  | awk '{ print $2 - $1 }' >"$work/through-ttfb.txt"
for _ in $(seq 1 "$probes"); do eval "$first_byte http://$address/one.bin"; done \
  | awk '{ print $2 - $1 }' >"$work/direct-ttfb.txt"

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
through=$(median "$work/through.txt")
direct=$(median "$work/direct.txt")
through_ttfb=$(median "$work/through-ttfb.txt")
direct_ttfb=$(median "$work/direct-ttfb.txt")

awk -v t="$through" -v d="$direct" -v tt="$through_ttfb" -v dt="$direct_ttfb" -v r="$rounds" -v p="$probes" 'BEGIN {
  ratio = t / d; added = (tt - dt) * 1000
  printf "\n%-44s %12s %12s\n", "", "gateway", "direct"
  printf "%-44s %12.1f %12.1f\n", "100 MiB download, median of " r " (MiB/s)", t / 1048576, d / 1048576
  printf "%-44s %12.2f %12.2f\n", "first byte after the name, p50 of " p " (ms)", tt * 1000, dt * 1000
  printf "\n%-56s %s\n", sprintf("throughput gateway/direct   %.2fx   target >= 0.7x", ratio), (ratio >= 0.7 ? "PASS" : "MISS")
  printf "%-56s %s\n", sprintf("added at first byte, p50    %.2f ms   target < 2 ms", added), (added < 2 ? "PASS" : "MISS")
  exit (ratio >= 0.7 && added < 2) ? 0 : 1
}'
