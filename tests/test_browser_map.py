"""The map page on its own in headless Chromium with no network, as a saved map is opened: the
offline basemap draws beneath the figures, the legend covers no figure and folds away, town labels
stay on top, and the page asks for nothing beyond its own folder. The view is saved as
tests/artifacts/map.png (the README's screenshots come from scripts/screenshot.py)."""
from pathlib import Path

import pytest
from conftest import build_store
from playwright.sync_api import expect, sync_playwright

from geo import assets, collection
from geo.chromium import ARGS as CHROMIUM_ARGS, refuse_off_machine
from geo.mapping import PALETTE, build_map, reference_layer
from tests.browser_helpers import CHROMIUM, need_chromium_and_leaflet
from tests.test_mapping import claim, table

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"
LOCAL_SCHEMES = ("file:", "data:")
MARKERS = ", ".join(f'path.leaflet-interactive[fill="{colour}" i]' for colour in PALETTE.values())
VIEWPORT = {"width": 1200, "height": 700}
NARROW = {"width": 760, "height": 560}


@pytest.fixture(scope="module")
def map_page(tmp_path_factory):
    need_chromium_and_leaflet()
    work = tmp_path_factory.mktemp("map")
    frame = collection.read_store(build_store(ROOT / "data" / "articles", work / "ukrmap.db")).frame
    fmap = build_map(frame, asset_base="vendor", reference=reference_layer())
    (work / "vendor").symlink_to(assets.VENDOR_DIR)
    (work / "map.html").write_text(fmap.get_root().render(), "utf-8")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        context = browser.new_context(viewport=VIEWPORT)
        seen = {"requests": [], "refused": refuse_off_machine(context, lambda url: url.startswith(LOCAL_SCHEMES))}
        page = context.new_page()
        page.on("request", lambda request: seen["requests"].append(request.url))
        page.goto((work / "map.html").as_uri())
        page.locator(MARKERS).first.wait_for()
        _settled(page, fmap.get_name())
        try:
            yield page, seen, fmap.get_name()
        finally:
            browser.close()


def _settled(page, name: str) -> None:
    """Wait until the map has stopped moving: fitBounds, then the view script, may pan or zoom it
    after the first marker shows (a fixed pause was too short on a loaded machine, and markers read
    mid-pan sit at fractional pixels): no animation, and the same centre and zoom three reads running."""
    view = ("() => { const m = window['" + name + "']; if (!m || m._animatingZoom || (m._panAnim && m._panAnim._inProgress))"
            " return null; const c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; }")
    same, last = 0, None
    for _ in range(150):
        page.wait_for_timeout(200)
        now = page.evaluate(view)
        same = same + 1 if now is not None and now == last else 0
        if same == 2:
            return
        last = now
    raise AssertionError("the map never stopped moving")


def pane_z(page, pane: str) -> int:
    return int(page.evaluate(f"() => getComputedStyle(document.querySelector('.leaflet-{pane}-pane')).zIndex"))


def boxes(locator) -> list[dict]:
    return [locator.nth(i).bounding_box() for i in range(locator.count())]


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


def test_borders_oblasts_and_figures_draw_with_nothing_requested_off_the_machine(map_page):
    page, seen, _ = map_page
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "map.png"
    page.screenshot(path=str(shot))

    assert page.locator(".leaflet-geoLand-pane path").count() > 0
    assert page.locator(".leaflet-geoBorders-pane path").count() > 0
    assert page.locator(".leaflet-geoOblasts-pane path").count() > 0
    names = page.locator(".geo-oblast-label").all_text_contents()
    assert "Kharkiv" in names and "Kyiv" in names
    assert page.locator(".geo-oblast-label span", has_text="Kharkiv").is_visible()
    assert page.locator(MARKERS).count() > 0
    assert seen["refused"] == [], f"the page asked for off-machine resources: {seen['refused']}"
    assert [url for url in seen["requests"] if not url.startswith(LOCAL_SCHEMES)] == []


def test_the_basemap_lies_beneath_the_figures_and_lets_clicks_through(map_page):
    page, _, _ = map_page
    figures = pane_z(page, "overlay")
    for pane in ("geoLand", "geoWater", "geoOblasts", "geoBorders", "geoLabels"):
        assert pane_z(page, pane) < figures, pane
    marker = page.locator(MARKERS).last  # the smallest at its place, drawn last
    box = marker.bounding_box()
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('fill')",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert hit.upper() in {c.upper() for c in PALETTE.values()}
    marker.click()
    page.locator(".leaflet-popup-content").wait_for()


