"""The command line: `ukrmap` (or `python -m geo`) extract|build|events|counts|incidents|review|review-log|review-import|dashboard|bench.

Heavy modules (pandas, the gazetteer) are imported inside the subcommands that need them, so
`--help` and `bench` start fast and a rebuild with nothing to extract never loads the gazetteer.

Exit codes: 0 when something was done (bad files and failed articles are reported, not fatal);
1 when the work failed (the store could not be written, or no article could be extracted); 2 for
usage errors and when no article at all could be read.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from geo import paths
from geo.articles import MAX_BYTES, load_paths
from geo.errors import GeoError, ReviewError
from geo.records import error_record, figure_record, place_record

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
_STORE_COMMANDS = ("events", "counts", "incidents", "review", "review-log", "review-import")
ROOT = Path(__file__).resolve().parent.parent
PERIODS = ("day", "week", "month", "year")   # geo.store.query.PERIODS, not imported so that --help starts fast


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command not in ("bench", "dashboard", "open") and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "build":
            return _build(args)
        if args.command in _STORE_COMMANDS:
            from geo import commands

            return getattr(commands, args.command.replace("-", "_"))(args)
        if args.command in ("dashboard", "open"):
            from geo.launch import run

            return run(extra)
        return _bench(extra)
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except ReviewError as e:
        print(f"error: {e}; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    except GeoError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED


def _extract(args) -> int:
    from geo.pipeline import DEFAULT_BUDGET, ExtractionFailure, extract_many

    loaded = load_paths(args.paths, args.max_bytes)
    out = sys.stdout
    extracted = 0
    from geo.dates_across import dated_across

    for ex in dated_across(extract_many(loaded.articles, _geocoder(args.online), jobs=_jobs(args.jobs),
                                        budget=args.timeout or DEFAULT_BUDGET)):
        for note in ex.article.notes:
            print(f"note {ex.article.file}: {note}", file=sys.stderr)
        if isinstance(ex, ExtractionFailure):
            out.write(json.dumps(error_record(ex.article.file, ex.stage, ex.reason), ensure_ascii=False) + "\n")
            print(f"failed {ex.article.file}: {ex.stage}: {ex.reason}", file=sys.stderr)
            continue
        extracted += 1
        for warning in ex.warnings:
            print(f"warning {ex.article.file}: {warning}", file=sys.stderr)
        for p in ex.places:
            out.write(json.dumps(place_record(ex.article.file, p), ensure_ascii=False) + "\n")
        for f in ex.figures:
            out.write(json.dumps(figure_record(ex.article.file, f), ensure_ascii=False) + "\n")
        out.flush()
    for e in loaded.errors:
        out.write(json.dumps(error_record(e.file, "load", e.reason), ensure_ascii=False) + "\n")
        print(f"skipped {e.file}: {e.reason}", file=sys.stderr)
    out.flush()
    if not loaded.articles:
        print("error: no readable article in " + " ".join(map(str, args.paths)), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if extracted else EXIT_FAILED


def _build(args) -> int:
    from geo.build import build

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    progress = None
    if args.dask is not None:
        from geo import distributed

        if args.online:
            print("error: --online cannot be used with --dask (the online geocoder's rate limit must stay in one process)",
                  file=sys.stderr)
            return EXIT_USAGE
        try:
            distributed.check_spec(args.dask)
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return EXIT_USAGE
        progress = distributed.TextBar()
    summary = build(folder, args.store, _geocoder(args.online), force=args.force, max_bytes=args.max_bytes,
                    jobs=_jobs(args.jobs), progress=progress, dask=args.dask)
    print(f"{args.store}: {summary}")
    if summary.new + summary.changed + summary.unchanged == 0 and summary.failed:
        print(f"error: no readable article in {folder}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _store_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--store", "--out", dest="store", default=paths.default_store(),
                   help="the store: a file (embedded, default %(default)s) or a postgresql:// URL")


def _query_options(p: argparse.ArgumentParser) -> None:
    """Filters the store runs itself (geo.store.query); reviewed values decide, as in the dashboard."""
    p.add_argument("--from", dest="start", type=_day, help="first day, YYYY-MM-DD (event date, else publication date)")
    p.add_argument("--to", dest="end", type=_day, help="last day, YYYY-MM-DD")
    p.add_argument("--place", action="append", help="only this place (repeat for several)")
    p.add_argument("--category", action="append", help="only this category (repeat for several)")
    p.add_argument("--bbox", type=_bbox, help="only inside west,south,east,north (degrees, EPSG:4326)")


def _day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from e


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        west, south, east, north = (float(v) for v in text.split(","))
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"not west,south,east,north: {text!r}") from e
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise argparse.ArgumentTypeError(f"west <= east within ±180 and south <= north within ±90, not {text!r}")
    return west, south, east, north


def _jobs(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def _geocoder(online: bool):
    """None means the extractors' own offline default, loaded only if something needs it."""
    if not online:
        return None
    from geo.geocoders import default_geocoder

    return default_geocoder(online=True)


