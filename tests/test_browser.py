"""The real dashboard in headless Chromium: the offline map draws, filters redraw it, popups quote,
and article markup never runs. Every request off this machine is refused and recorded."""
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import build_store, wait_healthy
from playwright.sync_api import Error as PlaywrightError, expect

from geo import collection
from geo.chromium import ARGS as CHROMIUM_ARGS, refuse_off_machine
from geo.launch import free_port
from geo.mapping import PALETTE, layer_periods
from tests.browser_helpers import CHROMIUM, need_chromium_and_leaflet

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = Path(__file__).parent / "artifacts"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MAP_FRAME = 'iframe[title*="st_folium"]'
# Figure markers are the circles in a category colour (reference towns and places are grey).
MARKERS = ", ".join(f'path.leaflet-interactive[fill="{colour}" i]' for colour in PALETTE.values())
WAIT_MS = 45_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard as `ukrmap dashboard` starts it (geo.launch), on a scratch store."""
    need_chromium_and_leaflet()
    work = tmp_path_factory.mktemp("browser")
    articles = work / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    shutil.copyfile(FIXTURES / "script_payload.txt", articles / "script_payload.txt")
    events = build_store(articles, work / "ukrmap.db")
    port = free_port()
    log = work / "streamlit.log"
    env = {**os.environ, "UKRMAP_STORE": str(events), "UKRMAP_ARTICLES": str(articles)}
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "geo", "dashboard", "--server.port", str(port)],
            cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, log)
        yield url, events
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def browser_page(server):
    from playwright.sync_api import sync_playwright

    url, events = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=list(CHROMIUM_ARGS),
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        offsite = refuse_off_machine(context, lambda url: urlparse(url).hostname in LOCAL_HOSTS)
        seen = {"offsite": offsite, "dialogs": [], "console": []}
        page = context.new_page()
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.on("console", lambda m: seen["console"].append(m.text))
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        try:
            yield page, seen, events
        finally:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-final.png"), full_page=True)
            browser.close()


def _settled(page) -> bool:
    """The script run is over: one map iframe (a rerun briefly shows the old one too), no spinner."""
    return page.locator(MAP_FRAME).count() == 1 and page.get_by_test_id("stStatusWidget").count() == 0


def _wait_for_markers(page, until) -> int:
    """Figure markers in the map once the app has settled and `until(count)` holds."""
    deadline = time.monotonic() + WAIT_MS / 1000
    count = 0
    while time.monotonic() < deadline:
        if _settled(page):
            count = page.frame_locator(MAP_FRAME).locator(MARKERS).count()
            if until(count):
                return count
        page.wait_for_timeout(300)
    pytest.fail(f"figure marker count stayed at {count}")


def test_offline_map_draws_filters_and_quotes_without_leaving_the_machine(browser_page):
    page, seen, events = browser_page
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for()
    everything = _wait_for_markers(page, lambda n: n > 0)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)  # the README's: scripts/screenshot.py

    town = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Town")
    town.locator("input").click()
    page.get_by_role("option", name="Izium", exact=True).click()
    page.keyboard.press("Escape")
    izium_only = _wait_for_markers(page, lambda n: 0 < n < everything)
    assert izium_only < everything
    assert "town=Izium" in page.url

    frame = collection.read_store(events).frame
    izium_quotes = frame[(frame["place"] == "Izium") & (frame["kind"] == "figure")]["quote"]
    page.frame_locator(MAP_FRAME).locator(MARKERS).first.click(force=True)
    popup = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content")
    popup.wait_for()
    text = " ".join(popup.inner_text().split())
    assert any(" ".join(q.split())[:40] in text for q in izium_quotes), text
    assert seen["offsite"] == [], f"the page asked for off-machine resources: {seen['offsite']}"


def test_script_and_onerror_in_an_article_run_nothing_in_map_or_reader(browser_page):
    page, seen, _ = browser_page
    reader = page.get_by_test_id("stSelectbox").filter(has_text="Article")
    reader.locator("input").click()
    page.keyboard.type("Exhumation")
    page.get_by_role("option", name="Exhumation continues in Izium", exact=False).click()
    page.get_by_test_id("stHtml").get_by_text("<script>alert(1)</script>", exact=False).wait_for()
    markers = page.frame_locator(MAP_FRAME).locator(MARKERS)
    for i in range(_wait_for_markers(page, lambda n: n > 0)):
        markers.nth(i).dispatch_event("click")
        page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content").last.wait_for()
    page.wait_for_timeout(1500)
    assert seen["dialogs"] == []
    for frame in page.frames:
        assert frame.evaluate("() => window.__pwned === undefined"), f"payload ran in {frame.url}"
    assert seen["offsite"] == [], f"the page asked for off-machine resources: {seen['offsite']}"


def test_an_incident_popup_lists_its_claims_in_the_order_they_were_reported(browser_page):
    page, seen, events = browser_page
    page.goto(page.url.split("?")[0])  # a new session: no filter left from the tests before
    markers = page.frame_locator(MAP_FRAME).locator(MARKERS)
    count = _wait_for_markers(page, lambda n: n > 0)
    several = {i.id: i for i in collection.read_store(events).incidents() if len(set(i.articles)) > 1}
    assert several, "the sample articles hold incidents reported by more than one article"
    checked = 0
    for k in range(count):
        markers.nth(k).dispatch_event("click")
        popup = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content .geo-incident").last
        popup.wait_for()
        incident = popup.get_attribute("data-incident")
        if incident not in several:
            continue
        as_of = popup.locator("li.geo-claim").evaluate_all("items => items.map(i => i.dataset.reported)")
        assert len(as_of) == min(len(several[incident].claims), 12) and len(as_of) >= 2
        assert as_of == sorted(as_of), as_of
        quotes = popup.locator("blockquote.geo-quote").all_inner_texts()
        assert len(quotes) == len(as_of) and all(q.strip() for q in quotes)
        checked += 1
    assert checked, "no incident popup with claims from more than one article was opened"
    assert seen["offsite"] == [], f"the page asked for off-machine resources: {seen['offsite']}"


def _map_zoom(page) -> int:
    """The zoom of the map on screen, once the rerun's old frame is gone."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:
        try:  # a step of Play may add the next frame between the count and the read: then read again
            if page.locator(MAP_FRAME).count() == 1:
                return page.frame_locator(MAP_FRAME).locator(".leaflet-container").evaluate("() => map_div.getZoom()")
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("the old map frame never went")
        page.wait_for_timeout(100)


