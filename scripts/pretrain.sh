#!/usr/bin/env bash
# Regenerates Pretrained/*.ganrun: for every preset, one run trained from a fixed seed with the lab's defaults
# (docs/run-format.md; loaded by `POST /api/runs {"pretrained": PRESET}` at its trained epoch).
#
#   scripts/pretrain.sh [--binary PATH]
#
# Deterministic: the same release build writes the same bytes (a fixed seed per preset, SOURCE_DATE_EPOCH for the saved
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
mkdir -p Pretrained
# preset:seed — each preset's best of seeds 1-5 at 10,000 epochs, where the lab defaults' schedules end
# (docs/engine.md, "Presets that converge"); history every 200 epochs.
EPOCHS=10000
for entry in line:1 gaussians:1 ring:1 disjoint:1 ring8:1 grid25:2 moons:2 spiral:1 checkerboard:4 interval:4; do
  preset="${entry%%:*}"; seed="${entry##*:}"
  "$BIN" train --preset "$preset" --defaults lab --seed "$seed" --epochs "$EPOCHS" --every $((EPOCHS / 50)) \
    --save "Pretrained/$preset.ganrun" --json >"Pretrained/.$preset.json"
  python3 - "$preset" "Pretrained/.$preset.json" "Pretrained/$preset.ganrun" <<'PY'
import json, os, sys
preset, summary, path = sys.argv[1:]
r = json.load(open(summary))
print(f"{preset:13s} seed {r['seed']} epoch {r['epochs']:6d}  JS {r['js']:.4f} bits (floor {r.get('js_floor', float('nan')):.4f})  {os.path.getsize(path)} bytes")
PY
  rm -f "Pretrained/.$preset.json"
done
