"""The event table (docs/events-schema.md): extractions in, one GeoDataFrame out.

Dtypes are fixed here, also for an empty table, so the dashboard can rely on them:
text columns are pandas `str` with "" for "none" (never NaN); counts and offsets are nullable
`Int64`; `place_confidence` is float64; `published` and `event_date` are `datetime64[ns]`
normalised to midnight (NaT when unknown); geometry is an EPSG:4326 Point, empty when no place.

Place rows carry the sentence around the mention as their quote, and the publication date as
their event date (time_precision `article`), so date filters keep the towns an article names.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.model import Article, Figure, PlaceMention, TimePrecision
from geo.records import item_id
from geo.text import sentence_at, sentences

if TYPE_CHECKING:
    from geo.pipeline import Extraction

CRS = "EPSG:4326"
AGREEMENT_WINDOW_DAYS = 7

STR_COLUMNS = (
    "id", "kind", "article_id", "article_file", "outlet", "title", "url", "published_basis", "language", "place",
    "mention", "region", "country", "precision", "place_source", "qualifier", "category",
    "counted", "attribution", "time_precision", "date_text", "quote",
)
INT_COLUMNS = ("geonameid", "value", "value_high", "start", "end", "sentence_start", "sentence_end")
FLOAT_COLUMNS = ("place_confidence",)
DATE_COLUMNS = ("published", "event_date")
COLUMNS = (
    "id", "kind", "article_id", "article_file", "outlet", "title", "url", "published", "published_basis",
    "language", "place", "mention", "geonameid", "region", "country", "precision", "place_confidence",
    "place_source", "value", "value_high", "qualifier", "category", "counted", "attribution",
    "event_date", "time_precision", "date_text", "quote", "start", "end", "sentence_start",
    "sentence_end", "geometry",
)


def to_frame(extractions: Iterable[Extraction]) -> gpd.GeoDataFrame:
    """One row per figure and one per place mention, articles in order, figures first."""
    rows = []
    for ex in extractions:
        rows += [_figure_row(ex.article, f) for f in ex.figures]
        sents = sentences(ex.article.text) if ex.places else []
        rows += [_place_row(ex.article, p, sents) for p in ex.places]
    return conform(pd.DataFrame(rows, columns=list(COLUMNS)))


def conform(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """Coerce a frame to the table's exact columns, order and dtypes (used after reads/merges)."""
    frame = frame.reset_index(drop=True)
    out = {}
    for col in STR_COLUMNS:
        values = frame[col].astype(object)
        out[col] = values.where(values.notna(), "").astype(str).astype("str")
    for col in INT_COLUMNS:
        out[col] = pd.array(frame[col].astype(object).where(frame[col].notna(), None), dtype="Int64")
    for col in FLOAT_COLUMNS:
        out[col] = frame[col].astype("float64")
    for col in DATE_COLUMNS:
        out[col] = pd.to_datetime(frame[col], errors="coerce").dt.normalize().astype("datetime64[ns]")
    geometry = gpd.GeoSeries(list(frame["geometry"]), crs=CRS) if len(frame) else gpd.GeoSeries([], crs=CRS)
    data = pd.DataFrame({c: out[c] for c in COLUMNS if c != "geometry"}, index=pd.RangeIndex(len(frame)))
    return gpd.GeoDataFrame(data, geometry=geometry.set_axis(data.index), crs=CRS)[list(COLUMNS)]


