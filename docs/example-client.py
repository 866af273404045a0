#!/usr/bin/env python3
"""A short client of the live-lab protocol (docs/protocol.md): join a run and print its epochs and metrics.

    python3 docs/example-client.py http://127.0.0.1:8080            # creates a run, then watches it
    python3 docs/example-client.py http://127.0.0.1:8080 K7QX3M     # watches run K7QX3M (read-only)

Needs python3-websockets (Debian) or `pip install websockets`. Frames are decoded per §3 of the protocol:
a 48-byte little-endian header, a table of 12-byte section entries, sections 4-byte aligned.
"""
import asyncio
import json
import struct
import sys
import urllib.request

import websockets

METRICS = ["dLoss", "gLoss", "gGradNorm", "klRealFake", "klFakeReal", "js", "jsFloor",
           "klRealFakeFloor", "klFakeRealFloor", "fractionOutside", "modesMissed", "modeCount", "fractionOffModes"]
STATES = {0: "paused", 1: "playing", 2: "slow motion", 3: "failed"}


def decode_frame(data: bytes) -> dict:
    """The header fields and the metrics section of one binary frame (docs/protocol.md §3.1, §3.2)."""
    if data[:4] != b"GLAB":
        raise ValueError("not a lab frame")
    version, header_bytes, epoch_low, epoch_high, time_ms, sequence, generation, viewers, rate, state, sub_step, count = \
        struct.unpack_from("<HHIIdIIIfBBH", data, 4)
    if version != 1:
        raise ValueError(f"unknown frame version {version}")
    frame = {"epoch": epoch_low + (epoch_high << 32), "sequence": sequence, "generation": generation,
             "viewers": viewers, "epochsPerSecond": rate, "state": STATES.get(state, state), "subStep": sub_step}
    for index in range(count):
        section_id, _, offset, length = struct.unpack_from("<HHII", data, header_bytes + 12 * index)
        if section_id == 8:  # metrics: u16 C, u16 0, C × f32
            (c,) = struct.unpack_from("<H", data, offset)
            values = struct.unpack_from(f"<{c}f", data, offset + 4)
            frame["metrics"] = dict(zip(METRICS, values))
    return frame


async def watch(base: str, code: str) -> None:
    ws_url = base.replace("http", "ws", 1) + f"/ws/runs/{code}"
    async with websockets.connect(ws_url, max_size=2 ** 24) as socket:
        await socket.send(json.dumps({"type": "subscribe", "fps": 2, "layers": []}))  # metrics only, twice a second
        async for message in socket:
            if isinstance(message, str):
                reply = json.loads(message)
                if reply["type"] in ("hello", "error"):
                    print(reply["type"], {k: reply[k] for k in reply if k in ("code", "message", "protocol")})
                continue
            frame = decode_frame(message)
            m = frame.get("metrics", {})
            print(f"epoch {frame['epoch']:>7}  {frame['state']:<8}  {frame['epochsPerSecond']:8.0f} epochs/s  "
                  f"D loss {m.get('dLoss', float('nan')):.3f}  G loss {m.get('gLoss', float('nan')):.3f}  "
                  f"JS {m.get('js', float('nan')):.3f} bits (floor {m.get('jsFloor', float('nan')):.3f})")


def main() -> None:
    base = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080").rstrip("/")
    if len(sys.argv) > 2:
        code = sys.argv[2]
    else:
        request = urllib.request.Request(base + "/api/runs", data=b'{"preset":"ring"}', method="POST",
                                         headers={"Content-Type": "application/json"})
        created = json.load(urllib.request.urlopen(request))
        code = created["code"]
        print(f"created run {code} (token {created['token'][:4]}…; open {base}{created['url']})")
    asyncio.run(watch(base, code))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
