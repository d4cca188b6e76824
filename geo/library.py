"""The library of uploaded articles: every upload kept as a file, so a store can always be rebuilt.

Content-addressed: `<uploads>/<id><ext>` holds the bytes exactly as uploaded and `<id>.json` what
the user said of them (file name, publication date, outlet, URL, title, when added). Writes go
through a temp file and a rename, so a killed upload leaves either the whole file or none.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from geo.articles import MAX_BYTES, LoadResult, article_id, load_bytes
from geo.errors import ArticleError


@dataclass(frozen=True)
class Upload:
    """An upload as given: the bytes' name and what the user said of them."""

    file: str
    data: bytes
    published: date | None = None
    outlet: str = ""
    url: str = ""
    title: str = ""


def save(folder: Path, upload: Upload, max_bytes: int = MAX_BYTES):
    """Check the upload reads as an article, then keep its bytes and metadata; the Article.

    Raises ArticleError (and keeps nothing) when it cannot be read.
    """
    article = load_bytes(upload.file, upload.data, upload.published, upload.outlet, upload.url, upload.title, max_bytes)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ext = Path(upload.file).suffix.lower()
    meta = {
        "file": upload.file, "ext": ext, "published": upload.published.isoformat() if upload.published else "",
        "outlet": upload.outlet, "url": upload.url, "title": upload.title,
        "added": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    _write_atomic(folder / f"{article.id}{ext}", upload.data)
    _write_atomic(folder / f"{article.id}.json", json.dumps(meta, ensure_ascii=False, indent=1).encode())
    return article


def load(folder: Path, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Every upload in the library as an Article; a damaged entry is named, never dropped silently.

    Errors name the entry as `uploads/<id>`, never by the uploader's file name, which a file of the
    articles folder may share."""
    folder = Path(folder)
    if not folder.is_dir():
        return LoadResult()
    articles, errors = [], []
    for meta_path in sorted(folder.glob("*.json")):
        uid = meta_path.stem
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = (folder / f"{uid}{meta['ext']}").read_bytes()
            if article_id(data) != uid:
                raise ArticleError(meta.get("file", uid), f"the uploaded copy {uid}{meta['ext']} no longer matches its hash")
            published = date.fromisoformat(meta["published"]) if meta.get("published") else None
            articles.append(load_bytes(meta["file"], data, published, meta.get("outlet", ""), meta.get("url", ""),
                                       meta.get("title", ""), max_bytes))
        except ArticleError as e:
            errors.append(ArticleError(f"uploads/{uid}", f"{e.file}: {e.reason}"))
        except (OSError, ValueError, KeyError, TypeError) as e:
            errors.append(ArticleError(f"uploads/{uid}", f"damaged library entry {meta_path.name}: {e}"))
    return LoadResult(articles, errors)


def has(folder: Path, uid: str) -> bool:
    return (Path(folder) / f"{uid}.json").exists()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
