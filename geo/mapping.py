"""The folium map of the event table: one marker per incident, sized and coloured, by period, offline.

Why it is built the way it is:
- Article text is untrusted. Every string from a row is html-escaped once, here, and the
  resulting HTML travels to the browser inside JSON (with `<` written as \\u003c), never
  inside a folium Popup: folium embeds popup HTML unescaped in a JS template literal through
  jQuery, where `${...}` in a quote would run.
- Markers are drawn by one small script per layer from a JSON array, not one folium object
  per marker: a page with thousands of figures renders in a fraction of the time and size.
- One marker per incident (geo.incidents: the claims about one event at one place and time): its
  size follows the latest toll, on a scale with no ceiling; its popup lists the claims in the order
  they were reported, so a reader sees the toll rise. Claims are never summed: outlets repeat each
  other's numbers, a sum would invent a figure. Layers (and the dashboard's playback) go by the
  incident's event date, never by the day it was reported.
- The page loads Leaflet only, from `asset_base` (see geo/assets.py), so it draws offline.
- A base shared by every view (`base_map`) and the view's own layers (`view_layers`): the dashboard
  swaps only the layers, in the map frame already on the page (docs/dashboard.md, "Scale").
"""
from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template
from shapely.geometry import Point

from geo.assets import DEFAULT_BASE, css_links, js_links
from geo.basemap import add_basemap
from geo.gazetteer import Gazetteer
from geo.incidents import Incident, incidents
from geo.model import Category, Qualifier

# How an incident marker shows its review state: what reviewers confirmed reads as solid, what
# only the machine says as an outline.
REVIEW_STYLES = {
    "verified": {"fillOpacity": 0.85, "weight": 2, "dashArray": None},
    "partly": {"fillOpacity": 0.5, "weight": 1.5, "dashArray": None},
    "unreviewed": {"fillOpacity": 0.15, "weight": 1.5, "dashArray": "4 3"},
}
MAX_MARKERS = 2000
# Figures linked into incidents for one map: linking is per claim and the popups quote each one,
# so above this a view is drawn one circle per place and period (counts and ranges, no quotes)
# and the user narrows it (town, dates, category) to see incidents. Together with MAX_MARKERS
# this bounds the page whatever the collection's size (docs/dashboard.md, "Scale").
LINK_LIMIT = 2000
COARSER_GRID = (0.25, 0.5, 1.0, 2.0)  # degrees: place circles merge into cells of these until few enough
_PINNED = ("town", "near", "region")  # how a figure must be placed to be drawn (a country's point is its capital)
CLAIMS_PER_POPUP = 12
CANVAS_CLAIMS = 3  # above MAX_MARKERS, popups list fewer claims: the page's weight is markers times this

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
READER_PARAM = "article"  # the dashboard's query parameter naming the article its reader opens

UKRAINE_BOUNDS = [[44.2, 22.1], [52.4, 40.3]]
_NEIGHBOURS = ("PL", "BY", "RU", "MD", "RO", "HU", "SK")
LEGEND_WIDTH = 210  # px; the fit keeps figures (up to 30 px in radius) right of it
LEGEND_OPEN_FROM_HEIGHT = 450  # px; shorter maps start with the legend folded
_LABEL_POPULATION = 400_000  # about a dozen labels: readable at the whole-country zoom
_LABEL_CLEARANCE = 0.2  # degrees (about 15 km): a smaller town's label this close would overprint

_QUALIFIER_WORDS = {
    Qualifier.EXACT.value: "{}",
    Qualifier.AT_LEAST.value: "at least {}",
    Qualifier.MORE_THAN.value: "more than {}",
    Qualifier.UP_TO.value: "up to {}",
    Qualifier.ABOUT.value: "about {}",
    Qualifier.ESTIMATED.value: "an estimated {}",
}
_BASIS_WORDS = {"text": "from the article's text", "inferred": "inferred from the latest date it gives",
                "unknown": "unknown"}
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


def linkable(frame: pd.DataFrame) -> bool:
    """Whether a view is small enough to be linked into incidents and drawn one per incident."""
    return int((frame["kind"] == "figure").sum()) <= LINK_LIMIT


def layer_periods(frame: pd.DataFrame, found: list[Incident] | None = None) -> list[Period]:
    """The periods the map's date layers use, oldest first, only those holding a marker.

    Days for incidents spanning up to a month, weeks up to half a year, months up to three years,
    else years; an incident is in the period of its first day (its event date, not a report's).
    A view too large to link (`linkable`) goes by its figures' own dates instead.
    `found`: the view's incidents when already known.
    """
    if found is None and not linkable(frame):
        figures = _located(frame[frame["kind"] == "figure"])
        return sorted(set(_figure_periods(figures[figures["precision"].isin(_PINNED)], _span(frame))[0]), key=_chronological)
    span = _span(frame)
    found = _drawn(found if found is not None else incidents(frame))
    unit = _unit(_incident_days(found, span))
    return sorted({_incident_period(i, unit, span) for i in found if i.date_start is not None}, key=_chronological)


def build_map(
    frame: gpd.GeoDataFrame,
    *,
    period: Period | None = None,
    asset_base: str | None = DEFAULT_BASE,
    tiles: bool = False,
    reference: gpd.GeoDataFrame | None = None,
    max_markers: int = MAX_MARKERS,
    overrides: Iterable[tuple[str, Sequence[str]]] = (),
    found: list[Incident] | None = None,
    reader_link: str | None = None,
    view_key: str | None = None,
) -> folium.Map:
    """The map of `frame` (rows as in docs/events-schema.md), ready for saving: `base_map` with
    `view_layers` added. Arguments as for those two."""
    view = view_layers(frame, period=period, max_markers=max_markers, overrides=overrides, found=found,
                       reader_link=reader_link, view_key=view_key)
    fmap = base_map(asset_base=asset_base, tiles=tiles, reference=reference, reader_link=reader_link,
                    prefer_canvas=view.canvas)
    for layer in view.layers:
        fmap.add_child(layer)
    fmap.add_child(view.control)
    return fmap


