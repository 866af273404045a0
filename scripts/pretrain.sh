#!/usr/bin/env bash
# Regenerates Pretrained/*.ganrun: for every preset, one run trained from a fixed seed with the lab's defaults
# (docs/run-format.md; loaded by `POST /api/runs {"pretrained": PRESET}` at its trained epoch).
#
#   scripts/pretrain.sh [--binary PATH]
#
# Deterministic: the same release build writes the same bytes (fixed seeds, SOURCE_DATE_EPOCH for the saved
# times, codes derived from the weights). A different build or CPU may differ in the last bits of the weights
# (floating point); the files are still valid and converge the same way. Prints each run's JS and its floor.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
BIN=""
[ "${1:-}" = "--binary" ] && BIN="$2"
if [ -z "$BIN" ]; then
  swift build -c release --product ganlab >/dev/null
  BIN="$(swift build -c release --show-bin-path)/ganlab"
fi
export SOURCE_DATE_EPOCH=1767225600   # 2026-01-01T00:00:00Z
SEED=1
mkdir -p Pretrained
# preset:epochs (the lab defaults' schedules end at 10,000, where docs/engine.md measures them; history every epochs/50)
for entry in line:10000 gaussians:10000 ring:10000 disjoint:10000 ring8:10000 grid25:10000 moons:10000 spiral:10000 \
             checkerboard:10000 interval:10000; do
  preset="${entry%%:*}"; epochs="${entry##*:}"
  "$BIN" train --preset "$preset" --defaults lab --seed "$SEED" --epochs "$epochs" --every $((epochs / 50)) \
    --save "Pretrained/$preset.ganrun" --json >"Pretrained/.$preset.json"
  python3 - "$preset" "Pretrained/.$preset.json" "Pretrained/$preset.ganrun" <<'PY'
import json, os, sys
preset, summary, path = sys.argv[1:]
r = json.load(open(summary))
print(f"{preset:13s} epoch {r['epochs']:6d}  JS {r['js']:.4f} bits (floor {r.get('js_floor', float('nan')):.4f})  {os.path.getsize(path)} bytes")
PY
  rm -f "Pretrained/.$preset.json"
done
