"""The team store: PostgreSQL with PostGIS, chosen by giving `--store` a `postgresql://` URL.

Same four things as the embedded store, as tables a GIS opens directly: `articles`, `texts`,
`items` (the event table, its position a `geometry(Point, 4326)` with a GiST index) and `reviews`
(the append-only log: a trigger refuses UPDATE, DELETE and TRUNCATE). Extraction rows arrive by
COPY. Every write is one transaction; writes that replace articles (builds, uploads) also take
the store's write lock (an advisory lock), so two builders never interleave and a second one waits,
saying so, as with the embedded store. Reviews do not take it: they only append, so reviewers never
wait for a build. A `store_state` row counts writes, so readers cache on `version()`.

The schema is versioned: `schema_migrations` records which of `MIGRATIONS` ran; opening a store
applies the missing ones in order, under a lock, in one transaction. PostGIS is enabled when the
user may (`CREATE EXTENSION IF NOT EXISTS postgis`); otherwise the error says who must do it.
No checksums here: the server has its own integrity (WAL, `data_checksums`) and backups; see
docs/store.md. psycopg 3 is imported only when a URL is given.
"""
from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, fields

import geopandas as gpd
import pandas as pd

from geo.errors import ReviewError, StoreBusyError, StoreError
from geo.review import Review
from geo.store import rows as rows_
from geo.store.base import ArticleRows, Repository, StoredArticle
from geo.store.query import POSTGIS, TALLY_COLUMNS, ItemQuery, conform_tally, exempt, selected, tally_sql
from geo.store.rows import q

MAX_WAIT_S = 120.0
POLL_S = 0.05
WRITE_LOCK, MIGRATION_LOCK = 0x756B726D617001, 0x756B726D617002   # "ukrmap" 1 and 2
_ARTICLE_FIELDS = tuple(f.name for f in fields(StoredArticle))
_ORDER = 'article_key COLLATE "C", ord'   # byte order, as SQLite sorts: both backends list rows alike


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


MIGRATIONS = (
    Migration(1, "articles, texts, items with a point geometry, the append-only review log", (
        "CREATE TABLE store_state (one boolean PRIMARY KEY DEFAULT true CHECK (one), generation bigint NOT NULL DEFAULT 0)",
        "INSERT INTO store_state DEFAULT VALUES",
        """CREATE TABLE articles (
            key text PRIMARY KEY, id text NOT NULL, file text NOT NULL, origin text NOT NULL, outlet text NOT NULL,
            title text NOT NULL, url text NOT NULL, published text NOT NULL, published_basis text NOT NULL,
            extracted text NOT NULL, rows integer NOT NULL, error text NOT NULL, stage text NOT NULL,
            extractor text NOT NULL)""",
        "CREATE TABLE texts (id text PRIMARY KEY, text text NOT NULL)",
        """CREATE TABLE items (
            article_key text NOT NULL REFERENCES articles (key) ON DELETE CASCADE, ord integer NOT NULL,
            id text NOT NULL, kind text NOT NULL, article_id text NOT NULL, article_file text NOT NULL,
            outlet text NOT NULL, title text NOT NULL, url text NOT NULL, published date,
            published_basis text NOT NULL, place text NOT NULL, mention text NOT NULL, geonameid bigint,
            region text NOT NULL, country text NOT NULL, precision text NOT NULL, place_confidence double precision,
            place_source text NOT NULL, value bigint, value_high bigint, qualifier text NOT NULL,
            category text NOT NULL, counted text NOT NULL, attribution text NOT NULL, event_date date,
            time_precision text NOT NULL, date_text text NOT NULL, quote text NOT NULL, start bigint, "end" bigint,
            sentence_start bigint, sentence_end bigint, geom geometry(Point, 4326),
            PRIMARY KEY (article_key, ord))""",
        """CREATE TABLE reviews (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, uid text NOT NULL UNIQUE, item text NOT NULL,
            status text NOT NULL, reviewed_by text NOT NULL, reviewed_at text NOT NULL, record json NOT NULL,
            added_at timestamptz NOT NULL DEFAULT now())""",
        """CREATE FUNCTION reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the review log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$""",
        "CREATE TRIGGER reviews_no_change BEFORE UPDATE OR DELETE ON reviews FOR EACH ROW EXECUTE FUNCTION reviews_append_only()",
        "CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews FOR EACH STATEMENT EXECUTE FUNCTION reviews_append_only()",
    )),
    Migration(2, "indexes for the filters the dashboard pushes down", (
        "CREATE INDEX items_geom ON items USING gist (geom)",
        "CREATE INDEX items_when ON items ((COALESCE(event_date, published)))",
        "CREATE INDEX items_place ON items (place)",
        "CREATE INDEX items_category ON items (category)",
        "CREATE INDEX items_article_id ON items (article_id)",
        "CREATE INDEX items_id ON items (id)",
        "CREATE INDEX reviews_item ON reviews (item)",
    )),
    Migration(3, "event date spans and report dates; the article's language (uk, ru, en, mixed)", (
        "ALTER TABLE items ADD COLUMN date_start date, ADD COLUMN date_end date, ADD COLUMN reported date",
        "ALTER TABLE items ADD COLUMN language text NOT NULL DEFAULT ''",
    )),
    Migration(4, "why this pin: the mention's ranked namesakes (JSON) and the ids of the rules that decided", (
        "ALTER TABLE items ADD COLUMN candidates text NOT NULL DEFAULT '', ADD COLUMN rules text NOT NULL DEFAULT ''",
    )),
    Migration(5, "how an article's bytes were decoded, and what loading had to decide", (
        "ALTER TABLE articles ADD COLUMN encoding text NOT NULL DEFAULT '', ADD COLUMN notes text NOT NULL DEFAULT ''",
    )),
)


