"""The Ukrainian and Russian path through extraction: places, then figures pinned to them.

geo.pipeline.extract routes by the article's language (geo.language): Ukrainian and Russian
articles come here whole; an English article with Cyrillic paragraphs ("mixed") goes through
the English extractors unchanged, and its Cyrillic paragraphs through these, the results
merged (an English item wins where two overlap). The Cyrillic path is offline only: an online
geocoder given to the pipeline is not asked about Cyrillic names.
"""
from __future__ import annotations

from geo.figures_cyr import extract_figures_cyr
from geo.geoparse_cyr import find_places_cyr
from geo.language import RU, UK, paragraphs
from geo.model import Article, Figure, PlaceMention


def extract_cyrillic(article: Article, language: str,
                     ranges: list[tuple[int, int]] | None = None) -> tuple[list[PlaceMention], list[Figure]]:
    """Places and figures of the article's Cyrillic text (all of it, or only `ranges`)."""
    places = find_places_cyr(article.text, article.id, language, ranges)
    return places, extract_figures_cyr(article, places, language, ranges)


def cyrillic_paragraphs(text: str) -> dict[str, list[tuple[int, int]]]:
    """The spans of the Ukrainian and of the Russian paragraphs, by language."""
    out: dict[str, list[tuple[int, int]]] = {}
    for p in paragraphs(text):
        if p.language in (UK, RU):
            out.setdefault(p.language, []).append((p.start, p.end))
    return out


def with_cyrillic_parts(article: Article, places: list[PlaceMention],
                        figures: list[Figure]) -> tuple[list[PlaceMention], list[Figure]]:
    """A mixed article's English results plus those of its Cyrillic paragraphs."""
    for language, ranges in cyrillic_paragraphs(article.text).items():
        more_places, more_figures = extract_cyrillic(article, language, ranges)
        places = _merged(places, more_places)
        figures = _merged(figures, more_figures)
    return places, figures


def _merged(first: list, second: list) -> list:
    taken = [(x.start, x.end) for x in first]
    extra = [y for y in second if not any(a < y.end and y.start < b for a, b in taken)]
    return sorted(first + extra, key=lambda x: (x.start, x.end))
