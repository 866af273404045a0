#!/usr/bin/env bash
# Side-by-side runs of `ganlab bench` and the JAX peer on one core, alternated so both see the same load.
#   Benchmarks/peers/compare.sh [rounds] [cases...]     e.g. compare.sh 5 default medium large
# CORE=n pins both to core n (default 0). Needs a release build (.build/release/ganlab) and a Python with jax (PYTHON=/path/to/python3).
# Prints every run's JSON line, then per case the median epochs/s (wall and CPU) of each side.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}; shift || true
cases=${*:-default medium large}
python=${PYTHON:-python3}
export XLA_FLAGS="--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
log=$(mktemp)
for case in $cases; do
  seconds=3; [ "$case" = large ] && seconds=8
  for _ in $(seq "$rounds"); do
    taskset -c "${CORE:-0}" .build/release/ganlab bench --json --only "$case" --seconds "$seconds" | grep "\"name\":\"$case\"" | sed 's/^/ganlab /' | tee -a "$log"
    taskset -c "${CORE:-0}" "$python" Benchmarks/peers/jax_peer.py --case "$case" --seconds "$seconds" 2>/dev/null | sed 's/^/jax /' | tee -a "$log"
  done
done
"$python" - "$log" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, text = line.split(" ", 1)
    r = json.loads(text)
    rows.setdefault((r["name"], side), []).append(r)
for (name, side), runs in sorted(rows.items()):
    wall = statistics.median(r["epochs_per_s"] for r in runs)
    cpu = statistics.median(r["cpu_epochs_per_s"] for r in runs)
    print(f"{name:8} {side:7} median epochs/s {wall:10.1f}   per CPU-second {cpu:10.1f}   ({len(runs)} runs)")
PY
rm -f "$log"
