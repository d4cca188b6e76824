"""What the per-article error boundary costs: extraction in this process, unguarded, against
`geo.pipeline.extract_many` (worker processes with a time budget), on the same articles.

Sets: the five sample articles, 1,000 small articles (one or two sentences each) and 1,000
corpus articles (about 3 KB each, bench/corpus.py). Run: `python bench/boundary_bench.py [--runs 3]`.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate  # noqa: E402
from geo.articles import load_bytes, load_folder  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.pipeline import extract, extract_many  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SMALL = ("At least {n} people were killed in Kharkiv on Sunday, the governor said.",
         "Rescuers found {n} bodies in Izium. Police said the search goes on.",
         "Nothing happened in Lviv today, officials said.")


def sets() -> dict[str, list]:
    small = [load_bytes(f"s{i}.txt", SMALL[i % 3].format(n=i % 50 + 2).encode()) for i in range(1000)]
    corpus = [load_bytes(doc.file, doc.text.encode()) for doc in generate(1000)]
    return {"5 samples": load_folder(ROOT / "data" / "articles").articles, "1,000 small": small,
            "1,000 corpus (3 KB)": corpus}


def timed(run) -> tuple[float, float]:
    """Wall seconds, and CPU seconds of this process and of the workers it waited for: on a
    shared machine the wall time mostly measures the neighbours, the CPU time does not."""
    t0, c0 = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - t0, _cpu() - c0


def _cpu() -> float:
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    Gazetteer.default()
    for name, articles in sets().items():
        for a in articles[:3]:
            extract(a)  # warm the caches both ways start from
        plain = _median([timed(lambda: [extract(a) for a in articles]) for _ in range(args.runs)])
        guarded = {jobs: _median([timed(lambda: list(extract_many(articles, jobs=jobs))) for _ in range(args.runs)])
                   for jobs in (1, 2)}
        n = len(articles)
        print(f"{name}: wall/CPU ms per article: in-process {plain[0] / n * 1000:.2f}/{plain[1] / n * 1000:.2f}; "
              f"extract_many jobs=1 {guarded[1][0] / n * 1000:.2f}/{guarded[1][1] / n * 1000:.2f}; "
              f"jobs=2 {guarded[2][0] / n * 1000:.2f}/{guarded[2][1] / n * 1000:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
