"""Whether a store is already in sync with its articles folder and uploads library, without reading them.

A sync (geo.build) reads, decodes and detects the language of every file: 8-15 s for 10,000
articles here, spent on every dashboard start although nothing changed. After a sync we keep a
stamp: the listings of the folder and the library (name, size, modification time in ns), the
extractor version, and a digest of the store's article records. While all four are the same, a
sync would write nothing, so the dashboard skips it. Any change (a file added, edited, touched or
removed, the manifest, newer extraction code, another program writing articles to the store)
makes the next start sync as before. The listing is taken before the sync, so a file changed
while it ran is seen as changed next time. Reviews are not part of the stamp: a sync never
touches them.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from geo import paths
from geo.build import BuildSummary, build
from geo.errors import StoreError
from geo.pipeline import extractor_version
from geo.store import is_url, open_store


def listing(*folders: Path | None) -> str:
    """A digest of each folder's entries (not recursive, as the folder and the library are read)."""
    h = hashlib.sha256()
    for folder in folders:
        h.update(repr(str(folder)).encode())
        if folder is None or not Path(folder).is_dir():
            continue
        with os.scandir(folder) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                st = e.stat()
                h.update(repr((e.name, st.st_size, st.st_mtime_ns)).encode())
    return h.hexdigest()


def _articles_digest(store) -> str | None:
    """A digest of the store's article records; None when the store is missing or unreadable."""
    try:
        with open_store(store, create=False) as repo:
            records = repo.articles()
    except StoreError:
        return None
    h = hashlib.sha256()
    for r in records:
        h.update(repr(tuple(vars(r).values())).encode())  # not astuple: it deep-copies every field
    return h.hexdigest()


def _stamp_file(store, folder: Path | None, uploads: Path) -> Path:
    """Beside an embedded store (it goes where the store goes); in the cache folder for a team store."""
    key = hashlib.sha256(repr((str(store), str(folder), str(uploads))).encode()).hexdigest()[:24]
    if is_url(store):
        return paths.cache_dir() / "synced" / f"{key}.json"
    return Path(store).with_name(f"{Path(store).name}.synced-{key}.json")


def _stamp(seen: str, store) -> dict | None:
    articles = _articles_digest(store)
    return None if articles is None else {"listing": seen, "extractor": extractor_version(), "articles": articles}


def in_sync(store, folder: Path | None, uploads: Path, seen: str | None = None) -> bool:
    """True when the last sync's stamp still holds: syncing again would write nothing. `seen` is
    the folders' `listing` when the caller has taken it already."""
    try:
        kept = json.loads(_stamp_file(store, folder, uploads).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    seen = listing(folder, uploads) if seen is None else seen
    if kept.get("listing") != seen or kept.get("extractor") != extractor_version():
        return False  # decided without reading the store's articles
    return kept == _stamp(seen, store)


def forget(store, folder: Path | None, uploads: Path) -> None:
    """Drop the stamp: the next sync reads everything (a rebuild asked for by the user)."""
    _stamp_file(store, folder, uploads).unlink(missing_ok=True)


def sync(folder: Path | None, store, uploads: Path, progress=None) -> BuildSummary | None:
    """geo.build.build of the folder and library into the store, unless the stamp says it would
    write nothing (then None); the stamp is renewed after every sync that ends."""
    seen = listing(folder, uploads)
    if in_sync(store, folder, uploads, seen):
        return None
    summary = build(folder, store, uploads=uploads, progress=progress)
    stamp = _stamp(seen, store)
    if stamp is not None:
        target = _stamp_file(store, folder, uploads)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(stamp), "utf-8")
        os.replace(tmp, target)
    return summary
