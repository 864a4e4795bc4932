#!/usr/bin/env bash
# Installs (once) the official npm package tls-sig-api-v2 under target/node-tools and prints
# the node_modules directory. Exit code 3 means Node, npm or the registry is not available.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$root/target/node-tools"
if [[ ! -f "$dir/node_modules/tls-sig-api-v2/package.json" ]]; then
  command -v node >/dev/null || { echo "ensure-node-pkg: node is not installed" >&2; exit 3; }
  command -v npm >/dev/null || { echo "ensure-node-pkg: npm is not installed" >&2; exit 3; }
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || echo '{"name":"tx-node-tools","private":true}' > "$dir/package.json"
  if ! npm install --prefix "$dir" --no-audit --no-fund --silent "tls-sig-api-v2@1.0.2" >&2; then
    echo "ensure-node-pkg: could not install tls-sig-api-v2 from the npm registry" >&2
    exit 3
  fi
fi
echo "$dir/node_modules"
