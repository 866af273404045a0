#!/usr/bin/env bash
# Builds and runs the codec throughput benchmark (swiftc -O over Sources/WebServer/HTTP and WebSocket).
# Usage: Benchmarks/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${TMPDIR:-/tmp}/ganlab-codecbench"
swiftc -O -wmo -parse-as-library -module-name CodecBench -I Sources/CSHA1 -lcrypto -I Sources/CZlib -lz \
  Sources/WebServer/HTTP/*.swift Sources/WebServer/WebSocket/*.swift Benchmarks/CodecBench/main.swift \
  -o "$OUT"
"$OUT"
