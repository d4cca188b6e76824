"""What a reader can ask a store to do itself: filter rows and count figures per place and period.

`ItemQuery` is the filter; each backend runs it as SQL (`where`, `tally_sql`), so a filtered read
or a tally never loads every row. The same filter is also defined here on a frame (`matches`,
`tally_frame`) because reviews are applied above the store, in Python.

The review rule. The store filters the machine's values, but a review can change an item's value,
category, place, position and date, and re-attaches to another item of the same article when a new
extractor moved its span. So a pushed-down filter must never judge a row a review could touch:
every row of an article a review is anchored to, and every item a review names, is *exempt*. A
filtered read returns the rows whose machine values pass plus every exempt row; the caller applies
the reviews and filters again on the reviewed values (geo.collection). A tally counts only
non-exempt rows; the caller counts the exempt ones after applying the reviews and adds them. The
result is exactly what filtering the whole reviewed table would give, at the cost of reading the
reviewed articles whole.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from geo.filters import event_dates
from geo.review import Review

KINDS = ("figure", "place")
PERIODS = ("day", "week", "month", "year")
TALLY_COLUMNS = ("place", "region", "period", "category", "figures", "lowest", "highest")


@dataclass(frozen=True)
class ItemQuery:
    """Rows of the event table to read. Empty tuples and None mean "no restriction".

    Dates compare with a row's event date, else its publication date, both ends included (as
    geo.filters does). `bbox` is (west, south, east, north) in degrees, EPSG:4326, edges included;
    rows without a position never fall inside. `exempt_*` are the rows a review could change (see
    the module docstring); `exempting(reviews)` fills them.
    """

    start: date | None = None
    end: date | None = None
    places: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # article ids
    bbox: tuple[float, float, float, float] | None = None
    exempt_articles: frozenset[str] = field(default_factory=frozenset)
    exempt_items: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self):
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown kind(s) {', '.join(sorted(unknown))}; use {' or '.join(KINDS)}")
        if self.bbox is not None:
            west, south, east, north = self.bbox
            if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
                raise ValueError("a bounding box is west,south,east,north in degrees, west <= east and south <= north")

    def exempting(self, reviews: Iterable[Review]) -> "ItemQuery":
        """The same filter, with the rows these reviews could change exempt from it."""
        reviews = list(reviews)
        return replace(self, exempt_articles=frozenset(r.anchor.article_id for r in reviews if r.anchor is not None),
                       exempt_items=frozenset(r.item for r in reviews))


class Dialect:
    """How a backend spells the filter's parts: PostgreSQL/PostGIS here, SQLite in the subclass."""

    param = "%s"

    def among(self, column: str, values: Iterable[str]) -> tuple[str, list]:
        return f"{column} = ANY({self.param})", [list(values)]

    def day(self, d: date):
        return d

    def inside(self, bbox: tuple[float, float, float, float]) -> tuple[str, list]:
        return f"geom && ST_MakeEnvelope({', '.join([self.param] * 4)}, 4326)", list(bbox)

    def period(self, when: str, period: str) -> str:
        return when if period == "day" else f"date_trunc('{period}', {when})::date"


class SQLiteDialect(Dialect):
    param = "?"

    def among(self, column: str, values: Iterable[str]) -> tuple[str, list]:
        return f"{column} IN (SELECT value FROM json_each(?))", [json.dumps(list(values), ensure_ascii=False)]

    def day(self, d: date):
        return d.isoformat()

    def inside(self, bbox: tuple[float, float, float, float]) -> tuple[str, list]:
        west, south, east, north = bbox
        return "lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?", [west, east, south, north]

    def period(self, when: str, period: str) -> str:
        return {"day": when, "week": f"date({when}, '-6 days', 'weekday 1')", "month": f"strftime('%Y-%m-01', {when})",
                "year": f"strftime('%Y-01-01', {when})"}[period]


POSTGIS, SQLITE = Dialect(), SQLiteDialect()
WHEN = "COALESCE(event_date, published)"


def where(query: ItemQuery, dialect: Dialect) -> tuple[str, list]:
    """The condition a row's stored (machine) values must meet, and its parameters."""
    parts, params = [], []
    p = dialect.param
    if query.start is not None:
        parts.append(f"{WHEN} >= {p}")
        params.append(dialect.day(query.start))
    if query.end is not None:
        parts.append(f"{WHEN} <= {p}")
        params.append(dialect.day(query.end))
    for column, values in (("place", query.places), ("category", query.categories), ("kind", query.kinds),
                           ("article_id", query.articles)):
        if values:
            sql, more = dialect.among(column, values)
            parts.append(sql)
            params += more
    if query.bbox is not None:
        sql, more = dialect.inside(query.bbox)
        parts.append(sql)
        params += more
    return (" AND ".join(f"({s})" for s in parts) or "1 = 1"), params


