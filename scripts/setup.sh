#!/usr/bin/env bash
# Installs what is missing (Debian packages, with sudo when not root) and builds the solution.
# Idempotent and fast when nothing is missing or stale. Usage: scripts/setup.sh [--quiet]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quiet=0
[[ "${1:-}" == "--quiet" ]] && quiet=1
say() { [[ $quiet == 1 ]] || echo "setup: $*"; }

packages=(libtorch-dev libopenblas0-pthread libgloo-dev cmake g++ python3-torch python3-numpy)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET SDK (dotnet, version 10) is required and was not found on PATH" >&2
  exit 1
fi

# Rebuild only when a source is newer than the last successful build.
stamp="$root/artifacts/.build-stamp"
if [[ -f "$stamp" ]] && [[ -z "$(find "$root/src" "$root/tests" "$root/Transformer.sln" "$root/Directory.Build.props" \
      \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)" ]]; then
  say "up to date"
  exit 0
fi
say "building (dotnet build -c Release)"
mkdir -p "$root/artifacts"
if ! out=$(dotnet build "$root/Transformer.sln" -c Release -nologo -v quiet 2>&1); then
  echo "$out" | grep -E "error|Error" | sort -u >&2 || echo "$out" >&2
  echo "setup: build failed" >&2
  exit 1
fi
touch "$stamp"
say "done"
