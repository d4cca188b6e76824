"""Build throughput on one machine, one process against Dask workers, and what the store can take.

Generates a corpus (bench/corpus.py), then builds it into fresh embedded stores: in one process,
then on a LocalCluster of 1 and of 2 workers (cluster start and gazetteer load timed apart from the
build). Checks that the Dask builds give exactly the events of the one-process build. Then times
the parts that stay on the driver however many workers there are: turning results into rows
(geo.events.to_frame) and writing rows to the store (embedded, and PostGIS with --postgis URL).
Run: `python bench/scale_bench.py [--n 2000] [--workers 1 2] [--postgis postgresql://…] [--json]`.
The numbers go in docs/scale.md; this is a benchmark, never a timed test.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus  # noqa: E402
from bench.extract_bench import machine  # noqa: E402
from geo import collection, events  # noqa: E402
from geo.articles import load_folder  # noqa: E402
from geo.build import build  # noqa: E402
from geo.pipeline import extract  # noqa: E402
from geo.records import event_record  # noqa: E402
from geo.store import ArticleRows, StoredArticle, open_store  # noqa: E402


def _events(store) -> list[dict]:
    return [event_record(row) for row in collection.read_store(store).frame.to_dict("records")]


def _cpu() -> float:
    """CPU seconds of this process (all its threads)."""
    t = os.times()
    return t.user + t.system


def run_serial(folder: Path, store: Path) -> dict:
    t0, c0 = time.perf_counter(), _cpu()
    summary = build(folder, store, uploads=store.parent / "uploads")
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return {"seconds": round(seconds, 1), "articles_per_s": round(summary.new / seconds, 1),
            "cpu_ms_per_article": round(1000 * cpu / summary.new, 1), "rows": summary.rows}


def run_dask(folder: Path, store: Path, workers: int) -> dict:
    """Wall time, and CPU time apart: on the workers (extraction, rows) and here (the scheduler, receiving, writing)."""
    from geo.distributed import GazetteerPlugin, connect

    t0 = time.perf_counter()
    with connect(f"local:{workers}") as client:         # the cluster `--dask local:N` starts
        client.register_plugin(GazetteerPlugin())       # waits until every worker has loaded the gazetteer
        started = time.perf_counter() - t0
        w0, c0, t1 = client.run(_cpu), _cpu(), time.perf_counter()
        summary = build(folder, store, uploads=store.parent / "uploads", dask=client)
        seconds, driver, w1 = time.perf_counter() - t1, _cpu() - c0, client.run(_cpu)
    on_workers = sum(w1[k] - w0[k] for k in w0)
    return {"workers": workers, "start_seconds": round(started, 1), "seconds": round(seconds, 1),
            "articles_per_s": round(summary.new / seconds, 1),
            "articles_per_s_with_start": round(summary.new / (seconds + started), 1), "failed": summary.failed,
            "worker_cpu_ms_per_article": round(1000 * on_workers / summary.new, 1),
            "driver_cpu_ms_per_article": round(1000 * driver / summary.new, 1)}


def driver_costs(folder: Path, sample: int, targets: dict[str, str]) -> dict:
    """Per-article costs that stay on the driver: rows from results, and store writes (batches of 64)."""
    articles = load_folder(folder).articles[:sample]
    results = [extract(a) for a in articles]
    t0 = time.perf_counter()
    frames = [events.to_frame([r]) for r in results]
    out = {"to_frame_ms_per_article": round(1000 * (time.perf_counter() - t0) / len(results), 2)}
    batch = [ArticleRows(StoredArticle(f"folder:{r.article.file}", r.article.id, r.article.file, rows=len(f)), f, r.article.text)
             for r, f in zip(results, frames)]
    for name, target in targets.items():
        with open_store(target) as repo:
            t0 = time.perf_counter()
            for i in range(0, len(batch), 64):
                repo.write(batch[i:i + 64])
            seconds = time.perf_counter() - t0
        out[f"{name}_write_articles_per_s"] = round(len(batch) / seconds, 1)
        out[f"{name}_write_rows_per_s"] = round(sum(len(f) for f in frames) / seconds)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n", type=int, default=2000, help="generated articles (default %(default)s)")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="LocalCluster sizes to run (default 1 2)")
    p.add_argument("--postgis", help="a postgresql:// URL of an empty database, to time writes to PostGIS too")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    report: dict = {"machine": machine() | {"load_average_at_start": os.getloadavg()}, "articles": args.n}
    with tempfile.TemporaryDirectory(prefix="ukrmap-scale-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "articles"
        corpus.write(folder, args.n)
        report["one_process"] = run_serial(folder, tmp / "serial" / "ukrmap.db")
        expected = _events(tmp / "serial" / "ukrmap.db")
        report["events"] = len(expected)
        report["dask"] = []
        for n in args.workers:
            store = tmp / f"dask{n}" / "ukrmap.db"
            result = run_dask(folder, store, n)
            result["same_events_as_one_process"] = _events(store) == expected
            report["dask"].append(result)
        targets = {"embedded": str(tmp / "writes" / "ukrmap.db")}
        if args.postgis:
            targets["postgis"] = args.postgis
        report["driver"] = driver_costs(folder, min(args.n, 256), targets)
    report["machine"]["load_average_at_end"] = os.getloadavg()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        s = report["one_process"]
        print(f"{args.n} articles, {report['events']} rows; {report['machine']['cores']} cores, load {report['machine']['load_average_at_start'][0]:.1f}")
        print(f"one process: {s['articles_per_s']} articles/s ({s['seconds']} s), {s['cpu_ms_per_article']} ms CPU per article")
        for d in report["dask"]:
            print(f"dask local:{d['workers']}: {d['articles_per_s']} articles/s ({d['seconds']} s, cluster start {d['start_seconds']} s); "
                  f"CPU per article {d['worker_cpu_ms_per_article']} ms on workers, {d['driver_cpu_ms_per_article']} ms here; "
                  f"same events as one process: {d['same_events_as_one_process']}")
        print("driver:", ", ".join(f"{k} {v}" for k, v in report["driver"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
