#!/usr/bin/env bash
# Builds and runs one libFuzzer target over the WebServer protocol codecs.
# Usage: Fuzz/run.sh HTTPParserFuzz|WebSocketFrameFuzz [SECONDS]   (default 300 s)
# The sources are compiled directly with swiftc (no SwiftPM): Sources/WebServer/HTTP and WebSocket
# (plus Crypto/Digest.swift; CSHA1 through -I Sources/CSHA1 -lcrypto for the handshake, CZlib through -I Sources/CZlib -lz for permessage-deflate) plus Fuzz/FuzzInput.swift and Fuzz/NAME/main.swift.
# The corpus grows in Fuzz/corpus-NAME/ (gitignored), seeded from Fuzz/seeds-NAME/ (committed);
# crashes are written to Fuzz/build/crash-* and reproduce with `Fuzz/build/NAME Fuzz/build/crash-...`.
set -euo pipefail
NAME="${1:?usage: Fuzz/run.sh HTTPParserFuzz|WebSocketFrameFuzz [SECONDS]}"
DURATION="${2:-300}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -f "Fuzz/$NAME/main.swift" ] || { echo "no fuzz target Fuzz/$NAME/main.swift" >&2; exit 2; }
mkdir -p Fuzz/build "Fuzz/corpus-$NAME"

swiftc -sanitize=fuzzer,address -parse-as-library -O -wmo -module-name "$NAME" \
  -I Sources/CSHA1 -lcrypto -I Sources/CZlib -lz \
  Sources/WebServer/HTTP/*.swift Sources/WebServer/WebSocket/*.swift Sources/WebServer/Crypto/*.swift Fuzz/FuzzInput.swift "Fuzz/$NAME/main.swift" \
  -o "Fuzz/build/$NAME"

# The Swift runtime backtracer symbolicates very slowly under ASan; libFuzzer/ASan print their own stack.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
exec "Fuzz/build/$NAME" "Fuzz/corpus-$NAME" "Fuzz/seeds-$NAME" \
  -max_total_time="$DURATION" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="Fuzz/build/"