def _period(page) -> str:
    return page.get_by_role("slider").first.get_attribute("aria-valuetext")


def test_play_stops_when_asked_keeps_the_users_zoom_and_leaves_one_map_frame(browser_page):
    page, seen, events = browser_page
    page.goto(page.url.split("?")[0])
    _wait_for_markers(page, lambda n: n > 0)
    labels = [p.label for p in layer_periods(collection.read_store(events).frame)]
    assert len(labels) >= 3
    play = page.get_by_text("Play", exact=True)  # the toggle's label
    switch = page.get_by_role("switch", name="Play")
    play.click()  # and off again as soon as the first step shows
    deadline = time.monotonic() + 30
    while _period(page) != labels[0] and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    play.click()
    page.wait_for_timeout(4000)  # more than two ticks
    assert _period(page) == labels[0] and not switch.is_checked()

    fitted = _map_zoom(page)
    for _ in range(2):
        page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    zoomed = _map_zoom(page)
    assert zoomed == fitted + 2
    play.click()
    frames, periods, zooms = [], [], []
    deadline = time.monotonic() + 90
    while labels[-1] not in periods and time.monotonic() < deadline:
        frames.append(page.locator(MAP_FRAME).count())
        if _period(page) not in periods + ["All dates"]:
            periods.append(_period(page))
            zooms.append(_map_zoom(page))
        page.wait_for_timeout(150)
    expect(switch).not_to_be_checked(timeout=WAIT_MS)  # it turns itself off at the end
    assert periods == labels  # it stepped through every period, in order...
    assert set(zooms) == {zoomed}, zooms  # ...on the view the user chose
    assert max(frames) <= 2 and _map_zoom(page) == zoomed  # the old frame goes as the new one comes
    page.wait_for_timeout(1000)
    assert page.locator(MAP_FRAME).count() == 1
    assert seen["offsite"] == [], f"the page asked for off-machine resources: {seen['offsite']}"


