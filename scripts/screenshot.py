"""Regenerate the README's screenshots from the offline dashboard, with nothing requested off the machine.

    /work/venv/bin/python scripts/screenshot.py        # writes docs/screenshot.png and docs/screenshot-map.png

Builds a store from data/articles in a scratch folder, starts the dashboard as `ukrmap dashboard`
does (online tiles off), opens it in headless Chromium with every request that is not to
127.0.0.1 refused, waits for the figure markers, and saves the page and the map. It fails, and
writes nothing, if the page asked for anything off the machine or drew no markers.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo import chromium  # noqa: E402
from geo.build import build  # noqa: E402
from geo.errors import ServerError  # noqa: E402
from geo.launch import free_port, wait_healthy  # noqa: E402
from geo.mapping import PALETTE  # noqa: E402

MAP_FRAME = 'iframe[title*="st_folium"]'
MARKERS = ", ".join(f'path.leaflet-interactive[fill="{colour}" i]' for colour in PALETTE.values())
VIEWPORT = {"width": 1400, "height": 1100}


def shoot(page_png: Path, map_png: Path) -> None:
    from playwright.sync_api import sync_playwright

    browser_path = chromium.find()
    if browser_path is None:
        raise SystemExit(chromium.how_to_get())
    with tempfile.TemporaryDirectory() as work:
        store = Path(work) / "ukrmap.db"
        build(ROOT / "data" / "articles", store, uploads=Path(work) / "uploads")
        env = {**os.environ, "UKRMAP_STORE": str(store), "UKRMAP_ARTICLES": str(ROOT / "data" / "articles"),
               "UKRMAP_DATA": work}
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with open(Path(work) / "streamlit.log", "wb") as log:
            proc = subprocess.Popen([sys.executable, "-m", "geo", "dashboard", "--server.port", str(port)],
                                    cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        try:
            try:
                wait_healthy(url, proc)
            except ServerError as e:
                raise SystemExit(f"{e}:\n{(Path(work) / 'streamlit.log').read_text()}") from e
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(browser_path), args=list(chromium.ARGS))
                context = browser.new_context(viewport=VIEWPORT)
                refused = chromium.refuse_off_machine(
                    context, lambda url: urlparse(url).hostname in ("127.0.0.1", "localhost"))
                page = context.new_page()
                page.goto(url)
                page.frame_locator(MAP_FRAME).locator(MARKERS).first.wait_for(timeout=120_000)
                page.wait_for_timeout(1500)  # the fit settles
                if refused:
                    raise SystemExit(f"the page asked for off-machine resources: {refused}")
                drawn = {pane: page.frame_locator(MAP_FRAME).locator(f".leaflet-{pane}-pane path").count()
                         for pane in ("geoOblasts", "overlay")}
                if not all(drawn.values()):
                    raise SystemExit(f"the basemap is missing from the page (paths per pane: {drawn})")
                page.screenshot(path=str(page_png))
                page.locator(MAP_FRAME).screenshot(path=str(map_png))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    shoot(ROOT / "docs" / "screenshot.png", ROOT / "docs" / "screenshot-map.png")
    print("wrote docs/screenshot.png and docs/screenshot-map.png")
