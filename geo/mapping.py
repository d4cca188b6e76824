"""The folium map of the event table: figures sized and coloured, by period, offline.

Why it is built the way it is:
- Article text is untrusted. Every string from a row is html-escaped once, here, and the
  resulting HTML travels to the browser inside JSON (with `<` written as \\u003c), never
  inside a folium Popup: folium embeds popup HTML unescaped in a JS template literal through
  jQuery, where `${...}` in a quote would run.
- Markers are drawn by one small script per layer from a JSON array, not one folium object
  per marker: a page with thousands of figures renders in a fraction of the time and size.
- Figures at the same place in the same period share one marker (otherwise the top circle
  hides the others): its popup lists the largest claims, its size follows the largest claim.
  Claims are never summed: outlets repeat each other's numbers, a sum would invent a figure.
- The page loads Leaflet only, from `asset_base` (see geo/assets.py), so it draws offline.
"""
from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import NamedTuple

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import Point

from geo.assets import DEFAULT_BASE, css_links, js_links
from geo.filters import event_dates
from geo.gazetteer import Gazetteer
from geo.model import Category, Qualifier

MAX_MARKERS = 2000
CLAIMS_PER_POPUP = 5

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies (buildings, the
# eighth kind, in brown). One per category a figure can have (geo.model.REPORTED_CATEGORIES).
PALETTE: dict[str, str] = {
    Category.KILLED.value: "#D55E00",
    Category.BODIES.value: "#CC79A7",
    Category.GRAVES.value: "#000000",
    Category.INJURED.value: "#E69F00",
    Category.MISSING.value: "#0072B2",
    Category.EXPLOSIVES.value: "#009E73",
    Category.RESCUED.value: "#56B4E9",
    Category.EVACUATED.value: "#F0E442",
    Category.BUILDINGS.value: "#8C564B",
}
UNKNOWN_COLOUR = "#56B4E9"  # a category this version does not know (a store from another version)
PLACE_COLOUR = "#9E9E9E"
REFERENCE_COLOUR = "#555555"
PLACES_LAYER = "Places named"
REFERENCE_LAYER = "Towns and cities (reference)"
UNDATED = "undated"

UKRAINE_BOUNDS = [[44.2, 22.1], [52.4, 40.3]]
_NEIGHBOURS = ("PL", "BY", "RU", "MD", "RO", "HU", "SK")
_LABEL_POPULATION = 400_000  # about a dozen labels: readable at the whole-country zoom

_QUALIFIER_WORDS = {
    Qualifier.EXACT.value: "{}",
    Qualifier.AT_LEAST.value: "at least {}",
    Qualifier.MORE_THAN.value: "more than {}",
    Qualifier.UP_TO.value: "up to {}",
    Qualifier.ABOUT.value: "about {}",
    Qualifier.ESTIMATED.value: "an estimated {}",
}
_PRECISION_WORDS = {
    "town": "the town itself",
    "near": "near the town",
    "region": "oblast only (pinned at the oblast's centre)",
    "country": "country only (not pinned)",
}


class Period(NamedTuple):
    """One map layer's time span (inclusive), labelled for the layer switcher and the slider."""

    label: str
    start: date
    end: date


def layer_periods(frame: pd.DataFrame, *, max_markers: int = MAX_MARKERS) -> list[Period]:
    """The periods the map's date layers use, oldest first, only those holding rows.

    Days for data spanning up to a month, weeks up to half a year, months up to three years,
    else years; coarser when finer periods would need more than `max_markers` markers.
    """
    dates = event_dates(frame)
    unit = _unit(frame, dates, max_markers)
    return sorted({_period(d, unit) for d in dates.dropna()})


def build_map(
    frame: gpd.GeoDataFrame,
    *,
    asset_base: str | None = DEFAULT_BASE,
    tiles: bool = False,
    reference: gpd.GeoDataFrame | None = None,
    max_markers: int = MAX_MARKERS,
) -> folium.Map:
    """The map of `frame` (rows as in docs/events-schema.md), ready for st_folium or saving.

    asset_base: URL folder holding the vendored Leaflet (None: Leaflet from its CDN).
    tiles: offer OpenStreetMap tiles as a base layer (needs internet).
    reference: towns drawn as labelled dots for context, e.g. `reference_layer()`.
    max_markers: above this many figure markers, periods get coarser; if still above, markers
        are drawn on a canvas and popups keep only each marker's largest claim.
    """
    dates = event_dates(frame)
    unit = _unit(frame, dates, max_markers)
    figures = _located(frame[frame["kind"] == "figure"])
    canvas = _marker_count(figures, dates, unit) > max_markers
    groups = _figure_groups(figures, dates, unit, 1 if canvas else CLAIMS_PER_POPUP)

    fmap = folium.Map(location=[48.4, 31.2], zoom_start=6, tiles=None, prefer_canvas=canvas,
                      control_scale=True)
    fmap.default_js = js_links(asset_base)
    fmap.default_css = css_links(asset_base)
    fmap.add_child(_Style())
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)

    if reference is not None and len(reference):
        layer = folium.FeatureGroup(name=REFERENCE_LAYER, show=True).add_to(fmap)
        layer.add_child(_Points(_reference_rows(reference), stroke=REFERENCE_COLOUR, opacity=0.9,
                                label_class="geo-ref-label"))

    places = _located(frame[frame["kind"] == "place"])
    place_rows = _place_rows(places, figures)
    if place_rows:
        layer = folium.FeatureGroup(name=PLACES_LAYER, show=True).add_to(fmap)
        layer.add_child(_Points(place_rows, stroke=PLACE_COLOUR, opacity=0.5))

    for label, rows in _layer_rows(groups):
        layer = folium.FeatureGroup(name=label, show=True).add_to(fmap)
        layer.add_child(_Points(rows, stroke="#333333", opacity=0.6))

    unplaced = int((frame["kind"] == "figure").sum()) - len(figures)
    fmap.add_child(_Legend(_legend_html(figures, unplaced, bool(place_rows))))
    folium.LayerControl(collapsed=len({g.period for g in groups}) > 4).add_to(fmap)
    _fit(fmap, figures, places)
    return fmap


