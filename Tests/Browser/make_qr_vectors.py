#!/usr/bin/env python3
"""Writes qr_vectors.json: QR matrices from an independent encoder (Debian's python3-qrcode) for the page's
QR encoder test (page_tests.qr_encoder_matches_known_vectors). Run once by hand; the JSON is committed so the
browser tests need no extra package:  apt-get install python3-qrcode && /usr/bin/python3 make_qr_vectors.py"""
import json
import os
import qrcode
import qrcode.util

LEVELS = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
          "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}
CASES = [
    ("http://192.168.1.20:8080/r/K7QX3M", 3, "M", 0),
    ("http://192.168.1.20:8080/r/K7QX3M", 3, "M", 5),
    ("HELLO WORLD", 1, "Q", 6),
    ("https://lab.example.org:8443/r/23456Z?presenter=1", 5, "Q", 3),
    ("ganlab " * 14, 7, "M", 2),
    ("Größe ✓ " + "x" * 150, 12, "Q", 7),
    ("a" * 12, 2, "H", 4),
]

vectors = []
for text, version, level, mask in CASES:
    qr = qrcode.QRCode(version=version, error_correction=LEVELS[level], border=0, mask_pattern=mask)
    qr.add_data(qrcode.util.QRData(text.encode("utf-8"), mode=qrcode.util.MODE_8BIT_BYTE))
    qr.make(fit=False)
    rows = ["".join("1" if m else "0" for m in row) for row in qr.get_matrix()]
    vectors.append({"text": text, "version": version, "level": level, "mask": mask, "rows": rows})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qr_vectors.json")
with open(path, "w") as f:
    json.dump({"source": "python3-qrcode " + getattr(qrcode, "__version__", "7.4.2") + " (Debian), byte mode, border 0",
               "vectors": vectors}, f, indent=1)
print(f"wrote {len(vectors)} vectors to {path}")
