"""Every record the extractor writes for a set of inputs, as one JSON Lines file, so two commits
can be compared byte for byte (a refactor meant to be pure must leave this file unchanged).

Inputs: folders and files as `python -m geo extract` takes them, plus `--synthetic N` articles of
the bench corpus (bench/corpus.py, seed 0). Each article is extracted in this process, one after
the other, in the order given, and batch-dated as the command line does (geo.dates_across).
Run: `python bench/output_dump.py --synthetic 1000 data/articles tests/fixtures OUT.jsonl`, once
per commit, then `cmp` (or `diff`) the two files.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.articles import load_bytes, load_paths  # noqa: E402
from geo.dates_across import dated_across  # noqa: E402
from geo.pipeline import extract_in_process  # noqa: E402
from geo.records import error_record, figure_record, place_record  # noqa: E402


def articles(paths: list[Path], synthetic: int) -> list:
    out = []
    for p in paths:
        folders = [p, *sorted(d for d in p.rglob("*") if d.is_dir())] if p.is_dir() else [p]
        out += load_paths(folders).articles
    if synthetic:
        from bench.corpus import generate

        out += [load_bytes(doc.file, doc.text.encode("utf-8"), published=doc.published) for doc in generate(synthetic, 0)]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", type=Path, help="inputs, then the output file")
    parser.add_argument("--synthetic", type=int, default=0, help="also this many bench-corpus articles")
    args = parser.parse_args(argv)
    *inputs, target = args.paths
    with target.open("w", encoding="utf-8") as out:
        for ex in dated_across(extract_in_process(a) for a in articles(inputs, args.synthetic)):
            name = ex.article.file
            if not hasattr(ex, "places"):
                out.write(json.dumps(error_record(name, ex.stage, ex.reason), ensure_ascii=False) + "\n")
                continue
            for p in ex.places:
                out.write(json.dumps(place_record(name, p), ensure_ascii=False) + "\n")
            for f in ex.figures:
                out.write(json.dumps(figure_record(name, f), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