def reference_layer(gazetteer: Gazetteer | None = None, min_population: int = 20_000) -> gpd.GeoDataFrame:
    """Ukraine's towns above `min_population` and the neighbouring capitals, from the gazetteer.

    Columns: name, country, population, kind ("town" or "capital"), geometry (EPSG:4326).
    """
    gazetteer = gazetteer or Gazetteer.default()
    anchors = {(c.lat, c.lon): c.country for c in map(gazetteer.country, ("UA", *_NEIGHBOURS)) if c}
    rows = []
    for place in gazetteer.places:
        capital = anchors.get((place.lat, place.lon)) == place.country
        if capital or (place.country == "UA" and place.population >= min_population):
            rows.append({
                "name": place.name,
                "country": place.country,
                "population": place.population,
                "kind": "capital" if capital else "town",
                "geometry": Point(place.lon, place.lat),
            })
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return out.sort_values("population", ascending=False, ignore_index=True)


def marker_radius(value: float | None) -> float:
    """Circle radius in pixels: area grows with the number (square root), clamped to 4..30."""
    if value is None or pd.isna(value) or value <= 0:
        return 4.0
    return round(min(30.0, 4.0 + 1.2 * math.sqrt(float(value))), 1)


def value_words(value: object, value_high: object, qualifier: object) -> str:
    """A figure as a reader says it: "at least 20", "about 24–99", "more than 1,500"."""
    if _missing(value):
        return ""
    number = f"{int(value):,}"
    if not _missing(value_high) and int(value_high) != int(value):
        number = f"{number}–{int(value_high):,}"
    return _QUALIFIER_WORDS.get(_text(qualifier), "{}").format(number)


def claim_html(row: Mapping) -> str:
    """One figure's popup block; every article-derived string is escaped."""
    category = _text(row.get("category"))
    colour = PALETTE.get(category, UNKNOWN_COLOUR)
    what = value_words(row.get("value"), row.get("value_high"), row.get("qualifier"))
    counted = _text(row.get("counted"))
    place = _text(row.get("place")) or _text(row.get("mention"))
    precision = _PRECISION_WORDS.get(_text(row.get("precision")), _text(row.get("precision")))
    attribution = _text(row.get("attribution")) or "the article itself"
    outlet = _text(row.get("outlet")) or "unknown outlet"
    title = _text(row.get("title"))
    parts = [
        f'<div class="geo-claim"><div class="geo-value"><b>{_e(what)}</b> {_e(counted)}</div>',
        f'<div><span class="geo-swatch" style="background:{colour}"></span>{_e(category)}</div>',
        f"<div>Where: {_e(place)} <i>({_e(precision)})</i></div>" if place else "",
        f"<div>When: {_e(_when(row))}</div>",
        f"<div>Said by: {_e(attribution)}</div>",
        f'<blockquote class="geo-quote">{_quote_html(row)}</blockquote>',
        f'<div class="geo-source">{_e(outlet)}' + (f" — “{_e(title)}”" if title else "") + "</div></div>",
    ]
    return "".join(parts)


