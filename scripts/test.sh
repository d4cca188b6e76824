#!/usr/bin/env bash
# Install what the tests need, then run every test (.ci/run runs this). Chromium and PostgreSQL
# with PostGIS come from apt where there is apt; Python packages go into .venv (scripts/install.sh).
# Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/install.sh
system_packages chromium chromium-driver postgresql-15-postgis-3
ensure_venv
install_package test
say "running the tests (2 to 3 minutes on 2 cores)"
exec "$VENV/bin/python" -m pytest -q "$@"
