"""The event store: one GeoParquet file holding the event table, the articles seen and their text.

Why one file: the dashboard opens one thing, and a single `os.replace` swaps old for new
atomically, so a crash or kill mid-build leaves either the old store or the new one, never half
of each. The file's key-value metadata holds `geo.store` (schema version and one record per
article seen, including files that could not be read and why) and `geo.store.texts` (article id
-> text, so the reader works for uploads whose files live nowhere else). A rebuild re-extracts
only articles whose content hash or metadata changed. See docs/store.md.
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from geopandas.io.arrow import _geopandas_to_arrow

from geo.articles import MAX_BYTES, load_folder
from geo.errors import ArticleError, StoreError
from geo.events import COLUMNS, conform, to_frame
from geo.model import Article
from geo.pipeline import ExtractionFailure, extract_many, extractor_version

SCHEMA_VERSION = 1
DEFAULT_STORE = Path("data/events.parquet")
META_KEY = b"geo.store"
TEXTS_KEY = b"geo.store.texts"


@dataclass(frozen=True)
class StoredArticle:
    """One article the store has seen. `id` is sha256(raw bytes)[:16]; empty when unreadable."""

    id: str
    file: str
    origin: str = "folder"        # "folder" (rebuilt from the articles folder) or "upload"
    outlet: str = ""
    title: str = ""
    url: str = ""
    published: str = ""           # ISO date or ""
    published_basis: str = "unknown"
    extracted: str = ""           # UTC time of extraction, ISO; kept when rows are reused
    rows: int = 0
    error: str = ""               # why the file could not be read or extracted; "" when it was
    extractor: str = ""           # geo.pipeline.extractor_version() that made the rows

    def same_source(self, article: Article) -> bool:
        """True when re-extracting `article` would give this record's rows again (or fail again
        the same way: an article that ran out of time is not retried until something changed)."""
        return bool(self.id) and _record(article, self.origin) == replace(self, extracted="", rows=0, error="")


@dataclass(frozen=True)
class StoreMeta:
    schema_version: int
    built: str
    articles: tuple[StoredArticle, ...]
    texts: dict[str, str] = field(default_factory=dict)

    def article(self, article_id: str) -> StoredArticle | None:
        return next((a for a in self.articles if a.id == article_id), None)


@dataclass(frozen=True)
class BuildSummary:
    new: int
    changed: int
    unchanged: int
    removed: int
    failed: int
    rows: int
    errors: tuple[str, ...] = ()
    previous: str = "none"        # "none", "ok" or why the old store was unreadable

    def __str__(self) -> str:
        lines = [
            f"articles: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed, {self.failed} failed; {self.rows} rows"
        ]
        if self.previous not in ("none", "ok"):
            lines.append(f"the previous store was unreadable and was rebuilt: {self.previous}")
        return "\n".join(lines + [f"  failed: {e}" for e in self.errors])


def read_store(path: Path) -> tuple[gpd.GeoDataFrame, StoreMeta]:
    """The event table and what the store knows of each article; StoreError if it is unusable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise StoreError(f"no event store at {path}: build it with `python -m geo build`") from e
    except OSError as e:
        raise StoreError(f"cannot read the event store {path}: {e.strerror or e}") from e
    try:
        schema = pq.read_schema(io.BytesIO(data))
        metadata = schema.metadata or {}
        if META_KEY not in metadata:
            raise StoreError(f"{path} is a Parquet file but not an event store (no {META_KEY.decode()} metadata); rebuild it")
        meta = _meta_from_json(metadata[META_KEY], metadata.get(TEXTS_KEY, b"{}"))
        if meta.schema_version != SCHEMA_VERSION:
            raise StoreError(f"{path} has store schema version {meta.schema_version}, this program reads {SCHEMA_VERSION}; rebuild it")
        missing = [c for c in COLUMNS if c not in schema.names]
        if missing:
            raise StoreError(f"{path} lacks the columns {', '.join(missing)}; rebuild it")
        frame = gpd.read_parquet(io.BytesIO(data))
    except StoreError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError) as e:
        raise StoreError(f"{path} is corrupt or truncated ({type(e).__name__}: {e}); rebuild it") from e
    frame.attrs = {}
    return conform(frame), meta


