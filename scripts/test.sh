#!/usr/bin/env bash
# The same set-up as ./transformer, then every test. Ends with the line `N passed, N failed`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"

results="$root/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test "$root/Transformer.sln" -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?

passed=0; failed=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if ((status != 0 && failed == 0)); then failed=1; fi  # the runner itself failed (crash, build error)
echo "${passed} passed, ${failed} failed"
((failed == 0 && passed > 0))
