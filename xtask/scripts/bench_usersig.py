#!/usr/bin/env python3
"""Times the official PyPI tls-sig-api-v2 gen_sig: prints the best µs per signature of
ROUNDS rounds of N signatures. Usage: bench_usersig.py SDKAPPID KEY N ROUNDS"""
import sys, time
import TLSSigAPIv2

sdkappid, key, n, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
api = TLSSigAPIv2.TLSSigAPIv2(sdkappid, key)
for _ in range(n // 10):
    api.gen_sig("xiaojun", 86400)
best = float("inf")
for _ in range(rounds):
    start = time.perf_counter()
    for _ in range(n):
        api.gen_sig("xiaojun", 86400)
    best = min(best, (time.perf_counter() - start) / n * 1e6)
print(f"{best:.4f}")