class _Points(MacroElement):
    """Circle markers of one layer, drawn in the browser from a JSON array.

    Each row: [lat, lon, radius, fill colour, tooltip HTML, popup HTML, permanent label?].
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var style = {{ this.style_json }};
  var rows = {{ this.rows_json }};
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var marker = L.circleMarker([r[0], r[1]], Object.assign({}, style, {radius: r[2], fillColor: r[3]}));
    if (r[4]) {
      marker.bindTooltip(r[4], r[6] ? {permanent: true, direction: "right", className: style.labelClass} : {});
    }
    if (r[5]) { marker.bindPopup(r[5], {maxWidth: 380, maxHeight: 420}); }
    marker.addTo(group);
  }
})();
{% endmacro %}
""")

    def __init__(self, rows: list[list], *, stroke: str, opacity: float, label_class: str = ""):
        super().__init__()
        self._name = "Points"
        self.rows_json = _script_json(rows)
        self.style_json = _script_json({
            "color": stroke, "weight": 1, "opacity": 0.9, "fillOpacity": opacity,
            "labelClass": label_class,
        })


class _Legend(MacroElement):
    """The palette and what sizes mean, as a Leaflet control (static text, no article data)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var div = L.DomUtil.create("div", "geo-legend");
    div.innerHTML = {{ this.html_json }};
    return div;
  };
  legend.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}
""")

    def __init__(self, legend_html: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(legend_html)


class _Style(MacroElement):
    """CSS for popups, labels and legend (kept in the header, which streamlit-folium keeps too)."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.leaflet-container { background: #f2efe9; }
.geo-legend { background: rgba(255,255,255,.92); padding: 6px 8px; font: 12px/1.4 sans-serif;
  border-radius: 4px; box-shadow: 0 0 4px rgba(0,0,0,.3); max-width: 230px; }
.geo-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  margin-right: 5px; vertical-align: middle; }
.geo-claim { font: 13px/1.35 sans-serif; margin-bottom: 8px; }
.geo-claim + .geo-claim { border-top: 1px solid #ddd; padding-top: 6px; }
.geo-value { font-size: 15px; }
.geo-quote { margin: 4px 0; padding-left: 6px; border-left: 3px solid #ccc; color: #333; }
.geo-quote mark { background: #ffe58a; }
.geo-source { color: #666; font-size: 12px; }
.geo-ref-label { background: transparent; border: 0; box-shadow: none; padding: 0 2px;
  font: 11px sans-serif; color: #333; text-shadow: 0 0 2px #fff, 0 0 2px #fff; }
.geo-ref-label:before { display: none; }
</style>
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "GeoStyle"


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no `</script>`, `<!--` or JS line separators."""
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _unit(frame: pd.DataFrame, dates: pd.Series, max_markers: int) -> str:
    """The period unit: from the span of the dates, coarsened while markers exceed the cap."""
    dated = dates.dropna()
    if dated.empty:
        return "year"
    span = (dated.max() - dated.min()).days
    units = ["day", "week", "month", "year"]
    first = 0 if span <= 31 else 1 if span <= 183 else 2 if span <= 3 * 366 else 3
    figures = _located(frame[frame["kind"] == "figure"])
    for unit in units[first:-1]:
        if _marker_count(figures, dates, unit) <= max_markers:
            return unit
    return "year"


def _marker_count(figures: pd.DataFrame, dates: pd.Series, unit: str) -> int:
    """How many markers located figures need: one per (period, point)."""
    periods = [_period(d, unit) if pd.notna(d) else None for d in dates[figures.index]]
    return len(set(zip(periods, figures["lat"], figures["lon"])))


def _period(day: pd.Timestamp, unit: str) -> Period:
    d = day.date() if hasattr(day, "date") else day
    if unit == "day":
        return Period(d.isoformat(), d, d)
    if unit == "week":
        start = d - timedelta(days=d.weekday())
        return Period(f"week of {start.isoformat()}", start, start + timedelta(days=6))
    if unit == "month":
        start = d.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return Period(start.strftime("%Y-%m"), start, end)
    return Period(str(d.year), date(d.year, 1, 1), date(d.year, 12, 31))


def _lat_lon(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    geometry = gpd.GeoSeries(frame.geometry, index=frame.index)
    missing = geometry.isna() | geometry.is_empty
    lat = geometry.y.where(~missing)
    lon = geometry.x.where(~missing)
    return lat.round(5), lon.round(5)


def _located(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that have a point worth a pin, with plain lat/lon columns added.

    Country-level rows are left out: their point is only the capital's, and a pin there would
    read as an event in that city (the table still lists them)."""
    lat, lon = _lat_lon(frame)
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out["lat"], out["lon"] = lat, lon
    return out[out["lat"].notna() & out["lon"].notna() & (out["precision"] != "country")]


def _figure_groups(figures: pd.DataFrame, dates: pd.Series, unit: str, per_popup: int) -> list[_Group]:
    """One marker per (period, place point), largest claim first; plain records, for speed.

    Popups list the `per_popup` largest claims: the page's weight is markers times that.
    """
    undated = Period(UNDATED, date.max, date.max)
    records = _records(figures)
    for record, day in zip(records, dates[figures.index]):
        record["_period"] = _period(day, unit) if pd.notna(day) else undated
        record["_v"] = None if _missing(record.get("value")) else int(record["value"])
    buckets: dict[tuple, list[dict]] = {}
    for record in records:
        buckets.setdefault((record["_period"], record["lat"], record["lon"]), []).append(record)
    groups = []
    for (period, lat, lon), claims in sorted(buckets.items(), key=lambda kv: kv[0]):
        claims.sort(key=lambda r: -1 if r["_v"] is None else r["_v"], reverse=True)
        top = claims[0]
        colour = PALETTE.get(_text(top.get("category")), UNKNOWN_COLOUR)
        groups.append(_Group(period, [lat, lon, marker_radius(top["_v"]), colour,
                                      _e(_group_tooltip(claims, period)), _group_popup(claims, period, per_popup), 0]))
    return groups


class _Group(NamedTuple):
    period: Period
    row: list


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts (missing values as None): pandas per-row access is too slow here."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _layer_rows(groups: list[_Group]) -> Iterable[tuple[str, list[list]]]:
    layers: dict[Period, list[list]] = {}
    for group in groups:
        layers.setdefault(group.period, []).append(group.row)
    for period in sorted(layers):
        yield period.label, sorted(layers[period], key=lambda row: -row[2])  # big first: small stay clickable


def _span(claims: list[dict]) -> str:
    values = [c["_v"] for c in claims if c["_v"] is not None]
    return f"{min(values):,}–{max(values):,}" if values else ""


def _group_tooltip(claims: list[dict], period: Period) -> str:
    top = claims[0]
    place = _text(top.get("place")) or _text(top.get("mention"))
    if len(claims) == 1:
        what = value_words(top.get("value"), top.get("value_high"), top.get("qualifier"))
        return f"{what} {_text(top.get('counted'))} — {place}".strip()
    return f"{place}, {period.label}: {len(claims)} claims {_span(claims)}".strip()


def _group_popup(claims: list[dict], period: Period, per_popup: int) -> str:
    blocks = [claim_html(c) for c in claims[:per_popup]]
    if len(claims) == 1:
        return blocks[0]
    span = _span(claims)
    span = f"; reported numbers range {span}" if span else ""
    head = (f'<div class="geo-source"><b>{_e(_text(claims[0].get("place")))}</b>, {_e(period.label)}: '
            f"{len(claims)} claims{span} (not added up: sources overlap)</div>")
    more = len(claims) - per_popup
    tail = f'<div class="geo-source">… and {more} more in the table</div>' if more > 0 else ""
    return head + "".join(blocks) + tail


def _place_rows(places: pd.DataFrame, figures: pd.DataFrame) -> list[list]:
    """Grey dots for places named without a figure pinned at the same point."""
    pinned = set(zip(figures["lat"], figures["lon"]))
    by_point: dict[tuple[float, float], list[dict]] = {}
    for record in _records(places):
        if (record["lat"], record["lon"]) not in pinned:
            by_point.setdefault((record["lat"], record["lon"]), []).append(record)
    rows = []
    for (lat, lon), mentions in sorted(by_point.items()):
        first = mentions[0]
        name = _text(first.get("place")) or _text(first.get("mention"))
        precision = _PRECISION_WORDS.get(_text(first.get("precision")), _text(first.get("precision")))
        first_by_article: dict[str, dict] = {}
        for mention in mentions:
            first_by_article.setdefault(_text(mention.get("article_id")), mention)
        articles = list(first_by_article.values())
        items = "".join(
            f"<li>{_e(_text(a.get('outlet')) or 'unknown outlet')} — {_e(_text(a.get('title')))}"
            f" ({_e(_iso(a.get('published')))}), as “{_e(_text(a.get('mention')))}”</li>"
            for a in articles[:CLAIMS_PER_POPUP]
        )
        popup = (f'<div class="geo-claim"><b>{_e(name)}</b> <i>({_e(precision)})</i>'
                 f"<div>Named in {len(articles)} article(s), no figure reported here:</div>"
                 f"<ul>{items}</ul></div>")
        rows.append([lat, lon, 3, PLACE_COLOUR, _e(name), popup, 0])
    return rows


def _reference_rows(reference: gpd.GeoDataFrame) -> list[list]:
    rows = []
    for _, town in reference.iterrows():
        point = town.geometry
        if point is None or point.is_empty:
            continue
        big = town.get("kind") == "capital" or int(town.get("population") or 0) >= _LABEL_POPULATION
        rows.append([round(point.y, 5), round(point.x, 5), 3 if big else 2, REFERENCE_COLOUR,
                     _e(_text(town.get("name"))), "", 1 if big else 0])
    return rows


def _legend_html(figures: pd.DataFrame, unplaced: int, places: bool) -> str:
    present = set(figures["category"].dropna()) if len(figures) else set()
    items = "".join(
        f'<div><span class="geo-swatch" style="background:{colour}"></span>{name}</div>'
        for name, colour in PALETTE.items() if name in present or not present
    )
    notes = ["<div>Circle area: the reported number (largest claim at a place and period).</div>"]
    if places:
        notes.append(f'<div><span class="geo-swatch" style="background:{PLACE_COLOUR}"></span>'
                     "place named, no figure</div>")
    if unplaced:
        notes.append(f"<div>{unplaced} figure(s) with no place, or only a country, are listed in the table, not pinned.</div>")
    return "<b>What was reported</b>" + items + "".join(notes)


def _fit(fmap: folium.Map, figures: pd.DataFrame, places: pd.DataFrame) -> None:
    """Zoom to the figures (else the places named), town-level at most; no data shows Ukraine."""
    points = figures if len(figures) else places
    if points.empty:
        fmap.fit_bounds(UKRAINE_BOUNDS)
        return
    fmap.fit_bounds([[points["lat"].min(), points["lon"].min()], [points["lat"].max(), points["lon"].max()]],
                    padding=(30, 30), max_zoom=10)


def _quote_html(row: Mapping) -> str:
    """The quoted sentence, escaped, with the figure's own words marked when the spans agree."""
    quote = _text(row.get("quote"))
    start, end, base = row.get("start"), row.get("end"), row.get("sentence_start")
    if any(_missing(v) for v in (start, end, base)):
        return _e(quote)
    s, e = int(start) - int(base), int(end) - int(base)
    if not 0 <= s < e <= len(quote):
        return _e(quote)
    return f"{_e(quote[:s])}<mark>{_e(quote[s:e])}</mark>{_e(quote[e:])}"


def _when(row: Mapping) -> str:
    day = _iso(row.get("event_date")) or _iso(row.get("published"))
    precision = _text(row.get("time_precision"))
    said = _text(row.get("date_text"))
    if not day:
        return "unknown"
    if precision == "article":
        return f"{day} (the article's date; the text gives none)"
    if precision == "week":
        day = f"week of {day}"
    elif precision == "month":
        day = day[:7]
    return f"{day} (“{said}”)" if said else day


def _iso(value: object) -> str:
    if _missing(value):
        return ""
    if isinstance(value, str):
        return value[:10]
    return pd.Timestamp(value).date().isoformat()


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _e(value: str) -> str:
    return html.escape(value, quote=True)
