"""Turn files (or uploaded bytes) into `Article` values, reporting bad ones one by one.

The decoded text is never edited afterwards: every offset the extractors produce indexes the
text a reader sees. Plain text and Markdown are kept byte for byte (only decoded); HTML is
reduced to its readable text once, here, and that text is what the article *is* from then on.
A bad file never stops a batch: it becomes an `ArticleError` in `LoadResult.errors`.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from geo.dates import date_from_text
from geo.errors import ArticleError
from geo.model import Article

MAX_BYTES = 2 * 1024 * 1024
MANIFEST = "manifest.csv"
TEXT_EXTENSIONS = frozenset({".txt", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
TITLE_CHARS = 120

_DATE_LINE = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ManifestEntry:
    """What a user told us about one file; empty strings and None mean 'not given'."""

    file: str
    published: date | None = None
    outlet: str = ""
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[ArticleError] = field(default_factory=list)


def article_id(data: bytes) -> str:
    """The stable id: the same bytes always give the same id, whatever the file is called."""
    return hashlib.sha256(data).hexdigest()[:16]


def load_bytes(
    name: str,
    data: bytes,
    published: date | None = None,
    outlet: str = "",
    url: str = "",
    title: str = "",
    max_bytes: int = MAX_BYTES,
) -> Article:
    """Decode one file's bytes into an Article; raise ArticleError saying why it cannot be read.

    `published` (from a manifest or an upload form) wins over a date stated in the text.
    """
    ext = Path(name).suffix.lower()
    if ext not in TEXT_EXTENSIONS | HTML_EXTENSIONS:
        raise ArticleError(name, f"skipped: unknown extension {ext or '(none)'!r}, expected .txt, .md, .html or .htm")
    if len(data) > max_bytes:
        raise ArticleError(name, f"too big: {len(data):,} bytes, the limit is {max_bytes:,}")
    if not data.strip():
        raise ArticleError(name, "empty file" if not data else "empty: only whitespace")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise ArticleError(name, f"binary file (NUL byte at byte {nul}), not text")
    text = _decode(name, data)
    html_title = ""
    if ext in HTML_EXTENSIONS:
        text, html_title = html_to_text(text)
        if not text.strip():
            raise ArticleError(name, "HTML with no readable text")
    basis = "manifest" if published else "unknown"
    if published is None:
        published = date_from_text(text)
        basis = "text" if published else "unknown"
    return Article(
        id=article_id(data),
        file=name,
        text=text,
        published=published,
        published_basis=basis,
        outlet=outlet,
        url=url,
        title=title or html_title or first_line_title(text),
    )


def load_file(path: Path, entry: ManifestEntry | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read one file from disk; metadata from its manifest entry when there is one."""
    path = Path(path)
    entry = entry or ManifestEntry(path.name)
    if path.suffix.lower() not in TEXT_EXTENSIONS | HTML_EXTENSIONS:
        raise ArticleError(path.name, f"skipped: unknown extension {path.suffix or '(none)'!r}, expected .txt, .md, .html or .htm")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ArticleError(path.name, f"too big: {size:,} bytes, the limit is {max_bytes:,}")
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(path.name, f"unreadable: {e.strerror or e}") from e
    return load_bytes(path.name, data, entry.published, entry.outlet, entry.url, entry.title, max_bytes)


