#!/usr/bin/env bash
# Makes sure a `redis-server` binary is installed and prints its path. The Redis tests and
# `cargo xtask bench shared` start their own servers on free loopback ports with it; this
# script never starts one.
#
# Order: $TX_REDIS_SERVER if set, a `redis-server` on PATH, else Debian's package through
# apt-get (as root, the way CI and the developers' machines run). The package's service is
# kept from starting while it is installed (policy-rc.d), so no stray server is left on
# port 6379. Exit code 3: no Redis and no way to install it here.
set -euo pipefail

if [[ -n "${TX_REDIS_SERVER:-}" ]]; then
  if [[ -x "$TX_REDIS_SERVER" ]]; then
    echo "$TX_REDIS_SERVER"
    exit 0
  fi
  echo "ensure-redis: TX_REDIS_SERVER=$TX_REDIS_SERVER is not an executable" >&2
  exit 3
fi
if found="$(command -v redis-server)"; then
  echo "$found"
  exit 0
fi
if ! command -v apt-get >/dev/null || [[ "$(id -u)" != 0 ]]; then
  echo "ensure-redis: redis-server is not installed; install it (Debian: apt-get install redis-server) or set TX_REDIS_SERVER" >&2
  exit 3
fi

policy=/usr/sbin/policy-rc.d
if [[ ! -e "$policy" ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
echo "ensure-redis: installing Debian's redis-server" >&2
if ! apt-get install -y -qq --no-install-recommends redis-server >&2; then
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends redis-server >&2
fi
command -v redis-server
