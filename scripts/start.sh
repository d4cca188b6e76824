#!/usr/bin/env bash
# Install what the dashboard needs, then open it on the bundled articles (http://127.0.0.1:8501).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

command -v npm >/dev/null || { $SUDO apt-get update -q && $SUDO apt-get install -y -q npm; }
python3 -m pip install -q -r requirements.txt
python3 scripts/fetch_assets.py
exec python3 -m streamlit run dashboard.py "$@"
