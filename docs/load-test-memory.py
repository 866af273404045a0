#!/usr/bin/env python3
"""Resident memory of a running ganlab server under hostile loads (used by docs/load-test.sh).

  docs/load-test-memory.py PID PORT [BIG_FILE_PATH_ON_SERVER] [CHECKS]

CHECKS (comma-separated, default all): static, flood, bodies.

1. WebSocket flood: 32 clients open /ws/echo, each sends 16 MiB binary messages and never reads (the case
   that took the server from 68 MiB to 1.47 GiB before the memory budget). Reports the server's peak RSS, the
   peak of healthz `buffered_bytes`, how many flood connections the server closed, and the latency of a
   normal request while the flood is held.
2. Four concurrent GETs of a 100 MB static file (read and thrown away). Reports the server's peak RSS.
3. Request bodies: 32 clients each POST 16 MiB to /healthz (answered 405 once read) and then to
   /api/runs/import (junk: refused by the import). Reports the server's peak RSS, the peak of `buffered_bytes`,
   the answers (405/400 for bodies read, 503 for bodies refused at the head), and RSS 1 s and 3 s after it is over.
Only loopback; standard library only.
"""
import os, socket, struct, sys, threading, time, json

PID, PORT = int(sys.argv[1]), int(sys.argv[2])
BIG = sys.argv[3] if len(sys.argv) > 3 else "/big.bin"
CHECKS = (sys.argv[4] if len(sys.argv) > 4 else "static,flood,bodies").split(",")

def rss_mib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

class Peak:
    def __init__(self, sample):
        self.sample, self.value, self.running = sample, 0, True
        self.thread = threading.Thread(target=self.run, daemon=True); self.thread.start()
    def run(self):
        while self.running:
            try: self.value = max(self.value, self.sample())
            except Exception: pass
            time.sleep(0.02)
    def stop(self):
        self.running = False; self.thread.join(); return self.value

def http_get(path, timeout=10):
    s = socket.create_connection(("127.0.0.1", PORT), timeout=timeout)
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk: break
        data += chunk
    s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body

def buffered_bytes():
    _, body = http_get("/healthz", timeout=5)
    return json.loads(body).get("buffered_bytes", 0)   # 0 from servers older than the memory budget

def upgrade(rcvbuf=4096):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.connect(("127.0.0.1", PORT))
    s.sendall(b"GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1)
    assert b" 101 " in head.split(b"\r\n")[0], head
    return s

def binary_frame(size):
    # Masked with the all-zero key (valid; the payload then needs no XOR pass in Python).
    return bytes([0x82, 0x80 | 127]) + struct.pack(">Q", size) + b"\0\0\0\0" + b"\x5a" * size

def flood(clients=32, messages=2, size=16 << 20):
    baseline = rss_mib()
    rss_peak = Peak(rss_mib)
    buffered_peak = Peak(buffered_bytes)
    sockets = [upgrade() for _ in range(clients)]
    frame = binary_frame(size)
    def send_all(s):
        s.settimeout(20)
        try:
            for _ in range(messages): s.sendall(frame)
        except OSError:
            pass   # the server closed it (shed) or stopped reading for good
    threads = [threading.Thread(target=send_all, args=(s,)) for s in sockets]
    for t in threads: t.start()
    time.sleep(3)   # the flood is in place: senders blocked, buffers full
    started = time.time(); http_get("/healthz"); latency = (time.time() - started) * 1000
    for t in threads: t.join(timeout=30)
    time.sleep(1)
    peak, buffered = rss_peak.stop(), buffered_peak.stop()
    closed = 0
    for s in sockets:
        s.setblocking(False)
        try:
            while True:
                chunk = s.recv(1 << 20)
                if not chunk: closed += 1; break
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    for s in sockets: s.close()
    print(f"flood: {clients} clients x {messages} x {size >> 20} MiB, non-reading: server RSS {baseline:.0f} -> peak {peak:.0f} MiB; "
          f"peak buffered_bytes {buffered / 1048576:.1f} MiB (0: not reported); {closed} flood connections closed by the server; "
          f"a normal request meanwhile took {latency:.1f} ms")

def static_file(clients=4):
    head, _ = http_get(BIG.replace("/big.bin", "/index.html"))
    baseline = rss_mib()
    rss_peak = Peak(rss_mib)
    sizes = [0] * clients
    def download(i):
        s = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 256 << 10)
        s.sendall(f"GET {BIG} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        total, head = 0, b""
        while True:
            chunk = s.recv(1 << 20)
            if not chunk: break
            if not head:
                head_end = chunk.find(b"\r\n\r\n")
                head, chunk = chunk[:head_end], chunk[head_end + 4:]
            total += len(chunk)
        sizes[i] = total
        s.close()
    started = time.time()
    threads = [threading.Thread(target=download, args=(i,)) for i in range(clients)]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.time() - started
    peak = rss_peak.stop()
    print(f"static: {clients} concurrent GETs of {BIG} ({sizes[0] / 1e6:.0f} MB each, all complete: {len(set(sizes)) == 1}) in {elapsed:.1f} s: "
          f"server RSS {baseline:.0f} -> peak {peak:.0f} MiB (+{peak - baseline:.0f})")

def body_flood(path, clients=32, size=16 << 20):
    """Each client sends its head and body at once (no Expect: 100-continue), then reads the answer."""
    baseline = rss_mib()
    rss_peak = Peak(rss_mib)
    buffered_peak = Peak(buffered_bytes)
    statuses = [None] * clients
    body = b"\x5a" * (1 << 20)
    def upload(i):
        s = socket.create_connection(("127.0.0.1", PORT), timeout=60)
        try:
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                      f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode())
            try:
                for _ in range(size >> 20): s.sendall(body)
            except OSError:
                pass   # refused at the head: the server answered and stopped reading
            data = b""
            try:
                while b"\r\n" not in data:
                    chunk = s.recv(4096)
                    if not chunk: break
                    data += chunk
            except OSError:
                pass
            line = data.split(b"\r\n", 1)[0].split()
            statuses[i] = int(line[1]) if len(line) > 1 else "reset"
        finally:
            s.close()
    started = time.time()
    threads = [threading.Thread(target=upload, args=(i,)) for i in range(clients)]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.time() - started
    deadline = time.time() + 10
    while buffered_bytes() != 0 and time.time() < deadline: time.sleep(0.05)
    time.sleep(1)   # the server's sweep (every 0.25 s at most) hands freed memory back after a burst ...
    after = rss_mib()
    time.sleep(2)   # ... and once more 2 s later, for what handlers freed after the count fell
    later = rss_mib()
    peak, buffered = rss_peak.stop(), buffered_peak.stop()
    counts = {}
    for status in statuses: counts[status] = counts.get(status, 0) + 1
    answers = ", ".join(f"{n} x {k}" for k, n in sorted(counts.items(), key=lambda kv: str(kv[0])))
    print(f"bodies: {clients} clients x {size >> 20} MiB POST {path} in {elapsed:.1f} s: server RSS {baseline:.0f} -> peak {peak:.0f} MiB; "
          f"peak buffered_bytes {buffered / 1048576:.1f} MiB; answers {answers}; RSS 1 s / 3 s after buffered_bytes reached 0: {after:.0f} / {later:.0f} MiB")

if "static" in CHECKS: static_file()
if "flood" in CHECKS: flood()
if "bodies" in CHECKS:
    body_flood("/healthz")
    body_flood("/api/runs/import")
print(f"after: server RSS {rss_mib():.0f} MiB, buffered_bytes {buffered_bytes()}")
