#!/usr/bin/env python3
"""Writes zlib reference vectors: one line per case, `level input_hex output_len output_sha256`.

The output of CPython's zlib.compress(data, level) (stock zlib, default strategy, window
bits 15, memory level 8) is the oracle for tx-core's small-document deflate encoder.
Usage: zlib-vectors.py SEED COUNT [--usersig] > file   (deterministic for a given SEED)
With --usersig, the third column is zlib's output in the UserSig base64 alphabet instead
of its length and hash (for live comparisons in `cargo xtask crosscheck`).
"""
import base64, hashlib, json, random, string, sys, zlib

def usersig_doc(rng):
    ident = "".join(rng.choice(string.ascii_letters + string.digits + "_@.-") for _ in range(rng.randint(1, 64)))
    doc = {"TLS.ver": "2.0", "TLS.identifier": ident, "TLS.sdkappid": rng.randint(1, 2**32 - 1),
           "TLS.expire": rng.randint(1, 10**9), "TLS.time": rng.randint(0, 2**32 - 1)}
    if rng.random() < 0.3:
        doc["TLS.userbuf"] = "".join(rng.choice(string.ascii_letters + "+/") for _ in range(rng.randint(4, 400))) + "=="
    doc["TLS.sig"] = "".join(rng.choice(string.ascii_letters + string.digits + "+/") for _ in range(43)) + "="
    sep = rng.choice([(",", ":"), (", ", ": ")])
    return json.dumps(doc, separators=sep).encode()

def case(rng):
    kind = rng.randrange(8)
    n = rng.choice([0, 1, 2, 3, 4, 5, 17, 100, 200, 300, 1000, 3000]) if rng.random() < 0.3 else rng.randint(0, 1200)
    if kind == 0:
        return usersig_doc(rng)
    if kind == 1:
        return bytes(rng.randrange(256) for _ in range(n))
    if kind == 2:
        alphabet = rng.choice([b"ab", b"abc", b"a", b"\x00a", b"0123456789", string.ascii_lowercase.encode()])
        return bytes(rng.choice(alphabet) for _ in range(n))
    if kind == 3:
        unit = bytes(rng.randrange(256) for _ in range(rng.randint(1, 40)))
        return (unit * (n // len(unit) + 1))[:n]
    if kind == 4:
        words = [bytes(rng.choice(string.ascii_lowercase.encode()) for _ in range(rng.randint(1, 9))) for _ in range(30)]
        return b" ".join(rng.choice(words) for _ in range(n // 5 + 1))
    if kind == 5:
        # Skewed symbol frequencies stress length-limited Huffman codes.
        out = bytearray()
        for i in range(n):
            out.append(min(255, int(rng.expovariate(0.15))))
        return bytes(out)
    if kind == 6:
        # Far repeats exercise TOO_FAR and long chains.
        head = bytes(rng.randrange(256) for _ in range(rng.randint(3, 8)))
        filler = bytes(rng.randrange(256) for _ in range(rng.randint(4100, 4200)))
        return head + filler + head + filler[:100] + head
    return bytes(rng.choice(b"\x00\x01\x02\xff") for _ in range(16000 if rng.random() < 0.08 else n))

def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    usersig = "--usersig" in sys.argv[3:]
    rng = random.Random(seed)
    for _ in range(count):
        data = case(rng)
        level = rng.randrange(10)
        out = zlib.compress(data, level)
        if usersig:
            text = base64.b64encode(out).decode().replace("+", "*").replace("/", "-").replace("=", "_")
            print(level, data.hex(), text)
        else:
            print(level, data.hex(), len(out), hashlib.sha256(out).hexdigest())

main()
