#!/usr/bin/env bash
# Runs every Berth test: the .NET suites (with a real SQLite file and a real Docker engine) and
# the client compatibility suite (the Anthropic TypeScript SDK against a real `berth serve`).
# Installs what a fresh Debian machine lacks. Ends with one line, "N passed, N failed", and
# exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"

results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"
passed=0
failed=0
skipped=0

finish() {
  if ((skipped > 0)); then
    echo "$passed passed, $failed failed, $skipped skipped"
  else
    echo "$passed passed, $failed failed"
  fi
  ((failed == 0))
  exit
}

scripts/ensure-tools.sh || { failed=$((failed + 1)); finish; }
if ! scripts/ensure-docker.sh; then
  echo "test.sh: the Docker engine could not be started; the tests that need it will fail" >&2
fi
scripts/remove-test-leftovers.sh

echo "== build"
if ! dotnet build Berth.slnx -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "test.sh: the build failed" >&2
  failed=$((failed + 1))
  finish
fi

echo "== .NET tests"
dotnet test Berth.slnx -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results/dotnet"
dotnet_status=$?
for trx in "$results"/dotnet/*.trx; do
  [[ -e $trx ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # A skipped test counts in total but not in executed.
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  s=$((${t:-0} - ${e:-0}))
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + s))
done
if ((dotnet_status != 0 && failed == 0)); then
  # A test host that crashed writes no failure counts; the run still failed.
  echo "test.sh: dotnet test exited with $dotnet_status" >&2
  failed=$((failed + 1))
fi

echo "== compatibility tests (Anthropic TypeScript SDK against berth serve)"
scripts/run-compat.sh >"$results/compat.tap" 2>"$results/compat.log"
compat_status=$?
cat "$results/compat.tap"
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$results/compat.tap" | tail -n 1)
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$results/compat.tap" | tail -n 1)
s=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$results/compat.tap" | tail -n 1)
passed=$((passed + ${p:-0}))
failed=$((failed + ${f:-0}))
skipped=$((skipped + ${s:-0}))
if ((compat_status != 0 && ${f:-0} == 0)); then
  echo "test.sh: the compatibility suite did not run cleanly (exit $compat_status):" >&2
  tail -n 30 "$results/compat.log" >&2
  failed=$((failed + 1))
fi

finish
