#!/usr/bin/env python3
"""Times the official PyPI tls-sig-api-v2 gen_sig: prints the best µs per signature of
ROUNDS rounds of N signatures. With MODE `distinct`, the clock moves one second per
signature (every signature a new document); with `same`, the real clock is used.
Usage: bench_usersig.py SDKAPPID KEY N ROUNDS MODE"""
import sys, time
import TLSSigAPIv2

sdkappid, key, n, rounds, mode = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
api = TLSSigAPIv2.TLSSigAPIv2(sdkappid, key)
if mode == "distinct":
    fake = [1700000000.0]
    def tick():
        fake[0] += 1.0
        return fake[0]
    time.time = tick
clock = time.perf_counter
for _ in range(n // 10):
    api.gen_sig("xiaojun", 86400)
best = float("inf")
for _ in range(rounds):
    start = clock()
    for _ in range(n):
        api.gen_sig("xiaojun", 86400)
    best = min(best, (clock() - start) / n * 1e6)
print(f"{best:.4f}")
