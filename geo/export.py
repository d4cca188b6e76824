"""What the user filtered, as files to download: CSV, GeoJSON (RFC 7946) and KML; and the
incidents of a view (geo.incidents) as an ACLED-style CSV and a KML whose <TimeSpan>s drive
Google Earth's time slider.

Each function returns bytes for st.download_button. Article text is data here: CSV and JSON
encoders quote it, KML is written with xml.etree so names and descriptions are escaped.
GeoJSON and KML need a point: figures without a place get a null geometry in GeoJSON (RFC 7946
allows it, so the file still lists every figure) and are left out of KML (Google Earth cannot
place them; the document's description says how many); CSV keeps every row with lon/lat columns,
empty when there is no place. Rows placed only at a country ("Ukraine", "Russia", "the UK") count
as having no place: the gazetteer's point for a country is its capital, and the map never pins
them there, so no export does either (their `place` and `precision` columns still say it).
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable

import pandas as pd

from geo.events import distinct_sources
from geo.incidents import Incident
from geo.mapping import headline, value_words

KML_NS = "http://www.opengis.net/kml/2.2"
ACLED_COLUMNS = ["id", "event_date", "time_precision", "geo_precision", "admin1", "location", "lat", "lon",
                 "fatalities", "sources", "notes"]
# ACLED's precision codes: 1 the day (the town), 2 within a week (near the town, or a part of its
# region), 3 within a month or longer (only the region). No date in the text: the publication date
# stands in and the event was in the days before it, a 2.
_ACLED_TIME = {"day": 1, "week": 2, "article": 2, "month": 3}
_ACLED_GEO = {"town": 1, "near": 2, "region": 3}


def to_csv(frame: pd.DataFrame) -> bytes:
    """Every column, UTF-8 with a BOM (so spreadsheets read Cyrillic), dates ISO, lon/lat for geometry."""
    return _flat(frame).to_csv(index=False).encode("utf-8-sig")


def to_geojson(frame: pd.DataFrame) -> bytes:
    """A FeatureCollection, one Feature per row, lon/lat order; null geometry when no place."""
    flat = _flat(frame)
    features = []
    for record in flat.to_dict(orient="records"):
        lon, lat = record.pop("lon"), record.pop("lat")
        geometry = None if _missing(lon) or _missing(lat) else {"type": "Point", "coordinates": [lon, lat]}
        properties = {k: None if _missing(v) else v for k, v in record.items()}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, default=str).encode("utf-8")


def to_kml(frame: pd.DataFrame) -> bytes:
    """A Placemark per located figure: "300 killed — Bucha", the quote and source, a TimeStamp."""
    ET.register_namespace("", KML_NS)
    kml = ET.Element(f"{{{KML_NS}}}kml")
    document = ET.SubElement(kml, f"{{{KML_NS}}}Document")
    ET.SubElement(document, f"{{{KML_NS}}}name").text = "Reported figures"
    flat = _flat(frame)
    placed = flat["lon"].notna() & flat["lat"].notna()
    figures = flat[(flat["kind"] == "figure") & placed]
    unpinned = int(((flat["kind"] == "figure") & ~placed).sum())
    if unpinned:
        ET.SubElement(document, f"{{{KML_NS}}}description").text = (
            f"{unpinned} figure(s) with no place, or only a country, are left out (see the CSV or GeoJSON export).")
    for record in figures.to_dict(orient="records"):
        mark = ET.SubElement(document, f"{{{KML_NS}}}Placemark")
        ET.SubElement(mark, f"{{{KML_NS}}}name").text = _kml_name(record)
        ET.SubElement(mark, f"{{{KML_NS}}}description").text = _kml_description(record)
        when = record.get("event_date") or record.get("published")
        if not _missing(when):
            stamp = ET.SubElement(mark, f"{{{KML_NS}}}TimeStamp")
            ET.SubElement(stamp, f"{{{KML_NS}}}when").text = str(when)
        point = ET.SubElement(mark, f"{{{KML_NS}}}Point")
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{record['lon']},{record['lat']}"
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True)


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without geometry objects: dates as ISO strings, lon/lat as floats."""
    out = pd.DataFrame(frame.drop(columns=[frame.geometry.name]) if hasattr(frame, "geometry") else frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").astype(object).where(out[column].notna(), None)
    out = out.astype(object).where(out.notna(), None)
    if hasattr(frame, "geometry"):
        geometry = frame.geometry
        empty = geometry.isna() | geometry.is_empty
        if "precision" in frame.columns:  # a country's point is its capital's: never pinned (as on the map)
            empty |= (frame["precision"] == "country").to_numpy()
        out["lon"] = geometry.x.where(~empty).round(6).astype(object).where(~empty, None)
        out["lat"] = geometry.y.where(~empty).round(6).astype(object).where(~empty, None)
    return out


def _kml_name(record: dict) -> str:
    what = value_words(record.get("value"), record.get("value_high"), record.get("qualifier"))
    place = record.get("place") or record.get("mention") or ""
    return f"{what} {record.get('category') or ''} — {place}".replace("  ", " ").strip()


def _kml_description(record: dict) -> str:
    lines = [
        f"“{record.get('quote') or ''}”",
        f"Said by: {record.get('attribution') or 'the article itself'}",
        f"Source: {record.get('outlet') or 'unknown outlet'} — {record.get('title') or ''}",
        f"Date: {record.get('event_date') or 'unknown'} ({record.get('time_precision') or ''})",
    ]
    if record.get("url"):
        lines.append(f"URL: {record['url']}")
    lines.append(f"Id: {record.get('id') or ''}")
    status = record.get("status") or "unreviewed"
    if status != "unreviewed":
        lines.append(f"Review: {status} by {record.get('reviewed_by') or ''} at {record.get('reviewed_at') or ''}"
                     + (f" ({record['review_reason']})" if record.get("review_reason") else ""))
        machine = [f"{f} {record.get('machine_' + f)}" for f in ("value", "category", "place", "event_date")
                   if f"machine_{f}" in record and str(record.get("machine_" + f)) != str(record.get(f))]
        if machine:
            lines.append("Machine extracted: " + ", ".join(machine))
    else:
        lines.append("Review: unreviewed")
    return "\n".join(lines)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def incidents_csv(found: Iterable[Incident], frame: pd.DataFrame) -> bytes:
    """An ACLED-style CSV, one row per placed incident: `event_date` its first day, precision codes
    as ACLED's (1-3), `fatalities` the most conservative killed toll (0 when none was reported),
    `sources` who gave its figures, `notes` every category's figures. Incidents with no place, or
    only a country, are left out: ACLED rows are placed."""
    claims = _claims_by_id(frame)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for inc in found:
        if inc.geo_precision not in _ACLED_GEO or inc.lat is None:
            continue
        killed = inc.categories.get("killed")
        writer.writerow({
            "id": inc.id, "event_date": inc.date_start.isoformat() if inc.date_start else "",
            "time_precision": _acled_time(inc), "geo_precision": _ACLED_GEO[inc.geo_precision],
            "admin1": inc.region, "location": inc.place, "lat": inc.lat, "lon": inc.lon,
            "fatalities": killed.conservative if killed else 0,
            "sources": "; ".join(_sources(inc, claims)), "notes": _notes(inc),
        })
    return out.getvalue().encode("utf-8-sig")


def incidents_kml(found: Iterable[Incident], frame: pd.DataFrame) -> bytes:
    """A Placemark per placed incident with a <TimeSpan> over its days, its figures per category
    and its claims in the order they were reported (escaped by the XML writer)."""
    claims = _claims_by_id(frame)
    ET.register_namespace("", KML_NS)
    kml = ET.Element(f"{{{KML_NS}}}kml")
    document = ET.SubElement(kml, f"{{{KML_NS}}}Document")
    ET.SubElement(document, f"{{{KML_NS}}}name").text = "Incidents"
    for inc in found:
        if inc.lat is None or inc.geo_precision not in _ACLED_GEO:
            continue
        mark = ET.SubElement(document, f"{{{KML_NS}}}Placemark", id=inc.id)
        ET.SubElement(mark, f"{{{KML_NS}}}name").text = f"{inc.place}: {_headline(inc)}"
        lines = [_notes(inc), ""] + [_claim_line(claims[c]) for c in inc.claims if c in claims]
        ET.SubElement(mark, f"{{{KML_NS}}}description").text = "\n".join(lines)
        if inc.date_start is not None:
            span = ET.SubElement(mark, f"{{{KML_NS}}}TimeSpan")
            ET.SubElement(span, f"{{{KML_NS}}}begin").text = inc.date_start.isoformat()
            ET.SubElement(span, f"{{{KML_NS}}}end").text = (inc.date_end or inc.date_start).isoformat()
        point = ET.SubElement(mark, f"{{{KML_NS}}}Point")
        ET.SubElement(point, f"{{{KML_NS}}}coordinates").text = f"{inc.lon},{inc.lat}"
    return ET.tostring(kml, encoding="utf-8", xml_declaration=True)


def _acled_time(inc: Incident) -> int:
    if inc.time_precision == "range" and inc.date_start and inc.date_end:
        return 1 if inc.date_start == inc.date_end else 2 if (inc.date_end - inc.date_start).days < 7 else 3
    return _ACLED_TIME.get(inc.time_precision, 3)


def _claims_by_id(frame: pd.DataFrame) -> dict[str, dict]:
    figures = _flat(frame[frame["kind"] == "figure"])
    return {r["id"]: r for r in figures.to_dict(orient="records")}


def _sources(inc: Incident, claims: dict[str, dict]) -> list[str]:
    return distinct_sources(str(claims[c].get("attribution") or claims[c].get("outlet") or claims[c].get("article_file"))
                            for c in inc.claims if c in claims)


def _headline(inc: Incident) -> str:
    """The placemark's name says what the map's marker says (one category, geo.mapping.headline)."""
    category, s = headline(inc)
    return f"{s.latest:,} {category} (latest)"


def _notes(inc: Incident) -> str:
    parts = []
    for category, s in inc.categories.items():
        told = f"{s.min:,}" if s.min == s.max else f"{s.min:,}-{s.max:,}"
        parts.append(f"{category}: {told}, latest {s.latest:,}, most conservative {s.conservative:,}, "
                     f"{s.sources} independent source(s)")
    return f"{'; '.join(parts)}. {len(inc.claims)} claim(s) in {len(inc.articles)} article(s), never added up."


def _claim_line(r: dict) -> str:
    what = value_words(r.get("value"), r.get("value_high"), r.get("qualifier"))
    who = r.get("attribution") or r.get("outlet") or r.get("article_file") or ""
    as_of = r.get("reported") or r.get("published") or "undated"
    return f"{as_of} — {who}: {what} {r.get('category') or ''} — “{r.get('quote') or ''}”"
