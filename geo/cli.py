"""The command line: `python -m geo extract|build|incidents|bench`.

Heavy modules (pandas, the gazetteer) are imported inside the subcommands that need them, so
`--help` and `bench` start fast and a rebuild with nothing to extract never loads the gazetteer.

Exit codes: 0 when something was done (bad files are reported, not fatal); 1 when the work
failed (e.g. the store could not be written); 2 for usage errors and when no article at all
could be read.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from pathlib import Path

from geo.articles import MAX_BYTES, load_paths
from geo.errors import GeoError
from geo.records import figure_record, place_record

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "bench" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "extract":
            return _extract(args)
        if args.command == "build":
            return _build(args)
        if args.command == "incidents":
            return _incidents(args)
        return _bench(extra)
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except GeoError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED


def _extract(args) -> int:
    from geo.pipeline import extract_many

    loaded = load_paths(args.paths, args.max_bytes)
    out = sys.stdout
    for ex in extract_many(loaded.articles, _geocoder(args.online), jobs=_jobs(args.jobs)):
        for p in ex.places:
            out.write(json.dumps(place_record(ex.article.file, p), ensure_ascii=False) + "\n")
        for f in ex.figures:
            out.write(json.dumps(figure_record(ex.article.file, f), ensure_ascii=False) + "\n")
        out.flush()
    for e in loaded.errors:
        out.write(json.dumps({"kind": "error", "article": e.file, "reason": e.reason}, ensure_ascii=False) + "\n")
        print(f"skipped {e.file}: {e.reason}", file=sys.stderr)
    out.flush()
    if not loaded.articles:
        print("error: no readable article in " + " ".join(map(str, args.paths)), file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _build(args) -> int:
    from geo.store import build

    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return EXIT_USAGE
    summary = build(folder, Path(args.out), _geocoder(args.online), force=args.force, max_bytes=args.max_bytes,
                    jobs=_jobs(args.jobs))
    print(f"{args.out}: {summary}")
    if summary.rows == 0 and summary.new + summary.changed + summary.unchanged == 0:
        print(f"error: no readable article in {folder}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _incidents(args) -> int:
    """One JSON line per incident of the store (see geo.incidents), first reported first."""
    from geo.incidents import incidents
    from geo.store import read_store

    frame, _ = read_store(Path(args.store))
    for incident in incidents(frame):
        sys.stdout.write(json.dumps(incident.record(), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return EXIT_OK


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
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="print places and figures of articles as JSON Lines")
    ex.add_argument("paths", nargs="+", type=Path, help="article files or folders (a folder's manifest.csv gives metadata)")
    b = sub.add_parser("build", help="build or update the event store (GeoParquet)")
    b.add_argument("folder", nargs="?", default="data/articles", help="articles folder (default: data/articles)")
    b.add_argument("--out", default="data/events.parquet", help="store file (default: data/events.parquet)")
    b.add_argument("--force", action="store_true", help="re-extract every article, changed or not")
    for p in (ex, b):
        p.add_argument("--online", action="store_true", help="also ask an online geocoder (off by default)")
        p.add_argument("--max-bytes", type=int, default=MAX_BYTES, help=f"skip files bigger than this (default {MAX_BYTES})")
        p.add_argument("--jobs", type=int, default=1, help="worker processes for large batches; 0 = one per core (default 1)")
    inc = sub.add_parser("incidents", help="print the incidents of the event store as JSON Lines")
    inc.add_argument("--store", default="data/events.parquet", help="store file (default: data/events.parquet)")
    sub.add_parser("bench", help="run the extraction benchmark (bench/extract_bench.py); other arguments go to it", add_help=False)
    return parser
