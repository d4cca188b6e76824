"""Measure before choosing a multi-pattern matcher for the document layer (issue 8).

Compares, in CPU time per article on the bench corpus: the capitalised-word pass geoparse runs
today (one regex over capitalised words, a memoised dictionary verdict for each), one
pyahocorasick sweep for every folded gazetteer name over the lower-cased text (names padded
with spaces so that hits fall on word boundaries), the whole recogniser with its context rules,
and geotext. Run: `python bench/matcher_bench.py [--n 1000]`.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate  # noqa: E402
from geo import geoparse  # noqa: E402
from geo.geocoders import default_geocoder  # noqa: E402


def warmed_lexicon(texts: list[str]):
    """The recogniser's lexicon of the offline gazetteer, its verdicts warmed on the first texts."""
    geocoder = default_geocoder(online=False)
    for t in texts[:20]:
        geoparse.find_places(t, "warm-up", geocoder)
    return geoparse._LEXICONS[geocoder]


def capitalised_pass(lexicon):
    """The capitalised-word pass geoparse runs (one regex, a memoised dictionary verdict for each
    word), alone: what geotext itself does."""
    verdict_of, first = lexicon.verdicts.get, lexicon.first

    def capitalised(text: str) -> int:
        return sum(bool(verdict_of(m.group()) or first(m.group())) for m in geoparse._CAPITALISED.finditer(text))
    return capitalised


def main(argv: list[str] | None = None) -> int:
    import ahocorasick
    from geotext import GeoText

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    texts = [d.text for d in generate(args.n, 0)]
    lexicon = warmed_lexicon(texts)
    gazetteer = lexicon.gazetteer
    names = set(gazetteer._by_fold) | set(gazetteer._country_by_fold)

    t0 = time.process_time()
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(f" {name} ", name)
    automaton.make_automaton()
    build = time.process_time() - t0

    # lower case, apostrophes dropped, every other character but a-z and 0-9 a space (as gazetteer.fold)
    folding = {i: " " for i in range(0x2000) if not chr(i).isascii() or not chr(i).isalnum()}
    folding.update({ord(c): None for c in "'’ʼ"})
    folding.update({ord(c): c for c in "abcdefghijklmnopqrstuvwxyz0123456789"})

    def sweep(text: str) -> list:
        return list(automaton.iter(" " + text.lower().translate(folding) + " "))

    rows = [("capitalised-word pass (today)", capitalised_pass(lexicon)), ("Aho-Corasick sweep, folded text", sweep),
            ("whole recogniser (_recognise)", lambda t: geoparse._recognise(t, lexicon)),
            ("geotext", lambda t: GeoText(t).cities)]
    print(f"{args.n} articles, {len(names)} folded names, automaton built in {build:.2f} s CPU")
    for label, fn in rows:
        best = float("inf")
        for _ in range(args.runs):
            t0 = time.process_time()
            for t in texts:
                fn(t)
            best = min(best, time.process_time() - t0)
        print(f"{label:34} {1000 * best / len(texts):.3f} ms an article")
    print(f"Aho-Corasick hits an article (before any context check): {sum(map(len, map(sweep, texts))) / len(texts):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