def exempt(query: ItemQuery, dialect: Dialect) -> tuple[str, list]:
    """The condition that makes a row exempt from the filter (a review could change it)."""
    parts, params = [], []
    if query.exempt_articles:
        sql, more = dialect.among("article_id", sorted(query.exempt_articles))
        parts.append(sql)
        params += more
    if query.exempt_items:
        sql, more = dialect.among("id", sorted(query.exempt_items))
        parts.append(sql)
        params += more
    return (" OR ".join(f"({s})" for s in parts) or "1 = 0"), params


def selected(query: ItemQuery, dialect: Dialect) -> tuple[str, list]:
    """The condition a filtered read takes rows by: their machine values pass, or they are exempt."""
    passes, p1 = where(query, dialect)
    exempted, p2 = exempt(query, dialect)
    return f"({passes}) OR ({exempted})", p1 + p2


def tally_sql(query: ItemQuery, period: str, dialect: Dialect) -> tuple[str, list]:
    """Figures per place, region, period and category among the non-exempt rows that pass."""
    _check_period(period)
    passes, p1 = where(query, dialect)
    exempted, p2 = exempt(query, dialect)
    bucket = dialect.period(WHEN, period)
    sql = (f"SELECT place, region, {bucket} AS period, category, count(*), min(value), max(COALESCE(value_high, value)) "
           f"FROM items WHERE kind = 'figure' AND ({passes}) AND NOT ({exempted}) "
           f"GROUP BY place, region, {bucket}, category")
    return sql, p1 + p2


def matches(frame: pd.DataFrame, query: ItemQuery) -> pd.Series:
    """The same filter on a frame (the reviewed view), exemptions aside."""
    keep = pd.Series(True, index=frame.index)
    if query.start is not None or query.end is not None:
        when = event_dates(frame)
        if query.start is not None:
            keep &= (when >= pd.Timestamp(query.start)).fillna(False)
        if query.end is not None:
            keep &= (when <= pd.Timestamp(query.end)).fillna(False)
    for column, values in (("place", query.places), ("category", query.categories), ("kind", query.kinds),
                           ("article_id", query.articles)):
        if values:
            keep &= frame[column].isin(values)
    if query.bbox is not None:
        west, south, east, north = query.bbox
        geometry = frame.geometry
        located = ~(geometry.isna() | geometry.is_empty)
        x, y = geometry.x.where(located), geometry.y.where(located)
        keep &= (located & x.between(west, east) & y.between(south, north)).fillna(False)
    return keep.astype(bool)


def is_exempt(frame: pd.DataFrame, query: ItemQuery) -> pd.Series:
    return frame["article_id"].isin(query.exempt_articles) | frame["id"].isin(query.exempt_items)


def tally_frame(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    """Figures of `frame` per place, region, period and category, as `tally_sql` counts them."""
    _check_period(period)
    figures = frame[frame["kind"] == "figure"]
    when = event_dates(figures)
    if period == "week":
        when = when - pd.to_timedelta(when.dt.day_of_week, unit="D")
    elif period in ("month", "year"):
        when = when.dt.to_period("M" if period == "month" else "Y").dt.start_time
    values = pd.to_numeric(figures["value"], errors="coerce")
    rows = pd.DataFrame({"place": figures["place"], "region": figures["region"], "period": when,
                         "category": figures["category"], "value": values,
                         "high": pd.to_numeric(figures["value_high"], errors="coerce").fillna(values)})
    grouped = rows.groupby(["place", "region", "period", "category"], dropna=False, sort=False)
    out = grouped.agg(figures=("value", "size"), lowest=("value", "min"), highest=("high", "max")).reset_index()
    return conform_tally(out)


def conform_tally(frame: pd.DataFrame) -> pd.DataFrame:
    """A tally with fixed columns and dtypes, sorted by period (undated last), place, region, category."""
    frame = pd.DataFrame(frame, columns=list(TALLY_COLUMNS)) if len(frame) else pd.DataFrame(columns=list(TALLY_COLUMNS))
    for col in ("place", "region", "category"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype("str")
    frame["period"] = pd.to_datetime(frame["period"]).astype("datetime64[ns]")
    for col in ("figures", "lowest", "highest"):
        frame[col] = pd.array(pd.to_numeric(frame[col]).astype(object).where(frame[col].notna(), None), dtype="Int64")
    frame = frame.sort_values(["period", "place", "region", "category"], na_position="last", kind="stable")
    return frame.reset_index(drop=True)


def merge_tallies(*tallies: pd.DataFrame) -> pd.DataFrame:
    """Tallies of disjoint rows added up: counts summed, lowest and highest kept."""
    rows = pd.concat([t for t in tallies if len(t)], ignore_index=True) if any(len(t) for t in tallies) else None
    if rows is None:
        return conform_tally(pd.DataFrame())
    grouped = rows.groupby(["place", "region", "period", "category"], dropna=False, sort=False)
    return conform_tally(grouped.agg(figures=("figures", "sum"), lowest=("lowest", "min"), highest=("highest", "max")).reset_index())


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
