"""The event table (docs/events-schema.md): extractions in, one GeoDataFrame out.

Dtypes are fixed here, also for an empty table, so the dashboard can rely on them:
text columns are pandas `str` with "" for "none" (never NaN); counts and offsets are nullable
`Int64`; `place_confidence` is float64; `published` and `event_date` are `datetime64[ns]`
normalised to midnight (NaT when unknown); geometry is an EPSG:4326 Point, empty when no place.
The other date columns (`date_start`, `date_end`, `reported`) are the same dtype.

Place rows carry the sentence around the mention as their quote, and the publication date as
their event date (time_precision `article`), so date filters keep the towns an article names.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.dates import span
from geo.model import Article, Figure, PlaceMention, TimePrecision
from geo.records import item_id
from geo.text import sentence_at, sentences

if TYPE_CHECKING:
    from geo.pipeline import Extraction

CRS = "EPSG:4326"

STR_COLUMNS = (
    "id", "kind", "article_id", "article_file", "outlet", "title", "url", "published_basis", "language", "place",
    "mention", "region", "country", "precision", "place_source", "qualifier", "category",
    "counted", "attribution", "time_precision", "date_text", "quote", "candidates", "rules",
)
INT_COLUMNS = ("geonameid", "value", "value_high", "start", "end", "sentence_start", "sentence_end")
FLOAT_COLUMNS = ("place_confidence",)
DATE_COLUMNS = ("published", "event_date", "date_start", "date_end", "reported")
COLUMNS = (
    "id", "kind", "article_id", "article_file", "outlet", "title", "url", "published", "published_basis",
    "language", "place", "mention", "geonameid", "region", "country", "precision", "place_confidence",
    "place_source", "value", "value_high", "qualifier", "category", "counted", "attribution",
    "event_date", "date_start", "date_end", "time_precision", "date_text", "reported", "quote", "start", "end",
    "sentence_start", "sentence_end", "candidates", "rules", "geometry",
)


def to_frame(extractions: Iterable[Extraction]) -> gpd.GeoDataFrame:
    """One row per figure and one per place mention, articles in order, figures first."""
    rows = []
    for ex in extractions:
        rows += [_figure_row(ex.article, f) for f in ex.figures]
        sents = sentences(ex.article.text) if ex.places else []
        rows += [_place_row(ex.article, p, sents) for p in ex.places]
    return conform(pd.DataFrame(rows, columns=list(COLUMNS)))


def to_frames(results: Iterable) -> list[gpd.GeoDataFrame | None]:
    """`to_frame` of each extraction, None for a failure (a result with a `reason`), made as one
    table and cut apart: the same frames, but pandas' fixed cost per table (tens of ms, several
    times an article's extraction) is paid once."""
    results = list(results)
    extracted = [r for r in results if getattr(r, "reason", None) is None]
    whole = to_frame(extracted)
    out, at = [], 0
    for r in results:
        if getattr(r, "reason", None) is not None:
            out.append(None)
            continue
        n = len(r.figures) + len(r.places)
        out.append(whole.iloc[at:at + n].reset_index(drop=True))
        at += n
    return out


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


def source_of(row: pd.Series) -> str:
    """Who a claim comes from: its attribution, else the outlet, else the article file."""
    return str(row["attribution"] or row["outlet"] or row["article_file"])


def distinct_sources(names: Iterable[str]) -> list[str]:
    """Sources after merging spellings of the same one, one name each (the fullest), sorted.

    Two names are the same source when the proper names in one are all in the other
    ("Mr Bolvinov" and "Mr Serhiy Bolvinov, the chief police investigator"): counting them
    twice would look like independent corroboration, which is the worse mistake.
    """
    return sorted(set(source_groups(names).values()))


def source_groups(names: Iterable[str]) -> dict[str, str]:
    """Each name (white space collapsed) -> the fullest spelling of its source (see
    `distinct_sources`)."""
    groups: list[tuple[set[str], str, list[str]]] = []
    for name in sorted({" ".join(n.split()) for n in names}, key=lambda n: (-len(n), n)):
        key = _proper_names(name)
        for i, (words, fullest, members) in enumerate(groups):
            if _plain(name) == _plain(fullest) or (key and words and (key <= words or words <= key)):
                groups[i] = (words | key, fullest, members + [name])
                break
        else:
            groups.append((key, name, [name]))
    return {member: fullest for _, fullest, members in groups for member in members}


_TITLES = frozenset("mr mrs ms dr the a an of".split())


def _proper_names(name: str) -> set[str]:
    words = (w.strip(".,;:'\"()").removesuffix("'s").removesuffix("’s") for w in name.split())
    return {w.lower() for w in words if (w[:1].isupper() or w[:1] == "@") and w.lower() not in _TITLES}


def _plain(name: str) -> str:
    return " ".join(name.lower().split())


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
        "candidates": json.dumps([{"name": c.name, "geonameid": c.geonameid, "lat": c.lat, "lon": c.lon,
                                   "region": c.region, "country": c.country, "score": c.score}
                                  for c in getattr(p, "candidates", ())], ensure_ascii=False),
    }


def _figure_row(a: Article, f: Figure) -> dict:
    event_date: date | None = f.event_date if f.event_date is not None else a.published
    start, end = span(event_date, f.time_precision, f.date_end)
    return {
        "id": item_id(a.id, "figure", f.start, f.end), "kind": "figure", **_article_columns(a), **_place_columns(f.place),
        "value": f.value, "value_high": f.value_high, "qualifier": f.qualifier.value,
        "category": f.category.value, "counted": f.counted, "attribution": f.attribution or "",
        "event_date": event_date, "date_start": start, "date_end": end, "time_precision": f.time_precision.value,
        "date_text": f.date_text, "reported": f.reported if f.reported is not None else a.published, "quote": f.quote, "start": f.start, "end": f.end,
        "sentence_start": f.sentence_start, "sentence_end": f.sentence_end, "rules": " ".join(f.rules),
    }


def _place_row(a: Article, p: PlaceMention, sents) -> dict:
    s = sentence_at(sents, p.start)
    return {
        "id": item_id(a.id, "place", p.start, p.end), "kind": "place", **_article_columns(a), **_place_columns(p),
        "event_date": a.published, "date_start": a.published, "date_end": a.published,
        "time_precision": TimePrecision.ARTICLE.value, "reported": a.published,
        "quote": s.text if s else "", "start": p.start, "end": p.end,
        "sentence_start": s.start if s else None, "sentence_end": s.end if s else None, "rules": " ".join(p.rules),
    }
