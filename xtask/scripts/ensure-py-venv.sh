#!/usr/bin/env bash
# Creates (once) a Python virtualenv under target/py-venv, installs the requested PyPI
# packages into it (default: the official tls-sig-api-v2 1.1), and prints the path of its
# python interpreter. Used by `cargo xtask crosscheck`, the benchmarks and the emulator's
# independent-client test. Exit code 3 means Python or the package index is not available
# (callers skip loudly then).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
venv="${TX_PY_VENV:-$root/target/py-venv}"
packages=("$@")
[[ ${#packages[@]} -gt 0 ]] || packages=("tls-sig-api-v2==1.1")
stamp="$venv/.ready-$(printf '%s\n' "${packages[@]}" | sha1sum | cut -c1-12)"
if [[ ! -f "$stamp" ]]; then
  if ! command -v python3 >/dev/null; then
    echo "ensure-py-venv: python3 is not installed" >&2
    exit 3
  fi
  if [[ ! -x "$venv/bin/python" ]] && ! python3 -m venv "$venv" >&2; then
    echo "ensure-py-venv: python3 cannot create a virtualenv (Debian: apt install python3-venv)" >&2
    exit 3
  fi
  if ! "$venv/bin/pip" install --disable-pip-version-check -q "${packages[@]}" >&2; then
    echo "ensure-py-venv: could not install ${packages[*]} from PyPI" >&2
    exit 3
  fi
  touch "$stamp"
fi
echo "$venv/bin/python"
