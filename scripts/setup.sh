#!/usr/bin/env bash
# Builds the solution when a source changed. Needs only the .NET SDK: the engine (TorchSharp with
# libtorch) comes from NuGet on the first build (once: about 270 MB to download, 1.3 GB in the NuGet cache).
# Usage: scripts/setup.sh [--quiet]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quiet=0
[[ "${1:-}" == "--quiet" ]] && quiet=1
say() { [[ $quiet == 1 ]] || echo "setup: $*"; }

if ! command -v dotnet >/dev/null; then
  echo "setup: the .NET SDK (dotnet, version 10) is required and was not found on PATH — install it from https://dot.net" >&2
  exit 2
fi

# Unicode normalization (the tokenizers' NFC/NFKC) is the runtime's own, ICU on Linux: without libicu every
# program stops at start with "Couldn't find a valid ICU package".
if [[ "$(uname -s)" == Linux ]] && ! { ldconfig -p 2>/dev/null | grep -q 'libicuuc\.so' || compgen -G '/usr/lib*/**/libicuuc.so*' >/dev/null \
      || compgen -G '/usr/lib*/libicuuc.so*' >/dev/null || compgen -G '/usr/lib/*/libicuuc.so*' >/dev/null; }; then
  echo "setup: ICU (libicu) is required and was not found — install it: apt-get install libicu-dev (Debian/Ubuntu), dnf install libicu (Fedora), apk add icu-libs (Alpine)" >&2
  exit 2
fi

# Rebuild only when a source is newer than the last successful build.
stamp="$root/artifacts/.build-stamp"
if [[ -f "$stamp" ]] && [[ -z "$(find "$root/src" "$root/tests" "$root/Transformer.sln" "$root/Directory.Build.props" \
      \( -name bin -o -name obj \) -prune -o -type f -newer "$stamp" -print -quit)" ]]; then
  say "up to date"
  exit 0
fi
if [[ ! -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}/torchsharp-cpu" ]]; then
  echo "setup: restoring packages once (TorchSharp-cpu with libtorch 2.10: about 270 MB to download, 1.3 GB in the NuGet cache)" >&2
fi
echo "setup: building (dotnet build -c Release)" >&2
mkdir -p "$root/artifacts"
if ! out=$(dotnet build "$root/Transformer.sln" -c Release -nologo -v quiet 2>&1); then
  echo "$out" | grep -E "error" | sort -u >&2 || echo "$out" >&2
  echo "setup: build failed" >&2
  exit 1
fi
touch "$stamp"
say "done"
