#!/usr/bin/env bash
# The measured runs of docs/rl.md: every deep RL recipe's target run, 3 seeds each, run from a copy
# of dist/ (so rebuilding while they run changes nothing), JOBS at a time, one thread each.
#   npm run build && JOBS=3 bash scripts/rl-runs.sh [filter]     -> runs/rl/<recipe>-<algo>-s<seed>/
# then: node scripts/rl-curves.mjs (learning curves and the table of docs/rl.md)
set -u
cd "$(dirname "$0")/.."
JOBS=${JOBS:-3}
FILTER=${1:-}
SNAP=runs/rl/dist-$(date +%s)
mkdir -p runs/rl && cp -r dist "$SNAP"
RUNS=(
  "rl-cartpole dqn 10" "rl-cartpole ppo 10" "rl-cartpole a2c 50" "rl-cartpole reinforce 30"
  "rl-mountaincar dqn 12"
)
queue=()
for r in "${RUNS[@]}"; do
  set -- $r
  for seed in 0 1 2; do
    name="$1-$2-s$seed"
    [[ -n "$FILTER" && "$name" != *$FILTER* ]] && continue
    queue+=("$1 $2 $3 $seed $name")
  done
done
run_one() {
  set -- $1
  local out=runs/rl/$5
  rm -rf "$out"
  node "$SNAP/src/cli/main.js" --threads 1 train "$1" --algo "$2" --epochs "$3" --seed "$4" --out "$out" --no-progress > "runs/rl/$5.log" 2>&1
  echo "$(date -u +%H:%M:%S) finished $5 (exit $?)"
}
for job in "${queue[@]}"; do
  while [[ $(jobs -rp | wc -l) -ge $JOBS ]]; do sleep 2; done
  run_one "$job" &
done
wait
