"""Long articles and run-on sentences give the figures a short one would: each clause its own,
each copy of a repeated article the same. How long they take is measured in
bench/linearity_bench.py (time against length, a straight line), never here."""
from datetime import date

from geo.articles import load_bytes
from geo.gazetteer import Gazetteer
from geo.model import Category
from geo.pipeline import extract
from tests.conftest import ARTICLES

TOWNS = ["Kupiansk", "Izium", "Balakliia", "Chuhuiv", "Lozova", "Vovchansk", "Bakhmut", "Sloviansk",
         "Kramatorsk", "Pokrovsk", "Nikopol", "Marhanets", "Kherson", "Mykolaiv", "Okhtyrka", "Bucha"]
CLAUSES = [("people were killed in", Category.KILLED), ("residents were injured in", Category.INJURED),
           ("bodies were found in", Category.BODIES), ("people are missing in", Category.MISSING)]


def figures_of(text: str):
    ex = extract(load_bytes("long.txt", text.encode("utf-8")))
    return ex, [(f.value, f.category, f.place.name if f.place else None) for f in ex.figures]


def test_a_40_kb_run_on_sentence_gives_every_clause_its_figure_at_its_town():
    clauses, expected = [], []
    while sum(len(c) + 2 for c in clauses) < 40_000:
        k = len(clauses)
        words, category = CLAUSES[k % len(CLAUSES)]
        town, value = TOWNS[k % len(TOWNS)], k % 90 + 2
        clauses.append(f"{value} {words} {town}")
        expected.append((value, category, town))
    text = "Russian strikes on Sunday: " + ", ".join(clauses)
    assert len(text) >= 40_000 and "." not in text
    assert figures_of(text)[1] == expected


def test_one_sentence_listing_10000_towns_gives_its_two_figures_pinned_at_none_of_them():
    names = list(dict.fromkeys(p.name for p in Gazetteer.default().places if p.country == "UA"))
    listed = [names[k % len(names)] for k in range(10_000)]
    text = ("Russian forces shelled " + ", ".join(listed[:-1]) + " and " + listed[-1]
            + ", killing 12 people and injuring 30 others, the governor said on Monday.")
    ex, found = figures_of(text)
    assert found == [(12, Category.KILLED, None), (30, Category.INJURED, None)]
    assert len(ex.places) > 9_000  # the list's towns are still found, each where it is named


def copies_agree(text: str, copies: int, separator: str) -> None:
    """An article repeated `copies` times gives each copy the figures the article gives alone."""
    published = date(2022, 9, 16)
    alone = extract(load_bytes("alone.txt", text.encode("utf-8"), published=published)).figures
    assert alone
    long = separator.join([text] * copies)
    step = len(text) + len(separator)
    found = extract(load_bytes("long.txt", long.encode("utf-8"), published=published)).figures
    assert len(found) == copies * len(alone)
    for k in range(copies):
        copy = found[k * len(alone):(k + 1) * len(alone)]
        assert [(f.start - k * step, f.value, f.category, f.place and f.place.name, f.event_date) for f in copy] \
            == [(f.start, f.value, f.category, f.place and f.place.name, f.event_date) for f in alone]


def test_a_2_mb_article_gives_every_paragraph_its_figures():
    text = (ARTICLES / "003_40143d16604e355b.txt").read_text(encoding="utf-8")
    copies = 2_000_000 // (len(text) + 2)
    copies_agree(text, copies, "\n\n")


def test_a_1_9_mb_article_on_a_single_line_gives_every_part_its_figures():
    # its "date 2022-09-16" line would be a date inside the running text of every later copy
    text = (ARTICLES / "003_40143d16604e355b.txt").read_text(encoding="utf-8")
    text = text.replace(" date 2022-09-16 ", "", 1).replace("\n", " ")
    assert "\n" not in text and "2022-09-16" not in text
    copies = 1_900_000 // (len(text) + 1)
    copies_agree(text, copies, " ")