def test_a_popup_links_its_article_into_the_reader_keeping_the_filter(browser_page):
    page, seen, events = browser_page
    page.goto(page.url.split("?")[0] + "?town=Izium")
    _wait_for_markers(page, lambda n: n > 0)
    page.frame_locator(MAP_FRAME).locator(MARKERS).first.dispatch_event("click")
    link = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content a.geo-reader").first
    article = link.get_attribute("data-article")
    with page.context.expect_page() as opened:
        link.click()
    reader = opened.value
    try:
        query = link.get_attribute("href").split("?", 1)[1]  # the page's address, its filter and the article
        assert f"article={article}" in query and "town=Izium" in query
        reader.wait_for_load_state()
        reader.get_by_text("Opened from the map:").wait_for(timeout=WAIT_MS)
        assert "town=Izium" in reader.url
        chosen = next(a for a in collection.read_store(events).articles if a.id == article)
        text = reader.get_by_test_id("stHtml").last.inner_text()
        assert " ".join(text.split())[:60] and chosen.title.split()[0] in text
    finally:
        reader.close()
    assert seen["offsite"] == [], f"the page asked for off-machine resources: {seen['offsite']}"


def test_a_date_change_redraws_the_markers_in_the_same_map_frame(browser_page):
    """A filter change swaps the view's layers in the map already on the page: the frame (its
    element and its document, with Leaflet loaded) stays, and the new view's markers are drawn."""
    page, seen, events = browser_page
    page.goto(page.url.split("?")[0])
    everything = _wait_for_markers(page, lambda n: n > 0)
    periods = layer_periods(collection.read_store(events).frame)
    assert len(periods) >= 3
    page.locator(MAP_FRAME).evaluate("f => { f.dataset.before = '1'; f.contentWindow.keptDocument = true; }")
    map_src = page.locator(MAP_FRAME).get_attribute("src")
    legend = page.frame_locator(MAP_FRAME).locator(".geo-legend")
    legend.evaluate("e => e.dataset.before = '1'")

    dates = page.get_by_test_id("stSidebar").get_by_test_id("stDateInput").filter(has_text="Dates")
    dates.get_by_role("spinbutton", name="year, Dates end date").click()
    page.keyboard.type(periods[0].end.strftime("%Y%m%d"))
    page.keyboard.press("Escape")
    page.get_by_role("heading").first.click()

    fewer = _wait_for_markers(page, lambda n: 0 < n < everything)
    assert fewer < everything and f"to={periods[0].end.isoformat()}" in page.url
    page.frame_locator(MAP_FRAME).locator(".geo-legend:not([data-before])").wait_for()  # the new view's legend
    assert page.locator(MAP_FRAME).count() == 1
    kept = page.locator(MAP_FRAME)
    assert kept.get_attribute("data-before") == "1" and kept.get_attribute("src") == map_src
    assert kept.evaluate("f => f.contentWindow.keptDocument === true"), "the map frame loaded a new page"
    assert page.frame_locator(MAP_FRAME).locator(".geo-legend").count() == 1  # the old view's legend went
    page.frame_locator(MAP_FRAME).locator(MARKERS).first.dispatch_event("click")
    popup = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content .geo-incident").last
    popup.wait_for()
    assert popup.locator("li.geo-claim").count() >= 1
    layers = page.frame_locator(MAP_FRAME).locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any(periods[0].label in text for text in layers) and not any(periods[-1].label in t for t in layers)
    assert page.frame_locator(MAP_FRAME).locator(".leaflet-control-layers").count() == 1
    assert seen["offsite"] == [], f"the page asked for off-machine resources: {seen['offsite']}"
