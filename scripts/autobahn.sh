#!/usr/bin/env bash
# Runs the Autobahn|Testsuite fuzzing client against `ganlab serve`'s /ws/echo.
#
#   scripts/autobahn.sh [quick|full|compression|CASES]
#
#   quick (default, what CI runs): everything but 9.* (performance) and, of 12/13 (permessage-deflate),
#     every data set and every negotiation variant with messages of 16–1024 bytes (12.*.1–4, 13.*.1–4: 48
#     cases of 1000 messages each); the larger compression cases push ~11 GB through the Python client.
#   compression: all of 12 and 13.   full: every case (hours on a loaded 2-core machine; the wstest time
#     limit is raised to AUTOBAHN_TIMEOUT=14400 s unless set).
#
# Builds the release binary, starts `ganlab serve --port 0`, reads the port from its
# "ganlab: listening on http://HOST:PORT" line, runs ../shared/tools/autobahn/run.sh, stops the
# server (SIGTERM, which also checks graceful shutdown), and exits non-zero when any case FAILED.
# Env: AUTOBAHN_TOOLS (default: ../shared/tools/autobahn beside the repo, or /work/shared/tools/autobahn).
set -eu -o pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-quick}"
TOOLS="${AUTOBAHN_TOOLS:-}"
for candidate in "$ROOT/../shared/tools/autobahn" "/work/shared/tools/autobahn"; do
  [ -z "$TOOLS" ] && [ -x "$candidate/run.sh" ] && TOOLS="$candidate"
done
[ -n "$TOOLS" ] || { echo "autobahn.sh: shared/tools/autobahn not found (set AUTOBAHN_TOOLS)" >&2; exit 2; }

bash "$TOOLS/setup.sh" >&2
cd "$ROOT"
swift build -c release --product ganlab >/dev/null
BIN="$(swift build -c release --show-bin-path)/ganlab"

LOG="$(mktemp)"
"$BIN" serve --port 0 --in-memory --log-level warning >"$LOG" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; rm -f "$LOG"; }
trap cleanup EXIT

PORT=""
for _ in $(seq 1 100); do
  PORT="$(sed -n 's#^ganlab: listening on http://[^ ]*:\([0-9][0-9]*\)$#\1#p' "$LOG" | head -n 1)"
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$LOG" >&2; exit 2; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "autobahn.sh: server did not report its port" >&2; cat "$LOG" >&2; exit 2; }

large_compression_cases() { for i in $(seq 5 18); do printf '12.*.%s,13.*.%s,' "$i" "$i"; done; }
CASES="$MODE"; EXTRA_EXCLUDE=""
case "$MODE" in
  quick) CASES="*"; EXTRA_EXCLUDE="9.*,$(large_compression_cases)" ;;
  compression) CASES="12.*,13.*" ;;
  full) export AUTOBAHN_TIMEOUT="${AUTOBAHN_TIMEOUT:-14400}" ;;
esac

set +e
EXCLUDE="${EXCLUDE:+$EXCLUDE,}${EXTRA_EXCLUDE%,}" AUTOBAHN_REPORTS="${AUTOBAHN_REPORTS:-$ROOT/autobahn-reports}" \
  bash "$TOOLS/run.sh" "ws://127.0.0.1:$PORT/ws/echo" "$CASES"
RC=$?
set -e

# Graceful shutdown must finish (exit 0) within 2 s of SIGTERM.
kill -TERM "$PID"
for _ in $(seq 1 20); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$PID" 2>/dev/null; then echo "autobahn.sh: server still running 2 s after SIGTERM" >&2; RC=1; fi
wait "$PID"; SERVER_RC=$?
[ "$SERVER_RC" -eq 0 ] || { echo "autobahn.sh: server exited with $SERVER_RC after SIGTERM" >&2; RC=1; }
trap - EXIT; rm -f "$LOG"
exit "$RC"
