"""The record shapes that leave the extractors, and the stable id every item carries.

One module owns them so `python -m geo extract`, the event table and the evaluation agree on
what a place or a figure record holds. An item's id depends only on the article's content hash,
the item's kind and its character span: the same article gives the same ids on every run and with
every extractor version, as long as the span is the same. Reviews attach to these ids.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict

from geo.dates import span
from geo.model import Figure, PlaceMention

ID_PREFIX = {"place": "p", "figure": "f"}


def item_id(article_id: str, kind: str, start: int, end: int) -> str:
    """`f-` or `p-` and 16 hex digits of sha256(article id, kind, start, end)."""
    key = f"{article_id}\x1f{kind}\x1f{int(start)}\x1f{int(end)}".encode()
    return f"{ID_PREFIX[kind]}-{hashlib.sha256(key).hexdigest()[:16]}"


def place_record(article_file: str, p: PlaceMention) -> dict:
    return {
        "kind": "place", "id": item_id(p.article, "place", p.start, p.end),
        "article": article_file, "name": p.name, "mention": p.mention,
        "start": p.start, "end": p.end, "lat": p.lat, "lon": p.lon, "geonameid": p.geonameid,
        "precision": p.precision.value, "article_id": p.article, "region": p.region,
        "country": p.country, "confidence": p.confidence, "source": p.source,
        "candidates": [asdict(c) for c in p.candidates], "rules": list(p.rules),
    }


def figure_record(article_file: str, f: Figure) -> dict:
    p = f.place
    start, end = span(f.event_date, f.time_precision, f.date_end)
    return {
        "kind": "figure", "id": item_id(f.article, "figure", f.start, f.end),
        "article": article_file, "value": f.value, "qualifier": f.qualifier.value,
        "category": f.category.value, "place": p.name if p else None,
        "lat": p.lat if p else None, "lon": p.lon if p else None,
        "event_date": f.event_date.isoformat() if f.event_date else None,
        "attribution": f.attribution, "quote": f.quote, "start": f.start, "end": f.end,
        "article_id": f.article, "value_high": f.value_high, "counted": f.counted,
        "time_precision": f.time_precision.value, "date_text": f.date_text,
        "date_start": _iso(start), "date_end": _iso(end), "reported": _iso(f.reported),
        "precision": p.precision.value if p else None, "rules": list(f.rules),
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def error_record(article_file: str, stage: str, reason: str) -> dict:
    """An article that gave no places or figures and why: `stage` is "load" (the file could not be
    read as an article) or the extraction stage that failed (geo.pipeline.ExtractionFailure)."""
    return {"kind": "error", "article": article_file, "stage": stage, "reason": reason}


def json_value(v):
    """A value of a frame row as JSON holds it: None for any missing value (None, NaN, NaT, NA),
    dates as YYYY-MM-DD, numpy scalars as Python numbers."""
    if v is None or (isinstance(v, float) and v != v) or str(v) in ("NaT", "<NA>"):
        return None
    if hasattr(v, "isoformat"):
        return v.date().isoformat() if hasattr(v, "date") else v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def event_record(row) -> dict:
    """A figure (or place) as the user sees it: reviewed values on top, the machine's beside them.

    `row` is a row of `geo.review.view(...)` as a mapping.
    """
    geometry = row.get("geometry")
    located = geometry is not None and not geometry.is_empty
    return {
        "id": row["id"], "kind": row["kind"], "article": row["article_file"], "article_id": row["article_id"],
        "value": json_value(row["value"]), "qualifier": row["qualifier"] or None, "category": row["category"] or None,
        "place": row["place"] or None, "lat": geometry.y if located else None, "lon": geometry.x if located else None,
        "precision": row["precision"] or None, "event_date": json_value(row["event_date"]),
        "time_precision": row["time_precision"] or None, "attribution": row["attribution"] or None,
        "quote": row["quote"], "status": row["status"], "reviewed_by": row["reviewed_by"] or None,
        "reviewed_at": row["reviewed_at"] or None, "review_reason": row["review_reason"] or None,
        "machine": {
            "value": json_value(row["machine_value"]), "qualifier": row["machine_qualifier"] or None,
            "category": row["machine_category"] or None, "place": row["machine_place"] or None,
            "lat": json_value(row["machine_lat"]), "lon": json_value(row["machine_lon"]),
            "event_date": json_value(row["machine_event_date"]),
        },
    }
