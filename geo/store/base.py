"""The store seam: what the CLI, the dashboard and the exports need from a store, and nothing more.

Two backends implement `Repository`: `embedded` (one SQLite file, the default, no server) and
`postgis` (a team's PostgreSQL/PostGIS database, chosen by a `postgresql://` URL). Both hold
three things apart: the articles (their record and their text), the extraction rows (the event
table of geo.events, replaced per article on re-extraction) and the review log (append-only,
never touched by re-extraction). See docs/store.md.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.review import Review
from geo.store.query import ItemQuery

SCHEMA_VERSION = 2


@dataclass(frozen=True)
class StoredArticle:
    """One article the store has seen, by `key`: `folder:<file>` or `upload:<id>`.

    `id` is sha256(raw bytes)[:16], "" when the file could not be read; `error` says why it
    could not be read or extracted, and `stage` where ("load", "places", "figures", "timeout").
    `encoding` is how the bytes were decoded and `notes` (one per line) what loading had to
    decide (a guessed encoding, an ignored date line, text kept after broken HTML): provenance a
    reviewer needs when a quote looks odd.
    """

    key: str
    id: str
    file: str
    origin: str = "folder"
    outlet: str = ""
    title: str = ""
    url: str = ""
    published: str = ""
    published_basis: str = "unknown"
    extracted: str = ""
    rows: int = 0
    error: str = ""
    stage: str = ""
    extractor: str = ""
    encoding: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ArticleRows:
    """What one write replaces for one article: its record, its event rows and its text."""

    record: StoredArticle
    rows: gpd.GeoDataFrame
    text: str | None


class Repository(ABC):
    """A store. Every write is atomic and safe against a concurrent writer (transactions)."""

    url: str

    @abstractmethod
    def version(self) -> str:
        """Changes with every write: readers cache on it."""

    @abstractmethod
    def articles(self) -> list[StoredArticle]:
        """Every article record, failures included, ordered by key."""

    @abstractmethod
    def text(self, article_id: str) -> str | None:
        """The decoded text the offsets index (checked against its checksum in the embedded store); None if unknown."""

    @abstractmethod
    def items(self) -> gpd.GeoDataFrame:
        """The machine's event table (geo.events columns); the embedded store checks every row against its
        article's checksum (the team store relies on the server's integrity, docs/store.md)."""

    @abstractmethod
    def select(self, query: ItemQuery) -> gpd.GeoDataFrame:
        """The rows whose stored values pass `query`, plus every row it exempts, in `items` order.

        Filtered by the database, not in Python; see geo.store.query for why exempt rows are kept.
        """

    @abstractmethod
    def tally(self, query: ItemQuery, period: str) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
        """Figures per place, region, period and category among the non-exempt rows that pass
        (geo.store.query.TALLY_COLUMNS, counted by the database), and the exempt rows whole, for
        the caller to count after applying reviews; both read at one moment."""

    @abstractmethod
    def write(self, batch: Iterable[ArticleRows]) -> None:
        """Replace the records, rows and texts of these articles, all in one transaction."""

    @abstractmethod
    def remove(self, keys: Iterable[str], still_gone: Callable[[str], bool]) -> int:
        """Drop these articles (records and rows) if `still_gone(key)` holds at write time."""

    @abstractmethod
    def add_review(self, review: Review) -> bool:
        """Append a review to the log; False (and nothing written) if its uid is already there."""

    @abstractmethod
    def reviews(self) -> list[Review]:
        """The review log, oldest first."""

    def close(self) -> None:
        """Release connections; the default has none to release."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
