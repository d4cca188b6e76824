"""How the dashboard keeps up with a collection: 100 to 50,000 generated articles, in Python and in a browser.

For each size: generate the corpus (bench/corpus.py), build its store once (`python -m geo build
FOLDER --store S --jobs 2`, kept in --work between runs), then

- AppTest (Streamlit's headless runner, a fresh process per size so nothing is cached): the first
  run (opening an already-built store: sync check, read, first view), a rerun with nothing
  changed, a town chosen, a date range narrowed to its first month; wall seconds each.
- AppTest again, a fresh process: the first run of a later start (the sync skipped by its stamp,
  the store read from its snapshot).
- Chromium (headless, Playwright, every request off 127.0.0.1 refused): `streamlit run` on the
  store, time from navigation to the map's markers drawn for the first view, the same view in a
  new tab, and a link narrowed to 30 days; on the second tab, a rerun with nothing changed (its
  websocket bytes), three changes of the date filter
  (to 30, 31 and 32 days: each a view not computed before) and a town picked, each timed from the
  change to the new map's markers; the bytes the page received (HTTP bodies and websocket
  frames) and the map iframe's HTML size.

Run: `python bench/dashboard_bench.py [--work DIR] [--sizes 100 1000 10000 50000] [--no-browser]
[--profile]` (--profile: cProfile files of the script's thread per step, in --work). The numbers go in docs/dashboard.md; this is a benchmark, never a timed test.
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (100, 1_000, 10_000, 50_000)
PYTHON = sys.executable


def corpus_and_store(work: Path, n: int, jobs: int = 2) -> tuple[Path, Path]:
    """The generated articles and their built store, made once and kept in `work`."""
    from bench import corpus

    folder, store = work / f"c{n}", work / f"s{n}.db"
    if not (folder / "manifest.csv").exists():
        corpus.write(folder, n)
    # Always brought up to date first: the extractor version covers every file of geo/, so a
    # store built by other code would be extracted again inside the first run being timed.
    t0 = time.perf_counter()
    subprocess.run([PYTHON, "-m", "geo", "build", str(folder), "--store", str(store), "--jobs", str(jobs)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"{store} up to date after {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return folder, store


def environment(work: Path, folder: Path, store: Path) -> dict[str, str]:
    """The dashboard's settings for one store: its folder (an up-to-date build: nothing to extract)
    and an empty data folder of its own for uploads."""
    data = work / f"data-{store.stem}"
    data.mkdir(exist_ok=True)
    return {**os.environ, "UKRMAP_STORE": str(store), "UKRMAP_ARTICLES": str(folder), "UKRMAP_DATA": str(data)}


def apptest_steps(profile: Path | None = None, first_only: bool = False) -> dict:
    """In this process (environment already set): the four AppTest timings, wall seconds."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=900)
    out = {}
    profiling = {}
    if profile is not None:
        _profile_script_thread(profiling)

    def step(name, action):
        profiling["file"] = None if profile is None else f"{profile}.{name.replace(' ', '_')}.prof"
        t0 = time.perf_counter()
        action()
        out[name] = round(time.perf_counter() - t0, 2)
        if at.exception:
            raise RuntimeError(f"{name}: {at.exception[0].value}")

    step("first run", at.run)
    if first_only:
        return out
    step("rerun", at.run)
    towns = at.multiselect(key="towns")
    town = towns.options[len(towns.options) // 2]
    step("town", lambda: towns.set_value([town]).run())
    step("clear town", lambda: at.multiselect(key="towns").set_value([]).run())
    start, _ = at.date_input(key="dates").value
    step("dates", lambda: at.date_input(key="dates").set_value((start, start + timedelta(days=30))).run())
    return out


def _profile_script_thread(profiling: dict) -> None:
    """cProfile the script's own thread (AppTest runs the script in one), one file per step."""
    import cProfile

    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    run = ScriptRunner._run_script

    def profiled(self, rerun_data):
        if not profiling.get("file"):
            return run(self, rerun_data)
        prof = cProfile.Profile()
        prof.enable()
        try:
            return run(self, rerun_data)
        finally:
            prof.disable()
            prof.dump_stats(profiling["file"])

    ScriptRunner._run_script = profiled


def forget_start(store: Path) -> None:
    """As right after `python -m geo build`: no sync stamp (geo.freshness), no snapshot (geo.store.snapshot)."""
    for kept in [*store.parent.glob(f"{store.name}.synced-*.json"), *store.parent.glob(f"{store.name}.snapshot-*.parquet")]:
        kept.unlink()


def apptest(work: Path, n: int, profile: bool = False) -> dict:
    """The steps in a fresh process right after a build (the sync reads the folder, the store is
    decoded and checked), then the first run again in another fresh process: a later start."""
    folder, store = corpus_and_store(work, n)
    forget_start(store)
    out = {}
    for first_only in (False, True):
        args = [PYTHON, __file__, "--apptest-child", "--work", str(work)] + (["--first-only"] if first_only else [])
        if profile and not first_only:
            args += ["--profile-prefix", str(work / f"profile-{n}")]
        done = subprocess.run(args, cwd=ROOT, env=environment(work, folder, store), capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"AppTest on {n} articles failed:\n{done.stderr[-3000:]}")
        steps = json.loads(done.stdout.strip().splitlines()[-1])
        if first_only:
            out["later start"] = steps["first run"]
        else:
            out.update(steps)
    return out


MAP_FRAME = 'iframe[title*="st_folium"]'


def _serve(env: dict, port: int, log: Path) -> subprocess.Popen:
    """`streamlit run dashboard.py` on 127.0.0.1:port with the dashboard's own flags, healthy."""
    from geo import launch
    from geo.errors import ServerError

    proc = subprocess.Popen([PYTHON, "-m", "streamlit", *launch.streamlit_args(["--server.port", str(port)])],
                            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        launch.wait_healthy(f"http://127.0.0.1:{port}", proc)
    except ServerError as e:
        proc.kill()
        raise RuntimeError(f"{e}:\n{log.read_text()}") from e
    return proc


def _load(browser, url: str, changes: dict | None = None) -> dict:
    """A fresh page: seconds from navigation to the map's markers drawn (the legend is added after
    every marker layer, by the same script) and to the script run being over, and what came over
    the wire: HTTP bodies and websocket frames, and the map frame's own HTML. Then each of
    `changes` (name: a function of the page) in turn, timed by `_redraw`."""
    from geo.chromium import refuse_off_machine

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused = refuse_off_machine(
        context, lambda url: url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")))
    page = context.new_page()
    received = {"http": 0, "ws": 0}

    def on_response(response):
        try:
            received["http"] += len(response.body())
        except Exception:  # redirects and aborted requests have no body
            pass

    page.on("response", on_response)
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.__setitem__(
        "ws", received["ws"] + len(payload))))
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".geo-legend").wait_for(state="attached", timeout=900_000)
    drawn = time.perf_counter() - t0
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=900_000)
    done = time.perf_counter() - t0
    page.wait_for_timeout(500)
    map_html = page.frame_locator(MAP_FRAME).locator("html").evaluate("e => e.outerHTML.length")
    out = {"markers_s": round(drawn, 2), "done_s": round(done, 2), "map_kb": round(map_html / 1e3),
           "ws_kb": round(received["ws"] / 1e3), "http_kb": round(received["http"] / 1e3)}
    if changes:
        out["rerun"] = _rerun(page, received)
    for name, change in (changes or {}).items():
        out[name] = _redraw(page, received, functools.partial(change, page))
    context.close()
    if refused:
        raise RuntimeError(f"requests off the machine: {refused[:3]}")
    return out


