"""Turn files (or uploaded bytes) into `Article` values, reporting bad ones one by one.

The decoded text is never edited afterwards: every offset the extractors produce indexes the
text a reader sees. Plain text and Markdown are kept byte for byte (only decoded); HTML is
reduced to its readable text once, here (geo.htmltext), and that text is what the article *is*
from then on. How bytes become text, and when they are refused: geo.decoding.

A bad file never stops a batch: it becomes an `ArticleError` in `LoadResult.errors`, and so does
every folder entry that is not read (hidden files, links that lead nowhere, folders, pipes,
devices, names that are not UTF-8). Nothing but a regular file is ever opened: a FIFO would
block forever and /dev/zero never ends. What the loader decided for the reader (a guessed
encoding, text kept after an unclosed <style>, an impossible date line ignored) is kept in
`Article.notes`. See docs/robustness.md.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo.dates import FIRST_YEAR, LAST_YEAR, plausible, publication_date
from geo.decoding import decode
from geo.errors import ArticleError
from geo.htmltext import html_to_text
from geo.language import detect as detect_language
from geo.model import Article

MAX_BYTES = 2 * 1024 * 1024
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MANIFEST = "manifest.csv"
TEXT_EXTENSIONS = frozenset({".txt", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
TITLE_CHARS = 120

_DATE_LINE = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", re.IGNORECASE)
# Anything a reader can see: not white space, not a zero-width or direction mark.
_VISIBLE = re.compile("[^\\s\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


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
    _check_name(name)
    ext = Path(name).suffix.lower()
    if ext not in TEXT_EXTENSIONS | HTML_EXTENSIONS:
        raise ArticleError(name, f"skipped: unknown extension {ext or '(none)'!r}, expected .txt, .md, .html or .htm")
    if len(data) > max_bytes:
        raise ArticleError(name, f"too big: {len(data):,} bytes, the limit is {max_bytes:,}")
    if not data:
        raise ArticleError(name, "empty file")
    if published is not None and not plausible(published):
        raise ArticleError(name, f"publication date {published.isoformat()} is outside {FIRST_YEAR}..{LAST_YEAR}")
    decoded = decode(name, data, html=ext in HTML_EXTENSIONS)
    text, notes = decoded.text, [decoded.note] if decoded.note else []
    if not _VISIBLE.search(text):
        raise ArticleError(name, "empty: only whitespace" if not text.strip() else
                           "empty: only whitespace and invisible characters (zero-width spaces, direction marks)")
    html_title = ""
    if ext in HTML_EXTENSIONS:
        page = html_to_text(text)
        text, html_title = page.text, page.title
        notes += page.notes
        if not _VISIBLE.search(text):
            raise ArticleError(name, "HTML with no readable text")
    basis = "manifest" if published else "unknown"
    if published is None:
        stated = publication_date(text)
        published, basis = stated.day, stated.basis
        if stated.problem:
            notes.append(stated.problem)
        if stated.basis == "inferred":
            notes.append(f"publication date {published.isoformat()} inferred from the text: '{stated.text}' ({stated.rule})")
    return Article(
        id=article_id(data),
        file=name,
        text=text,
        published=published,
        published_basis=basis,
        outlet=outlet,
        url=url,
        title=title or html_title or first_line_title(text),
        encoding=decoded.encoding,
        notes=tuple(notes),
        language=detect_language(text),
    )


def load_file(path: Path, entry: ManifestEntry | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read one file from disk; metadata from its manifest entry when there is one.

    Only a regular file (or a link to one) is opened, and checked again once open."""
    path = Path(path)
    entry = entry or ManifestEntry(path.name)
    reason = _not_an_article(path)
    if reason:
        raise ArticleError(shown_name(path.name), reason)
    data = _read_regular(path, max_bytes)
    return load_bytes(path.name, data, entry.published, entry.outlet, entry.url, entry.title, max_bytes)


def load_folder(folder: Path, max_bytes: int = MAX_BYTES) -> LoadResult:
    """Every article file in a folder (not recursive), with metadata from its manifest.csv;
    every other entry named in the errors with the reason it was not read."""
    folder = Path(folder)
    if not folder.is_dir():
        return LoadResult([], [ArticleError(shown_name(str(folder)), "not a folder")])
    try:
        with os.scandir(folder) as listing:
            names = sorted(e.name for e in listing)
    except OSError as e:
        return LoadResult([], [ArticleError(shown_name(str(folder)), f"cannot list the folder: {e.strerror or e}")])
    entries, errors = read_manifest(folder / MANIFEST)
    files = []
    for name in names:
        if name == MANIFEST:
            continue
        reason = "skipped: hidden (the name starts with a dot)" if name.startswith(".") else _not_an_article(folder / name)
        if reason:
            errors.append(ArticleError(shown_name(name), reason))
        else:
            files.append(folder / name)
    present = set(names)
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
        elif os.path.lexists(p):
            if p.parent not in manifests:
                manifests[p.parent] = read_manifest(p.parent / MANIFEST)[0]
            r = _load_each([p], manifests[p.parent], max_bytes)
        else:
            r = LoadResult([], [ArticleError(shown_name(str(p)), "no such file or folder")])
        articles += r.articles
        errors += r.errors
    return _without_duplicates(articles, errors)


