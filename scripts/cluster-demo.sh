#!/usr/bin/env bash
# Two ganlab instances behind nginx on loopback (docs/scaling.md), checked end to end:
#   1. instance A (codes A…) and B (codes B…), each with its own data directory; nginx routes by the code's first letter;
#   2. runs are created through nginx (round robin: both instances get some);
#   3. each run's viewers reach its owner through nginx (GET and a WebSocket join), and the other instance does not know it;
#   4. instance A is stopped (SIGTERM) and started again on its directory: its runs come back with their codes, at least
#      their epochs, and their tokens still control them.
# Exits 0 when every check passes. Needs nginx (Debian: nginx-light or nginx; installed here when missing and root)
# and python3-websockets (scripts/install-deps.sh --test).
#   scripts/cluster-demo.sh [--binary PATH]      (default: builds the release binary)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ -x /opt/swift/usr/bin/swift ] && export PATH="/opt/swift/usr/bin:$PATH"
BIN=""
[ "${1:-}" = "--binary" ] && BIN="$2"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  else
    echo "cluster-demo: nginx missing; install it with: apt-get install -y nginx-light" >&2; exit 2
  fi
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
# Debian's python3 has python3-websockets (scripts/install-deps.sh --test); a pyenv python3 on PATH may not.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
if [ -z "$BIN" ]; then
  swift build -c release --product ganlab >/dev/null
  BIN="$(swift build -c release --show-bin-path)/ganlab"
fi