# A new view's markers are drawn when a legend appears that was not there before the change: the
# view's script replaces the legend after its marker layers, in the same map frame (before
# mapping.view_layers, a new map was a new frame beside the old one, with its own legend).
_FRAMES = f"[...document.querySelectorAll('{MAP_FRAME}')].map(f => f.contentDocument).filter(d => d)"
_MARK_OLD = f"() => {_FRAMES}.forEach(d => d.querySelectorAll('.geo-legend').forEach(e => e.dataset.old = '1'))"
_NEW_LEGEND = f"() => {_FRAMES}.some(d => d.querySelector('.geo-legend:not([data-old])'))"


def _redraw(page, received: dict, change) -> dict:
    """Seconds from a filter change made on the page (the click or key that commits it; typing
    before it is not counted) to the new map's markers drawn (a legend that was not there
    before) and to the run being over, and the websocket bytes it took. `change` prepares the
    change and returns the function that commits it."""
    page.evaluate(_MARK_OLD)
    commit = change()
    ws = received["ws"]
    t0 = time.perf_counter()
    commit()
    page.wait_for_function(_NEW_LEGEND, timeout=900_000, polling=50)
    drawn = time.perf_counter() - t0
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=900_000)
    return {"markers_s": round(drawn, 2), "done_s": round(time.perf_counter() - t0, 2),
            "ws_kb": round((received["ws"] - ws) / 1e3)}


