"""A popup opened under the map's layer list is moved clear of it, in headless Chromium on the
map page as the dashboard draws it (the page of tests/test_browser_map.py: every request off the
machine refused)."""
import pytest

from tests.test_browser_map import MARKERS, map_page  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def test_a_popup_opened_under_the_layer_list_is_moved_below_it(map_page):  # noqa: F811
    page, seen, name = map_page
    marker = page.locator(MARKERS).first
    listing = page.locator(".leaflet-control-layers")
    below = listing.bounding_box()
    # Move the map so the marker sits just under the list's lower edge: its popup opens upwards,
    # over the list.
    box = marker.bounding_box()
    target = (below["x"] + below["width"] / 2, below["y"] + below["height"] + 30)
    page.evaluate(f"([dx, dy]) => {name}.panBy([dx, dy], {{animate: false}})",
                  [box["x"] + box["width"] / 2 - target[0], box["y"] + box["height"] / 2 - target[1]])
    page.wait_for_timeout(300)
    marker.dispatch_event("click")
    popup = page.locator(".leaflet-popup")
    popup.wait_for()
    page.wait_for_timeout(800)  # Leaflet's pan
    opened, below = popup.bounding_box(), listing.bounding_box()
    assert opened["y"] >= below["y"] + below["height"], (opened, below)
    assert seen["refused"] == []