WORK="$(mktemp -d)"
PIDS=()
# stop_pid PID: SIGTERM, then wait (up to 10 s) until it has exited, so a ganlab's shutdown saves are finished before
# anything touches its data directory; SIGKILL only if it hangs. The instances are not children of this shell (they
# start inside $(...)), so `wait` cannot be used: poll.
stop_pid() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
  echo "cluster-demo: process $pid still running 10 s after SIGTERM; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.05; done
}
cleanup() {
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  [ -f "$WORK/nginx.pid" ] && stop_pid "$(cat "$WORK/nginx.pid")"
  [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_instance NAME PORT: ganlab serve on PORT with its own data directory and code prefix; waits for the listening line.
start_instance() {
  local name="$1" port="$2" log="$WORK/$1.log"
  "$BIN" serve --port "$port" --public Public --data-dir "$WORK/data-$name" --code-prefix "$name" --trusted-proxy 127.0.0.1 --log-level warning \
    >>"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 200); do
    grep -q "^ganlab: listening on" "$log" 2>/dev/null && { echo "$pid"; return 0; }
    kill -0 "$pid" 2>/dev/null || { echo "cluster-demo: instance $name exited:" >&2; cat "$log" >&2; return 1; }
    sleep 0.05
  done
  echo "cluster-demo: instance $name did not start" >&2; cat "$log" >&2; return 1
}

PORT_A="$(free_port)"; PORT_B="$(free_port)"; PORT_N="$(free_port)"
PID_A="$(start_instance A "$PORT_A")"; PIDS+=("$PID_A")
PID_B="$(start_instance B "$PORT_B")"; PIDS+=("$PID_B")

mkdir -p "$WORK/nginx"
sed -e "s/127.0.0.1:8081/127.0.0.1:$PORT_A/g" -e "s/127.0.0.1:8082/127.0.0.1:$PORT_B/g" -e "s/listen 8080;/listen 127.0.0.1:$PORT_N;/" \
  deploy/nginx/ganlab-cluster.conf >"$WORK/nginx/ganlab.conf"
cat >"$WORK/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx/access.log;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy; fastcgi_temp_path $WORK/nginx/fcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  include $WORK/nginx/ganlab.conf;
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" &
PIDS+=($!)

echo "cluster-demo: instance A :$PORT_A, instance B :$PORT_B, nginx :$PORT_N (work dir $WORK)"
set +e
"$PY" - "$PORT_N" "$PORT_A" "$PORT_B" "$WORK/state.json" <<'PY'
import asyncio, json, sys, time, urllib.request, urllib.error
import websockets

nginx, port_a, port_b, state_path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def http(port, method, path, body=None, token=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, None

def wait_for(condition, what, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if condition(): return
        time.sleep(0.05)
    sys.exit(f"cluster-demo: FAILED waiting for {what}")

wait_for(lambda: http(nginx, "GET", "/healthz")[0] == 200, "nginx")
runs = []
for seed in range(1, 7):
    status, body = http(nginx, "POST", "/api/runs", {"preset": "ring", "seed": seed, "playing": True})
    assert status == 201, f"create through nginx: {status}"
    runs.append(body)
owners = sorted({r["code"][0] for r in runs})
print("created through nginx:", ", ".join(r["code"] for r in runs))
assert owners == ["A", "B"], f"runs should land on both instances, got prefixes {owners}"

async def join(code, token=None):
    async with websockets.connect(f"ws://127.0.0.1:{nginx}/ws/runs/{code}", origin=f"http://127.0.0.1:{nginx}") as ws:
        hello = json.loads(await ws.recv())
        assert hello["type"] == "hello" and hello["code"] == code, hello
        role = "viewer"
        if token:
            await ws.send(json.dumps({"type": "auth", "token": token, "id": 1}))
            while True:
                m = await ws.recv()
                if isinstance(m, str) and json.loads(m).get("type") in ("ack", "error"):
                    role = json.loads(m).get("role", "refused"); break
        return role

for r in runs:
    code = r["code"]
    own, other = (port_a, port_b) if code[0] == "A" else (port_b, port_a)
    assert http(nginx, "GET", f"/api/runs/{code}")[0] == 200, f"{code} through nginx"
    assert http(own, "GET", f"/api/runs/{code}")[0] == 200, f"{code} on its owner"
    assert http(other, "GET", f"/api/runs/{code}")[0] == 404, f"{code} must not exist on the other instance"
    assert asyncio.run(join(code)) == "viewer"
print("every run's viewers reach its owner through nginx (HTTP and WebSocket)")

wait_for(lambda: all((http(nginx, "GET", f"/api/runs/{r['code']}")[1] or {}).get("epoch", 0) > 0 for r in runs), "training")
epochs = {r["code"]: http(nginx, "GET", f"/api/runs/{r['code']}")[1]["epoch"] for r in runs}
json.dump({"runs": runs, "epochs": epochs}, open(state_path, "w"))
PY
RC=$?
[ "$RC" -eq 0 ] || exit "$RC"

echo "cluster-demo: restarting instance A (SIGTERM, then the same data directory)"
kill -TERM "$PID_A"
for _ in $(seq 1 100); do kill -0 "$PID_A" 2>/dev/null || break; sleep 0.05; done
kill -0 "$PID_A" 2>/dev/null && { echo "cluster-demo: FAILED: instance A still running 5 s after SIGTERM" >&2; exit 1; }
PID_A="$(start_instance A "$PORT_A")"; PIDS+=("$PID_A")

"$PY" - "$PORT_N" "$WORK/state.json" <<'PY'
import asyncio, json, sys, time, urllib.request, urllib.error
import websockets
nginx, state = int(sys.argv[1]), json.load(open(sys.argv[2]))
def get(path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{nginx}{path}", timeout=10) as r: return r.status, json.loads(r.read())
    except Exception as e: return 0, None
deadline = time.time() + 20
for r in state["runs"]:
    code = r["code"]
    while True:
        status, body = get(f"/api/runs/{code}")
        if status == 200: break
        if time.time() > deadline: sys.exit(f"cluster-demo: FAILED: {code} did not come back")
        time.sleep(0.05)
    assert body["epoch"] >= state["epochs"][code], f"{code}: epoch {body['epoch']} < {state['epochs'][code]} before the restart"
async def auth(code, token):
    async with websockets.connect(f"ws://127.0.0.1:{nginx}/ws/runs/{code}", origin=f"http://127.0.0.1:{nginx}") as ws:
        await ws.recv()
        await ws.send(json.dumps({"type": "auth", "token": token, "id": 1}))
        while True:
            m = await ws.recv()
            if isinstance(m, str):
                m = json.loads(m)
                if m.get("type") in ("ack", "error"): return m.get("role")
for r in state["runs"]:
    assert asyncio.run(auth(r["code"], r["token"])) == "controller", f"{r['code']}: token no longer controls"
print("after the restart every run is back (same code, epoch at least as before) and its token still controls it")
PY
RC=$?
[ "$RC" -eq 0 ] && echo "cluster-demo: 1 passed, 0 failed" || echo "cluster-demo: 0 passed, 1 failed"
exit "$RC"