def load_folder(folder: Path, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Every article file in a folder (not recursive), with metadata from its manifest.csv."""
    folder = Path(folder)
    if not folder.is_dir():
        return LoadResult([], [ArticleError(str(folder), "not a folder")])
    entries, errors = read_manifest(folder / MANIFEST)
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.name != MANIFEST and not p.name.startswith("."))
    present = {p.name for p in files}
    errors += [ArticleError(name, "listed in manifest.csv but the file is missing") for name in entries if name not in present]
    result = _load_each(files, entries, max_bytes)
    return LoadResult(result.articles, errors + result.errors)


def load_paths(paths: list[Path], max_bytes: int = MAX_BYTES) -> LoadResult:
    """Files and folders as named on a command line, in that order; duplicates reported.

    A single file takes its metadata from the manifest.csv beside it, if there is one; each
    folder's manifest is read once, however many of its files are named.
    """
    articles: list[Article] = []
    errors: list[ArticleError] = []
    manifests: dict[Path, dict[str, ManifestEntry]] = {}
    for p in map(Path, paths):
        if p.is_dir():
            r = load_folder(p, max_bytes)
        elif p.exists():
            if p.parent not in manifests:
                manifests[p.parent] = read_manifest(p.parent / MANIFEST)[0]
            r = _load_each([p], manifests[p.parent], max_bytes)
        else:
            r = LoadResult([], [ArticleError(str(p), "no such file or folder")])
        articles += r.articles
        errors += r.errors
    return _without_duplicates(articles, errors)


def read_manifest(path: Path) -> tuple[dict[str, ManifestEntry], list[ArticleError]]:
    """Parse manifest.csv (columns file, published, outlet, url, title; others ignored).

    A bad row or date is reported and the rest is kept; a missing manifest is not an error.
    """
    path = Path(path)
    if not path.exists():
        return {}, []
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return {}, [ArticleError(path.name, f"cannot read the manifest: {e}")]
    reader = csv.DictReader(io.StringIO(raw))
    if not reader.fieldnames or "file" not in [f.strip() for f in reader.fieldnames]:
        return {}, [ArticleError(path.name, "no 'file' column; the manifest is ignored")]
    entries: dict[str, ManifestEntry] = {}
    errors: list[ArticleError] = []
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str) or v is None}
        name = row.get("file", "")
        if not name:
            errors.append(ArticleError(path.name, f"line {line}: no file name"))
            continue
        if name in entries:
            errors.append(ArticleError(path.name, f"line {line}: {name} is listed twice; the first row is kept"))
            continue
        published = None
        if row.get("published"):
            try:
                published = date.fromisoformat(row["published"])
            except ValueError:
                errors.append(ArticleError(path.name, f"line {line}: bad date {row['published']!r} for {name} (expected YYYY-MM-DD); ignored"))
        outlet = row.get("outlet", "")
        entries[name] = ManifestEntry(
            file=name,
            published=published,
            outlet="" if outlet.lower() == "unknown" else outlet,
            url=row.get("url", ""),
            title=row.get("title", ""),
        )
    return entries, errors


def first_line_title(text: str) -> str:
    """The first non-empty line, without a leading `date YYYY-MM-DD`, cut at a word near 120 chars."""
    for line in text.splitlines():
        line = _DATE_LINE.sub("", line).strip()
        if line:
            if len(line) <= TITLE_CHARS:
                return line
            cut = line[:TITLE_CHARS].rsplit(" ", 1)[0]
            return cut.rstrip(" ,;:-") + "…"
    return ""


def html_to_text(html: str) -> tuple[str, str]:
    """Readable text and <title> of an HTML page: no tags, scripts or styles; blocks on own lines."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, " ".join("".join(parser.title).split())


def _decode(name: str, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        raise ArticleError(name, f"not UTF-8 at byte {e.start + bom} (save the file as UTF-8)") from e


def _load_each(files: list[Path], entries: dict[str, ManifestEntry], max_bytes: int) -> LoadResult:
    articles, errors = [], []
    for p in files:
        try:
            articles.append(load_file(p, entries.get(p.name), max_bytes))
        except ArticleError as e:
            errors.append(e)
    return _without_duplicates(articles, errors)


def _without_duplicates(articles: list[Article], errors: list[ArticleError]) -> LoadResult:
    seen: dict[str, str] = {}
    kept = []
    for a in articles:
        if a.id in seen:
            errors.append(ArticleError(a.file, f"skipped: same content as {seen[a.id]}"))
        else:
            seen[a.id] = a.file
            kept.append(a)
    return LoadResult(kept, errors)


class _TextParser(HTMLParser):
    _SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})
    _BLOCK = frozenset(
        "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
        "header hr li main nav ol p pre section table td th tr ul title".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        elif tag in self._SKIP:
            self._skip += 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        elif not self._skip:
            self.parts.append(data)