def test_town_labels_sit_above_the_figure_circles_and_clear_of_each_other(map_page):
    page, _, name = map_page
    _settled(page, name)  # a popup opened by an earlier test pans the map: read label and circles at rest
    kyiv = page.locator(".leaflet-tooltip-pane .geo-ref-label", has_text="Kyiv").first
    assert kyiv.is_visible()
    assert any(overlap(kyiv.bounding_box(), b) for b in boxes(page.locator(MARKERS)))  # the case that matters
    assert pane_z(page, "tooltip") > pane_z(page, "overlay")
    labels = [b for b in boxes(page.locator(".leaflet-tooltip-pane .geo-ref-label")) if b]
    assert len(labels) > 5
    clashes = [(a, b) for i, a in enumerate(labels) for b in labels[i + 1:] if overlap(a, b)]
    assert clashes == []


def test_oblast_names_show_from_zoom_6_and_stay_hidden_when_they_would_crowd(map_page):
    page, _, name = map_page
    kharkiv = page.locator(".geo-oblast-label span", has_text="Kharkiv")
    view = page.evaluate(f"() => [{name}.getCenter(), {name}.getZoom()]")
    try:
        page.evaluate(f"() => {name}.setZoom(5, {{animate: false}})")
        expect(kharkiv).to_be_hidden()
        page.evaluate(f"() => {name}.setZoom(6, {{animate: false}})")
        expect(kharkiv).to_be_visible()
    finally:
        page.evaluate(f"([c, z]) => {name}.setView(c, z, {{animate: false}})", view)


def test_the_legend_covers_no_figure_and_folds_to_a_tab(map_page):
    """Figures in Izmail, in the south-west, and Kharkiv, in the north-east, in a narrow map (the
    dashboard beside its sidebar on a laptop): the south-west corner is where the legend sits."""
    first, _, _ = map_page
    sun = ROOT / "data" / "articles" / "000_5ee58bf401263aac.txt"
    rows = table([claim(sun, "at least 20 bodies", town, 20, "bodies", when="2022-04-03")
                  for town in ("Izmail", "Kharkiv")])
    folder = Path(first.url.removeprefix("file://")).parent
    (folder / "corners.html").write_text(build_map(rows, asset_base="vendor").get_root().render(), "utf-8")
    page = first.context.new_page()  # same request guard
    try:
        page.set_viewport_size(NARROW)
        page.goto((folder / "corners.html").as_uri())
        page.locator(MARKERS).nth(1).wait_for()
        page.wait_for_timeout(500)
        legend = page.locator("details.geo-legend")
        assert legend.evaluate("d => d.open")
        opened = legend.bounding_box()
        markers = boxes(page.locator(MARKERS))
        assert len(markers) == 2 and not any(overlap(opened, b) for b in markers)
        legend.locator("summary").click()
        assert not legend.evaluate("d => d.open")
        assert legend.bounding_box()["height"] < opened["height"] / 3
    finally:
        page.close()


def test_verified_incidents_are_drawn_solid_and_unreviewed_ones_as_dashed_outlines(map_page, tmp_path):
    """Issue 9: the map tells what a reviewer confirmed from what only the machine says."""
    from geo.review import new_review
    from geo.store import open_store

    path = build_store(ROOT / "data" / "articles", tmp_path / "ukrmap.db")
    seen = collection.read_store(path)
    izium = next(i for i in seen.incidents() if i.place == "Izium")
    rows = seen.frame.set_index("id")
    with open_store(path) as repo:
        for claim_id in izium.claims:
            repo.add_review(new_review(rows.loc[claim_id].to_dict() | {"id": claim_id}, "verified", "Olena"))
    seen = collection.read_store(path)
    fmap = build_map(seen.frame, asset_base="vendor", overrides=seen.overrides)
    (tmp_path / "vendor").symlink_to(assets.VENDOR_DIR)
    (tmp_path / "map.html").write_text(fmap.get_root().render(), "utf-8")
    context = map_page[0].context.browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        refuse_off_machine(context, lambda url: url.startswith(LOCAL_SCHEMES))
        page.goto((tmp_path / "map.html").as_uri())
        page.locator("path.geo-review-verified").first.wait_for()
        verified = page.locator("path.geo-review-verified")
        unreviewed = page.locator("path.geo-review-unreviewed")
        assert verified.count() == 1 and unreviewed.count() >= 2
        assert float(verified.first.get_attribute("fill-opacity")) == 0.85
        assert verified.first.get_attribute("stroke-dasharray") in (None, "", "none")
        assert float(unreviewed.first.get_attribute("fill-opacity")) == 0.15
        assert unreviewed.first.get_attribute("stroke-dasharray") == "4 3"
        verified.first.dispatch_event("click")
        popup = page.locator(".leaflet-popup-content .geo-incident")
        popup.wait_for()
        assert popup.get_attribute("data-incident") == izium.id
        assert set(popup.locator("li.geo-claim").evaluate_all("items => items.map(i => i.dataset.status)")) == {"verified"}
        assert "Verified by Olena" in popup.inner_text()
    finally:
        context.close()