class MapView(NamedTuple):
    """What one view adds to `base_map`: its layers (places named, one per period, and a hidden
    one that draws the legend and fits the view) and the layer list naming them with the base's.

    The dashboard sends these apart from the base (streamlit-folium's `feature_group_to_add` and
    `layer_control`), so a filter change swaps the markers in the map already on the page instead
    of loading a new map frame (docs/dashboard.md, "Scale")."""

    layers: list[folium.FeatureGroup]
    control: folium.LayerControl
    canvas: bool  # more than max_markers markers: drawn on a canvas


def base_map(*, asset_base: str | None = DEFAULT_BASE, tiles: bool = False,
             reference: gpd.GeoDataFrame | None = None, reader_link: str | None = None,
             prefer_canvas: bool = False) -> folium.Map:
    """What every view of the map shares: Leaflet, styles, the basemap (and online tiles), the
    reference towns. Nothing here depends on the filter, so its page stays the same for every view.

    asset_base: URL folder holding the vendored Leaflet (None: Leaflet from its CDN).
    tiles: show OpenStreetMap tiles (needs internet); the offline basemap stays one click away.
    reference: towns drawn as labelled dots for context, e.g. `reference_layer()`.
    reader_link: a URL the article id is appended to, opening that article in the dashboard's
        reader (in the dashboard: "../../?article=", see READER_PARAM); None: no such link.
    prefer_canvas: draw every vector on a canvas (a saved map with many markers).
    """
    fmap = folium.Map(location=[48.4, 31.2], zoom_start=6, tiles=None, prefer_canvas=prefer_canvas,
                      control_scale=True)
    fmap.default_js = js_links(asset_base)
    fmap.default_css = css_links(asset_base)
    fmap.add_child(_Style())
    fmap.add_child(_ClearOfLayerList())
    if reader_link is not None:
        fmap.add_child(_ReaderLinks())
    if tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap").add_to(fmap)
    add_basemap(fmap, offered_with_tiles=tiles)
    if reference is not None and len(reference):
        layer = folium.FeatureGroup(name=REFERENCE_LAYER, show=True).add_to(fmap)
        layer.add_child(_Points(_reference_rows(reference), stroke=REFERENCE_COLOUR, opacity=0.9,
                                label_class="geo-ref-label"))
    return fmap


def view_layers(
    frame: gpd.GeoDataFrame,
    *,
    period: Period | None = None,
    max_markers: int = MAX_MARKERS,
    overrides: Iterable[tuple[str, Sequence[str]]] = (),
    found: list[Incident] | None = None,
    reader_link: str | None = None,
    view_key: str | None = None,
) -> MapView:
    """The layers of `frame`'s view, to add to a `base_map`.

    period: draw only the incidents whose event date falls in it (playback), each with all its claims.
    max_markers: above this many incident markers, markers are drawn on a canvas and popups list
        only the first claims of each incident.
    overrides: reviewers' incident merges and splits (geo.review.overrides).
    found: the incidents of `frame` with `overrides` applied, when the caller has them already. A
        frame with more than LINK_LIMIT figures and no `found` is drawn one circle per place and period.
    reader_link: as for `base_map`: popups link their articles to the dashboard's reader.
    view_key: names the view (the dashboard's filter): views drawn again under the same key (each
        step of playback, a rerun) keep the zoom and centre the user left, kept in the browser
        tab's sessionStorage; a new key fits the figures again. None: always fit.
    """
    slim = frame[[c for c in frame.columns if c in _MAP_COLUMNS or c == frame.geometry.name]]
    figures = _located(slim[slim["kind"] == "figure"])
    if found is None and linkable(frame):
        found = incidents(frame, overrides)
    if found is None:
        groups = _place_groups(figures, period, max_markers, _span(frame))
        found = []
        canvas = len(groups) > max_markers
    else:
        found, unit, span = _view(frame, period, overrides, found)
        canvas = len(found) > max_markers
        claims = _claim_records(frame)
        groups = _incident_groups(found, claims, unit, span, CANVAS_CLAIMS if canvas else CLAIMS_PER_POPUP,
                                  reader_link)

    layers = []
    places = _located(slim[slim["kind"] == "place"])
    place_rows = _place_rows(places, figures)
    if place_rows:
        layer = folium.FeatureGroup(name=PLACES_LAYER, show=True)
        layer.add_child(_Points(place_rows, stroke=PLACE_COLOUR, opacity=0.5))
        layers.append(layer)
    for label, rows in _layer_rows(groups):
        layer = folium.FeatureGroup(name=label, show=True)
        layer.add_child(_Points(rows, stroke="#333333", opacity=0.6, review=REVIEW_STYLES, canvas=canvas))
        layers.append(layer)

    # Drawn after every marker layer: the legend (its text follows the view) and the view's fit.
    unplaced = int((frame["kind"] == "figure").sum()) - len(figures)
    shown = folium.FeatureGroup(name="view", control=False, show=True)
    shown.add_child(_Legend(_legend_html(figures, unplaced, bool(place_rows),
                                                 aggregated=not found and bool(groups))))
    shown.add_child(_fit(pd.DataFrame({"lat": [g.row[0] for g in groups], "lon": [g.row[1] for g in groups]}),
                                 places, view_key))
    layers.append(shown)
    control = folium.LayerControl(collapsed=len({g.period for g in groups}) > 4)
    return MapView(layers, control, canvas)


