#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds once, runs every test project
# (each starts and stops the Azurite, runner and SMTP server it needs), then prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

scripts/bootstrap.sh --browser || exit 1

results="TestResults"
rm -rf "$results"
dotnet build PocDirectory.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

run_tests() { # project
  dotnet test "$1" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$(basename "$1").trx" --logger "console;verbosity=minimal" --results-directory "$results"
}
# The unit tests first and alone: they are CPU-bound (OpenPGP keys, templates in six languages) and, beside the projects
# that start Azurite, runners and Chromium, they slowed those on two cores until timing-sensitive tests failed.
status=0
run_tests tests/PocDirectory.UnitTests || status=1
# Then every other test project side by side: most of their time is spent waiting on timers, mail and their runners.
pids=()
for project in tests/*Tests; do
  [ "$project" = tests/PocDirectory.UnitTests ] && continue
  run_tests "$project" & pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# What the fault tests survived, from their ledger (tests/PocDirectory.TestSupport/FaultLedger.cs); the count stays last.
summary=$(sed -n 's/^ *"line": *"\(.*\)"$/\1/p' "$results/fault-summary.json" 2>/dev/null)
echo "${summary:-faults: no fault test ran}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
