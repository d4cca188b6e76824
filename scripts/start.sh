#!/usr/bin/env bash
# Open the dashboard on the bundled articles at http://127.0.0.1:8501; Ctrl+C stops it.
# The first run makes a virtual environment in .venv and installs ukrmap into it; later runs
# start at once. Arguments go to `streamlit run` (e.g. --server.port 8502).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install.sh
ensure_venv
install_package app
say "starting the dashboard"
exec "$VENV/bin/ukrmap" dashboard "$@"
