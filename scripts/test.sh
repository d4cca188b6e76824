#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

need=""
[ -x /usr/bin/chromium ] || need="chromium chromium-driver"
command -v npm >/dev/null || need="$need npm"
if [ -n "$need" ]; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q $need
fi
python3 -m pip install -q -r requirements-dev.txt
python3 scripts/fetch_assets.py
python3 -m pytest -q "$@"
