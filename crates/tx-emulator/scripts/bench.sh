#!/usr/bin/env bash
# Measures the emulator's own capacity on loopback: requests/s of v4/sns/black_list_check
# with 1000 To_Account entries and with 1, rate limit off, using wrk.
#
# usage: crates/tx-emulator/scripts/bench.sh [DURATION=10s] [CONNECTIONS=32] [THREADS=1]
# needs: cargo, python3, wrk (apt-get install wrk)
set -euo pipefail
duration="${1:-10s}"
connections="${2:-32}"
threads="${3:-1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
command -v wrk >/dev/null || { echo "bench.sh: wrk is not installed (apt-get install wrk)" >&2; exit 2; }

cargo build --release -q -p tx-emulator --manifest-path "$root/Cargo.toml"
work="$(mktemp -d)"
server=""
cleanup() { [[ -n "$server" ]] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# 1000 accounts; the owner blocks every other one and every third blocks the owner, so
# both relation lookups do real work.
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
ids = ["user%04d" % i for i in range(1000)]
seed = {
    "settings": {"tim_rate_limit": 0},
    "tim_apps": [{
        "sdkappid": 1400000000, "key": "bench-key", "admins": ["administrator"],
        "accounts": ["owner"] + ids,
        "blocklists": dict([("owner", ids[::2])] + [(i, ["owner"]) for i in ids[::3]]),
    }],
}
json.dump(seed, open(work + "/seed.json", "w"))
for name, to in (("check1000", ids), ("check1", ids[:1])):
    body = {"From_Account": "owner", "To_Account": to, "CheckType": "BlackCheckResult_Type_Both"}
    json.dump(body, open("%s/%s.json" % (work, name), "w"))
PY

"$target/release/tx-emulator" --port 0 --json --seed "$work/seed.json" > "$work/banner.json" &
server=$!
for _ in $(seq 100); do [[ -s "$work/banner.json" ]] && break; sleep 0.1; done
read -r base usersig < <(python3 -c 'import json,sys; b=json.load(open(sys.argv[1])); print(b["base_url"], b["tim_apps"][0]["usersig"])' "$work/banner.json")
url="$base/v4/sns/black_list_check?sdkappid=1400000000&identifier=administrator&usersig=$usersig&random=1&contenttype=json"

for name in check1000 check1; do
  cat > "$work/$name.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/$name.json", "rb")
wrk.body = f:read("*a")
f:close()
LUA
  reply="$(curl -s -X POST --data-binary "@$work/$name.json" "$url")"
  python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["ErrorCode"]==0 and "Fail_Account" not in r, r' "$reply"
  curl -s -X DELETE "$base/_emulator/stats" >/dev/null
  echo "== black_list_check, $( [[ $name == check1000 ]] && echo 1000 || echo 1 ) To_Account: wrk -t$threads -c$connections -d$duration"
  wrk -t"$threads" -c"$connections" -d"$duration" -s "$work/$name.lua" "$url" | grep -E "Requests/sec|Latency|requests in|Non-2xx|Socket errors"
  python3 -c 'import json,sys; e=json.load(sys.stdin)["endpoints"]["v4/sns/black_list_check"]; print("   server counted %d requests, %d ok, errors %s" % (e["requests"], e["ok"], e["errors"]))' < <(curl -s "$base/_emulator/stats")
done