def _rerun(page, received: dict) -> dict:
    """A rerun with nothing changed (the app's "R" key): the websocket bytes it took."""
    ws = received["ws"]
    page.get_by_role("heading").first.click()
    page.keyboard.press("r")
    deadline = time.monotonic() + 30
    while received["ws"] == ws and time.monotonic() < deadline:  # the run's first message
        page.wait_for_timeout(50)
    page.wait_for_timeout(3000)  # a rerun here takes well under a second: its last message is in
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=900_000)
    return {"ws_kb": round((received["ws"] - ws) / 1e3)}


def _pick_town(page, town: str):
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").filter(has_text="Town")
    box.locator("input").click()
    page.keyboard.type(town)  # the list shows only its first options until typed into
    option = page.get_by_role("option", name=town, exact=True)
    option.wait_for()
    return option.click


def _set_end_date(page, end):
    """Types the date range's end date (the field's segments take digits); leaving the field commits it."""
    dates = page.get_by_test_id("stSidebar").get_by_test_id("stDateInput").filter(has_text="Dates")
    dates.get_by_role("spinbutton", name="year, Dates end date").click()
    page.keyboard.type(end.strftime("%Y%m%d"))

    def leave():
        page.keyboard.press("Escape")
        page.get_by_role("heading").first.click()
    return leave


def browser(work: Path, n: int) -> dict:
    """Chromium on a fresh server: the first view (the server reads the store), the same view in a
    second tab (cached), and a link narrowed to one month (a new view, computed)."""
    from playwright.sync_api import sync_playwright

    from geo import launch
    from geo.chromium import ARGS, find

    folder, store = corpus_and_store(work, n)
    port = launch.free_port()
    proc = _serve(environment(work, folder, store), port, work / f"streamlit-{n}.log")
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=find(), args=list(ARGS))
            url = f"http://127.0.0.1:{port}/"
            first = _load(b, url)
            from geo import collection, filters

            opts = filters.options(collection.read_store(store).frame)
            town = opts.towns[len(opts.towns) // 2]
            # Three date changes on the page, each to a view not seen before (30, 31, 32 days),
            # then one town picked within the last.
            changes = {f"dates {k}": (lambda p, k=k: _set_end_date(p, opts.first + timedelta(days=k))) for k in (30, 31, 32)}
            again = _load(b, url, {**changes, "town": lambda p: _pick_town(p, town)})
            month = f"{url}?from={opts.first.isoformat()}&to={(opts.first + timedelta(days=29)).isoformat()}"
            narrowed = _load(b, month)
            b.close()
    finally:
        proc.terminate()
        proc.wait(30)
    return {"first": first, "again": again, "month": narrowed}


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"Python {platform.python_version()}, {os.cpu_count()} CPUs ({platform.machine()}), "
            f"load average {load}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", type=Path, default=Path("/tmp/ukrmap-dashboard-bench"))
    p.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    p.add_argument("--no-browser", action="store_true")
    p.add_argument("--profile", action="store_true", help="cProfile the AppTest reruns (files in --work)")
    p.add_argument("--apptest-child", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--profile-prefix", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--first-only", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.apptest_child:
        print(json.dumps(apptest_steps(args.profile_prefix, args.first_only)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    print(machine())
    for n in args.sizes:
        row = {"articles": n, "apptest": apptest(args.work, n, args.profile)}
        if not args.no_browser:
            row["browser"] = browser(args.work, n)
        row["load"] = [round(x, 1) for x in os.getloadavg()]
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
