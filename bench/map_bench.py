"""How the map scales: build + render time and page size for 100 to 50,000 synthetic figures.

Figures sit on real Ukrainian towns from the gazetteer, with random dates over a year and random
categories and values (seeded). Run: `python bench/map_bench.py [--browser] [sizes...]`.

--browser also loads each page in headless Chromium (Playwright), served from 127.0.0.1 with every
other request refused, and measures what a user feels: time from navigation start to the markers
drawn, one zoom step and one pan (unanimated: the redraw cost, not Leaflet's fixed 250 ms
animation), and the JS heap after a forced garbage collection.
"""
from __future__ import annotations

import argparse
import functools
import os
import re
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlparse

import pandas as pd
from playwright.sync_api import sync_playwright
from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.chromium import ARGS as CHROMIUM_ARGS, find as find_chromium, how_to_get, refuse_off_machine  # noqa: E402
from geo.assets import VENDOR_DIR, missing_assets  # noqa: E402
from geo.events import COLUMNS, conform  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.mapping import MAX_MARKERS, build_map, layer_periods, reference_layer  # noqa: E402
from geo.model import Category, Qualifier  # noqa: E402

SIZES = (100, 1_000, 10_000, 50_000)
REPEATS = 3
MARKER_ROW = re.compile(r'\[-?\d+\.?\d*, -?\d+\.?\d*, [\d.]+, "#')  # [lat, lon, radius, "#colour"
VIEWPORT = {"width": 1280, "height": 800}
ASSET_BASE = "/vendor"  # the served folder links vendor/ to the packaged geo/vendor/
QUOTE = ("Officials said at least {v} {c} were found near {p} on Sunday, "
         "according to the regional prosecutor's office.")


def synthetic(n: int, seed: int = 7):
    rng = random.Random(seed)
    towns = [p for p in Gazetteer.default().places if p.country == "UA" and p.population >= 1_000]
    start = pd.Timestamp("2022-02-24")
    rows = []
    for i in range(n):
        town = rng.choice(towns)
        category = rng.choice(list(Category)).value
        value = int(rng.lognormvariate(2.5, 1.5)) + 1
        quote = QUOTE.format(v=value, c=category, p=town.name)
        when = start + pd.Timedelta(days=rng.randrange(365))
        row = dict.fromkeys(COLUMNS)
        row.update(kind="figure", article_id=f"{i:016x}", article_file=f"{i}.txt", outlet="Bench News",
                   title=f"Report {i}", url="", published=when, published_basis="manifest",
                   place=town.name, mention=town.name, region="", country="UA", precision="town",
                   place_confidence=1.0, place_source="gazetteer", value=value, value_high=None,
                   qualifier=rng.choice(list(Qualifier)).value, category=category, counted=category,
                   attribution="the regional prosecutor's office", event_date=when, time_precision="day",
                   date_text="on Sunday", quote=quote, start=0, end=10, sentence_start=0,
                   sentence_end=len(quote), geometry=Point(town.lon, town.lat))
        rows.append(row)
    return conform(pd.DataFrame(rows, columns=list(COLUMNS)))


def measure(frame, reference) -> tuple[float, int]:
    began = time.perf_counter()
    page = build_map(frame, reference=reference).get_root().render()
    return time.perf_counter() - began, len(page.encode("utf-8"))


# Installed before any page script: at `load` (all inline map scripts have run), wait until Leaflet
# has drawn every circle marker (SVG: one path each; canvas: no redraw pending), then one frame
# and a task, so the paint is done. performance.now() counts from navigation start.
DRAWN_HOOK = """
addEventListener("load", function () {
  function check() {
    var map = window[%(name)s], renderer = map._renderer, circles = 0;
    map.eachLayer(function (layer) { if (layer instanceof L.CircleMarker) { circles++; } });
    var canvas = renderer instanceof L.Canvas;
    var paths = document.querySelectorAll("path.leaflet-interactive").length;
    if (canvas ? renderer._redrawRequest : paths < circles) { requestAnimationFrame(check); return; }
    requestAnimationFrame(function () { setTimeout(function () {
      window.__drawn = {ms: performance.now(), circles: circles, canvas: canvas, paths: paths};
    }, 0); });
  }
  check();
});
"""

# One view change, timed in the page: resolves after `moveend` (the renderers redraw on it),
# the next frame and a task.
VIEW_CHANGE = """
([name, action]) => new Promise(function (resolve) {
  var map = window[name], began = performance.now();
  map.once("moveend", function () {
    requestAnimationFrame(function () { setTimeout(function () { resolve(performance.now() - began); }, 0); });
  });
  if (action === "zoom") { map.setZoom(map.getZoom() + 1, {animate: false}); }
  else { map.panBy([300, 200], {animate: false}); }
})
"""


