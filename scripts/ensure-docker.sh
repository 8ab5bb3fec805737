#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for Berth and its tests.
#
# Idempotent; run as root on Debian. Installs docker.io, mmdebstrap and iptables when they are
# missing, and starts dockerd in the background when the socket does not answer (machines
# without systemd have nobody else to start it). Exits non-zero, saying why, when the engine
# still does not answer after BERTH_DOCKER_WAIT_SECONDS (default 60).
set -euo pipefail

log_file="${BERTH_DOCKERD_LOG:-/var/log/berth-dockerd.log}"
wait_seconds="${BERTH_DOCKER_WAIT_SECONDS:-60}"

say() { printf 'ensure-docker: %s\n' "$*" >&2; }
fail() { say "$*"; exit 1; }

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

install_missing_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
  command -v iptables >/dev/null 2>&1 || missing+=(iptables)
  # The base image is made from the Debian archive, checked against Debian's keys.
  [[ -e /usr/share/keyrings/debian-archive-keyring.gpg ]] || missing+=(debian-archive-keyring)
  ((${#missing[@]} == 0)) && return 0

  [[ $(id -u) == 0 ]] || fail "missing ${missing[*]}; run this script as root to install them"
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

dockerd_pid=""

dockerd_running() {
  [[ -f /var/run/docker.pid ]] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null
}

start_dockerd() {
  if dockerd_running; then
    say "dockerd is running but not answering yet; waiting for it"
    return 0
  fi

  [[ $(id -u) == 0 ]] || fail "the Docker engine is not running; run this script as root to start it"
  say "starting dockerd (log: $log_file)"
  mkdir -p "$(dirname "$log_file")"
  # setsid and nohup detach it from this shell, so it outlives the script and its session.
  setsid nohup dockerd >>"$log_file" 2>&1 </dev/null &
  dockerd_pid=$!
}

show_log_and_fail() {
  say "$1; last lines of $log_file:"
  tail -n 20 "$log_file" >&2 2>/dev/null || true
  exit 1
}

wait_for_engine() {
  local deadline=$((SECONDS + wait_seconds))
  until engine_answers; do
    if [[ -n $dockerd_pid ]] && ! kill -0 "$dockerd_pid" 2>/dev/null; then
      show_log_and_fail "dockerd exited at start"
    fi
    if ((SECONDS >= deadline)); then
      show_log_and_fail "the Docker engine did not answer within ${wait_seconds}s"
    fi
    sleep 1
  done
}

install_missing_packages
if engine_answers; then
  exit 0
fi

start_dockerd
wait_for_engine
say "the Docker engine answers"
