"""Which Chromium or Chrome drives the headless browser (browser tests, bench/map_bench.py).

`UKRMAP_CHROMIUM` names one explicitly; else the first of NAMES on PATH. No fixed path: Debian
calls it chromium, Ubuntu's deb chromium-browser, Google's package google-chrome; on macOS put
the app's binary in UKRMAP_CHROMIUM. Playwright drives it; it never downloads a browser.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable

ENV = "UKRMAP_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Headless, and quiet on the network: no background requests, no component updates.
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update")


def find() -> str | None:
    """The browser's path, or None when there is none (UKRMAP_CHROMIUM set but not runnable: None)."""
    named = os.environ.get(ENV)
    if named:
        return shutil.which(named)
    return next((path for path in map(shutil.which, NAMES) if path), None)


def how_to_get() -> str:
    """What to do when find() is None, for a skip reason or an error."""
    return (f"no Chromium or Chrome found ({ENV} unset or not runnable, none of {', '.join(NAMES)} on PATH): "
            "scripts/test.sh installs Debian's chromium where there is apt; elsewhere install Chromium "
            f"or Chrome, or set {ENV}=/path/to/chrome")


def refuse_off_machine(context, local: Callable[[str], bool]) -> list[str]:
    """Abort every request of a Playwright browser `context` whose URL `local` rejects (what the
    offline checks require); the list returned records the refused URLs as they happen."""
    refused: list[str] = []

    def guard(route):
        if local(route.request.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return refused
