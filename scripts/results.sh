#!/usr/bin/env bash
# Re-measures the results table of the README on this machine: fetches and prepares each corpus, trains its
# config (or continues it: a run directory that exists is resumed, and a finished one is left as it is, so an
# interrupted sweep picks up where it stopped), evaluates on the test split, and writes what the README quotes
# under docs/results/NAME/: test.json (`transformer evaluate --json`), info.txt (`transformer info` of the evaluated
# checkpoint: size, its step and time), last.json (the run's last metrics record: the step and the training time
# it ended at) and the curves against training time as PNG.
#
#   scripts/results.sh [reverse|spam|g2p|brown|cedict|all]...     (default: all, in that order)
#
# Each experiment wants the machine to itself: its training budget (max_time) is wall-clock time.
# Environment: RUNS (default runs, the directories the README's commands name) is where the run directories go.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-runs}"
cli=./transformer

say() { printf '\n== %s  %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

train() { # run-name config-or-empty [train options…]: trains into $runs/NAME, or continues it
  local name=$1 config=$2
  shift 2
  local dir="$runs/$name"
  if [[ -f "$dir/config.yaml" ]]; then
    say "$name: continuing $dir (a finished run stays as it is)"
    "$cli" train --resume "$dir" "$@"
  else
    say "$name: training ${config:-the built-in default experiment} into $dir"
    rm -rf "$dir"   # a start that failed before its config was written
    "$cli" train ${config:+"$config"} --run-dir "$dir" "$@"
  fi
}

record() { # name checkpoint [evaluate options…]: test metrics, facts and curves into docs/results/NAME
  local name=$1 checkpoint=$2
  shift 2
  local out="docs/results/$name"
  mkdir -p "$out"
  say "$name: evaluating $checkpoint on the test split $*"
  "$cli" evaluate "$checkpoint" --json "$@" | tail -n 1 > "$out/test.json"
  cat "$out/test.json" >&2
  "$cli" info "$checkpoint" > "$out/info.txt"
  tail -n 1 "${checkpoint%%/checkpoints/*}/metrics.jsonl" > "$out/last.json"
  "$cli" plot "${checkpoint%%/checkpoints/*}" --x time --format png --output "$out" >/dev/null
}

reverse() {
  train reverse ""
  record reverse "$runs/reverse"
}

spam() {
  scripts/fetch-data.sh brown && scripts/fetch-data.sh spamassassin
  train spam-mlm-pretrain configs/spam-mlm-pretrain.yaml
  record spam-mlm-pretrain "$runs/spam-mlm-pretrain"
  # The classifiers take the pre-training's tokenizer and weights by the path their configs name.
  if [[ "$(realpath -m "$runs")" != "$(realpath -m runs)" ]]; then
    mkdir -p runs && ln -sfn "$(realpath "$runs/spam-mlm-pretrain")" runs/spam-mlm-pretrain
  fi
  train spam-finetune configs/spam-finetune.yaml
  record spam-finetune "$runs/spam-finetune"
  train spam-scratch configs/spam-scratch.yaml
  record spam-scratch "$runs/spam-scratch"
}

g2p() {
  scripts/fetch-data.sh cmudict
  train cmudict-g2p configs/cmudict-g2p.yaml --nproc 2
  "$cli" average "$runs/cmudict-g2p" --last 3 >&2
  record cmudict-g2p "$runs/cmudict-g2p/checkpoints/average-last-3" --beam 5
}

brown() {
  scripts/fetch-data.sh brown
  train brown-lm configs/brown-lm.yaml
  record brown-lm "$runs/brown-lm"
}

cedict() {
  scripts/fetch-data.sh cedict
  train cedict-zh-en configs/cedict-zh-en.yaml --nproc 2
  record cedict-zh-en "$runs/cedict-zh-en" --no-repeat-ngram-size 2   # chosen on valid: plain greedy loops
}

experiments=("$@")
if [[ ${#experiments[@]} -eq 0 || ${experiments[0]} == all ]]; then experiments=(reverse spam g2p brown cedict); fi
for e in "${experiments[@]}"; do
  case $e in
    reverse | spam | g2p | brown | cedict) "$e" ;;
    *) echo "usage: scripts/results.sh [reverse|spam|g2p|brown|cedict|all]..." >&2; exit 2 ;;
  esac
done
