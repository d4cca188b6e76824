"""Extraction time against article length, for the inputs that used to grow with its square.

Four kinds of input, each at growing lengths, extracted whole (places, figures, dates,
attribution) on one core:

- runon:    one "sentence" of clauses with places and numbers and no full stop (a scraped list);
- towns:    one sentence naming N towns of the gazetteer, with two figures after them;
- villages: "the villages of" N names the gazetteer lacks, each named again later with a figure;
- article:  the real articles of tests/fixtures run together into one long article;
- oneline:  the same with every line break made a space (HTML stripped to one line);
- paragraph: the same with a headline line kept over one paragraph (a scraped article body).

For each it prints the CPU time of the extraction (one process, one core: other jobs on the machine
do not count; garbage from the previous input is collected first), the time per 100 KB and the
counts found. Cost is linear when the time per 100 KB stays flat as the length doubles; the last
column is the ratio of each row's time per 100 KB to the smallest row's. A benchmark, run on
demand, never a timed unit test:

    python bench/linearity_bench.py [--kinds runon,towns,article,oneline] [--steps 4] [--profile KIND] [--check 2]
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.articles import load_bytes  # noqa: E402
from geo.gazetteer import Gazetteer  # noqa: E402
from geo.pipeline import extract  # noqa: E402

TOWNS = ("Kupiansk", "Izium", "Balakliia", "Chuhuiv", "Lozova", "Vovchansk", "Bakhmut", "Sloviansk",
         "Kramatorsk", "Pokrovsk", "Nikopol", "Marhanets", "Kherson", "Mykolaiv", "Sumy", "Okhtyrka")
CLAUSES = ("shelling hit {t} overnight, killing {n} people", "{n} residents were injured in {t}",
           "{n} bodies were found near the village of {t}", "while in {t} {n} people remain missing",
           "and sappers removed {n} explosive objects around {t}",
           "the head of the Kharkiv regional administration said {n} were wounded in {t} (one of them a child)",
           "according to police {n} more were hurt in the {t} district; {n} homes were damaged")
# The largest length of each kind, and the factor between steps.
LARGEST = {"runon": 80_000, "towns": 10_000, "villages": 8_000, "article": 2_000_000, "oneline": 1_900_000,
           "paragraph": 1_900_000}


def runon(size: int) -> str:
    """Clauses joined by commas, "and", "while", semicolons and brackets, never a full stop."""
    out, n, i = [], 0, 0
    while n < size:
        clause = CLAUSES[i % len(CLAUSES)].format(t=TOWNS[(i * 7) % len(TOWNS)], n=(i % 47) + 2)
        out.append(clause)
        n += len(clause) + 2
        i += 1
    return "Russian strikes across the east on Sunday: " + ", ".join(out)


def towns(count: int) -> str:
    """One sentence naming `count` Ukrainian towns, then two figures. The gazetteer has some
    4,500 distinct Ukrainian names: a longer list names them again, in the same order."""
    names = list(dict.fromkeys(p.name for p in Gazetteer.default().places if p.country == "UA"))
    listed = [names[k % len(names)] for k in range(count)]
    return ("Russian forces shelled " + ", ".join(listed[:-1]) + " and " + listed[-1]
            + ", killing 12 people and injuring 30 others, the governor said on Monday.")


def villages(count: int) -> str:
    """"The villages of" `count` made-up names (settlements the gazetteer lacks), then a quarter
    of them again, each with a figure."""
    names = [f"{chr(65 + k % 26)}{chr(97 + k // 26 % 26)}{chr(97 + k // 676 % 26)}ivka" for k in range(count)]
    return ("Russian troops shelled the villages of " + ", ".join(names) + " in Kharkiv Oblast, killing 4 people. "
            + " ".join(f"In {name} 2 people were hurt." for name in names[:count // 4]))


def article(size: int, oneline: bool = False, headline: bool = False) -> str:
    """The fixture articles, in name order, repeated and run together up to `size` characters;
    `oneline` makes every line break a space but, with `headline`, the first."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "fixtures").glob("*/*.txt"))]
    out, n, i = [], 0, 0
    while n < size:
        out.append(texts[i % len(texts)])
        n += len(out[-1]) + 2
        i += 1
    text = "\n\n".join(out)[:size]
    if not oneline:
        return text
    head, _, body = text.partition("\n") if headline else ("", "", text)
    return (head + "\n" if headline else "") + body.replace("\n", " ")


def make(kind: str, size: int) -> str:
    if kind == "runon":
        return runon(size)
    if kind == "towns":
        return towns(size)
    if kind == "villages":
        return villages(size)
    return article(size, oneline=kind in ("oneline", "paragraph"), headline=kind == "paragraph")


def sizes(kind: str, steps: int, scale: float = 1.0) -> list[int]:
    return [int(LARGEST[kind] * scale) >> k for k in range(steps - 1, -1, -1)]


def run(kind: str, size: int):
    text = make(kind, size)
    a = load_bytes(f"{kind}-{size}.txt", text.encode("utf-8"))
    gc.collect()
    t0 = time.process_time()
    ex = extract(a)
    return len(a.text), time.process_time() - t0, ex


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", default="runon,towns,villages,article,oneline,paragraph")
    parser.add_argument("--steps", type=int, default=4, help="lengths per kind, each twice the one before")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every length by this (0.25: a quick run)")
    parser.add_argument("--profile", metavar="KIND", help="profile the largest input of one kind instead")
    parser.add_argument("--check", type=float, metavar="RATIO",
                        help="exit 1 when a kind's largest input costs more than RATIO times its smallest per 100 KB "
                             "(2 is a fair bound on a quiet machine: a quadratic step shows as 4 or more at 8 times the length)")
    args = parser.parse_args(argv)
    extract(load_bytes("warm.txt", b"Two people were killed in Kupiansk on Sunday."))  # load the gazetteer
    if args.profile:
        text = make(args.profile, int(LARGEST[args.profile] * args.scale))
        a = load_bytes("profiled.txt", text.encode("utf-8"))
        profile = cProfile.Profile()
        profile.runcall(extract, a)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        return 0
    print(f"{'kind':9} {'n':>9} {'chars':>10} {'cpu s':>8} {'s/100KB':>8} {'places':>7} {'figures':>7} {'ratio':>6}")
    worst = 0.0
    for kind in args.kinds.split(","):
        base = None
        for size in sizes(kind, args.steps, args.scale):
            chars, seconds, ex = run(kind, size)
            per = seconds / chars * 100_000
            base = base or per
            print(f"{kind:9} {size:>9,} {chars:>10,} {seconds:>8.2f} {per:>8.3f} {len(ex.places):>7} "
                  f"{len(ex.figures):>7} {per / base:>6.2f}", flush=True)
        worst = max(worst, per / base)
    if args.check is not None and worst > args.check:
        print(f"not linear: the time per 100 KB grew {worst:.2f} times (bound {args.check})")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
