"""CPU milliseconds an article of our whole extraction (load, places, figures with dates and
attribution) on the bench corpus, the best of several runs, in one line: for comparing two commits
side by side (run it from each checkout in turn; other jobs on a shared machine do not count in
CPU time, and the best run is the one least disturbed by them).
Run: `python bench/cpu_per_article.py [--n 300] [--runs 5]`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate  # noqa: E402
from bench.extract_bench import run_ours  # noqa: E402
from geo.geocoders import default_geocoder  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    corpus = generate(args.n, 0)
    geocoder = default_geocoder(online=False)
    run_ours(corpus[:5], geocoder)
    best = float("inf")
    for _ in range(args.runs):
        c0 = time.process_time()
        run_ours(corpus, geocoder)
        best = min(best, time.process_time() - c0)
    print(f"{best / args.n * 1000:.3f} ms/article ({args.n} articles, best of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