def _psycopg():
    try:
        import psycopg
    except ImportError as e:
        raise StoreError("a postgresql:// store needs psycopg 3: pip install 'psycopg[binary]'") from e
    return psycopg


def redact(url: str) -> str:
    """The URL without its password, for messages and versions."""
    url = re.sub(r"(://[^:/@?]*):[^@/?]*@", r"\1@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


class PostgisStore(Repository):
    def __init__(self, url: str, create: bool = True, on_busy: Callable[[str], None] | None = None):
        self._pg = _psycopg()
        self.url = redact(url)
        self._on_busy = on_busy or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self._columns = rows_.names()
        self._conn = None
        with self._errors("connect"):
            self._conn = self._pg.connect(url, autocommit=True, connect_timeout=10, application_name="ukrmap")
        try:
            with self._errors("open the store"):
                encoding = self._conn.execute("SHOW server_encoding").fetchone()[0]
                if encoding.upper() not in ("UTF8", "UTF-8"):
                    raise StoreError(f"{self.url}: the database's encoding is {encoding}; the store needs UTF8 "
                                     "(CREATE DATABASE … ENCODING 'UTF8')")
                self._migrate(create)
        except BaseException:
            self.close()
            raise

    # --- reading -------------------------------------------------------------------------

    def version(self) -> str:
        return f"{self.url}#{self._one('SELECT generation FROM store_state')}"

    def articles(self) -> list[StoredArticle]:
        cols = ", ".join(q(f) for f in _ARTICLE_FIELDS)
        return [StoredArticle(*r) for r in self._all(f'SELECT {cols} FROM articles ORDER BY key COLLATE "C"')]

    def text(self, article_id: str) -> str | None:
        return self._one("SELECT text FROM texts WHERE id = %s", (article_id,))

    def items(self) -> gpd.GeoDataFrame:
        return self._rows_where("true", [])

    def select(self, query: ItemQuery) -> gpd.GeoDataFrame:
        return self._rows_where(*selected(query, POSTGIS))

    def tally(self, query: ItemQuery, period: str) -> tuple[pd.DataFrame, gpd.GeoDataFrame]:
        sql, params = tally_sql(query, period, POSTGIS)
        exempted, p2 = exempt(query, POSTGIS)
        with self._errors("count the figures"), self._conn.transaction():
            self._conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            counts = self._conn.execute(sql, params).fetchall()
            rows = self._rows_where(exempted, p2)
        return conform_tally(pd.DataFrame(counts, columns=list(TALLY_COLUMNS))), rows

    def reviews(self) -> list[Review]:
        out = []
        for seq, record in self._all("SELECT seq, record FROM reviews ORDER BY seq"):
            try:
                out.append(Review.from_json(record))
            except ReviewError as e:
                raise StoreError(f"{self.url}: review #{seq} cannot be read ({e})") from e
        return out

    # --- writing -------------------------------------------------------------------------

    def write(self, batch: Iterable[ArticleRows]) -> None:
        latest = {b.record.key: b for b in batch}        # the same article twice: the last one wins
        if not latest:
            return
        keys = sorted(latest)
        encoded = dict(zip(keys, rows_.encode_many([latest[k].rows for k in keys], self._columns, dates_as_text=False)))
        copy_cols = ", ".join(["article_key", "ord", *map(q, self._columns[:-2]), "geom"])
        upsert = (f"INSERT INTO articles ({', '.join(map(q, _ARTICLE_FIELDS))}) VALUES ({', '.join(['%s'] * len(_ARTICLE_FIELDS))}) "
                  f"ON CONFLICT (key) DO UPDATE SET {', '.join(f'{q(f)} = EXCLUDED.{q(f)}' for f in _ARTICLE_FIELDS[1:])}")
        with self._writing("write articles") as cur:
            old = dict(cur.execute("SELECT key, id FROM articles WHERE key = ANY(%s)", (keys,)).fetchall())
            cur.execute("DELETE FROM items WHERE article_key = ANY(%s)", (keys,))
            cur.executemany(upsert, [astuple(latest[k].record) for k in keys])
            texts = [(latest[k].record.id, latest[k].text) for k in keys if latest[k].text is not None and latest[k].record.id]
            cur.executemany("INSERT INTO texts (id, text) VALUES (%s, %s) ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text", texts)
            with cur.copy(f"COPY items ({copy_cols}) FROM STDIN") as copy:
                for k in keys:
                    for n, row in enumerate(encoded[k]):
                        *values, lon, lat = row
                        copy.write_row((k, n, *values, None if lon is None else f"SRID=4326;POINT({lon!r} {lat!r})"))
            self._drop_unused_texts(cur, [i for k, i in old.items() if i and i != latest[k].record.id])
            self._bump(cur)

    def remove(self, keys: Iterable[str], still_gone: Callable[[str], bool]) -> int:
        keys = list(keys)
        if not keys:
            return 0
        with self._writing("remove articles") as cur:
            gone = [k for k in keys if still_gone(k)]
            old = [r[0] for r in cur.execute("DELETE FROM articles WHERE key = ANY(%s) RETURNING id", (gone,)).fetchall()]
            self._drop_unused_texts(cur, [i for i in old if i])
            if old:
                self._bump(cur)
        return len(old)

    def add_review(self, review: Review) -> bool:
        record = self._pg.types.json.Json(review.to_json())   # json, not jsonb: kept as written, keys in order
        with self._errors("add the review"), self._conn.transaction():
            added = self._conn.execute(
                "INSERT INTO reviews (uid, item, status, reviewed_by, reviewed_at, record) VALUES (%s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (uid) DO NOTHING RETURNING seq",
                (review.uid, review.item, review.status, review.by, review.at, record)).fetchone()
            if added is not None:
                self._bump(self._conn)
        return added is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # --- internals -----------------------------------------------------------------------

    def _rows_where(self, condition: str, params: list) -> gpd.GeoDataFrame:
        cols = ", ".join(["article_key", *map(q, self._columns[:-2]), "ST_X(geom)", "ST_Y(geom)"])
        return rows_.decode(self._all(f"SELECT {cols} FROM items WHERE {condition} ORDER BY {_ORDER}", params), self._columns)

    def _migrate(self, create: bool) -> None:
        """Apply the migrations this store lacks, in order, in one transaction under a lock."""
        applied = self._applied()
        if applied == len(MIGRATIONS):
            return
        if applied > len(MIGRATIONS):
            raise StoreError(f"{self.url} has store schema version {applied}; this program knows {len(MIGRATIONS)}. "
                             "Use the newer program that wrote it.")
        if applied == 0 and not create:
            raise StoreError(f"no store in {self.url}: build it with `python -m geo build --store {self.url}`")
        pg = self._pg
        with self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self._enable_postgis()
            self._conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, "
                               "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
            done = {r[0] for r in self._conn.execute("SELECT version FROM schema_migrations").fetchall()}
            for m in MIGRATIONS:
                if m.version in done:
                    continue
                for sql in m.statements:
                    try:
                        self._conn.execute(sql)
                    except pg.errors.InsufficientPrivilege as e:
                        raise StoreError(f"{self.url}: the user may not create the store's tables ({_first_line(e)}); "
                                         "ask the database owner to build it once, or grant CREATE on the schema") from e
                self._conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)", (m.version, m.name))

    def _applied(self) -> int:
        if self._conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
            return 0
        return self._conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]

    def _enable_postgis(self) -> None:
        """PostGIS in this database, or a StoreError saying what is missing and who can fix it."""
        if self._conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone():
            return
        if not self._conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'").fetchone():
            raise StoreError(f"{self.url}: PostGIS is not installed on this PostgreSQL server; install it "
                             "(Debian 12: apt install postgresql-15-postgis-3), then build again")
        try:
            with self._conn.transaction():
                self._conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except self._pg.errors.InsufficientPrivilege as e:
            db, user = self._conn.execute("SELECT current_database(), current_user").fetchone()
            raise StoreError(f"{self.url}: PostGIS is not enabled in database {db} and user {user} may not enable it "
                             f"({_first_line(e)}); ask a superuser to run `CREATE EXTENSION postgis;` in {db}, "
                             "then build again") from e

    @contextmanager
    def _writing(self, doing: str) -> Iterator:
        """One transaction holding the store's write lock, waited for (with a message) up to MAX_WAIT_S."""
        with self._errors(doing), self._conn.transaction():
            cur = self._conn.cursor()
            waited, told = 0.0, False
            while not cur.execute("SELECT pg_try_advisory_xact_lock(%s)", (WRITE_LOCK,)).fetchone()[0]:
                if not told:
                    self._on_busy(f"the store {self.url} is busy (another writer); retrying…")
                    told = True
                if waited >= MAX_WAIT_S:
                    raise StoreBusyError(f"the store {self.url} stayed busy for {MAX_WAIT_S:.0f} s; nothing was written")
                time.sleep(POLL_S)
                waited += POLL_S
            yield cur

    @staticmethod
    def _bump(cur) -> None:
        cur.execute("UPDATE store_state SET generation = generation + 1")

    @staticmethod
    def _drop_unused_texts(cur, ids: list[str]) -> None:
        if ids:
            cur.execute("DELETE FROM texts t WHERE t.id = ANY(%s) AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.id)",
                        (ids,))

    def _one(self, sql: str, params: tuple = ()):
        rows = self._all(sql, params)
        return rows[0][0] if rows else None

    def _all(self, sql: str, params=()) -> list[tuple]:
        with self._errors("read"):
            return self._conn.execute(sql, params).fetchall()

    @contextmanager
    def _errors(self, doing: str):
        """psycopg's errors as StoreError, naming the store and what could not be done."""
        try:
            yield
        except self._pg.Error as e:
            if self._conn is not None and self._conn.closed:
                raise StoreError(f"lost the connection to {self.url} while trying to {doing} ({_first_line(e)}); "
                                 "nothing of this write was kept") from e
            raise StoreError(f"{self.url}: could not {doing}: {_first_line(e)}") from e


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
