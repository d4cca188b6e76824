"""Extraction speed and accuracy on the synthetic corpus, side by side with geotext.

Stages timed per article: load (decode bytes into an Article), places (find and resolve), figures
(numbers, categories, places, dates). Speed is the median over runs of articles per second, in
wall-clock time and in CPU time of this process: on a shared machine the wall clock counts other
jobs' turns too, so the CPU ratio of the two tools, measured in the same run, is the one to compare.
The peer is the issue's "geotext over GeoNames plus a name lookup": geotext (a regex city finder over
GeoNames) gives names only, so a geoparser built on it looks each name up to get its pin. The lookup
is the cheapest honest one, a dict from geotext's own cities file (lower-cased name to the most
populous city's coordinates), built once outside the timing; geotext alone is reported beside it.
Both tools are scored by name against the gold towns, and by pin (the 5 km rule of geo.evaluate).
Run: `python -m geo bench [--n 5000] [--seed 0] [--runs 3] [--json] [--profile]`; `--n 200` is a smoke run.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import CorpusArticle, generate  # noqa: E402
from geo.articles import load_bytes  # noqa: E402
from geo.evaluate import FigureItem, PlaceItem, Scores, score_figures, score_places  # noqa: E402
from geo.figures import extract_figures  # noqa: E402
from geo.geocoders import default_geocoder  # noqa: E402
from geo.geoparse import find_places  # noqa: E402
from geo.pipeline import extract_many  # noqa: E402


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return {"python": platform.python_version(), "cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform()}


def run_ours(corpus: list[CorpusArticle], geocoder) -> tuple[dict[str, float], list[PlaceItem], list[FigureItem]]:
    """One pass of our extraction; seconds per stage, and the output as scorer items."""
    stages = {"load": 0.0, "places": 0.0, "figures": 0.0}
    places: list[PlaceItem] = []
    figures: list[FigureItem] = []
    for doc in corpus:
        t0 = time.perf_counter()
        article = load_bytes(doc.file, doc.text.encode("utf-8"), published=doc.published)
        t1 = time.perf_counter()
        mentions = find_places(article.text, article.id, geocoder)
        t2 = time.perf_counter()
        found = extract_figures(article, mentions)
        t3 = time.perf_counter()
        stages["load"] += t1 - t0
        stages["places"] += t2 - t1
        stages["figures"] += t3 - t2
        kinds = {"region": "region", "country": "country"}
        places += [PlaceItem(doc.file, m.name, m.lat, m.lon, m.geonameid, kinds.get(m.precision.value, "town"),
                             m.country, (m.mention,)) for m in mentions]
        figures += [FigureItem(doc.file, f.value, f.category.value, f.qualifier.value,
                               f.place.name if f.place else None, f.place.lat if f.place else None,
                               f.place.lon if f.place else None,
                               f.event_date.isoformat() if f.event_date else None) for f in found]
    return stages, places, figures


def run_parallel(corpus: list[CorpusArticle], jobs: int) -> float:
    """Seconds for the whole pipeline (load, places, figures) as `python -m geo extract --jobs`
    runs it: articles spread over worker processes."""
    t0 = time.perf_counter()
    articles = [load_bytes(doc.file, doc.text.encode("utf-8"), published=doc.published) for doc in corpus]
    for _ in extract_many(articles, jobs=jobs):
        pass
    return time.perf_counter() - t0


def run_geotext(corpus: list[CorpusArticle]) -> tuple[float, list[PlaceItem]]:
    """geotext alone: city names, no pins."""
    from geotext import GeoText

    t0 = time.perf_counter()
    found = [(doc.file, GeoText(doc.text).cities) for doc in corpus]
    seconds = time.perf_counter() - t0
    return seconds, [PlaceItem(file, name) for file, names in found for name in names]


def geotext_pins() -> dict[str, tuple[float, float, str]]:
    """Lower-cased city name to (lat, lon, country) of the most populous GeoNames city of that name,
    from the file geotext itself reads (cities15000: name, latitude, longitude, country, population)."""
    from geotext.geotext import get_data_path

    best: dict[str, tuple[int, float, float, str]] = {}
    with open(get_data_path("cities15000.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            c = line.split("\t")
            key, population = c[1].lower(), int(c[14] or 0)
            if key not in best or population > best[key][0]:
                best[key] = (population, float(c[4]), float(c[5]), c[8])
    return {k: v[1:] for k, v in best.items()}


def run_geotext_lookup(corpus: list[CorpusArticle], pins: dict) -> tuple[float, list[PlaceItem]]:
    """The issue's peer: geotext's names, each looked up to a pin (geotext's city patches have none)."""
    from geotext import GeoText

    t0 = time.perf_counter()
    found = [(doc.file, [(name, pins.get(name.lower())) for name in GeoText(doc.text).cities]) for doc in corpus]
    seconds = time.perf_counter() - t0
    return seconds, [PlaceItem(file, name, *(pin or (None, None, ""))[:2], country=(pin or ("", "", ""))[2])
                     for file, names in found for name, pin in names]


def by_name(gold: list[PlaceItem], predicted: list[PlaceItem]) -> Scores:
    """Name-only scoring of towns, the only thing geotext can be judged on."""
    towns = [PlaceItem(g.article, g.name, optional=g.optional) for g in gold if g.kind == "town"]
    return score_places(towns, [PlaceItem(p.article, p.name, aliases=p.aliases) for p in predicted if p.kind == "town"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo bench", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="articles in the corpus (default 5000; 200 for a smoke run)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="timed runs; the median is reported")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--profile", action="store_true", help="also print the top functions of one profiled run")
    parser.add_argument("--jobs", type=int, default=0,
                        help="also time the whole pipeline over this many worker processes (0: one per core)")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    corpus = generate(args.n, args.seed)
    generate_s = time.perf_counter() - t0
    gold_places = [p for doc in corpus for p in doc.places]
    gold_figures = [f for doc in corpus for f in doc.figures]
    geocoder = default_geocoder(online=False)
    run_ours(corpus[:5], geocoder)  # warm the gazetteer and caches outside the timed runs

    runs, cpu = [], []
    for _ in range(args.runs):
        c0 = time.process_time()
        runs.append(run_ours(corpus, geocoder))
        cpu.append(time.process_time() - c0)
    totals = [sum(stages.values()) for stages, _, _ in runs]
    median_run = runs[totals.index(statistics.median_low(totals))]
    stages, places, figures = median_run
    pins = geotext_pins()
    run_geotext_lookup(corpus[:5], pins)  # geotext builds its index on import: outside the timed runs too
    geotext_runs, geotext_cpu = [], []
    for _ in range(args.runs):
        c0 = time.process_time()
        geotext_runs.append(run_geotext(corpus))
        geotext_cpu.append(time.process_time() - c0)
    geotext_s = statistics.median(s for s, _ in geotext_runs)
    geotext_places = geotext_runs[0][1]
    lookup_runs, lookup_cpu = [], []
    for _ in range(args.runs):
        c0 = time.process_time()
        lookup_runs.append(run_geotext_lookup(corpus, pins))
        lookup_cpu.append(time.process_time() - c0)
    lookup_s = statistics.median(s for s, _ in lookup_runs)
    lookup_places = lookup_runs[0][1]

    jobs = args.jobs or os.cpu_count() or 1
    parallel_s = statistics.median(run_parallel(corpus, jobs) for _ in range(args.runs))

    ours_pin = score_places(gold_places, places, ukraine_only=True)
    fig = score_figures(gold_figures, figures, gold_places)
    result = {
        "machine": machine(),
        "n": args.n, "seed": args.seed, "runs": args.runs, "generate_s": round(generate_s, 3),
        "ours": {
            "articles_per_s": round(args.n / statistics.median(totals), 1),
            "cpu_articles_per_s": round(args.n / statistics.median(cpu), 1),
            "stage_s": {k: round(v, 3) for k, v in stages.items()},
            "parallel": {"jobs": jobs, "articles_per_s": round(args.n / parallel_s, 1)},
            "stage_share": {k: round(v / sum(stages.values()), 3) for k, v in stages.items()},
            "places_by_pin": _numbers(ours_pin),
            "places_by_name": _numbers(by_name(gold_places, places)),
            "figures": _numbers(fig.matched) | {"category_accuracy": round(fig.category_accuracy, 3),
                                                "date_accuracy": round(fig.date_accuracy, 3)},
        },
        "geotext_cpu_ratio": round(statistics.median(cpu) / statistics.median(geotext_cpu), 2),
        "geotext": {
            "articles_per_s": round(args.n / geotext_s, 1),
            "cpu_articles_per_s": round(args.n / statistics.median(geotext_cpu), 1),
            "places_by_name": _numbers(by_name(gold_places, geotext_places)),
        },
        "geotext_lookup_cpu_ratio": round(statistics.median(cpu) / statistics.median(lookup_cpu), 2),
        "geotext_lookup": {
            "articles_per_s": round(args.n / lookup_s, 1),
            "cpu_articles_per_s": round(args.n / statistics.median(lookup_cpu), 1),
            "places_by_name": _numbers(by_name(gold_places, lookup_places)),
            "places_by_pin": _numbers(score_places(gold_places, lookup_places, ukraine_only=True)),
        },
    }
    if args.profile:
        result["profile"] = _profile(corpus[: min(len(corpus), 500)], geocoder)
    print(json.dumps(result, indent=2) if args.json else _text(result))
    return 0


def _numbers(s: Scores) -> dict:
    return {"precision": round(s.precision, 3), "recall": round(s.recall, 3), "tp": s.tp, "fp": s.fp, "fn": s.fn}


def _profile(corpus: list[CorpusArticle], geocoder) -> str:
    prof = cProfile.Profile()
    prof.runcall(run_ours, corpus, geocoder)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(15)
    return buf.getvalue()


def _text(r: dict) -> str:
    m, o, g, gl = r["machine"], r["ours"], r["geotext"], r["geotext_lookup"]

    def pr(d: dict) -> str:
        return f"P {d['precision']:.3f} R {d['recall']:.3f} (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})"

    lines = [
        f"machine: Python {m['python']}, {m['cpu']}, {m['cores']} cores",
        f"corpus: {r['n']} articles, seed {r['seed']}, generated in {r['generate_s']} s; median of {r['runs']} runs",
        f"ours:    {o['articles_per_s']:>8} articles/s  stages " + ", ".join(
            f"{k} {v} s ({o['stage_share'][k]:.0%})" for k, v in o["stage_s"].items()),
        f"ours, {o['parallel']['jobs']} processes: {o['parallel']['articles_per_s']} articles/s (whole pipeline, "
        "as `python -m geo extract --jobs`)",
        f"geotext: {g['articles_per_s']:>8} articles/s  (city names only, no pins, figures or dates)",
        f"geotext + lookup: {gl['articles_per_s']:>8} articles/s  (names looked up to pins; no figures or dates)",
        f"CPU time: ours {o['cpu_articles_per_s']} articles/s, geotext {g['cpu_articles_per_s']} articles/s, "
        f"geotext + lookup {gl['cpu_articles_per_s']} articles/s; ours takes {r['geotext_cpu_ratio']} times "
        f"geotext's CPU time, {r['geotext_lookup_cpu_ratio']} times geotext + lookup's",
        f"places by name, ours:    {pr(o['places_by_name'])}",
        f"places by name, geotext: {pr(g['places_by_name'])}",
        f"places by pin (5 km), ours, Ukrainian: {pr(o['places_by_pin'])}",
        f"places by pin (5 km), geotext + lookup, Ukrainian: {pr(gl['places_by_pin'])}",
        f"figures value+place, ours: {pr(o['figures'])}, category {o['figures']['category_accuracy']:.3f}, "
        f"date {o['figures']['date_accuracy']:.3f}",
    ]
    if "profile" in r:
        lines.append(r["profile"])
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
