#!/bin/bash
# Instructions the server spends on N keep-alive GET /index.html on one connection (valgrind callgrind):
# prints callgrind's total; run with N and with 0 and divide the difference by N.
# Usage: docs/callgrind-get.sh BINARY N
BIN=$(realpath "$1"); N=$2; PORT=$((20000 + RANDOM % 10000))
cd "$(dirname "${BASH_SOURCE[0]}")/.."
valgrind --tool=callgrind --callgrind-out-file=${TMPDIR:-/tmp}/ganlab-cg-out.$$ $BIN serve --port $PORT --in-memory --log-level warning --paused >${TMPDIR:-/tmp}/ganlab-cg-log.$$ 2>&1 &
VPID=$!
for i in $(seq 1 200); do curl -s -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.5; done
/usr/bin/python3 - $PORT $N <<'PY'
import socket,sys
port=int(sys.argv[1]); n=int(sys.argv[2])
s=socket.create_connection(("127.0.0.1",port))
req=b"GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
buf=b""
for i in range(n):
    s.sendall(req)
    # read headers + body
    while b"\r\n\r\n" not in buf: buf+=s.recv(65536)
    head,rest=buf.split(b"\r\n\r\n",1)
    cl=int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(rest)<cl: rest+=s.recv(65536)
    buf=rest[cl:]
s.close()
PY
kill -TERM $VPID; wait $VPID
grep -E "^summary|^totals" ${TMPDIR:-/tmp}/ganlab-cg-out.$$ | head -1
rm -f ${TMPDIR:-/tmp}/ganlab-cg-out.$$ ${TMPDIR:-/tmp}/ganlab-cg-log.$$
