"""Bring a store up to date with the articles: the folder, plus the library of uploads.

Incremental: an article is extracted again only when its content hash, its metadata or the
extractor version changed (or with `force`). Results are written in batches as they come, each
batch one transaction, so a crash loses at most one batch and other writers (uploads, reviewers)
go on between batches. With `dask` (geo.distributed) each Dask partition is one batch, written as
it finishes. Articles whose files are gone lose their rows, checked again at the moment
of removal so an upload that lands mid-build is never removed. Reviews are never touched.

A store that cannot be read is moved aside as a dated backup before a new one is built, and the
summary says where it went.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from geo import events, library, paths
from geo.articles import MAX_BYTES, load_folder
from geo.dates_across import CASUALTY_NAMES, Known, articles_to_date, redated_rows, reporting_towns, towns_to_date
from geo.errors import ArticleError, ClusterError, StoreBusyError, StoreError
from geo.model import Article
from geo.pipeline import extract_many, extractor_version
from geo.store import ArticleRows, ItemQuery, Repository, StoredArticle, is_url, open_store, set_aside

BATCH = 64
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildSummary:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: int = 0
    rows: int = 0
    errors: tuple[str, ...] = ()
    previous: str = "none"        # "none", "ok", or what was wrong with the old store and where it went

    def __str__(self) -> str:
        lines = [
            f"articles: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed, {self.failed} failed; {self.rows} rows written"
        ]
        if self.previous not in ("none", "ok"):
            lines.append(f"the previous store was unreadable: {self.previous}")
        return "\n".join(lines + [f"  failed: {e}" for e in self.errors])


def open_or_set_aside(target: str | Path) -> tuple[Repository, str]:
    """Open the store; if it is unreadable, move it aside (never delete it) and start a new one."""
    existed = is_url(target) or Path(target).exists()
    try:
        return open_store(target), "ok" if existed else "none"
    except StoreBusyError:
        raise
    except StoreError as e:
        backup = set_aside(target)
        if backup is None:
            raise
        return open_store(target), f"{e} It was kept as {backup}."


def build(
    folder: Path | None,
    store: str | Path | None = None,
    geocoder=None,
    force: bool = False,
    max_bytes: int = MAX_BYTES,
    jobs: int = 1,
    uploads: Path | None = None,
    progress: Progress | None = None,
    dask=None,
) -> BuildSummary:
    """Sync `folder` and the uploads library into the store; see the module docstring.

    `dask`: extract on a Dask cluster, given as `local:N`, a scheduler address or a Client.
    """
    if folder is not None and not Path(folder).is_dir():
        raise ArticleError(str(folder), "not a folder; the store was left as it was")
    uploads = Path(uploads) if uploads is not None else paths.uploads_dir()
    repo, previous = open_or_set_aside(store if store is not None else paths.default_store())
    with repo:
        loaded = load_folder(folder, max_bytes) if folder is not None else None
        lib = library.load(uploads, max_bytes)
        sources = {f"folder:{a.file}": (a, "folder") for a in (loaded.articles if loaded else [])}
        sources |= {f"upload:{a.id}": (a, "upload") for a in lib.articles}
        stored = {r.key: r for r in repo.articles()}
        todo = [(k, a, o) for k, (a, o) in sources.items() if force or not _same(stored.get(k), a, o)]
        load_errors = (loaded.errors if loaded else []) + lib.errors
        failed_records = [_failure(e, "folder") for e in (loaded.errors if loaded else [])]
        failed_records += [_failure(e, "upload") for e in lib.errors]
        repo.write(ArticleRows(r, events.to_frame([]), None) for r in failed_records if stored.get(r.key) != r)
        failed_keys = {r.key for r in failed_records}
        gone = [k for k in stored if k not in sources and k not in failed_keys]
        rows, failures = _extract_into(repo, todo, geocoder, jobs, progress, dask)
        removed = repo.remove(gone, lambda k: _gone(k, folder, uploads))
    return BuildSummary(
        new=sum(k not in stored for k, _, _ in todo),
        changed=sum(k in stored for k, _, _ in todo),
        unchanged=len(sources) - len(todo),
        removed=removed,
        failed=len(load_errors) + len(failures),
        rows=rows,
        errors=tuple(str(e) for e in load_errors) + tuple(failures),
        previous=previous,
    )


def add_uploads(store: str | Path, files: Iterable[library.Upload], uploads: Path | None = None,
                geocoder=None, progress: Progress | None = None) -> tuple[BuildSummary, list[ArticleError]]:
    """Keep each upload in the library, then extract it into the store; bad files are returned, named.

    Refuses (StoreError) to touch an unreadable store: the uploads are kept in the library and a
    rebuild will take them in.
    """
    uploads = Path(uploads) if uploads is not None else paths.uploads_dir()
    good, bad = [], []
    for f in files:
        try:
            good.append(library.save(uploads, f))
        except ArticleError as e:
            bad.append(e)
    with open_store(store) as repo:
        stored = {r.key: r for r in repo.articles()}
        todo = [(f"upload:{a.id}", a, "upload") for a in {a.id: a for a in good}.values()]
        todo = [t for t in todo if not _same(stored.get(t[0]), t[1], t[2])]
        rows, failures = _extract_into(repo, todo, geocoder, 1, progress)
    summary = BuildSummary(new=sum(k not in stored for k, _, _ in todo), changed=sum(k in stored for k, _, _ in todo),
                           unchanged=len(good) - len(todo), failed=len(failures), rows=rows, errors=tuple(failures), previous="ok")
    return summary, bad


def _extract_into(repo: Repository, todo: list[tuple[str, Article, str]], geocoder, jobs: int,
                  progress: Progress | None, dask=None) -> tuple[int, list[str]]:
    """Extract and write in batches as results come; (rows written, failures named). Articles with
    no publication date whose strikes a dated report may date are held and written last, dated
    against the whole store (geo.dates_across), the same with or without Dask."""
    keys = {(a.id, a.file): (k, o) for k, a, o in todo}
    rows, failures, batch, held, dated_towns = 0, [], [], [], set()
    stamp = _now()
    version = extractor_version()
    for done, (result, frame, batch_end) in enumerate(_results([a for _, a, _ in todo], geocoder, jobs, dask), start=1):
        key, origin = keys[(result.article.id, result.article.file)]
        record = _record(key, result.article, origin, version)
        reason = getattr(result, "reason", None)
        if reason is not None:
            stage = getattr(result, "stage", "extract")
            failures.append(f"{result.article.file}: {reason}")
            batch.append(ArticleRows(replace(record, error=reason, stage=stage, extracted=stamp), events.to_frame([]), result.article.text))
        else:
            rows += len(frame)
            done_rows = ArticleRows(replace(record, extracted=stamp, rows=len(frame)), frame, result.article.text)
            if result.article.published is None and towns_to_date(frame):
                held.append(done_rows)
            else:
                batch.append(done_rows)
                dated_towns |= reporting_towns(frame)
        if batch_end:
            repo.write(batch)
            batch = []
        if progress is not None:
            progress(done, len(todo))
    repo.write(batch)
    if rows:
        repo.write(_dated_in_store(repo, held, {k for k, _, _ in todo}, dated_towns))
    return rows, failures


def _dated_in_store(repo: Repository, held: list[ArticleRows], written: set[str], dated_towns: set[str]) -> list[ArticleRows]:
    """Undated articles' rows with their strikes dated from the dated reports of the same towns in
    the store (geo.dates_across; this build's are written by now): the held ones of this build,
    and those stored before at the towns this build's dated reports name. Their ids do not
    change, so reviews of them still apply. Reads only the figures of those towns and the rows of
    the articles it may date, never the whole table."""
    stored = {a.id: a for a in repo.articles() if not a.published and not a.error and a.key not in written} \
        if dated_towns else {}
    waiting = list(held)
    if stored:
        figures = repo.select(ItemQuery(places=tuple(sorted(dated_towns)), categories=CASUALTY_NAMES, kinds=("figure",)))
        ids = articles_to_date(figures[figures["article_id"].isin(list(stored))])
        if ids:
            rows = repo.select(ItemQuery(articles=tuple(sorted(ids))))
            for article_id in sorted(ids):
                mine = rows[rows["article_id"] == article_id].reset_index(drop=True)
                waiting.append(ArticleRows(stored[article_id], mine, repo.text(article_id)))
    if not waiting:
        return []
    towns = sorted({t for h in waiting for t in towns_to_date(h.rows)})
    known = Known()
    known.add_rows(repo.select(ItemQuery(places=tuple(towns), kinds=("figure",))))
    out = []
    for n, h in enumerate(waiting):
        rows = redated_rows(h.rows, h.text or "", known)
        if n < len(held) or rows is not h.rows:
            out.append(replace(h, rows=rows))
    return out


def _results(articles: list[Article], geocoder, jobs: int, dask) -> Iterator[tuple[object, object, bool]]:
    """Each result with its event rows (None for a failure), and whether it ends a batch: BATCH
    results here, or one Dask partition (whose rows the worker made)."""
    if dask is None:
        batch = []
        for result in extract_many(articles, geocoder, jobs=jobs):
            batch.append(result)
            if len(batch) >= BATCH:
                yield from _with_rows(batch)
                batch = []
        yield from _with_rows(batch)
        return
    if geocoder is not None:
        raise ClusterError("--online cannot be used with --dask: the online geocoder's rate limit and cache must stay in one process")
    from geo.distributed import extract_partitions

    for partition in extract_partitions(articles, dask):
        for n, (result, frame) in enumerate(partition, start=1):
            yield result, frame, n == len(partition)


def _with_rows(results: list) -> Iterator[tuple[object, object, bool]]:
    for n, (result, frame) in enumerate(zip(results, events.to_frames(results)), start=1):
        yield result, frame, n == len(results)


def _record(key: str, a: Article, origin: str, version: str) -> StoredArticle:
    return StoredArticle(
        key=key, id=a.id, file=a.file, origin=origin, outlet=a.outlet, title=a.title, url=a.url,
        published=a.published.isoformat() if a.published else "", published_basis=a.published_basis,
        extractor=version, encoding=a.encoding, notes="\n".join(a.notes),
    )


def _same(stored: StoredArticle | None, a: Article, origin: str) -> bool:
    """True when re-extracting `a` would give the stored result again: the same rows, or the same
    failure (an article that timed out is not tried again on every start, only when it or the
    extractor changes)."""
    if stored is None or stored.stage == "load":
        return False
    fresh = _record(stored.key, a, origin, extractor_version())
    return replace(stored, extracted="", rows=0, error="", stage="") == fresh


def _failure(e: ArticleError, origin: str) -> StoredArticle:
    key = f"upload:{e.file.removeprefix('uploads/')}" if origin == "upload" else f"folder:{e.file}"
    return StoredArticle(key=key, id="", file=e.file, origin=origin, error=e.reason, stage="load")


def _gone(key: str, folder: Path | None, uploads: Path) -> bool:
    origin, _, name = key.partition(":")
    if origin == "upload":
        return not library.has(uploads, name)
    if origin == "folder":
        return folder is not None and not (Path(folder) / name).exists()
    return False


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
