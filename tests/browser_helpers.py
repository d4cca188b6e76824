"""What the Chromium tests share: the browser they need, the vendored Leaflet, the launch flags."""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import assets, chromium

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = chromium.find()
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


def need_chromium_and_leaflet() -> None:
    """Skip without Chromium, except under CI=true, where it fails; the packaged Leaflet must be whole."""
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {chromium.how_to_get()}")
        pytest.skip(chromium.how_to_get())
    assert not assets.missing_assets(), "the packaged Leaflet files are missing or changed"


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
