"""The record shapes that leave the extractors, and the stable id every item carries.

One module owns them so `python -m geo extract`, the event table and the evaluation agree on
what a place or a figure record holds. An item's id depends only on the article's content hash,
the item's kind and its character span: the same article gives the same ids on every run and with
every extractor version, as long as the span is the same. Reviews attach to these ids.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict

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
    return {
        "kind": "figure", "id": item_id(f.article, "figure", f.start, f.end),
        "article": article_file, "value": f.value, "qualifier": f.qualifier.value,
        "category": f.category.value, "place": p.name if p else None,
        "lat": p.lat if p else None, "lon": p.lon if p else None,
        "event_date": f.event_date.isoformat() if f.event_date else None,
        "attribution": f.attribution, "quote": f.quote, "start": f.start, "end": f.end,
        "article_id": f.article, "value_high": f.value_high, "counted": f.counted,
        "time_precision": f.time_precision.value, "date_text": f.date_text,
        "precision": p.precision.value if p else None, "rules": list(f.rules),
    }
