"""Downloads: what a user filtered, read back by ordinary CSV, JSON and XML parsers."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

from test_mapping import PAYLOAD, claim, sample_table, table

from geo.export import KML_NS, to_csv, to_geojson, to_kml

K = f"{{{KML_NS}}}"


def test_csv_keeps_every_row_and_column_with_iso_dates_and_coordinates():
    frame = sample_table()
    rows = list(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert len(rows) == len(frame)
    assert set(frame.columns) - {"geometry"} | {"lon", "lat"} == set(rows[0])
    mayor = next(r for r in rows if r["value"] == "300")
    assert mayor["event_date"] == "2022-04-03" and mayor["place"] == "Bucha"
    assert mayor["attribution"] == "Bucha's mayor, Anatoliy Fedoruk"
    assert abs(float(mayor["lat"]) - 50.54) < 0.05 and abs(float(mayor["lon"]) - 30.22) < 0.05
    unplaced = next(r for r in rows if r["value"] == "1000")
    assert unplaced["lon"] == "" and unplaced["lat"] == ""


def test_geojson_is_lon_lat_and_keeps_unplaced_figures_with_null_geometry():
    frame = sample_table()
    data = json.loads(to_geojson(frame))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == len(frame)
    izium = next(f for f in data["features"] if f["properties"]["value"] == 440)
    lon, lat = izium["geometry"]["coordinates"]
    assert 37 < lon < 38 and 49 < lat < 50
    assert izium["properties"]["event_date"] == "2022-09-15"
    unplaced = next(f for f in data["features"] if f["properties"]["value"] == 1000)
    assert unplaced["geometry"] is None


def test_kml_has_a_named_dated_placemark_per_located_figure():
    root = ET.fromstring(to_kml(sample_table()))
    marks = root.findall(f"{K}Document/{K}Placemark")
    names = [m.findtext(f"{K}name") for m in marks]
    assert "300 killed — Bucha" in names and "more than 1,500 explosives — Dmytrivka" in names
    assert len(marks) == 4  # the unplaced figure and the place-only row are left out
    bucha = marks[names.index("300 killed — Bucha")]
    assert bucha.findtext(f"{K}TimeStamp/{K}when") == "2022-04-03"
    lon, lat = map(float, bucha.findtext(f"{K}Point/{K}coordinates").split(","))
    assert 30 < lon < 31 and 50 < lat < 51
    assert "Anatoliy Fedoruk" in bucha.findtext(f"{K}description")


def test_markup_in_article_text_stays_text_in_every_format():
    frame = table([claim(PAYLOAD, "at least 12 bodies", "Izium", 12, "bodies", qualifier="at_least",
                         when="2022-09-19", title="<script>alert(4)</script> & co")])
    raw = to_kml(frame)
    assert b"<script>" not in raw and b"&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    description = ET.fromstring(raw).find(f"{K}Document/{K}Placemark/{K}description").text
    assert "<script>alert(1)</script>" in description and "<script>alert(4)</script> & co" in description
    assert json.loads(to_geojson(frame))["features"][0]["properties"]["title"] == "<script>alert(4)</script> & co"
    row = next(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert row["quote"].startswith("Police in Izium said on Monday that at least 12 bodies <script>")


def test_an_empty_selection_exports_valid_empty_files():
    empty = sample_table().iloc[0:0]
    assert to_csv(empty).decode("utf-8-sig").startswith("id,kind,")
    assert json.loads(to_geojson(empty))["features"] == []
    assert ET.fromstring(to_kml(empty)).findall(f"{K}Document/{K}Placemark") == []


def test_exports_carry_the_id_the_review_and_the_machine_value_beside_the_reviewed_one(tmp_path):
    from conftest import ARTICLES, build_store

    from geo import collection
    from geo.review import new_review
    from geo.store import open_store

    path = build_store(ARTICLES, tmp_path / "ukrmap.db")
    row = collection.read_store(path).frame.query("kind == 'figure' and value == 1500").iloc[0].to_dict()
    with open_store(path) as repo:
        repo.add_review(new_review(row, "corrected", "Olena", "later count", {"value": 1200}))
    frame = collection.read_store(path).frame
    csv_rows = list(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    fixed = next(r for r in csv_rows if r["id"] == row["id"])
    assert (fixed["value"], fixed["machine_value"], fixed["status"], fixed["reviewed_by"]) == ("1200", "1500", "corrected", "Olena")
    feature = next(f for f in json.loads(to_geojson(frame))["features"] if f["properties"]["id"] == row["id"])
    assert feature["properties"]["machine_value"] == 1500 and feature["properties"]["status"] == "corrected"
    kml = to_kml(frame).decode()
    assert f"Id: {row['id']}" in kml and "Review: corrected by Olena" in kml and "Machine extracted: value 1500" in kml


def _sample_incidents():
    from geo.articles import load_folder
    from geo.events import to_frame
    from geo.incidents import incidents
    from geo.pipeline import extract_many

    frame = to_frame(extract_many(load_folder(ARTICLES_DIR).articles))
    return frame, incidents(frame)


ARTICLES_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "data" / "articles"


def test_incidents_csv_is_acled_style_with_the_most_conservative_killed_toll_as_fatalities():
    from geo.export import ACLED_COLUMNS, incidents_csv

    frame, found = _sample_incidents()
    rows = list(csv.DictReader(io.StringIO(incidents_csv(found, frame).decode("utf-8-sig"))))
    assert list(rows[0]) == ACLED_COLUMNS
    izium = next(r for r in rows if r["location"] == "Izium")
    inc = next(i for i in found if i.place == "Izium")
    assert (izium["id"], izium["event_date"], izium["time_precision"], izium["geo_precision"]) == (
        inc.id, "2022-09-15", "1", "1")
    assert izium["admin1"] == "Kharkiv Oblast" and int(izium["fatalities"]) == inc.categories["killed"].conservative
    assert "graves: 400-440" in izium["notes"] and "Bolvinov" in izium["sources"]
    assert {r["location"] for r in rows} == {i.place for i in found if i.geo_precision in ("town", "near", "region")}
    dmytrivka = next(r for r in rows if r["location"] == "Dmytrivka")
    assert dmytrivka["fatalities"] == "0" and dmytrivka["time_precision"] == "2"


def test_incidents_kml_has_a_time_span_per_incident_for_the_time_slider():
    from geo.export import incidents_kml

    frame, found = _sample_incidents()
    root = ET.fromstring(incidents_kml(found, frame))
    marks = {m.get("id"): m for m in root.findall(f"{K}Document/{K}Placemark")}
    izium = next(i for i in found if i.place == "Izium")
    mark = marks[izium.id]
    assert mark.findtext(f"{K}TimeSpan/{K}begin") == "2022-09-15" and mark.findtext(f"{K}TimeSpan/{K}end") == "2022-09-15"
    assert mark.findtext(f"{K}name").startswith("Izium: ")
    description = mark.findtext(f"{K}description")
    assert "440 unmarked graves" in description and description.index("2022-09-15") < description.index("2022-09-16")


def test_incident_exports_keep_markup_as_text_and_are_valid_when_empty():
    from geo.export import incidents_csv, incidents_kml
    from geo.incidents import incidents

    frame = table([claim(PAYLOAD, "at least 12 bodies", "Izium", 12, "bodies", qualifier="at_least",
                         when="2022-09-19", title="<script>alert(4)</script> & co")])
    raw = incidents_kml(incidents(frame), frame)
    assert b"<script>" not in raw and "<script>alert(1)</script>" in ET.fromstring(raw).find(
        f"{K}Document/{K}Placemark/{K}description").text
    assert incidents_csv([], frame).decode("utf-8-sig").strip() == "id,event_date,time_precision,geo_precision,admin1,location,lat,lon,fatalities,sources,notes"
    assert ET.fromstring(incidents_kml([], frame)).findall(f"{K}Document/{K}Placemark") == []


def test_exports_never_pin_a_country_at_its_capital_and_say_what_they_left_out():
    from test_mapping import ARTICLES, _sample_articles, town

    from geo.gazetteer import Gazetteer

    frame = _sample_articles()
    countries = frame[frame["precision"] == "country"]
    assert {"Ukraine", "Russia", "United Kingdom"} <= set(countries["place"])
    capitals = {(round(c.lon, 3), round(c.lat, 3)): c.name
                for c in map(Gazetteer.default().country, ("UA", "RU", "GB", "US")) if c}
    features = json.loads(to_geojson(frame))["features"]
    assert len(features) == len(frame)  # every row is listed...
    for f in features:
        if f["properties"]["precision"] == "country":
            assert f["geometry"] is None, f["properties"]["place"]  # ...but a country is not pinned
        elif f["geometry"] is not None:  # a point at a capital is that city, never the country
            country = capitals.get(tuple(round(v, 3) for v in f["geometry"]["coordinates"]))
            assert f["properties"]["place"] != country
    rows = list(csv.DictReader(io.StringIO(to_csv(frame).decode("utf-8-sig"))))
    assert {(r["lon"], r["lat"]) for r in rows if r["precision"] == "country"} == {("", "")}

    # a national toll placed only at "Ukraine": in the table, never a placemark in Kyiv
    sun = ARTICLES / "000_5ee58bf401263aac.txt"
    nationwide = claim(sun, "at least 20 bodies", None, 20, "bodies", when="2022-04-03")
    nationwide.update(place="Ukraine", precision="country", geometry=town("Kyiv"))
    root = ET.fromstring(to_kml(table([nationwide, *sample_table().to_dict(orient="records")])))
    points = [m.findtext(f"{K}Point/{K}coordinates") for m in root.findall(f"{K}Document/{K}Placemark")]
    assert f"{town('Kyiv').x},{town('Kyiv').y}" not in points and len(points) == 4
    assert root.findtext(f"{K}Document/{K}description").startswith("2 figure(s) with no place, or only a country")
