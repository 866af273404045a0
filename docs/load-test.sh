#!/usr/bin/env bash
# Load test on loopback: the same static file from ganlab (release) and from nginx (one worker),
# measured with wrk in the same run; then 1,000 idle connections held while a request still answers.
#
#   docs/load-test.sh [DURATION=10s] [CONNECTIONS=50] [THREADS=2]
#   LOAD_FILE=path docs/load-test.sh   serves that file instead of Public/index.html (as index.html)
#   BASELINE_BIN=path/to/ganlab docs/load-test.sh   also measures that binary (e.g. a build of main) in the same
#                                    rounds and memory checks, for a before/after from one run
#
# Needs: wrk and nginx (Debian: apt-get install -y wrk nginx), python3. Traffic stays on 127.0.0.1.
set -eu -o pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-10s}"; CONNECTIONS="${2:-50}"; THREADS="${3:-2}"
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "load-test: apt-get install -y wrk nginx" >&2; exit 2; }

WORK="$(mktemp -d)"; chmod 755 "$WORK"
mkdir -p "$WORK/public"
cp "${LOAD_FILE:-$ROOT/Public/index.html}" "$WORK/public/index.html"
truncate -s 100000000 "$WORK/public/big.bin"   # a sparse 100 MB file for the memory check
chmod -R a+rX "$WORK/public"
FILE_BYTES=$(wc -c < "$WORK/public/index.html")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

cd "$ROOT"
swift build -c release --product ganlab >/dev/null
BIN="$(swift build -c release --show-bin-path)/ganlab"
"$BIN" serve --port 0 --in-memory --public "$WORK/public" --log-level warning >"$WORK/ganlab.log" 2>&1 &
GANLAB_PID=$!
BASE_PID=""
if [ -n "${BASELINE_BIN:-}" ]; then
  "$BASELINE_BIN" serve --port 0 --in-memory --public "$WORK/public" --log-level warning >"$WORK/baseline.log" 2>&1 &
  BASE_PID=$!
fi
NGINX_PORT=$(free_port)
cat >"$WORK/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on; tcp_nopush on; keepalive_requests 100000; keepalive_timeout 65;
  client_body_temp_path $WORK/nginx-body; proxy_temp_path $WORK/nginx-proxy; fastcgi_temp_path $WORK/nginx-fcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi; scgi_temp_path $WORK/nginx-scgi;
  types { text/html html; application/octet-stream bin; }
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/public; }
}
CONF
nginx -c "$WORK/nginx.conf" &
NGINX_PID=$!
cleanup() { kill "$GANLAB_PID" "$NGINX_PID" $BASE_PID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

port_of() {
  local port=""
  for _ in $(seq 1 100); do
    port="$(sed -n 's#^ganlab: listening on http://[^ ]*:\([0-9][0-9]*\)$#\1#p' "$1" | head -n 1)"
    [ -n "$port" ] && break; sleep 0.1
  done
  [ -n "$port" ] || { cat "$1" >&2; exit 1; }
  echo "$port"
}
GANLAB_PORT="$(port_of "$WORK/ganlab.log")"
BASE_PORT=""
[ -n "$BASE_PID" ] && BASE_PORT="$(port_of "$WORK/baseline.log")"
sleep 0.5

rps() { sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'; }
echo "file: index.html ($FILE_BYTES bytes); wrk -t$THREADS -c$CONNECTIONS -d$DURATION; $(nproc) cores"
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "http://127.0.0.1:$GANLAB_PORT/index.html" >/dev/null   # warm-up
wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "http://127.0.0.1:$NGINX_PORT/index.html" >/dev/null
[ -n "$BASE_PORT" ] && wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "http://127.0.0.1:$BASE_PORT/index.html" >/dev/null
# Alternate the servers (ROUNDS times, default 2) so load from other processes hits all alike;
# report every round and the best of each.
G_ALL=""; N_ALL=""; B_ALL=""
for round in $(seq 1 "${ROUNDS:-2}"); do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$GANLAB_PORT/index.html" >"$WORK/wrk-ganlab-$round.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$NGINX_PORT/index.html" >"$WORK/wrk-nginx-$round.txt"
  G_ALL="$G_ALL $(rps <"$WORK/wrk-ganlab-$round.txt")"; N_ALL="$N_ALL $(rps <"$WORK/wrk-nginx-$round.txt")"
  if [ -n "$BASE_PORT" ]; then
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$BASE_PORT/index.html" >"$WORK/wrk-baseline-$round.txt"
    B_ALL="$B_ALL $(rps <"$WORK/wrk-baseline-$round.txt")"
  fi
done
echo "--- ganlab (last round)"; cat "$WORK/wrk-ganlab-${ROUNDS:-2}.txt"
echo "--- nginx, 1 worker (last round)"; cat "$WORK/wrk-nginx-${ROUNDS:-2}.txt"
python3 - "$G_ALL" "$N_ALL" "$B_ALL" <<'PY'
import sys
g = [float(x) for x in sys.argv[1].split()]; n = [float(x) for x in sys.argv[2].split()]
b = [float(x) for x in sys.argv[3].split()]
print("rounds: ganlab " + ", ".join(f"{x:.0f}" for x in g) + " | nginx " + ", ".join(f"{x:.0f}" for x in n)
      + (" | baseline " + ", ".join(f"{x:.0f}" for x in b) if b else ""))
print(f"requests/s (best): ganlab {max(g):.0f}  nginx {max(n):.0f}  ratio {max(g)/max(n):.2f}"
      + (f"  baseline {max(b):.0f} (ratio {max(b)/max(n):.2f})" if b else ""))
PY

echo "--- 1,000 idle connections"
python3 "$ROOT/docs/idle-connections.py" 127.0.0.1 "$GANLAB_PORT" 1000

echo "--- resident memory (ganlab): four 100 MB downloads, then 32 non-reading WebSocket clients x 16 MiB messages"
python3 "$ROOT/docs/load-test-memory.py" "$GANLAB_PID" "$GANLAB_PORT" /big.bin
if [ -n "$BASE_PORT" ]; then
  echo "--- resident memory (baseline $BASELINE_BIN), same checks"
  python3 "$ROOT/docs/load-test-memory.py" "$BASE_PID" "$BASE_PORT" /big.bin
fi