def agreement(frame: pd.DataFrame, window_days: int = AGREEMENT_WINDOW_DAYS) -> pd.DataFrame:
    """How far reports of the same thing agree: one row per (place, category, time window).

    Figure rows with a place are grouped by place (name and oblast) and category, then by event date: a
    group starts at its earliest claim and takes every claim up to `window_days` later (so a
    group never spans more than the window); undated claims form their own group. Each claim
    stays a row of `frame`; a group only reports the lowest and highest value given (ranges
    count by their high end), how many claims, and how many distinct sources (the attribution,
    else the outlet, else the file; spellings of one source merged, see `distinct_sources`),
    listed in `sources` separated by "; ". Category "other" is left out: it lumps together
    things that are not comparable (troops, towns, people evacuated).
    """
    figs = frame[(frame["kind"] == "figure") & (frame["place"] != "") & (frame["category"] != "other")]
    groups = []
    for (place, _region, category), claims in figs.groupby(["place", "region", "category"], sort=True):
        claims = claims.assign(_when=pd.to_datetime(claims["event_date"]).fillna(pd.to_datetime(claims["published"])))
        dated = claims[claims["_when"].notna()].sort_values("_when")
        window: list[pd.Series] = []
        for _, row in dated.iterrows():
            if window and (row["_when"] - window[0]["_when"]).days > window_days:
                groups.append(_group(place, category, window))
                window = []
            window.append(row)
        if window:
            groups.append(_group(place, category, window))
        undated = [row for _, row in claims[claims["_when"].isna()].iterrows()]
        if undated:
            groups.append(_group(place, category, undated))
    columns = ["place", "region", "category", "first", "last", "min", "max", "n_claims", "n_sources", "sources"]
    out = pd.DataFrame(groups, columns=columns)
    for col in ("place", "region", "category", "sources"):
        out[col] = out[col].astype("str")
    for col in ("first", "last"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ("min", "max", "n_claims", "n_sources"):
        out[col] = out[col].astype("Int64")
    return out


def source_of(row: pd.Series) -> str:
    """Who a claim comes from: its attribution, else the outlet, else the article file."""
    return str(row["attribution"] or row["outlet"] or row["article_file"])


def distinct_sources(names: Iterable[str]) -> list[str]:
    """Sources after merging spellings of the same one, one name each (the fullest), sorted.

    Two names are the same source when the proper names in one are all in the other
    ("Mr Bolvinov" and "Mr Serhiy Bolvinov, the chief police investigator"): counting them
    twice would look like independent corroboration, which is the worse mistake.
    """
    groups: list[tuple[set[str], str]] = []
    for name in sorted({" ".join(n.split()) for n in names}, key=lambda n: (-len(n), n)):
        key = _proper_names(name)
        for i, (words, fullest) in enumerate(groups):
            if _plain(name) == _plain(fullest) or (key and words and (key <= words or words <= key)):
                groups[i] = (words | key, fullest)
                break
        else:
            groups.append((key, name))
    return sorted(fullest for _, fullest in groups)


_TITLES = frozenset("mr mrs ms dr the a an of".split())


def _proper_names(name: str) -> set[str]:
    words = (w.strip(".,;:'\"()").removesuffix("'s").removesuffix("’s") for w in name.split())
    return {w.lower() for w in words if (w[:1].isupper() or w[:1] == "@") and w.lower() not in _TITLES}


def _plain(name: str) -> str:
    return " ".join(name.lower().split())


def _group(place: str, category: str, claims: list[pd.Series]) -> dict:
    values = [int(r["value"]) for r in claims if pd.notna(r["value"])]
    highs = [int(r["value_high"]) if pd.notna(r["value_high"]) else int(r["value"]) for r in claims if pd.notna(r["value"])]
    sources = distinct_sources(source_of(r) for r in claims)
    whens = [r["_when"] for r in claims if pd.notna(r["_when"])]
    return {
        "place": place,
        "region": next((r["region"] for r in claims if r["region"]), ""),
        "category": category,
        "first": min(whens) if whens else pd.NaT,
        "last": max(whens) if whens else pd.NaT,
        "min": min(values) if values else None,
        "max": max(highs) if highs else None,
        "n_claims": len(claims),
        "n_sources": len(sources),
        "sources": "; ".join(sources),
    }


def _article_columns(a: Article) -> dict:
    return {
        "article_id": a.id, "article_file": a.file, "outlet": a.outlet, "title": a.title,
        "url": a.url, "published": a.published, "published_basis": a.published_basis,
        "language": a.language,
    }


def _place_columns(p: PlaceMention | None) -> dict:
    if p is None:
        return {"geometry": Point()}
    located = p.lat is not None and p.lon is not None
    return {
        "place": p.name, "mention": p.mention, "geonameid": p.geonameid, "region": p.region,
        "country": p.country, "precision": p.precision.value, "place_confidence": p.confidence,
        "place_source": p.source, "geometry": Point(p.lon, p.lat) if located else Point(),
    }


def _figure_row(a: Article, f: Figure) -> dict:
    event_date: date | None = f.event_date if f.event_date is not None else a.published
    return {
        "id": item_id(a.id, "figure", f.start, f.end), "kind": "figure", **_article_columns(a), **_place_columns(f.place),
        "value": f.value, "value_high": f.value_high, "qualifier": f.qualifier.value,
        "category": f.category.value, "counted": f.counted, "attribution": f.attribution or "",
        "event_date": event_date, "time_precision": f.time_precision.value, "date_text": f.date_text,
        "quote": f.quote, "start": f.start, "end": f.end,
        "sentence_start": f.sentence_start, "sentence_end": f.sentence_end,
    }


def _place_row(a: Article, p: PlaceMention, sents) -> dict:
    s = sentence_at(sents, p.start)
    return {
        "id": item_id(a.id, "place", p.start, p.end), "kind": "place", **_article_columns(a), **_place_columns(p),
        "event_date": a.published, "time_precision": TimePrecision.ARTICLE.value,
        "quote": s.text if s else "", "start": p.start, "end": p.end,
        "sentence_start": s.start if s else None, "sentence_end": s.end if s else None,
    }
