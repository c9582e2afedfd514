#!/usr/bin/env bash
# The same set-up as ./transformer, then every test. Ends with the line `N passed, N failed`.
# The PyTorch-reference tests (parity, safetensors interchange) need Debian's python3-torch, the report test
# renders a page in Debian's headless chromium, the plot tests draw text with DejaVu, and the data-parallel tests
# run two ranks under Open MPI's mpirun: they are installed here when missing (apt-get, with sudo when not root).
# Nothing else needs apt.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(python3-torch python3-numpy chromium fonts-dejavu-core openmpi-bin libopenmpi-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "test: installing ${missing[*]} (the PyTorch reference for parity tests; a browser for the report test; Open MPI for data-parallel training)"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
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
