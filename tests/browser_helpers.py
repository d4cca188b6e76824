"""What the Chromium tests share: the browser they need and the vendored Leaflet (launch flags and the
offline guard are geo.chromium's)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from geo import assets, chromium

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = chromium.find()


def need_chromium_and_leaflet() -> None:
    """Skip without Chromium, except under CI=true, where it fails; the packaged Leaflet must be whole."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {chromium.how_to_get()}")
        pytest.skip(chromium.how_to_get())
    assert not assets.missing_assets(), "the packaged Leaflet files are missing or changed"