class BrowserRun(NamedTuple):
    """One page load in Chromium; milliseconds, bytes, counts."""

    draw_ms: float
    zoom_ms: float
    pan_ms: float
    heap_bytes: float
    nodes: int
    canvas: bool
    refused: int


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


def _serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve `folder` on 127.0.0.1 at a free port, from a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def load_in_browser(browser, url: str, map_name: str) -> BrowserRun:
    """Open `url` in a fresh context, refusing every request not to 127.0.0.1, and time it."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        refused = refuse_off_machine(context, lambda url: urlparse(url).hostname == "127.0.0.1")
        page = context.new_page()
        page.add_init_script(DRAWN_HOOK % {"name": repr(map_name)})
        page.goto(url, wait_until="commit", timeout=300_000)
        page.wait_for_function("window.__drawn", timeout=300_000, polling=100)
        drawn = page.evaluate("window.__drawn")
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        zoom = page.evaluate(VIEW_CHANGE, [map_name, "zoom"])
        pan = page.evaluate(VIEW_CHANGE, [map_name, "pan"])
        return BrowserRun(drawn["ms"], zoom, pan, metrics["JSHeapUsedSize"], int(metrics["Nodes"]),
                          drawn["canvas"], len(refused))
    finally:
        context.close()


def browser_runs(frame, reference, browser, folder: Path, base_url: str, n: int) -> list[BrowserRun]:
    """REPEATS loads of the map of `frame`, written to `folder` and served from `base_url`."""
    fmap = build_map(frame, reference=reference, asset_base=ASSET_BASE)
    (folder / f"map_{n}.html").write_text(fmap.get_root().render(), "utf-8")
    return [load_in_browser(browser, f"{base_url}/map_{n}.html", fmap.get_name()) for _ in range(REPEATS)]


def _median(runs: list[BrowserRun], field: str) -> float:
    return statistics.median(getattr(r, field) for r in runs)


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return f"python {platform.python_version()}, {os.cpu_count()} CPUs ({cpu}), {platform.machine()}"


def main(sizes: tuple[int, ...], browser: bool) -> None:
    reference = reference_layer()
    print(f"{_machine()}, max_markers={MAX_MARKERS}, reference towns={len(reference)}")
    header = "| figures | layers | markers | build+render (median s) | page (MB) |"
    rule = "|---:|---|---:|---:|---:|"
    if browser:
        if missing_assets():
            sys.exit(f"the packaged Leaflet files are missing or changed ({', '.join(missing_assets())})")
        browser_path = find_chromium()
        if browser_path is None:
            sys.exit(how_to_get())
        version = subprocess.run([browser_path, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"{version}, headless, viewport {VIEWPORT['width']}x{VIEWPORT['height']}, median of {REPEATS}")
        header += " draw (ms) | zoom (ms) | pan (ms) | JS heap (MB) | DOM nodes |"
        rule += "---:|---:|---:|---:|---:|"
    print(header)
    print(rule)
    if not browser:
        for n in sizes:
            print(_row(n, reference), flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        (folder / ASSET_BASE.strip("/")).symlink_to(VENDOR_DIR, target_is_directory=True)
        server, base_url = _serve(folder)
        chromium = p.chromium.launch(executable_path=browser_path, args=list(CHROMIUM_ARGS))
        try:
            for n in sizes:
                print(_row(n, reference, chromium, folder, base_url), flush=True)
        finally:
            chromium.close()
            server.shutdown()


def _row(n: int, reference, chromium=None, folder: Path | None = None, base_url: str = "") -> str:
    frame = synthetic(n)
    times, size = [], 0
    for _ in range(REPEATS):
        seconds, size = measure(frame, reference)
        times.append(seconds)
    periods = layer_periods(frame)
    page = build_map(frame).get_root().render()
    markers = len(MARKER_ROW.findall(page))
    unit = periods[0].label if periods else "-"
    row = (f"| {n:,} | {len(periods)} (e.g. {unit}) | {markers:,} | {statistics.median(times):.2f} | "
           f"{size / 1e6:.2f} |")
    if chromium is None:
        return row
    runs = browser_runs(frame, reference, chromium, folder, base_url, n)
    refused = sum(r.refused for r in runs)
    if refused:
        sys.exit(f"{refused} request(s) off 127.0.0.1 were refused at {n:,} figures: the page is not offline")
    renderer = "canvas" if runs[0].canvas else "SVG"
    return (row + f" {_median(runs, 'draw_ms'):,.0f} ({renderer}) | {_median(runs, 'zoom_ms'):,.0f} | "
            f"{_median(runs, 'pan_ms'):,.0f} | {_median(runs, 'heap_bytes') / 1e6:.0f} | "
            f"{int(_median(runs, 'nodes')):,} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--browser", action="store_true", help="also time drawing, zoom and pan in headless Chromium")
    args = parser.parse_args()
    main(tuple(args.sizes), args.browser)
