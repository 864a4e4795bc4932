#!/usr/bin/env python3
"""Reads UserSigs, one per line on stdin, the way the official libraries' inverse works:
undo the escaping, base64-decode, inflate with CPython's stock zlib, parse the JSON.
Prints each document as one JSON line (keys sorted), so the caller can compare fields.
"""
import base64, json, sys, zlib

for line in sys.stdin:
    sig = line.strip()
    if not sig:
        continue
    raw = base64.b64decode(sig.replace("*", "+").replace("-", "/").replace("_", "="))
    print(json.dumps(json.loads(zlib.decompress(raw)), sort_keys=True))
