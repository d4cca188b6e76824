"""What the user filtered, as files to download: CSV, GeoJSON (RFC 7946) and KML.

Each function returns bytes for st.download_button. Article text is data here: CSV and JSON
encoders quote it, KML is written with xml.etree so names and descriptions are escaped.
GeoJSON and KML need a point: figures without a place get a null geometry in GeoJSON (RFC 7946
allows it, so the file still lists every figure) and are left out of KML (Google Earth cannot
place them); CSV keeps every row with lon/lat columns, empty when there is no place.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pandas as pd

from geo.mapping import value_words

KML_NS = "http://www.opengis.net/kml/2.2"


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
    figures = flat[(flat["kind"] == "figure") & flat["lon"].notna() & flat["lat"].notna()]
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
