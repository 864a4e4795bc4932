#!/usr/bin/env python3
"""Generates UserSigs with the official PyPI tls-sig-api-v2 1.1 at fixed clocks.

Prints one JSON object per line: lib, api, sdkappid, identifier, time, expire, usersig,
and for userbuf signatures the userbuf (hex) and, for PrivateMapKeys, the room and
privilege map. Release 1.1 has no PrivateMapKey helpers, so the userbuf is laid out here
as TLSSigAPIv2 §6 describes and passed to gen_sig_with_userbuf.
Usage: crosscheck.py SDKAPPID KEY
"""
import json, struct, sys, time
import TLSSigAPIv2

SDKAPPID, KEY = int(sys.argv[1]), sys.argv[2]
IDENTIFIERS = ["xiaojun", "administrator", "user_0001", "a", "moderator@example.com", "x" * 64]
EXPIRES = [1, 86400, 15552000, 2419200]
TIMES = [1700000000, 1234567890, 2000000000]

def userbuf(identifier, now, expire, room, privilege):
    acc = identifier.encode()
    numeric, name = (room, b"") if isinstance(room, int) else (0, room.encode())
    buf = struct.pack(">BH", 1 if name else 0, len(acc)) + acc
    buf += struct.pack(">IIIII", SDKAPPID, numeric, now + expire, privilege, 0)
    if name:
        buf += struct.pack(">H", len(name)) + name
    return buf

api = TLSSigAPIv2.TLSSigAPIv2(SDKAPPID, KEY)
for now in TIMES:
    time.time = lambda now=now: float(now)
    for identifier in IDENTIFIERS:
        for expire in EXPIRES:
            base = {"lib": "python", "sdkappid": SDKAPPID, "identifier": identifier, "time": now, "expire": expire}
            print(json.dumps({**base, "api": "gen_sig", "usersig": api.gen_sig(identifier, expire)}))
            for room, privilege in [(10000, 255), ("room-42", 2 | 8 | 32)]:
                buf = userbuf(identifier, now, expire, room, privilege)
                sig = api.gen_sig_with_userbuf(identifier, expire, buf)
                print(json.dumps({**base, "api": "gen_sig_with_userbuf", "usersig": sig, "userbuf": buf.hex(),
                                  "room": room, "privilege": privilege}))
            sig = api.gen_sig_with_userbuf(identifier, expire, b"abc")
            print(json.dumps({**base, "api": "gen_sig_with_userbuf", "usersig": sig, "userbuf": b"abc".hex()}))