def shown_name(name: str) -> str:
    """A file name fit to print: bytes that are not UTF-8 and control characters as \\xNN."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def read_manifest(path: Path) -> tuple[dict[str, ManifestEntry], list[ArticleError]]:
    """Parse manifest.csv (columns file, published, outlet, url, title; others ignored).

    A bad row or date is reported and the rest is kept; a missing manifest is not an error.
    """
    path = Path(path)
    if not os.path.lexists(path):
        return {}, []
    reason = _not_regular(path)
    if reason:
        return {}, [ArticleError(path.name, f"{reason}; the manifest is ignored")]
    try:
        raw = _read_regular(path, MAX_MANIFEST_BYTES).decode("utf-8-sig")
    except ArticleError as e:
        return {}, [ArticleError(path.name, f"cannot read the manifest: {e.reason}")]
    except UnicodeDecodeError as e:
        return {}, [ArticleError(path.name, f"cannot read the manifest: not UTF-8 at byte {e.start}")]
    reader = csv.DictReader(io.StringIO(raw))
    try:
        fields = reader.fieldnames
    except csv.Error as e:
        return {}, [ArticleError(path.name, f"cannot read the manifest's header: {e}")]
    if not fields or "file" not in [f.strip() for f in fields]:
        return {}, [ArticleError(path.name, "no 'file' column; the manifest is ignored")]
    entries: dict[str, ManifestEntry] = {}
    errors: list[ArticleError] = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:  # e.g. a field over the csv module's 131,072-character limit
            errors.append(ArticleError(path.name, f"line {line}: {e}; the row is ignored"))
            continue
        line = reader.line_num
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
                errors.append(ArticleError(path.name, f"line {line}: bad date {row['published'][:40]!r} for {name} (expected YYYY-MM-DD); ignored"))
            if published is not None and not plausible(published):
                errors.append(ArticleError(path.name, f"line {line}: date {published.isoformat()} for {name} is outside {FIRST_YEAR}..{LAST_YEAR}; ignored"))
                published = None
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


def _check_name(name: str) -> None:
    """A name that cannot be printed or stored as it is gets refused, not mangled."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise ArticleError(shown_name(name), "the file name is not valid UTF-8; rename the file") from None
    if _CONTROL.search(name):
        raise ArticleError(shown_name(name), "the file name contains control characters; rename the file")


def _not_an_article(path: Path) -> str:
    """Why a folder entry is not read as an article ("" when it is a candidate). Looks with
    stat only: nothing is opened here."""
    try:
        _check_name(path.name)
    except ArticleError as e:
        return e.reason
    reason = _not_regular(path)
    if reason:
        return reason
    if path.suffix.lower() not in TEXT_EXTENSIONS | HTML_EXTENSIONS:
        return f"skipped: unknown extension {path.suffix or '(none)'!r}, expected .txt, .md, .html or .htm"
    return ""


def _not_regular(path: Path) -> str:
    """Why `path` is not a regular file (or a link to one), "" when it is."""
    link = os.path.islink(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if link:
            return f"skipped: a symbolic link to {shown_name(os.readlink(path))}, which does not exist"
        return "skipped: gone while the folder was read"
    except OSError as e:
        return f"skipped: cannot be examined ({e.strerror or e})"
    via = " (through a symbolic link)" if link else ""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        named = Path(path).suffix.lower() in TEXT_EXTENSIONS | HTML_EXTENSIONS
        return f"skipped: a folder{' named like a file' if named else ''}{via}; subfolders are not read"
    kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a character device" if stat.S_ISCHR(mode) else "a block device" if stat.S_ISBLK(mode)
            else "a special file")
    return f"skipped: {kind}{via}, not a regular file; not opened"


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, at most `limit` of them. Opened non-blocking and checked
    again once open, so a file swapped for a pipe or a device after the check cannot hang us."""
    shown = shown_name(path.name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as e:
        raise ArticleError(shown, f"unreadable: {e.strerror or e}") from e
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(shown, "skipped: not a regular file; not read")
        if info.st_size > limit:
            raise ArticleError(shown, f"too big: {info.st_size:,} bytes, the limit is {limit:,}")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ArticleError(shown, f"too big: it grew past the limit of {limit:,} bytes while being read")
        return b"".join(chunks)
    except OSError as e:
        raise ArticleError(shown, f"unreadable: {e.strerror or e}") from e
    finally:
        os.close(fd)


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
