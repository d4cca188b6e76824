"""The floor under issue 8's speed target: what the steps every extractor of places, figures and
dates must take cost on their own, side by side with geotext in one run.

Issue 8 asks for our whole extraction (places, figures, dates, attribution) to be at least as fast
as geotext, which only finds capitalised city names. This bench times, in CPU per article on the
bench corpus, the cheapest Python form of each step that cannot be skipped, cumulatively:
finding candidate names (the capitalised-word pass with its memoised dictionary verdict, which is
what geotext itself does), splitting sentences (a figure is placed, dated and attributed within
its sentence), finding number candidates (digits, and number words in the lower-cased text, as
the figure rules do), and telling the language
(English, Ukrainian or Russian: a C-level count of Cyrillic letters). If the floor alone costs
more than geotext, parity cannot come from a faster Python rule engine; it needs the engine
compiled. Run: `python bench/floor_bench.py [--n 1000] [--runs 5]`.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import generate  # noqa: E402
from bench.matcher_bench import capitalised_pass, warmed_lexicon  # noqa: E402
from geo.figures import _DIGIT_RUN, _NUMBER_WORD  # noqa: E402
from geo.text import sentences  # noqa: E402

_CYRILLIC = re.compile("[\u0400-\u04ff]")


def main(argv: list[str] | None = None) -> int:
    from geotext import GeoText

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    texts = [d.text for d in generate(args.n, 0)]
    names = capitalised_pass(warmed_lexicon(texts))
    GeoText("Kyiv")

    def split(text: str) -> int:
        return names(text) + len(sentences(text))

    def numbers(text: str) -> int:
        return split(text) + len(_DIGIT_RUN.findall(text)) + len(_NUMBER_WORD.findall(text.lower()))

    def language(text: str) -> int:
        return numbers(text) + len(_CYRILLIC.findall(text))

    rows = [("geotext (the peer: city names only)", lambda t: GeoText(t).cities),
            ("floor 1: candidate names", names),
            ("floor 2: + sentences", split),
            ("floor 3: + number candidates", numbers),
            ("floor 4: + language", language)]
    best: dict[str, float] = {label: float("inf") for label, _ in rows}
    for _ in range(args.runs):
        for label, fn in rows:
            t0 = time.process_time()
            for t in texts:
                fn(t)
            best[label] = min(best[label], time.process_time() - t0)
    peer = best[rows[0][0]]
    print(f"{args.n} articles of the bench corpus, CPU ms an article, best of {args.runs} interleaved runs")
    for label, _ in rows:
        print(f"{label:38} {1000 * best[label] / len(texts):.3f} ms   {best[label] / peer:5.2f} x geotext")
    return 0


if __name__ == "__main__":
    sys.exit(main())
