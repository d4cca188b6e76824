"""What a user sees of a store, read once: the reviewed event table, the articles, the orphans.

The CLI and the dashboard both read through here, so they always agree. A read or a tally can be
narrowed by an ItemQuery that the database runs; reviews are applied here, so the result is exactly
what filtering the whole reviewed table gives (the review rule is in geo.store.query).
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo import review as rv
from geo.store import ItemQuery, Repository, StoredArticle, open_store
from geo.store.query import matches, merge_tallies, tally_frame


@dataclass(frozen=True)
class Collection:
    version: str
    frame: gpd.GeoDataFrame          # geo.events columns + geo.review columns (reviews applied)
    articles: tuple[StoredArticle, ...]
    reviews: tuple[rv.Review, ...]
    orphans: tuple[rv.Review, ...]   # reviews that attach to no item of this extraction

    @property
    def overrides(self) -> list[tuple[str, list[str]]]:
        """Reviewers' incident merges and splits, in log order."""
        return rv.overrides(self.reviews)

    def incidents(self, frame=None):
        """The incidents of `frame` (default: everything not rejected), reviewers' merges and splits applied."""
        from geo.incidents import incidents

        if frame is None:
            frame = self.frame[self.frame["status"] != "rejected"]
        return incidents(frame, self.overrides)

    def item(self, item_id: str) -> dict | None:
        """One row as the user sees it, with `lat`/`lon` read off its point (None when unplaced):
        what a new review is made against."""
        rows = self.frame[self.frame["id"] == item_id]
        if rows.empty:
            return None
        row = rows.iloc[0].to_dict()
        geometry = row["geometry"]
        row["lat"] = None if geometry.is_empty else geometry.y
        row["lon"] = None if geometry.is_empty else geometry.x
        return row


def read(repo: Repository, query: ItemQuery | None = None) -> Collection:
    """Every row, or with `query` the rows whose reviewed values pass it (filtered by the database)."""
    version = repo.version()
    reviews = repo.reviews()
    if query is None:
        frame, attached = rv.view(repo.items(), reviews)
    else:
        query = query.exempting(reviews)
        frame, attached = rv.view(repo.select(query), reviews)
        frame = frame[matches(frame, query)].reset_index(drop=True)
    return Collection(version, frame, tuple(repo.articles()), tuple(reviews), tuple(attached.orphans))


def read_store(target, query: ItemQuery | None = None) -> Collection:
    """Open, read and close: for callers that need the collection once."""
    with open_store(target, create=False) as repo:
        return read(repo, query)


def tally(repo: Repository, query: ItemQuery, period: str) -> pd.DataFrame:
    """Figures per place, region, period and category as users see them: reviews applied, rejected
    figures left out. The database counts the rows no review touches; the rest are counted here."""
    reviews = repo.reviews()
    query = query.exempting(reviews)
    counts, exempt_rows = repo.tally(query, period)
    reviewed, _ = rv.view(exempt_rows, reviews)
    reviewed = reviewed[matches(reviewed, query) & (reviewed["status"] != "rejected")]
    return merge_tallies(counts, tally_frame(reviewed, period))
