#!/usr/bin/env bash
# Installs (once) cargo-fuzz, the libFuzzer driver the fuzz targets are built with, under
# target/tools from crates.io, and prints its path. Exit code 3 means crates.io is not
# reachable (callers say so loudly). See fuzz/README.md for why cargo-fuzz on stable.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tools="${TX_TOOLS_DIR:-$root/target/tools}"
version="0.13.2"
bin="$tools/bin/cargo-fuzz"
if [[ ! -x "$bin" ]] || [[ "$("$bin" --version 2>/dev/null)" != "cargo-fuzz $version" ]]; then
  echo "ensure-cargo-fuzz: installing cargo-fuzz $version under $tools" >&2
  if ! cargo install --quiet --locked --root "$tools" --version "$version" cargo-fuzz >&2; then
    echo "ensure-cargo-fuzz: could not install cargo-fuzz $version from crates.io" >&2
    exit 3
  fi
fi
echo "$bin"
