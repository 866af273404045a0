#!/usr/bin/env python3
"""Opens N idle connections to a server, then measures a normal request's latency while they are held.

usage: idle-connections.py HOST PORT [N=1000]   (loopback only; bounded: one pass, then exits)
Exit 1 when a request fails, or when the server dropped idle connections it should hold.
"""
import json, resource, select, socket, sys, time

host, port = sys.argv[1], int(sys.argv[2])
count = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, count + 100)), hard))

def request(path):
    start = time.perf_counter()
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return (time.perf_counter() - start) * 1000, data

idle = []
t0 = time.perf_counter()
for _ in range(count):
    idle.append(socket.create_connection((host, port), timeout=5))
opened_ms = (time.perf_counter() - t0) * 1000
time.sleep(0.5)
latencies = []
for _ in range(20):
    ms, data = request("/index.html")
    if not data.startswith(b"HTTP/1.1 200"):
        print("request failed:", data[:80]); sys.exit(1)
    latencies.append(ms)
_, health = request("/healthz")
body = json.loads(health.split(b"\r\n\r\n", 1)[1])
readable, _, _ = select.select(idle, [], [], 0)   # a closed idle socket would be readable (EOF)
latencies.sort()
print(f"opened {count} idle connections in {opened_ms:.0f} ms; healthz reports {body['connections']} open")
print(f"request latency with them held: median {latencies[len(latencies)//2]:.2f} ms, max {latencies[-1]:.2f} ms (20 requests)")
print(f"idle connections closed by the server meanwhile: {len(readable)}")
for s in idle:
    s.close()
sys.exit(1 if readable or body["connections"] < count else 0)
