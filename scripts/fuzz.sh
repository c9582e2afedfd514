#!/usr/bin/env bash
# Fuzzing of every file format the framework reads (configs, tokenizer.json, safetensors, checkpoints, prepared
# shards, corpora, source files, data.json): INPUTS mutated files per format, each of which must end in success or
# a typed one-line error, within 5 s and an allocation bound proportional to the input's size.
#   INPUTS=100000 SEED=1 JOBS=<cores> FORMATS=yaml,tokenizer,… scripts/fuzz.sh
# Failures are listed on stderr with the seed that replays one:
#   src/Transformer.Bench/bin/Release/net10.0/Transformer.Bench fuzz --repro FORMAT:SEED
# The last stdout line is one JSON object:
#   {"inputs_per_format": N, "seed": S, "formats": {"yaml": {"inputs", "ok", "typed_errors", "failures"}, …}, "failures": total, "seconds": …}
# The exit status is 0 when there are no failures, 1 otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --quiet
bench="$root/src/Transformer.Bench/bin/Release/net10.0/Transformer.Bench"
args=(fuzz --inputs "${INPUTS:-100000}" --seed "${SEED:-1}" --jobs "${JOBS:-$(nproc)}")
[[ -n "${FORMATS:-}" ]] && args+=(--formats "$FORMATS")
exec "$bench" "${args[@]}"