def drawn_incidents(frame: pd.DataFrame, *, period: Period | None = None,
                    overrides: Iterable[tuple[str, Sequence[str]]] = (),
                    found: list[Incident] | None = None) -> list[Incident]:
    """The incidents `build_map` draws a marker for, with the same arguments."""
    return _view(frame, period, overrides, found)[0]


def _view(frame, period, overrides, found) -> tuple[list[Incident], str, tuple[date, date] | None]:
    """The incidents drawn (of `period` only, when given), the period unit and the view's span."""
    span = _span(frame)
    every = _drawn(incidents(frame, overrides) if found is None else found)
    unit = _unit(_incident_days(every, span))
    return [i for i in every if period is None or _in_period(i, unit, span, period)], unit, span


def map_header(frame: pd.DataFrame, drawn: list[Incident] | None, period: Period | None = None) -> str:
    """What the map shows, in words, counted from the markers drawn (`drawn_incidents`):
    "On the map: 4 incidents at 4 places from 19 figures", and the figures not pinned. `drawn`
    None: a view too large to link (see LINK_LIMIT), drawn as places, counted as such."""
    when = "" if period is None else f" for {period.label}"
    if drawn is None:
        located = _located(frame[frame["kind"] == "figure"])
        pinned = located[located["precision"].isin(_PINNED)]
        if period is not None:
            pinned = pinned[[p == period for p in _figure_periods(pinned, _span(frame))[0]]]
        words = (f"On the map{when}: {_plural(len(pinned), 'figure')} at "
                 f"{_plural(pinned['place'].nunique(), 'place')}, too many to link into incidents here")
    else:
        points = {(round(i.lat, 4), round(i.lon, 4)) for i in drawn}
        figures = sum(len(i.claims) for i in drawn)
        words = (f"On the map{when}: {_plural(len(drawn), 'incident')} at {_plural(len(points), 'place')} "
                 f"from {_plural(figures, 'figure')}")
    unpinned = int((frame["kind"] == "figure").sum()) - len(_located(frame[frame["kind"] == "figure"]))
    if unpinned:
        words += (f". {_plural(unpinned, 'figure')} with no place, or only a country, "
                  f"{'is' if unpinned == 1 else 'are'} in the tables, not pinned")
    return words + "."


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


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
    """Circle radius in pixels: grows with the toll on a log scale with no ceiling, so 5,000 is
    drawn larger than 500 and 500 than 50 (a capped scale would draw them alike); 4 for none."""
    if value is None or pd.isna(value) or value <= 0:
        return 4.0
    return round(4.0 + 2.5 * math.log1p(float(value)), 1)


def value_words(value: object, value_high: object, qualifier: object) -> str:
    """A figure as a reader says it: "at least 20", "about 24–99", "more than 1,500"."""
    if _missing(value):
        return ""
    number = f"{int(value):,}"
    if not _missing(value_high) and int(value_high) != int(value):
        number = f"{number}–{int(value_high):,}"
    return _QUALIFIER_WORDS.get(_text(qualifier), "{}").format(number)


class _Points(MacroElement):
    """Circle markers of one layer, drawn in the browser from a JSON array.

    Each row: [lat, lon, radius, fill colour, tooltip HTML, popup HTML, permanent label?, review
    state?]. The review state (incident markers only) restyles the marker: "verified" (every
    claim verified or corrected) solid, "unreviewed" (none reviewed) a dashed outline with a pale
    fill, "partly" in between (REVIEW_STYLES).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var group = {{ this._parent.get_name() }};
  var style = {{ this.style_json }};
  var rows = {{ this.rows_json }};
  if (style.canvas) { style.renderer = window.geoCanvas = window.geoCanvas || L.canvas(); }
  for (var i = 0; i < rows.length; i++) {
    var r = rows[i];
    var reviewed = (r[7] && style.review && style.review[r[7]]) || {};
    var marker = L.circleMarker([r[0], r[1]], Object.assign({}, style, {radius: r[2], fillColor: r[3]}, reviewed));
    if (r[7]) { marker.options.className = "geo-review-" + r[7]; }
    if (r[4]) {
      marker.bindTooltip(r[4], r[6] ? {permanent: true, direction: "right", className: style.labelClass} : {});
    }
    if (r[5]) { marker.bindPopup(r[5], {maxWidth: 380, maxHeight: 420}); }
    marker.addTo(group);
  }
})();
{% endmacro %}
""")

    def __init__(self, rows: list[list], *, stroke: str, opacity: float, label_class: str = "",
                 review: Mapping[str, Mapping] | None = None, canvas: bool = False):
        super().__init__()
        self._name = "Points"
        self.rows_json = _script_json(rows)
        self.style_json = _script_json({
            "color": stroke, "weight": 1, "opacity": 0.9, "fillOpacity": opacity,
            "labelClass": label_class, "review": dict(review or {}), "canvas": canvas,
        })


class _Legend(MacroElement):
    """The palette and what sizes mean, as a Leaflet control (static text, no article data).

    A <details> element: one click folds it to a "Legend" tab. It starts folded on short maps;
    on others `_fit` keeps the figures clear of its strip (LEGEND_WIDTH) on the left. A child of
    the view's hidden layer: a new view replaces the previous view's legend, folded or open as
    the user left it.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent._parent.get_name() }};
  var before = map.geoLegend ? map.geoLegend.getContainer() : null;
  if (map.geoLegend) { map.removeControl(map.geoLegend); }
  var legend = L.control({position: "bottomleft"});
  legend.onAdd = function () {
    var details = L.DomUtil.create("details", "geo-legend");
    details.innerHTML = "<summary>Legend</summary>" + {{ this.html_json }};
    details.open = before ? before.open : map.getSize().y >= {{ this.open_from_height }};
    L.DomEvent.disableClickPropagation(details);
    L.DomEvent.disableScrollPropagation(details);
    return details;
  };
  legend.addTo(map);
  map.geoLegend = legend;
})();
{% endmacro %}
""")

    def __init__(self, legend_html: str):
        super().__init__()
        self._name = "Legend"
        self.html_json = _script_json(legend_html)
        self.open_from_height = LEGEND_OPEN_FROM_HEIGHT


