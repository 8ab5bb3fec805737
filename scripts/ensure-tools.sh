#!/usr/bin/env bash
# Makes sure the tools that build and test Berth are present: the .NET SDK named in global.json,
# and Node.js with npm for the client compatibility tests. Installs from Debian's packages what
# Debian has; the .NET SDK comes with the machine image, so its absence is reported, not fixed.
set -euo pipefail

say() { printf 'ensure-tools: %s\n' "$*" >&2; }

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET SDK is missing: install .NET SDK $(grep -o '"version": *"[^"]*"' "$(dirname "$0")/../global.json" | cut -d'"' -f4) and run again"
  exit 1
fi

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]} > 0)); then
  [[ $(id -u) == 0 ]] || { say "missing ${missing[*]}; run as root to install them"; exit 1; }
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
