"""Open a store by what the user gave: a file path (embedded SQLite) or a `postgresql://` URL.

The backends live in their own modules and are imported only when chosen, so the embedded
default needs no database driver (see docs/store.md).
"""
from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path

from geo.errors import StoreError
from geo.store.base import SCHEMA_VERSION, ArticleRows, Repository, StoredArticle
from geo.store.query import ItemQuery

__all__ = ["SCHEMA_VERSION", "ArticleRows", "ItemQuery", "Repository", "StoredArticle", "open_store", "set_aside", "is_url"]


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def open_store(target: str | Path, create: bool = True) -> Repository:
    """The store at `target`; StoreError if it is missing (and `create` is false) or unreadable."""
    if is_url(target):
        from geo.store.postgis import PostgisStore

        return PostgisStore(str(target), create=create)
    from geo.store.embedded import EmbeddedStore

    return EmbeddedStore(Path(target), create=create)


def set_aside(target: str | Path) -> Path | None:
    """Move an unreadable embedded store aside as a dated backup (never delete it); its path.

    The review journal beside it stays where it is, so a new store takes its reviews back.
    """
    if is_url(target):
        return None
    path = Path(target)
    if not path.exists():
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    backup = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                shutil.move(side, backup.with_name(backup.name + suffix))
        shutil.move(path, backup)
    except OSError as e:
        raise StoreError(f"cannot move the damaged store {path} aside: {e}; nothing was replaced") from e
    return backup
