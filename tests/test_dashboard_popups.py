"""A popup opened under the map's layer list is moved clear of it, in headless Chromium on the
map page as the dashboard draws it (every request off the machine refused)."""
from pathlib import Path

import pytest
from conftest import build_store
from playwright.sync_api import sync_playwright

from geo import assets, collection
from geo.chromium import ARGS as CHROMIUM_ARGS, refuse_off_machine
from geo.mapping import PALETTE, build_map, reference_layer
from tests.browser_helpers import CHROMIUM, need_chromium_and_leaflet

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
MARKERS = ", ".join(f'path.leaflet-interactive[fill="{colour}" i]' for colour in PALETTE.values())


def test_a_popup_opened_under_the_layer_list_is_moved_below_it(tmp_path):
    need_chromium_and_leaflet()
    frame = collection.read_store(build_store(ROOT / "data" / "articles", tmp_path / "ukrmap.db")).frame
    fmap = build_map(frame, asset_base="vendor", reference=reference_layer())
    (tmp_path / "vendor").symlink_to(assets.VENDOR_DIR)
    (tmp_path / "map.html").write_text(fmap.get_root().render(), "utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            context = browser.new_context(viewport={"width": 1000, "height": 640})
            refused = refuse_off_machine(context, lambda url: url.startswith(("file:", "data:")))
            page = context.new_page()
            page.goto((tmp_path / "map.html").as_uri())
            marker = page.locator(MARKERS).first
            marker.wait_for()
            page.wait_for_timeout(500)
            listing = page.locator(".leaflet-control-layers")
            below = listing.bounding_box()
            # Move the map so the marker sits just under the list's lower edge: its popup opens
            # upwards, over the list.
            box = marker.bounding_box()
            target = (below["x"] + below["width"] / 2, below["y"] + below["height"] + 30)
            page.evaluate(f"([dx, dy]) => {fmap.get_name()}.panBy([dx, dy], {{animate: false}})",
                          [box["x"] + box["width"] / 2 - target[0], box["y"] + box["height"] / 2 - target[1]])
            page.wait_for_timeout(300)
            marker.dispatch_event("click")
            popup = page.locator(".leaflet-popup")
            popup.wait_for()
            page.wait_for_timeout(800)  # Leaflet's pan
            opened, below = popup.bounding_box(), listing.bounding_box()
            assert opened["y"] >= below["y"] + below["height"], (opened, below)
            assert refused == []
        finally:
            browser.close()