class _Fit(MacroElement):
    """Zoom to the view's figures, or, with a view key, to the zoom and centre the user left under
    that key (kept in sessionStorage): a view drawn again (playback, a rerun) stays where the user
    left it, and fits the figures only under a new key. A child of the view's hidden layer: a new
    view stops the previous one's keeping. It takes a plain fit's place (a fit followed by a
    restore would lose: Leaflet animates the fit's zoom later)."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent._parent.get_name() }};
  if (map.geoKeepView) { map.off("moveend", map.geoKeepView); map.geoKeepView = null; }
{%- if this.key_json %}
  var key = "ukrmap-view:" + {{ this.key_json }};
  var saved = null;
  try { saved = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { /* no storage: fit */ }
  if (saved) {
    map.setView(saved.center, saved.zoom, {animate: false});
  } else {
    map.fitBounds({{ this.bounds_json }}, {{ this.options_json }});
  }
  map.geoKeepView = function () {
    try {
      var c = map.getCenter();
      window.sessionStorage.setItem(key, JSON.stringify({center: [c.lat, c.lng], zoom: map.getZoom()}));
    } catch (e) { /* as above */ }
  };
  map.on("moveend", map.geoKeepView);
{%- else %}
  map.fitBounds({{ this.bounds_json }}, {{ this.options_json }});
{%- endif %}
})();
{% endmacro %}
""")

    def __init__(self, key: str | None, fit: folium.map.FitBounds):
        super().__init__()
        self._name = "Fit"
        self.key_json = None if key is None else _script_json(key)
        self.bounds_json = _script_json(fit.bounds)
        self.options_json = _script_json(fit.options)


class _ReaderLinks(MacroElement):
    """Links to the reader keep the dashboard's own address (its filter in the query string) and
    add `article=`: the map page is the dashboard's same-origin frame, so it can read it. Without
    that (a saved page), the link's plain href still opens the reader."""

    _template = Template("""
{% macro script(this, kwargs) %}
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.geo-reader");
  if (!link) { return; }
  try {
    var url = new URL(window.top.location.href);
    url.searchParams.set("{{ this.param }}", link.dataset.article);
    url.hash = "article-reader";
    link.href = url.toString();
  } catch (e) { /* another origin: the plain href stands */ }
}, true);
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "ReaderLinks"
        self.param = READER_PARAM


class _ClearOfLayerList(MacroElement):
    """Popups open below the layer list: Leaflet pans a popup clear of the map's edges only, so
    one opened near the top right sat under the list (controls stack above every pane). Before
    each pan the popup's top padding is set to the list's bottom edge, as drawn at that moment."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var adjust = L.Popup.prototype._adjustPan;
  L.Popup.prototype._adjustPan = function () {
    var map = this._map;
    var list = map && map.getContainer().querySelector(".leaflet-top .leaflet-control-layers");
    if (list) {
      var below = list.getBoundingClientRect().bottom - map.getContainer().getBoundingClientRect().top + 8;
      this.options.autoPanPaddingTopLeft = L.point(5, Math.max(5, below));
    }
    return adjust.apply(this, arguments);
  };
})();
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "ClearOfLayerList"


class _Style(MacroElement):
    """CSS for popups, labels and legend (kept in the header, which streamlit-folium keeps too)."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.leaflet-container { background: #f2efe9; }
.geo-legend { box-sizing: border-box; max-width: {{ this.legend_width }}px; padding: 4px 8px;
  background: rgba(255,255,255,.92); font: 12px/1.35 sans-serif; border-radius: 4px;
  box-shadow: 0 0 4px rgba(0,0,0,.3); }
.geo-legend summary { cursor: pointer; font-weight: 600; color: #444; }
.geo-legend > div:has(> .geo-swatch) { display: inline-block; width: 50%; white-space: nowrap; }
.geo-legend[open] summary { margin-bottom: 2px; }
.geo-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%;
  margin-right: 5px; vertical-align: middle; }
.geo-claim { font: 13px/1.35 sans-serif; margin-bottom: 8px; }
.geo-claim + .geo-claim { border-top: 1px solid #ddd; padding-top: 6px; }
.geo-value { font-size: 15px; }
.geo-quote { margin: 4px 0; padding-left: 6px; border-left: 3px solid #ccc; color: #333; }
.geo-quote mark { background: #ffe58a; }
.geo-source { color: #666; font-size: 12px; }
.geo-url { overflow-wrap: anywhere; }
.geo-ref-label { background: transparent; border: 0; box-shadow: none; padding: 0 2px;
  font: 600 11px sans-serif; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
.geo-ref-label:before { display: none; }
</style>
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "GeoStyle"
        self.legend_width = LEGEND_WIDTH


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element: no `</script>`, `<!--` or JS line separators."""
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _unit(days: list[date]) -> str:
    """The period unit, from the span of the incidents' event dates."""
    if not days:
        return "year"
    span = (max(days) - min(days)).days
    return "day" if span <= 31 else "week" if span <= 183 else "month" if span <= 3 * 366 else "year"


