"""The embedded store: one SQLite file (default `data/ukrmap.db`), no server.

Why SQLite: every write is a transaction (WAL mode), so a build, an upload and two reviewers can
write at once and none loses its work; a kill -9 leaves the last committed state. Articles,
texts, extraction rows and the review log are separate tables; re-extraction replaces an
article's rows and never touches the log, which triggers keep append-only.

SQLite has no checksums of its own, so the store keeps them: each article record carries a
sha256 over its record and rows, each text and each review its own; every read checks them and
names what is damaged. Each committed review is also appended to `<store>.reviews.jsonl`; a store
that lost reviews (a damaged file moved aside, a deleted file) takes them back from it when opened.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import astuple, fields
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.errors import ReviewError, StoreBusyError, StoreError
from geo.review import Review
from geo.store import rows as rows_, snapshot
from geo.store.base import SCHEMA_VERSION, ArticleRows, Repository, StoredArticle
from geo.store.query import SQLITE, TALLY_COLUMNS, ItemQuery, conform_tally, exempt, selected, tally_sql
from geo.store.rows import item_columns, q

BUSY_TIMEOUT_S = 2.0
MAX_WAIT_S = 120.0
_ARTICLE_FIELDS = tuple(f.name for f in fields(StoredArticle))


class EmbeddedStore(Repository):
    def __init__(self, path: Path | str, create: bool = True, on_busy: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.url = str(self.path)
        self.journal = self.path.with_name(self.path.name + ".reviews.jsonl")
        self._on_busy = on_busy or (lambda msg: print(msg, file=sys.stderr, flush=True))
        if not create and not self.path.exists():
            raise StoreError(f"no store at {self.path}: build it with `python -m geo build --store {self.path}`")
        if self.path.exists() and self.path.stat().st_size == 0:
            raise StoreError(f"{self.path} is an empty file, not a store; rebuild it (the file is kept as a backup)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            self._execute("PRAGMA journal_mode=WAL")
            self._execute("PRAGMA synchronous=FULL")
            self._migrate()
        except sqlite3.DatabaseError as e:
            self.close()
            raise StoreError(f"{self.path} is not a readable store ({e}); rebuild it (the file is kept as a backup)") from e
        self._columns = [c for c, _ in item_columns()]
        self._reconcile_journal()

    # --- reading -------------------------------------------------------------------------

    def version(self) -> str:
        return f"{self.path}:{self._scalar('SELECT value FROM meta WHERE key = ?', ('generation',))}"

    def articles(self) -> list[StoredArticle]:
        cols = ", ".join(q(f) for f in _ARTICLE_FIELDS)
        rows = self._fetch(f"SELECT {cols} FROM articles ORDER BY key")
        return [StoredArticle(*r) for r in rows]

    def text(self, article_id: str) -> str | None:
        row = self._fetch("SELECT text, sha FROM texts WHERE id = ?", (article_id,))
        if not row:
            return None
        text, sha = row[0]
        if _sha(text) != sha:
            raise StoreError(f"{self.path}: the text of article {article_id} is damaged (checksum mismatch); rebuild the store")
        return text

    def items(self) -> gpd.GeoDataFrame:
        """Read every row and check each article's checksum; StoreError names damaged articles.

        The checked table is kept as a snapshot of this store version (geo.store.snapshot): the
        next read of the same version, unchanged on disk, loads it instead of decoding every row."""
        cols = ", ".join(q(c) for c in ["article_key", *self._columns])
        with self._reading():
            k = snapshot.key(self.path, self._scalar("SELECT value FROM meta WHERE key = ?", ("generation",)))
            kept = snapshot.load(self.path, k)
            if kept is not None:
                return kept
            rows = self._fetch(f"SELECT {cols} FROM items ORDER BY article_key, rowid")
            records = self._fetch(f"SELECT key, checksum, {', '.join(q(f) for f in _ARTICLE_FIELDS)} FROM articles")
        self._check(rows, records)
        frame = rows_.decode(rows, self._columns)
        snapshot.save(self.path, k, frame)
        return frame

    def select(self, query: ItemQuery) -> gpd.GeoDataFrame:
        return self._rows_where(*selected(query, SQLITE))

    def tally(self, query: ItemQuery, period: str) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
        sql, params = tally_sql(query, period, SQLITE)
        exempted, p2 = exempt(query, SQLITE)
        with self._reading():
            counts = self._fetch(sql, tuple(params))
            rows = self._rows_where(exempted, p2)
        return conform_tally(pd.DataFrame(counts, columns=list(TALLY_COLUMNS))), rows

    def reviews(self) -> list[Review]:
        out = []
        for seq, record, sha in self._fetch("SELECT seq, record, sha FROM reviews ORDER BY seq"):
            if _sha(record) != sha:
                raise StoreError(f"{self.path}: review #{seq} is damaged (checksum mismatch); "
                                 f"the review journal {self.journal.name} keeps a copy")
            try:
                out.append(Review.from_json(json.loads(record)))
            except (ValueError, ReviewError) as e:
                raise StoreError(f"{self.path}: review #{seq} cannot be read ({e})") from e
        return out

    # --- writing -------------------------------------------------------------------------

    def write(self, batch: Iterable[ArticleRows]) -> None:
        batch = list(batch)
        if not batch:
            return
        encoded = list(zip(batch, rows_.encode_many([b.rows for b in batch], self._columns)))
        cols = ["article_key", *self._columns]
        insert = f"INSERT INTO items ({', '.join(map(q, cols))}) VALUES ({', '.join('?' * len(cols))})"
        with self._transaction() as db:
            for b, rows in encoded:
                key = b.record.key
                old_id = self._scalar("SELECT id FROM articles WHERE key = ?", (key,), db)
                db.execute("DELETE FROM items WHERE article_key = ?", (key,))
                db.executemany(insert, [(key, *r) for r in rows])
                record = astuple(b.record)
                h = hashlib.sha256(repr(record).encode())
                for r in rows:
                    h.update(repr(tuple(r)).encode())
                db.execute(f"INSERT OR REPLACE INTO articles ({', '.join(map(q, _ARTICLE_FIELDS))}, checksum) "
                           f"VALUES ({', '.join('?' * (len(_ARTICLE_FIELDS) + 1))})", (*record, h.hexdigest()))
                if b.text is not None and b.record.id:
                    db.execute("INSERT OR REPLACE INTO texts (id, text, sha) VALUES (?, ?, ?)", (b.record.id, b.text, _sha(b.text)))
                if old_id and old_id != b.record.id:
                    self._drop_text_if_unused(db, old_id)

    def remove(self, keys: Iterable[str], still_gone: Callable[[str], bool]) -> int:
        keys = list(keys)
        if not keys:
            return 0
        removed = 0
        with self._transaction() as db:
            for key in keys:
                if not still_gone(key):
                    continue
                old_id = self._scalar("SELECT id FROM articles WHERE key = ?", (key,), db)
                db.execute("DELETE FROM items WHERE article_key = ?", (key,))
                removed += db.execute("DELETE FROM articles WHERE key = ?", (key,)).rowcount
                if old_id:
                    self._drop_text_if_unused(db, old_id)
        return removed

    def add_review(self, review: Review) -> bool:
        record = review.dumps()
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM reviews WHERE uid = ?", (review.uid,)).fetchone():
                return False
            db.execute("INSERT INTO reviews (uid, item, record, sha) VALUES (?, ?, ?, ?)",
                       (review.uid, review.item, record, _sha(record)))
            # Journalled while the write lock is held, so a store opened meanwhile never finds this
            # review committed but unjournalled and journals it a second time.
            self._append_journal([record])
        return True

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
            self._db = None

    # --- internals -----------------------------------------------------------------------

    def _rows_where(self, condition: str, params: list) -> gpd.GeoDataFrame:
        """The rows meeting `condition`, each of their articles read whole and checked against its checksum."""
        cols = ", ".join(q(c) for c in ["article_key", *self._columns])
        hit = f"SELECT article_key FROM items WHERE {condition}"
        with self._reading():
            rows = self._fetch(f"SELECT ({condition}), {cols} FROM items WHERE article_key IN ({hit}) "
                               "ORDER BY article_key, rowid", tuple(params) * 2)
            records = self._fetch(f"SELECT key, checksum, {', '.join(q(f) for f in _ARTICLE_FIELDS)} FROM articles "
                                  f"WHERE key IN ({hit})", tuple(params))
        self._check([r[1:] for r in rows], records)
        return rows_.decode([r[1:] for r in rows if r[0]], self._columns)

    def _check(self, rows: list[tuple], records: list[tuple]) -> None:
        """StoreError naming the articles whose record and rows no longer match their checksum."""
        records = {r[0]: r for r in records}
        digests: dict[str, hashlib._Hash] = {}
        for row in rows:
            h = digests.get(row[0])
            if h is None:
                h = digests[row[0]] = hashlib.sha256(repr(records[row[0]][2:]).encode() if row[0] in records else b"")
            h.update(repr(row[1:]).encode())
        damaged = sorted(
            rec[2 + _ARTICLE_FIELDS.index("file")] or key
            for key, rec in records.items()
            if (digests[key].hexdigest() if key in digests else _sha(repr(rec[2:]))) != rec[1]
        )
        damaged += sorted({r[0] for r in rows if r[0] not in records})
        if damaged:
            raise StoreError(f"{self.path} is damaged: checksum mismatch for {', '.join(damaged[:5])}"
                             + (f" and {len(damaged) - 5} more" if len(damaged) > 5 else "") + "; rebuild the store")

    @contextmanager
    def _reading(self):
        """One read transaction: every statement inside sees the same committed state (WAL)."""
        nested = self._db.in_transaction
        if not nested:
            self._execute("BEGIN")
        try:
            yield
        finally:
            if not nested:
                self._execute("COMMIT")

    def _migrate(self) -> None:
        with self._transaction(bump=False) as db:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            found = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'", (), db)
            if found is not None and int(found) != SCHEMA_VERSION:
                raise StoreError(f"{self.path} has store schema version {found}; this program reads {SCHEMA_VERSION}. "
                                 + ("Use the newer program that wrote it." if int(found) > SCHEMA_VERSION else "Rebuild it."))
            article_cols = ", ".join(f"{q(f)} {'INTEGER' if f == 'rows' else 'TEXT'}" for f in _ARTICLE_FIELDS if f != "key")
            db.execute(f"CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, {article_cols}, checksum TEXT NOT NULL)")
            have = {r[1] for r in db.execute("PRAGMA table_info(articles)")}
            for f in _ARTICLE_FIELDS:
                if f not in have:
                    db.execute(f"ALTER TABLE articles ADD COLUMN {q(f)} TEXT NOT NULL DEFAULT ''")
            db.execute("CREATE TABLE IF NOT EXISTS texts (id TEXT PRIMARY KEY, text TEXT NOT NULL, sha TEXT NOT NULL)")
            item_cols = ", ".join(f"{q(c)} {t}" for c, t in item_columns())
            db.execute(f"CREATE TABLE IF NOT EXISTS items (article_key TEXT NOT NULL, {item_cols})")
            have = {r[1] for r in db.execute("PRAGMA table_info(items)")}
            for c, t in item_columns():
                if c not in have:
                    db.execute(f"ALTER TABLE items ADD COLUMN {q(c)} {t}")
            db.execute("CREATE INDEX IF NOT EXISTS items_article ON items (article_key)")
            db.execute("CREATE TABLE IF NOT EXISTS reviews (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, "
                       "item TEXT NOT NULL, record TEXT NOT NULL, sha TEXT NOT NULL)")
            for op in ("UPDATE", "DELETE"):
                db.execute(f"CREATE TRIGGER IF NOT EXISTS reviews_no_{op.lower()} BEFORE {op} ON reviews "
                           "BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END")
            if found is None:
                db.execute("INSERT INTO meta VALUES ('schema_version', ?), ('generation', '0')", (str(SCHEMA_VERSION),))

    @contextmanager
    def _transaction(self, bump: bool = True):
        """BEGIN IMMEDIATE (the write lock), retried with a message while another writer holds it."""
        db = self._db
        waited, told = 0.0, False
        while True:
            try:
                db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) and "busy" not in str(e):
                    raise _store_error(self.path, e) from e
                if not told:
                    self._on_busy(f"the store {self.path} is busy (another writer); retrying…")
                    told = True
                waited += BUSY_TIMEOUT_S
                if waited >= MAX_WAIT_S:
                    raise StoreBusyError(f"the store {self.path} stayed busy for {MAX_WAIT_S:.0f} s; nothing was written") from e
                time.sleep(0.05)
        try:
            yield db
            if bump:
                db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
            db.execute("COMMIT")
        except BaseException as e:
            db.execute("ROLLBACK")
            if isinstance(e, sqlite3.DatabaseError):
                raise _store_error(self.path, e) from e
            raise

    def _fetch(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            raise _store_error(self.path, e) from e

    def _scalar(self, sql: str, params: tuple = (), db=None):
        try:
            row = (db or self._db).execute(sql, params).fetchone()
        except sqlite3.DatabaseError as e:
            raise _store_error(self.path, e) from e
        return None if row is None else row[0]

    def _execute(self, sql: str) -> None:
        self._db.execute(sql)

    @staticmethod
    def _drop_text_if_unused(db, article_id: str) -> None:
        if not db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
            db.execute("DELETE FROM texts WHERE id = ?", (article_id,))

    def _append_journal(self, records: list[str]) -> None:
        """Append whole lines under an exclusive lock, so two writers never interleave."""
        with open(self.journal, "a", encoding="utf-8") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                f.write("".join(r + "\n" for r in records))
                f.flush()
                os.fsync(f.fileno())
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def _reconcile_journal(self) -> None:
        """Reviews in the journal but not the store are taken back; the reverse are journalled.

        Compared first without a lock (the usual case: nothing to do), then again under the write
        lock, which every review write holds until its journal line is written."""
        if _read_journal(self.journal).keys() == {uid for (uid,) in self._fetch("SELECT uid FROM reviews")}:
            return
        with self._transaction() as db:
            journalled = _read_journal(self.journal)
            stored = dict(db.execute("SELECT uid, record FROM reviews ORDER BY seq").fetchall())
            for review in sorted((r for uid, r in journalled.items() if uid not in stored), key=lambda r: r.at):
                record = review.dumps()
                db.execute("INSERT OR IGNORE INTO reviews (uid, item, record, sha) VALUES (?, ?, ?, ?)",
                           (review.uid, review.item, record, _sha(record)))
            unjournalled = [record for uid, record in stored.items() if uid not in journalled]
            if unjournalled:
                self._append_journal(unjournalled)


def _read_journal(path: Path) -> dict[str, Review]:
    """The journal's reviews by uid; a torn last line (a killed writer) is skipped."""
    if not path.exists():
        return {}
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                review = Review.from_json(json.loads(line))
            except (ValueError, ReviewError):
                continue
            out[review.uid] = review
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _store_error(path: Path, e: sqlite3.DatabaseError) -> StoreError:
    return StoreError(f"{path} is damaged or not a store ({e}); rebuild it (the damaged file is kept as a backup)")
