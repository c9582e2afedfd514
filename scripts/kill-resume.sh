#!/usr/bin/env bash
# kill -9 at random instants across a training run, resuming after each: every resume must succeed and the
# final loss sequence must equal an uninterrupted run's, bit for bit (model, optimizer, RNG and data cursor are
# restored from the last complete checkpoint; a checkpoint half-written when the kill came is never used).
# The instants are drawn from a seed: a quarter at a random time after the process starts (start-up, data,
# checkpoint loading), the rest at a random step — half of those while that step's checkpoint is being written
# (as soon as its hidden temporary directory appears), the others up to 40 ms after the step is logged.
#   scripts/kill-resume.sh        → {"kills": 20, "resumes": 20, "resumes_failed": 0, "kills_during_checkpoint_write": …,
#                                    "steps": 120, "identical": true}
# KILLS (20), STEPS (120), SEED (1); TRANSFORMER_CLI names a built command instead of building (the tests do).
# Exit status 0 only when every resume succeeded and the losses are identical.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli=${TRANSFORMER_CLI:-}
if [[ -z $cli ]]; then
  "$root/scripts/setup.sh" --quiet
  cli="$root/src/Transformer.Cli/bin/Release/net10.0/Transformer.Cli"
fi
kills=${KILLS:-20}
steps=${STEPS:-120}
seed=${SEED:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The built-in experiment, small enough for ~20 steps a second, with a checkpoint every 2 steps.
config=(--set model.d_model=64 --set model.heads=4 --set model.d_ff=256 --set model.encoder_layers=2
  --set model.decoder_layers=2 --set training.batch_tokens=512 --set training.log_every=1 --set training.eval_every=6
  --set checkpoint.every=2 --set checkpoint.keep_last=2 --set training.schedule.warmup_steps=10 --set "training.max_steps=$steps")

losses() { grep '"kind":"train"' "$1/metrics.jsonl" | sed 's/.*"loss":\([^,}]*\).*/\1/'; }
last_step() { tail -n 1 "$1/metrics.jsonl" 2>/dev/null | sed -n 's/.*"step":\([0-9]*\).*/\1/p'; }

echo "kill-resume: the uninterrupted run ($steps steps)" >&2
"$cli" train --run-dir "$work/whole" "${config[@]}" >/dev/null

# Kill plans, one per line: "time SECONDS" or "step N OFFSET_MS"; steps drawn without repetition, in order.
# Each plan has a sort key (its step; a random one for time plans), so the two kinds interleave across the run.
mapfile -t plans < <(awk -v n="$kills" -v steps="$steps" -v seed="$seed" 'BEGIN {
  srand(seed)
  for (i = 0; i < n; i++) {
    if (rand() < 0.25) { printf "%d time %.3f\n", int(rand() * steps), 0.2 + 1.8 * rand(); continue }
    do s = 1 + int(rand() * (steps - 2)); while (s in used || (s + s % 2) in used)
    if (rand() < 0.5) { s += s % 2; used[s] = 1; printf "%d write %d\n", s, s; continue }
    used[s] = 1
    printf "%d step %d %.1f\n", s, s, 40 * rand()
  }
}' | sort -n | cut -d' ' -f2-)

run="$work/killed"
resumes=0 failed=0 during_write=0 done_kills=0
for plan in "${plans[@]}"; do
  read -r kind at offset <<<"$plan"
  if [[ -d $run ]]; then args=(train --resume "$run"); resumes=$((resumes + 1)); else args=(train --run-dir "$run" "${config[@]}"); fi
  "$cli" "${args[@]}" >"$work/out.txt" 2>"$work/err.txt" &
  pid=$!
  if [[ $kind == time ]]; then
    sleep "$at"
  elif [[ $kind == write ]]; then
    # Until the step before is logged, then spin (no sleeping: a write takes milliseconds) until a checkpoint's
    # temporary directory exists.
    while kill -0 "$pid" 2>/dev/null && (( $(last_step "$run" || echo 0) + 0 < at - 1 )); do sleep 0.002; done
    for ((spin = 0; spin < 200000; spin++)); do compgen -G "$run/checkpoints/.step-*" >/dev/null && break; done
  else
    while kill -0 "$pid" 2>/dev/null && (( $(last_step "$run" || echo 0) + 0 < at )); do sleep 0.002; done
    sleep "$(awk -v ms="$offset" 'BEGIN {print ms / 1000}')"
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    # It ended before the kill: fine only if it succeeded (a run can finish before a late instant).
    if ! wait "$pid"; then failed=$((failed + 1)); echo "kill-resume: '${args[*]}' failed: $(tail -n 1 "$work/err.txt")" >&2; fi
    continue
  fi
  kill -9 "$pid"
  wait "$pid" 2>/dev/null || true
  done_kills=$((done_kills + 1))
  if compgen -G "$run/checkpoints/.step-*" >/dev/null; then during_write=$((during_write + 1)); fi
  echo "kill-resume: killed at $kind $at (step $(last_step "$run" || echo 0))" >&2
done
# Resume to the end.
if [[ -d $run ]]; then
  resumes=$((resumes + 1))
  if ! "$cli" train --resume "$run" >"$work/out.txt" 2>"$work/err.txt"; then
    failed=$((failed + 1)); echo "kill-resume: the last resume failed: $(tail -n 1 "$work/err.txt")" >&2
  fi
fi

identical=false
if [[ -f $run/metrics.jsonl ]] && diff <(losses "$work/whole") <(losses "$run") >/dev/null; then identical=true; fi
printf '{"kills": %d, "resumes": %d, "resumes_failed": %d, "kills_during_checkpoint_write": %d, "steps": %d, "identical": %s}\n' \
  "$done_kills" "$resumes" "$failed" "$during_write" "$steps" "$identical"
[[ $failed == 0 && $identical == true ]]