def _drawn(found: list[Incident]) -> list[Incident]:
    """The incidents with a point worth a pin: placed at a town, near one, or in an oblast (a
    country-level point would read as an event in its capital)."""
    return [i for i in found if i.lat is not None and i.geo_precision in ("town", "near", "region")]


def _incident_days(found: list[Incident], span: tuple[date, date] | None = None) -> list[date]:
    return [_within(i.date_start, span) for i in found if i.date_start is not None]


def _chronological(period: Period) -> tuple[date, date]:
    return period.start, period.end


def _span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The first and last day of the view's rows by event date (else publication date), as the
    dashboard's date filter reads them: periods kept inside it stay inside the filter."""
    when = pd.to_datetime(frame["event_date"], errors="coerce").fillna(
        pd.to_datetime(frame["published"], errors="coerce")).dropna()
    return (when.min().date(), when.max().date()) if len(when) else None


def _within(day: date, span: tuple[date, date] | None) -> date:
    """An incident's first day, moved into the view's span: an incident whose claims allow an
    earlier day ("overnight") is drawn in the view's first period, never in one before it."""
    return day if span is None else min(max(day, span[0]), span[1])


def _in_period(inc: Incident, unit: str, span: tuple[date, date] | None, period: Period) -> bool:
    return inc.date_start is not None and _incident_period(inc, unit, span) == period


def _incident_period(inc: Incident, unit: str, span: tuple[date, date] | None) -> Period:
    """The layer an incident is drawn in: the period of its first day, cut to the view's span (a
    week that began before the filter's first day is labelled by the days it keeps)."""
    return _cut(_period(_within(inc.date_start, span), unit), span)


def _cut(period: Period, span: tuple[date, date] | None) -> Period:
    """A period cut to the view's span, labelled by the days it keeps when it lost some."""
    if span is None:
        return period
    start, end = max(period.start, span[0]), min(period.end, span[1])
    if (start, end) == (period.start, period.end):
        return period
    return Period(start.isoformat() if start == end else f"{start.isoformat()} to {end.isoformat()}", start, end)


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


# What the map reads of a row (the rest of the event table stays behind: copying 40 columns of
# 300,000 rows to filter them costs more than the map).
_MAP_COLUMNS = ("id", "kind", "place", "mention", "precision", "category", "value", "value_high", "status",
                "article_id", "outlet", "title", "published", "event_date")


