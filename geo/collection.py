"""What a user sees of a store, read once: the reviewed event table, the articles, the orphans.

The CLI and the dashboard both read through here, so they always agree.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from geo import review as rv
from geo.store import Repository, StoredArticle, open_store


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

    def article(self, article_id: str) -> StoredArticle | None:
        return next((a for a in self.articles if a.id == article_id), None)


def read(repo: Repository) -> Collection:
    version = repo.version()
    reviews = repo.reviews()
    frame, attached = rv.view(repo.items(), reviews)
    return Collection(version, frame, tuple(repo.articles()), tuple(reviews), tuple(attached.orphans))


def read_store(target) -> Collection:
    """Open, read and close: for callers that need the collection once."""
    with open_store(target, create=False) as repo:
        return read(repo)