def write_store(path: Path, frame: gpd.GeoDataFrame, meta: StoreMeta) -> None:
    """Write atomically: a temp file in the same folder, fsync, then os.replace over the old one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # geopandas' own GeoParquet encoder ("geo" metadata, WKB); to_arrow() would drop the "geo" key
    table = _geopandas_to_arrow(conform(frame), index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **_meta_to_json(meta)})
    _remove_stale_temps(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(path.parent)


def build(
    folder: Path,
    out: Path = DEFAULT_STORE,
    geocoder=None,
    force: bool = False,
    max_bytes: int = MAX_BYTES,
    jobs: int = 1,
) -> BuildSummary:
    """Bring the store at `out` up to date with `folder`, extracting only what changed.

    Unchanged articles (same content hash and metadata) keep their rows; folder articles whose
    files are gone lose theirs; uploaded articles are kept. An unreadable old store is replaced.
    Rows made by older extractor code are extracted again; `force` re-extracts everything. When
    nothing changed the file is not rewritten, so readers' caches stay valid. A missing folder
    raises ArticleError rather than emptying the store.
    """
    if not Path(folder).is_dir():
        raise ArticleError(str(folder), "not a folder; the store was left as it was")
    old_frame, old_meta, previous = _previous(out)
    loaded = load_folder(folder, max_bytes)
    loaded_ids = {a.id for a in loaded.articles}
    stored = {r.file: r for r in old_meta.articles if r.origin == "folder" and r.id}
    uploads = [r for r in old_meta.articles if r.origin == "upload" and r.id not in loaded_ids]
    unchanged = [] if force else [a for a in loaded.articles if a.file in stored and stored[a.file].same_source(a)]
    unchanged_ids = {a.id for a in unchanged}
    todo = [a for a in loaded.articles if a.id not in unchanged_ids]
    kept_uploads = [] if force else uploads
    redo_uploads = [_article_from_record(r, old_meta.texts.get(r.id, "")) for r in uploads] if force else []

    kept_ids = unchanged_ids | {r.id for r in kept_uploads}
    folder_frame, folder_records = _extract(todo, "folder", geocoder, jobs)
    upload_frame, upload_records = _extract(redo_uploads, "upload", geocoder)
    frame = _concat([old_frame[old_frame["article_id"].isin(kept_ids)], folder_frame, upload_frame])
    records = (
        [stored[a.file] for a in unchanged] + kept_uploads + folder_records + upload_records
        + [StoredArticle(id="", file=e.file, error=e.reason) for e in loaded.errors]
    )
    texts = {a.id: a.text for a in loaded.articles} | {r.id: old_meta.texts.get(r.id, "") for r in uploads}
    if previous != "ok" or todo or redo_uploads or set(records) != set(old_meta.articles):
        write_store(out, frame, StoreMeta(SCHEMA_VERSION, _now(), tuple(records), texts))
    seen_files = {a.file for a in loaded.articles}
    failed = [f"{r.file}: {r.error}" for r in records if r.id and r.error]
    return BuildSummary(
        new=sum(a.file not in stored for a in todo),
        changed=sum(a.file in stored for a in todo),
        unchanged=len(unchanged),
        removed=sum(f not in seen_files for f in stored),
        failed=len(loaded.errors) + len(failed),
        rows=len(frame),
        errors=tuple(str(e) for e in loaded.errors) + tuple(failed),
        previous=previous,
    )


def add_articles(store: Path, articles: Iterable[Article], geocoder=None) -> BuildSummary:
    """Add uploaded articles to the store (extract, merge, atomic write); same id = replaced.

    Raises StoreError when the existing store is unreadable, rather than silently losing it.
    """
    store = Path(store)
    if store.exists():
        old_frame, old_meta = read_store(store)
    else:
        old_frame, old_meta = to_frame([]), StoreMeta(SCHEMA_VERSION, "", ())
    articles = list({a.id: a for a in articles}.values())
    unchanged = [a for a in articles if (r := old_meta.article(a.id)) is not None and r.same_source(a)]
    todo = [a for a in articles if a not in unchanged]
    replaced_ids = {a.id for a in todo}
    new_frame, new_records = _extract(todo, "upload", geocoder)
    frame = _concat([old_frame[~old_frame["article_id"].isin(replaced_ids)], new_frame])
    records = [r for r in old_meta.articles if r.id not in replaced_ids or not r.id] + new_records
    texts = {**old_meta.texts, **{a.id: a.text for a in todo}}
    write_store(store, frame, StoreMeta(SCHEMA_VERSION, _now(), tuple(records), texts))
    failed = [f"{r.file}: {r.error}" for r in new_records if r.error]
    return BuildSummary(
        new=sum(old_meta.article(a.id) is None for a in todo),
        changed=sum(old_meta.article(a.id) is not None for a in todo),
        unchanged=len(unchanged), removed=0, failed=len(failed), rows=len(frame),
        errors=tuple(failed), previous="ok" if old_meta.built else "none",
    )


def _extract(articles: list[Article], origin: str, geocoder, jobs: int = 1) -> tuple[gpd.GeoDataFrame, list[StoredArticle]]:
    """Rows and records; an article that failed extraction keeps a record with the reason."""
    results = list(extract_many(articles, geocoder, jobs=jobs))
    extractions = [ex for ex in results if not isinstance(ex, ExtractionFailure)]
    frame = to_frame(extractions)
    counts = frame["article_id"].value_counts()
    stamp = _now()
    records = [
        replace(_record(ex.article, origin), extracted=stamp, rows=int(counts.get(ex.article.id, 0)),
                error=f"{ex.stage}: {ex.reason}" if isinstance(ex, ExtractionFailure) else "")
        for ex in results
    ]
    return frame, records


def _previous(out: Path) -> tuple[gpd.GeoDataFrame, StoreMeta, str]:
    if not Path(out).exists():
        return to_frame([]), StoreMeta(SCHEMA_VERSION, "", ()), "none"
    try:
        frame, meta = read_store(out)
        return frame, meta, "ok"
    except StoreError as e:
        return to_frame([]), StoreMeta(SCHEMA_VERSION, "", ()), str(e)


def _concat(frames: list[pd.DataFrame]) -> gpd.GeoDataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return to_frame([])
    frame = pd.concat(frames, ignore_index=True)
    frame = frame.sort_values(["article_file", "article_id"], kind="stable")
    return conform(gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326"))


def _record(article: Article, origin: str) -> StoredArticle:
    return StoredArticle(
        id=article.id, file=article.file, origin=origin, outlet=article.outlet, title=article.title,
        url=article.url, published=article.published.isoformat() if article.published else "",
        published_basis=article.published_basis, extractor=extractor_version(),
    )


def _article_from_record(rec: StoredArticle, text: str) -> Article:
    return Article(
        id=rec.id, file=rec.file, text=text,
        published=date.fromisoformat(rec.published) if rec.published else None,
        published_basis=rec.published_basis, outlet=rec.outlet, url=rec.url, title=rec.title,
    )


def _meta_to_json(meta: StoreMeta) -> dict[bytes, bytes]:
    head = {"schema_version": meta.schema_version, "built": meta.built, "articles": [asdict(a) for a in meta.articles]}
    return {META_KEY: json.dumps(head, ensure_ascii=False).encode(), TEXTS_KEY: json.dumps(meta.texts, ensure_ascii=False).encode()}


def _meta_from_json(head: bytes, texts: bytes) -> StoreMeta:
    try:
        h = json.loads(head)
        return StoreMeta(
            schema_version=int(h["schema_version"]),
            built=str(h.get("built", "")),
            articles=tuple(StoredArticle(**a) for a in h["articles"]),
            texts={str(k): str(v) for k, v in json.loads(texts).items()},
        )
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        raise StoreError(f"the store's {META_KEY.decode()} metadata is damaged ({e}); rebuild it") from e


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _remove_stale_temps(path: Path) -> None:
    """Delete temp files left by writers that were killed (their process no longer exists)."""
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        pid = tmp.name[len(path.name) + 2:-len(".tmp")]
        if pid.isdigit() and not _alive(int(pid)):
            tmp.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