def _bench(argv: list[str]) -> int:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    try:
        bench = importlib.import_module("bench.extract_bench")
    except ModuleNotFoundError as e:
        if e.name not in ("bench", "bench.extract_bench"):
            raise
        print(f"error: the benchmark is not installed (no bench/extract_bench.py under {ROOT})", file=sys.stderr)
        return EXIT_USAGE
    result = bench.main(argv)
    return result if isinstance(result, int) else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ukrmap", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="print places and figures of articles as JSON Lines")
    ex.add_argument("paths", nargs="+", type=Path, help="article files or folders (a folder's manifest.csv gives metadata)")
    ex.add_argument("--timeout", type=float, metavar="SECONDS",
                    help="time one article may take before it is reported as failed (default: geo.pipeline.DEFAULT_BUDGET, 60)")
    b = sub.add_parser("build", help="build or update the store from an articles folder and the uploads library")
    b.add_argument("folder", nargs="?", default=str(paths.articles_dir()), help="articles folder (default: %(default)s)")
    _store_option(b)
    b.add_argument("--force", action="store_true", help="re-extract every article, changed or not")
    b.add_argument("--dask", metavar="CLUSTER", help="extract on Dask: local:N (N worker processes here) or a scheduler "
                   "address such as tcp://host:8786 (see docs/scale.md)")
    for p in (ex, b):
        p.add_argument("--online", action="store_true", help="also ask an online geocoder (off by default)")
        p.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"skip files bigger than this (default {MAX_BYTES})")
        p.add_argument("--jobs", type=int, default=1, help="worker processes for large batches; 0 = one per core (default 1)")
    ev = sub.add_parser("events", help="figures as the user sees them (reviews applied), as JSON Lines")
    _store_option(ev)
    ev.add_argument("--all", action="store_true", help="place mentions too, not only figures")
    counts = sub.add_parser("counts", help="figures per place and period (reviews applied, rejected left out), as JSON Lines")
    _store_option(counts)
    counts.add_argument("--by", choices=PERIODS, default="month", help="the period (default %(default)s)")
    for p in (ev, counts):
        _query_options(p)
    r = sub.add_parser("review", help="record a review of one figure or place: verified, corrected, rejected, unlocatable")
    r.add_argument("id", help="the item id (from `extract` or `events`)")
    _store_option(r)
    r.add_argument("--status", required=True,
                   help="verified | corrected | rejected | unlocatable for a figure or place; merge (incidents) or split (figures)")
    r.add_argument("--with", dest="with_ids", action="append", metavar="ID",
                   help="with --status merge: another incident to merge; with split: another figure to take out with it")
    r.add_argument("--by", required=True, help="the reviewer's name")
    r.add_argument("--reason", default="", help="why (kept in the log)")
    r.add_argument("--value", help="corrected value")
    r.add_argument("--qualifier", help="corrected qualifier: exact, at_least, more_than, up_to, about, estimated")
    r.add_argument("--category", help="corrected category: killed, bodies, graves, injured, missing, explosives, other")
    r.add_argument("--place", help="corrected place: a gazetteer name or one of the mention's candidates")
    r.add_argument("--lat", help="corrected latitude (with --lon)")
    r.add_argument("--lon", help="corrected longitude (with --lat)")
    r.add_argument("--event-date", dest="event_date", help="corrected event date, YYYY-MM-DD")
    log = sub.add_parser("review-log", help="the review log, oldest first, as JSON Lines")
    _store_option(log)
    imp = sub.add_parser("review-import", help="append reviews from a review-log file (JSON Lines); duplicates are skipped")
    imp.add_argument("file", type=Path)
    _store_option(imp)
    inc = sub.add_parser("incidents", help="incidents (claims of one event linked, reviews applied) as JSON Lines")
    _store_option(inc)
    sub.add_parser("bench", help="run the extraction benchmark (bench/extract_bench.py); other arguments go to it", add_help=False)
    sub.add_parser("dashboard", aliases=["open"], help="serve the dashboard at http://127.0.0.1:8501 (Ctrl+C stops it); "
                   "other arguments go to `streamlit run`, e.g. --server.port 8502")
    return parser
