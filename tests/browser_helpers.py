"""What the Chromium tests share: the browser they need, the vendored Leaflet, the launch flags."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import assets

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


def need_chromium_and_leaflet() -> None:
    """Skip without Chromium (fail on CI, where scripts/test.sh installs it); vendor Leaflet if absent."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing on CI: scripts/test.sh should have installed it")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); scripts/test.sh installs it")
    if assets.missing_assets():
        subprocess.run([sys.executable, str(ROOT / "scripts" / "fetch_assets.py")], check=True, timeout=300)
    assert not assets.missing_assets(), "static/vendor is incomplete even after scripts/fetch_assets.py"


def refuse_off_machine(context, local: Callable[[str], bool]) -> list[str]:
    """Abort every request of `context` whose URL `local` rejects; the list returned records them."""
    refused: list[str] = []

    def guard(route):
        if local(route.request.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return refused