def _located(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that have a point worth a pin, with plain lat/lon columns added.

    Country-level rows are left out: their point is only the capital's, and a pin there would
    read as an event in that city (the table still lists them)."""
    lat, lon = _lat_lon(frame)
    out = pd.DataFrame(frame[[c for c in frame.columns if c in _MAP_COLUMNS]])
    out["lat"], out["lon"] = lat, lon
    return out[out["lat"].notna() & out["lon"].notna() & (out["precision"] != "country")]


def _claim_records(frame: pd.DataFrame) -> dict[str, dict]:
    """Figure rows as plain dicts by id (missing values as None): pandas per-row access is too slow."""
    figures = frame[frame["kind"] == "figure"]
    plain = pd.DataFrame(figures.drop(columns=figures.geometry.name)) if hasattr(figures, "geometry") else figures
    return {r["id"]: r for r in _records(plain)}


def _incident_groups(found: list[Incident], claims: dict[str, dict], unit: str, span: tuple[date, date] | None,
                     per_popup: int, reader_link: str | None = None) -> list[_Group]:
    """One marker per incident, in the layer of its event date; sized by its headline toll."""
    undated = Period(UNDATED, date.max, date.max)
    groups = []
    for inc in found:
        period = _incident_period(inc, unit, span) if inc.date_start is not None else undated
        category, summary = headline(inc)
        colour = PALETTE.get(category, UNKNOWN_COLOUR)
        tooltip = (f"{inc.place}: {summary.latest:,} {category} (latest){_also_words(inc, category)}; "
                   f"{len(inc.claims)} claim(s) in {len(inc.articles)} article(s)")
        state = review_state([claims[c] for c in inc.claims if c in claims])
        tooltip += "" if state == "unreviewed" else f"; {state} by a reviewer"
        groups.append(_Group(period, [inc.lat, inc.lon, marker_radius(summary.latest), colour, _e(tooltip),
                                      incident_html(inc, claims, per_popup, reader_link), 0, state]))
    return groups


def _figure_periods(figures: pd.DataFrame, span: tuple[date, date] | None = None) -> tuple[list[Period], pd.Series]:
    """The period of each located figure by its own date (event date, else publication date), and
    those dates; undated figures are in UNDATED. The unit follows the dates' span, as for incidents,
    and periods are cut to the view's `span` (`_span`), as for incidents."""
    from geo.filters import event_dates

    when = event_dates(figures)
    dated = when.dropna()
    unit = _unit([dated.min().date(), dated.max().date()] if len(dated) else [])
    if unit == "week":
        start = when - pd.to_timedelta(when.dt.day_of_week, unit="D")
    elif unit in ("month", "year"):
        start = when.dt.to_period("M" if unit == "month" else "Y").dt.start_time
    else:
        start = when
    periods = {d: _cut(_period(d, unit), span) for d in start.dropna().unique()}
    undated = Period(UNDATED, date.max, date.max)
    return [periods.get(d, undated) if d == d else undated for d in start], when


def _place_groups(figures: pd.DataFrame, period: Period | None, max_markers: int,
                  span: tuple[date, date] | None = None) -> list[_Group]:
    """A view too large to link (see LINK_LIMIT): one circle per place and period with its figures
    counted, never added up. Bounded: above `max_markers` the periods merge into one layer, then
    places merge into grid cells (COARSER_GRID) named after their place with the most figures."""
    if not len(figures):
        return []
    figures = figures[figures["precision"].isin(_PINNED)]
    periods, _ = _figure_periods(figures, span)
    rows = pd.DataFrame({
        "period": periods, "lat": figures["lat"].to_numpy(), "lon": figures["lon"].to_numpy(),
        "place": figures["place"].fillna("").astype(str).to_numpy(),
        "category": figures["category"].fillna("").astype(str).to_numpy(),
        "value": pd.to_numeric(figures["value"], errors="coerce").astype("float64").to_numpy(),
        "article": figures["article_id"].astype(str).to_numpy(),
        "done": figures["status"].isin(("verified", "corrected")).to_numpy() if "status" in figures else False,
    })
    if period is not None:
        rows = rows[[p == period for p in rows["period"]]]
    every = Period("all dates", date.min, date.max)
    for cell in (None, *COARSER_GRID):
        keyed = rows
        if cell is not None:
            keyed = rows.assign(lat=(rows["lat"] / cell).round() * cell, lon=(rows["lon"] / cell).round() * cell)
        markers = keyed.groupby(["period", "lat", "lon"], sort=False).ngroups
        if markers > max_markers and period is None:
            keyed = keyed.assign(period=[every] * len(keyed))
            markers = keyed.groupby(["lat", "lon"], sort=False).ngroups
        if markers <= max_markers:
            break
    # One pass per statistic over the whole view, then plain Python per marker (a pandas call per
    # marker costs ~25 ms: 600 markers would take 15 s).
    keyed = keyed.assign(marker=keyed.groupby(["period", "lat", "lon"], sort=True).ngroup())
    first = keyed.drop_duplicates("marker").set_index("marker").sort_index()
    stats = keyed.groupby(["marker", "category"], sort=False)["value"].agg(["size", "min", "max"])
    by_marker: dict[int, dict[str, tuple]] = {}
    for (marker, category), n, low, high in zip(stats.index, stats["size"], stats["min"], stats["max"]):
        by_marker.setdefault(marker, {})[category] = (int(n), low, high)
    names: dict[int, list[str]] = {}
    named = keyed.groupby(["marker", "place"], sort=False).size().reset_index(name="n")
    for marker, place, _ in sorted(zip(named["marker"], named["place"], named["n"]), key=lambda r: (r[0], -r[2], r[1])):
        names.setdefault(marker, []).append(place)
    per = keyed.groupby("marker").agg(figures=("value", "size"), articles=("article", "nunique"), done=("done", "sum"))
    return [_place_group(p, lat, lon, by_marker[m], names[m], int(n), int(arts), int(done))
            for m, p, lat, lon, n, arts, done in zip(first.index, first["period"], first["lat"], first["lon"],
                                                     per["figures"], per["articles"], per["done"])]


def _place_group(period: Period, lat: float, lon: float, categories: dict[str, tuple], names: list[str],
                 figures: int, articles: int, done: int) -> _Group:
    """One place's (or cell's) circle: each category's count and range, how much was reviewed, no quotes."""
    name = names[0] if len(names) == 1 else f"{names[0]} and {len(names) - 1} place(s) near it"
    order = [c for c in PALETTE if c in categories] + sorted(c for c in categories if c not in PALETTE)
    headline = min(categories, key=lambda c: _HEADLINE_RANK.get(c, len(_HEADLINE_RANK)))  # as an incident's marker
    lines = []
    for category in order:
        n, low, high = categories[category]
        told = "" if low != low else f"{int(low):,}" if low == high else f"{int(low):,}–{int(high):,}"
        lines.append(f'<div><span class="geo-swatch" style="background:{PALETTE.get(category, UNKNOWN_COLOUR)}">'
                     f"</span><b>{_e(category)}</b>: {n:,} figure(s)" + (f", reported {told}" if told else "")
                     + "</div>")
    state = "verified" if done == figures else "unreviewed" if done == 0 else "partly"
    when = "" if period.label == "all dates" else f" ({period.label})"
    popup = (f'<div class="geo-incident"><div class="geo-value"><b>{_e(name)}</b>{_e(when)}</div>{"".join(lines)}'
             f'<div class="geo-source">{figures:,} figure(s) in {articles:,} article(s), not added up '
             f"(sources overlap). Too many to link into incidents here: narrow the view (town, dates) to see "
             f"each claim with its quote.</div></div>")
    top = categories[headline][2]
    tooltip = f"{name}: {figures:,} figure(s) in {articles:,} article(s){when}"
    return _Group(period, [round(float(lat), 5), round(float(lon), 5), marker_radius(top if top == top else None),
                           PALETTE.get(headline, UNKNOWN_COLOUR), _e(tooltip), popup, 0, state])


def review_state(claims: list[Mapping]) -> str:
    """"verified" when every claim was verified or corrected, "unreviewed" when none was, else "partly"."""
    done = sum(_text(c.get("status")) in ("verified", "corrected") for c in claims)
    return "verified" if claims and done == len(claims) else "unreviewed" if done == 0 else "partly"


def incident_html(inc: Incident, claims: Mapping[str, Mapping], per_popup: int = CLAIMS_PER_POPUP,
                  reader_link: str | None = None) -> str:
    """An incident's popup: where and when, each category's figures side by side (never added up),
    then its claims in the order they were reported, each escaped."""
    precision = _PRECISION_WORDS.get(inc.geo_precision, inc.geo_precision)
    days = _iso(inc.date_start) if inc.date_start == inc.date_end else f"{_iso(inc.date_start)} – {_iso(inc.date_end)}"
    lines = []
    for category, s in inc.categories.items():
        colour = PALETTE.get(category, UNKNOWN_COLOUR)
        told = f"{s.min:,}" if s.min == s.max else f"{s.min:,}–{s.max:,}"
        lines.append(f'<div><span class="geo-swatch" style="background:{colour}"></span><b>{_e(category)}</b>: '
                     f"latest {s.latest:,}; reported {told}; most conservative {s.conservative:,}; "
                     f"{s.sources} independent source(s)</div>")
    shown = [claims[c] for c in inc.claims if c in claims]
    items = "".join(_claim_item(r, reader_link) for r in shown[:per_popup])
    more = len(shown) - per_popup
    tail = f'<div class="geo-source">… and {more} more in the table</div>' if more > 0 else ""
    return (f'<div class="geo-incident" data-incident="{_e(inc.id)}"><div class="geo-value"><b>{_e(inc.place)}</b> '
            f"<i>({_e(precision)})</i></div><div>When: {_e(days)} ({_e(inc.time_precision)})</div>{''.join(lines)}"
            f'<div class="geo-source">{len(inc.claims)} claim(s) in {len(inc.articles)} article(s), '
            f"in the order they were reported (not added up: sources overlap):</div>"
            f'<ol class="geo-claims">{items}</ol>{tail}</div>')


def _claim_item(row: Mapping, reader_link: str | None = None) -> str:
    """One claim of an incident: as of when, who, the figure in words, the quote, the outlet, the
    article's URL and a link to it in the dashboard's reader."""
    as_of = _iso(row.get("reported")) or _iso(row.get("published")) or "undated"
    who = _text(row.get("attribution")) or "the article itself"
    what = value_words(row.get("value"), row.get("value_high"), row.get("qualifier"))
    outlet = _text(row.get("outlet")) or "unknown outlet"
    title = _text(row.get("title"))
    basis = _text(row.get("published_basis"))
    dated = f" (publication date {_BASIS_WORDS[basis]})" if basis in _BASIS_WORDS else ""
    return (f'<li class="geo-claim" data-reported="{_e(as_of)}" data-status="{_e(_text(row.get("status")) or "unreviewed")}">'
            f'<div>As of <b>{_e(as_of)}</b>{_e(dated)} — '
            f"{_e(who)}: <b>{_e(what)}</b> {_e(_counted_words(row))}</div>"
            f"<div>Event: {_e(_when(row))}</div><div class=\"geo-review\">{_e(_review_words(row))}</div>"
            f'<blockquote class="geo-quote">{_quote_html(row)}</blockquote>'
            f'<div class="geo-source">{_e(outlet)}' + (f" — “{_e(title)}”" if title else "") + _link(row.get("url"))
            + f' <span class="geo-file">[{_e(_text(row.get("article_file")))}]</span>'
            + _reader_link(reader_link, row.get("article_id")) + "</div></li>")


def _link(url: object) -> str:
    """The article's URL, written out and linked (opens in a new tab); only http(s), escaped (it is
    untrusted). Written out so it can be copied, and read where links do not open (a print)."""
    text = _text(url).strip()
    if not text.lower().startswith(("http://", "https://")):
        return ""
    return (f' — <a class="geo-url" href="{_e(text)}" target="_blank" rel="noopener noreferrer nofollow">'
            f"{_e(text)}</a>")


def _reader_link(prefix: str | None, article_id: object) -> str:
    """A link that opens the claim's article in the dashboard's reader (a new tab: the map's frame may
    script keeps the dashboard's filter in the address, see _ReaderLinks)."""
    article = _text(article_id)
    if prefix is None or not article:
        return ""
    return (f' <a class="geo-reader" data-article="{_e(article)}" href="{_e(prefix + article)}#article-reader" '
            f'target="_blank" rel="noopener">open in the reader</a>')


def _counted_words(row: Mapping) -> str:
    """What the figure counts: the words the text used, with the category when they do not say
    it ("civilian bodies"; "residents (killed)"), so "bodies bodies" is never written."""
    category, counted = _text(row.get("category")), _text(row.get("counted"))
    if not counted:
        return category
    return counted if category.lower() in counted.lower() else f"{counted} ({category})"


def _review_words(row: Mapping) -> str:
    """"Unreviewed", or who reviewed it, and the machine's value where a reviewer changed it."""
    status = _text(row.get("status")) or "unreviewed"
    if status == "unreviewed":
        return "Unreviewed (machine extraction)"
    words = f"{status.capitalize()} by {_text(row.get('reviewed_by'))}, {_text(row.get('reviewed_at'))[:10]}"
    machine = row.get("machine_value")
    if not _missing(machine) and not _missing(row.get("value")) and int(machine) != int(row["value"]):
        words += f" (machine read {int(machine):,})"
    return words


# The one category that colours and sizes an incident's marker, first present wins. Deaths come
# before injured and missing, whatever the numbers (12 killed and 34 injured is a "killed" marker).
# Among deaths, bodies come first: a count of bodies found is the most direct evidence at that
# place, and a killed toll linked to it is often wider ("victims estimated at 1,000" across a
# whole occupation) or a part ("nine of the bodies"); then killed, then graves.
HEADLINE_ORDER = tuple(c.value for c in (
    Category.BODIES, Category.KILLED, Category.GRAVES, Category.INJURED, Category.MISSING,
    Category.EXPLOSIVES, Category.RESCUED, Category.EVACUATED, Category.BUILDINGS,
))
_HEADLINE_RANK = {c: k for k, c in enumerate(HEADLINE_ORDER)}


def headline(inc: Incident):
    """(category, its CategorySummary) that an incident's marker shows: the first of HEADLINE_ORDER
    the incident reports (a category this version does not know comes last)."""
    category = min(inc.categories, key=lambda c: _HEADLINE_RANK.get(c, len(_HEADLINE_RANK)))
    return category, inc.categories[category]


def _also_words(inc: Incident, shown: str) -> str:
    """The incident's other categories, each on its own ("; also 1,000 killed, 440 graves"):
    the tooltip names them apart, never in one range."""
    others = [f"{s.latest:,} {c}" for c, s in inc.categories.items() if c != shown]
    return f"; also {', '.join(others)}" if others else ""


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
    for period in sorted(layers, key=_chronological):
        yield period.label, sorted(layers[period], key=lambda row: -row[2])  # big first: small stay clickable


def _place_rows(places: pd.DataFrame, figures: pd.DataFrame) -> list[list]:
    """Grey dots for places named without a figure pinned at the same point: per point, the first
    mention in each article, the first CLAIMS_PER_POPUP articles listed. Column-wise, so the work
    per rerun grows with the places on the map, not with every mention of them."""
    at = ["lat", "lon"]
    pinned = pd.MultiIndex.from_frame(figures[at]) if len(figures) else pd.MultiIndex.from_arrays([[], []])
    places = places[~pd.MultiIndex.from_frame(places[at]).isin(pinned)] if len(places) else places
    if not len(places):
        return []
    key = places["article_id"].astype(object).where(places["article_id"].notna(), "").astype(str)
    firsts = places.assign(_article=key.to_numpy()).drop_duplicates(at + ["_article"])
    counts = firsts.groupby(at, sort=True).size()
    listed = _records(firsts.groupby(at, sort=False).head(CLAIMS_PER_POPUP))
    by_point: dict[tuple[float, float], list[dict]] = {}
    for record in listed:
        by_point.setdefault((record["lat"], record["lon"]), []).append(record)
    rows = []
    for (lat, lon), n in counts.items():
        articles = by_point[(lat, lon)]
        first = articles[0]
        name = _text(first.get("place")) or _text(first.get("mention"))
        precision = _PRECISION_WORDS.get(_text(first.get("precision")), _text(first.get("precision")))
        items = "".join(
            f"<li>{_e(_text(a.get('outlet')) or 'unknown outlet')} — {_e(_text(a.get('title')))}"
            f" ({_e(_iso(a.get('published')))}), as “{_e(_text(a.get('mention')))}”</li>"
            for a in articles
        )
        popup = (f'<div class="geo-claim"><b>{_e(name)}</b> <i>({_e(precision)})</i>'
                 f"<div>Named in {int(n)} article(s), no figure reported here:</div>"
                 f"<ul>{items}</ul></div>")
        rows.append([lat, lon, 3, PLACE_COLOUR, _e(name), popup, 0])
    return rows


def _reference_rows(reference: gpd.GeoDataFrame) -> list[list]:
    """Grey dots; the big towns' names always shown, except a district's ("Saltivka") when a
    bigger town's label is already there: the two would print over each other."""
    rows = []
    labelled: list[Point] = []
    for _, town in reference.sort_values("population", ascending=False, kind="stable").iterrows():
        point = town.geometry
        if point is None or point.is_empty:
            continue
        big = town.get("kind") == "capital" or int(town.get("population") or 0) >= _LABEL_POPULATION
        big = big and not any(point.distance(other) < _LABEL_CLEARANCE for other in labelled)
        if big:
            labelled.append(point)
        rows.append([round(point.y, 5), round(point.x, 5), 3 if big else 2, REFERENCE_COLOUR,
                     _e(_text(town.get("name"))), "", 1 if big else 0])
    return rows


def _legend_html(figures: pd.DataFrame, unplaced: int, places: bool, aggregated: bool = False) -> str:
    present = set(figures["category"].dropna().unique()) if len(figures) else set()
    items = "".join(
        f'<div><span class="geo-swatch" style="background:{colour}"></span>{name}</div>'
        for name, colour in PALETTE.items() if name in present or not present
    )
    notes = ["<div>One circle per incident, coloured and sized by one category (bodies found, else "
             "killed, graves, injured, missing, then the rest): its latest reported toll, on a scale that "
             "keeps growing. Claims are listed, never added up. Solid: verified by a reviewer; dashed "
             "outline: machine extraction not yet reviewed.</div>"]
    if aggregated:
        notes = [f"<div>Too many figures to link into incidents (more than {LINK_LIMIT:,}): one circle per place "
                 "and period, coloured and sized by one category (bodies found, else killed, graves, injured, missing, "
                 "then the rest) and its largest figure; its popup "
                 "counts the figures. Narrow the view (town, dates, category) to see incidents and quotes.</div>"]
    if places:
        notes.append(f'<div><span class="geo-swatch" style="background:{PLACE_COLOUR}"></span>'
                     "place named, no figure</div>")
    if unplaced:
        notes.append(f"<div>{unplaced} figure(s) with no place, or only a country, are listed in the table, not pinned.</div>")
    return "<b>What was reported</b>" + items + "".join(notes)


def _fit(figures: pd.DataFrame, places: pd.DataFrame, view_key: str | None = None) -> _Fit:
    """Zoom to the figures (else the places named), town-level at most; no data shows Ukraine.
    With a view key, the view the user left under that key instead, when there is one.

    The legend's strip on the left is kept free, so no figure starts out under it."""
    points = figures if len(figures) else places
    if points.empty:
        fit = folium.map.FitBounds(UKRAINE_BOUNDS)
    else:
        fit = folium.map.FitBounds(
            [[points["lat"].min(), points["lon"].min()], [points["lat"].max(), points["lon"].max()]],
            padding_top_left=(LEGEND_WIDTH + 50, 40), padding_bottom_right=(40, 40), max_zoom=10)
    return _Fit(view_key, fit)


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
