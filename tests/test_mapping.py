"""The map: what a reader sees on it, that article text cannot run in it, and that it draws offline."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
from conftest import build_store
from shapely.geometry import Point

from geo import collection, mapping

from geo.events import COLUMNS, conform
from geo.gazetteer import Gazetteer
from geo.records import item_id
from geo.mapping import (
    PALETTE, PLACES_LAYER, REFERENCE_LAYER, build_map, layer_periods, marker_radius,
    reference_layer, value_words,
)
from geo.text import sentences

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
PAYLOAD = ROOT / "tests" / "fixtures" / "script_payload.txt"


@lru_cache(maxsize=None)
def town(name: str) -> Point:
    """The gazetteer's most populous Ukrainian place of that name."""
    places = [p for p in Gazetteer.default().candidates(name) if p.country == "UA"]
    best = max(places, key=lambda p: p.population)
    return Point(best.lon, best.lat)


def claim(path: Path, phrase: str, place: str | None, value: int, category: str, *,
          qualifier: str = "exact", when: str | None = None, precision: str = "town",
          attribution: str = "", outlet: str = "The Sun", title: str = "", kind: str = "figure",
          time_precision: str = "day", occurrence: int = 0) -> dict:
    """A row of the event table for `phrase` as it stands in a real article file."""
    text = path.read_text("utf-8")
    start = [m.start() for m in re.finditer(re.escape(phrase), text)][occurrence]
    sentence = next(s for s in sentences(text) if s.start <= start < s.end)
    row = dict.fromkeys(COLUMNS)
    row.update(
        id=item_id(path.stem[-16:], kind, start, start + len(phrase)), kind=kind, article_id=path.stem[-16:], article_file=path.name, outlet=outlet, title=title,
        url="", published=pd.Timestamp(when) if when else None, published_basis="manifest",
        place=place or "", mention=place or "", region="", country="UA" if place else "",
        precision=precision if place else "", place_confidence=1.0, place_source="gazetteer",
        value=value if kind == "figure" else None, value_high=None,
        qualifier=qualifier if kind == "figure" else "", category=category if kind == "figure" else "",
        counted=phrase.split()[-1] if kind == "figure" else "", attribution=attribution,
        event_date=pd.Timestamp(when) if when else None, time_precision=time_precision,
        date_text="", quote=sentence.text, start=start, end=start + len(phrase),
        sentence_start=sentence.start, sentence_end=sentence.end,
        geometry=town(place) if place else Point(),
    )
    return row


def table(rows: list[dict]):
    return conform(pd.DataFrame(rows, columns=list(COLUMNS)))


def sample_table():
    """What the bundled articles report about Bucha, Dmytrivka and Izium, as the event table holds it."""
    sun = ARTICLES / "000_5ee58bf401263aac.txt"
    izium = ARTICLES / "003_40143d16604e355b.txt"
    return table([
        claim(sun, "at least 20 bodies", "Bucha", 20, "bodies", qualifier="at_least", when="2022-04-03",
              title="Bodies in Bucha"),
        claim(sun, "300 of his town's residents", "Bucha", 300, "killed", when="2022-04-03",
              attribution="Bucha's mayor, Anatoliy Fedoruk", title="Bodies in Bucha"),
        claim(sun, "more than 1,500 explosives", "Dmytrivka", 1500, "explosives", qualifier="more_than",
              when="2022-04-03", title="Bodies in Bucha"),
        claim(sun, "Irpin", "Irpin", 0, "", kind="place", when="2022-04-03", time_precision="article"),
        claim(izium, "more than 440 bodies", "Izium", 440, "bodies", qualifier="more_than",
              when="2022-09-15", outlet="The Straits Times", attribution="police"),
        claim(izium, "1000", None, 1000, "killed", qualifier="estimated", when="2022-09-16",
              outlet="The Straits Times"),
    ])


def html_of(fmap) -> str:
    return fmap.get_root().render()


def test_a_figure_popup_says_the_value_in_words_with_its_source_and_quote():
    page = html_of(build_map(sample_table()))
    assert "at least 20" in page
    assert "Bucha&#x27;s mayor, Anatoliy Fedoruk" in page or "Bucha's mayor, Anatoliy Fedoruk" in page
    assert "The Straits Times" in page
    assert "\\u003cmark>more than 440 bodies\\u003c/mark>" in page


def test_claims_about_one_incident_share_one_marker_listing_both():
    rows = sample_table()
    page = html_of(build_map(rows[rows["event_date"] < pd.Timestamp("2022-05-01")]))
    assert "Bucha: 20 bodies (latest); also 300 killed; 2 claim(s) in 1 article(s)" in page
    assert "not added up" in page and page.count("data-incident=") == 2  # Bucha and Dmytrivka


def test_a_quote_carrying_script_and_onerror_is_shown_as_text_and_never_as_markup():
    rows = [
        claim(PAYLOAD, "at least 12 bodies", "Izium", 12, "bodies", qualifier="at_least", when="2022-09-19",
              attribution='<img src=x onerror="alert(3)">', title="<script>alert(4)</script>"),
        claim(PAYLOAD, "5 people", "Izium", 5, "injured", when="2022-09-18"),
        claim(PAYLOAD, "3 people", "Izium", 3, "killed", when="2022-09-12", outlet="${alert(5)}`"),
    ]
    page = html_of(build_map(table(rows)))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    for raw in ("<script>alert", "<img", "onerror=\"", "onerror=x", "</script>alert"):
        assert raw not in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert all("alert" not in s for s in scripts)


def test_the_page_loads_leaflet_only_and_only_from_the_asset_base():
    page = html_of(build_map(sample_table(), asset_base="/app/static/vendor", reference=reference_layer()))
    links = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert sorted(links) == ["/app/static/vendor/leaflet/leaflet.css", "/app/static/vendor/leaflet/leaflet.js"]
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert not re.search(r"https?://(?!leafletjs\.com|www\.openstreetmap)", page)


def test_streamlit_folium_is_handed_only_the_vendored_links():
    """st_folium loads the map's scripts from each element's default_js/default_css, not the header."""
    import branca
    import folium.elements

    fmap = build_map(sample_table(), asset_base="/app/static/vendor", reference=reference_layer())

    def walk(element):
        if isinstance(element, (folium.elements.JSCSSMixin, branca.colormap.ColorMap)):
            yield element
        for child in element._children.values():
            yield from walk(child)

    links = {url for e in walk(fmap) for _, url in [*e.default_js, *e.default_css]}
    assert links == {"/app/static/vendor/leaflet/leaflet.js", "/app/static/vendor/leaflet/leaflet.css"}


def test_osm_tiles_are_offered_only_when_asked_for():
    assert "tile.openstreetmap.org" not in html_of(build_map(sample_table()))
    assert "tile.openstreetmap.org" in html_of(build_map(sample_table(), tiles=True))


def test_each_date_is_a_layer_and_named_places_and_reference_towns_have_their_own():
    page = html_of(build_map(sample_table(), reference=reference_layer()))
    for name in ("2022-04-03", "2022-09-12 to 2022-09-16", PLACES_LAYER, REFERENCE_LAYER):
        assert f'"{name}"' in page
    assert '"Irpin"' in page


def test_layers_are_days_for_a_week_of_news_and_weeks_across_months():
    rows = sample_table()
    april = rows[rows["event_date"] < pd.Timestamp("2022-05-01")]
    assert [p.label for p in layer_periods(april)] == ["2022-04-03"]
    periods = layer_periods(rows)
    # weeks, cut to the view's first and last day (3 April, a Sunday; 16 September, a Friday)
    assert [p.label for p in periods] == ["2022-04-03", "2022-09-12 to 2022-09-16"]
    assert (periods[1].start, periods[1].end) == (date(2022, 9, 12), date(2022, 9, 16))


def test_a_figure_without_a_place_is_counted_in_the_legend_but_not_pinned():
    page = html_of(build_map(sample_table()))
    assert "1 figure(s) with no place, or only a country, are listed in the table, not pinned." in page
    assert "an estimated 1,000" not in page


def test_a_single_place_gets_a_town_level_zoom_not_the_maximum():
    rows = sample_table()
    page = html_of(build_map(rows[rows["place"] == "Izium"]))
    assert '"maxZoom": 10' in page


def test_over_the_marker_cap_markers_go_to_canvas_with_shorter_popups():
    rows = sample_table()
    page = html_of(build_map(rows, max_markers=1))
    assert "preferCanvas\": true" in page
    assert "preferCanvas\": true" not in html_of(build_map(rows))


def test_sizes_keep_growing_with_the_toll_with_no_ceiling():
    assert marker_radius(None) == 4.0 == marker_radius(0)
    sizes = [marker_radius(v) for v in (1, 9, 50, 400, 5_000, 100_000, 1_000_000)]
    assert sizes == sorted(set(sizes)) and sizes[0] > 4.0


def test_qualifiers_read_as_words():
    assert value_words(20, None, "at_least") == "at least 20"
    assert value_words(1500, None, "more_than") == "more than 1,500"
    assert value_words(24, 99, "about") == "about 24–99"


def test_the_reference_layer_has_ukrainian_cities_and_neighbouring_capitals():
    ref = reference_layer()
    names = set(ref["name"])
    assert {"Kyiv", "Kharkiv", "Warsaw", "Chisinau", "Minsk"} <= names
    assert any(p.equals(town("Izium")) for p in ref.geometry)  # 46k people; spelled as GeoNames has it
    assert (ref["population"][ref["country"] == "UA"] >= 20_000).all()


def test_the_palette_covers_every_category_a_figure_can_have():
    from geo.model import REPORTED_CATEGORIES
    assert set(PALETTE) == {c.value for c in REPORTED_CATEGORIES}
    assert len(set(PALETTE.values())) == len(PALETTE)


def test_the_view_fits_the_figures_not_a_foreign_country_an_article_mentions():
    sun = ARTICLES / "000_5ee58bf401263aac.txt"
    uk = claim(sun, "UK", None, 0, "", kind="place", when="2022-04-03", time_precision="article")
    uk.update(place="United Kingdom", precision="country", geometry=Point(-2.0, 54.0))
    rows = table([*sample_table().to_dict(orient="records"), uk])
    page = html_of(build_map(rows))
    bounds = re.search(r"fitBounds\(\s*\[\[([\d.-]+), ([\d.-]+)\], \[([\d.-]+), ([\d.-]+)\]\]", page)
    south, west, north, east = map(float, bounds.groups())
    assert 22 < west < east < 41 and 44 < south < north < 53  # inside Ukraine


def test_country_level_places_and_figures_are_listed_but_never_pinned_at_the_capital():
    sun = ARTICLES / "000_5ee58bf401263aac.txt"
    ukraine = claim(sun, "Ukraine", None, 0, "", kind="place", when="2022-04-03", time_precision="article")
    ukraine.update(place="Ukraine", precision="country", geometry=town("Kyiv"))
    nationwide = claim(sun, "more than 30 towns", None, 30, "other", qualifier="more_than", when="2022-04-02")
    nationwide.update(place="Ukraine", precision="country", geometry=town("Kyiv"))
    page = html_of(build_map(table([ukraine, nationwide])))
    kyiv = town("Kyiv")
    assert f"{kyiv.y}, {kyiv.x}" not in page and f"[{kyiv.y},{kyiv.x}" not in page
    assert "1 figure(s) with no place, or only a country" in page


def _rising_toll():
    """Three reports of the Chernihiv strike of 17 April 2024 (tests/fixtures/dev7), as the real
    pipeline reads them."""
    from geo.articles import load_folder
    from geo.events import to_frame
    from geo.pipeline import extract_many

    folder = ROOT / "tests" / "fixtures" / "dev7"
    files = [a for a in load_folder(folder).articles if a.file.startswith(("t01", "t02", "t03"))]
    return to_frame(extract_many(files))


def test_an_incident_popup_lists_its_claims_in_the_order_they_were_reported():
    from geo.incidents import incidents

    frame = _rising_toll()
    page = html_of(build_map(frame))
    chernihiv = next(i for i in incidents(frame) if i.place == "Chernihiv")
    start = page.index(f'data-incident=\\"{chernihiv.id}\\"')
    popup = page[start:page.index("\\u003c/ol>", start)]
    as_of = re.findall(r'data-reported=\\"([\d-]+)\\"', popup)
    assert len(as_of) == min(len(chernihiv.claims), 12) and as_of == sorted(as_of)
    assert (as_of[0], as_of[-1]) == ("2024-04-17", "2024-04-19")
    assert "latest 18; reported 13–18" in popup and "at least 13" in popup
    assert "publication date from the article" in popup  # t03 has no date in the manifest
    assert "Nizhyn" in page and page.count("data-incident=") == len(
        [i for i in incidents(frame) if i.lat is not None])


def test_layers_and_playback_go_by_the_event_date_not_the_report():
    frame = _rising_toll()
    assert [p.label for p in layer_periods(frame)] == ["2024-04-17"]
    day = layer_periods(frame)[0]
    assert html_of(build_map(frame, period=day)).count("data-incident=") >= 2
    later = type(day)("2024-04-19", date(2024, 4, 19), date(2024, 4, 19))
    assert "data-incident=" not in html_of(build_map(frame, period=later))


def test_a_claim_names_what_it_counts_once_with_its_category_when_the_words_do_not_say_it():
    from geo.incidents import incidents
    from geo.mapping import incident_html

    frame = sample_table()
    claims = {r["id"]: r for r in frame.astype(object).where(frame.notna(), None).to_dict("records")}
    html = "".join(incident_html(i, claims) for i in incidents(frame))
    assert "bodies</b> bodies" not in html and "<b>at least 20</b> bodies" in html
    rows = frame.assign(counted=["residents"] * len(frame))
    claims = {r["id"]: r for r in rows.astype(object).where(rows.notna(), None).to_dict("records")}
    html = "".join(incident_html(i, claims) for i in incidents(rows))
    assert "<b>at least 20</b> residents (bodies)" in html


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """The event table of a store built from the bundled articles."""
    return collection.read_store(build_store(ARTICLES, tmp_path_factory.mktemp("map") / "ukrmap.db")).frame


def grey_dots_one_mention_at_a_time(places, figures) -> list[list]:
    """The places-without-figures layer as it was first written, a loop over every mention: the
    reference the column-wise version must match."""
    pinned = set(zip(figures["lat"], figures["lon"]))
    by_point: dict = {}
    for record in mapping._records(places):
        if (record["lat"], record["lon"]) not in pinned:
            by_point.setdefault((record["lat"], record["lon"]), []).append(record)
    rows = []
    for (lat, lon), mentions in sorted(by_point.items()):
        first = mentions[0]
        name = mapping._text(first.get("place")) or mapping._text(first.get("mention"))
        precision = mapping._PRECISION_WORDS.get(mapping._text(first.get("precision")), mapping._text(first.get("precision")))
        first_by_article: dict = {}
        for mention in mentions:
            first_by_article.setdefault(mapping._text(mention.get("article_id")), mention)
        articles = list(first_by_article.values())
        e, text = mapping._e, mapping._text
        items = "".join(f"<li>{e(text(a.get('outlet')) or 'unknown outlet')} — {e(text(a.get('title')))}"
                        f" ({e(mapping._iso(a.get('published')))}), as “{e(text(a.get('mention')))}”</li>"
                        for a in articles[:mapping.CLAIMS_PER_POPUP])
        popup = (f'<div class="geo-claim"><b>{e(name)}</b> <i>({e(precision)})</i>'
                 f"<div>Named in {len(articles)} article(s), no figure reported here:</div><ul>{items}</ul></div>")
        rows.append([lat, lon, 3, mapping.PLACE_COLOUR, e(name), popup, 0])
    return rows


def test_grey_place_dots_say_what_a_loop_over_every_mention_says(bundled):
    figures = mapping._located(bundled[bundled["kind"] == "figure"])
    places = mapping._located(bundled[bundled["kind"] == "place"])
    dots = mapping._place_rows(places, figures)
    assert len(dots) > 0
    assert dots == grey_dots_one_mention_at_a_time(places, figures)


def test_a_view_too_large_to_link_gets_one_circle_per_place_counting_its_figures_without_quotes(bundled, monkeypatch):
    monkeypatch.setattr(mapping, "LINK_LIMIT", 3)
    assert not mapping.linkable(bundled)
    page = html_of(build_map(bundled))
    counted = [int(n.replace(",", "")) for n in re.findall(r"(\d[\d,]*) figure\(s\) in \d+ article\(s\), not added up", page)]
    figures = mapping._located(bundled[bundled["kind"] == "figure"])
    assert sum(counted) == figures["precision"].isin(("town", "near", "region")).sum() > 3
    assert "blockquote" not in page
    assert "Too many figures to link into incidents" in page


def test_the_page_stays_about_the_same_size_from_2_500_to_25_000_figures():
    from bench.map_bench import synthetic

    small, big = html_of(build_map(synthetic(2_500))), html_of(build_map(synthetic(25_000)))
    assert len(big) < 1.5 * len(small)


def test_circles_never_exceed_the_cap_however_many_places_and_periods():
    from bench.map_bench import MARKER_ROW, synthetic

    uncapped = html_of(build_map(synthetic(5_000)))
    capped = html_of(build_map(synthetic(5_000), max_markers=40))
    assert len(MARKER_ROW.findall(uncapped)) > 40 >= len(MARKER_ROW.findall(capped)) > 0


def marker_rows(page: str) -> list[list]:
    """Every marker row the page draws: [lat, lon, radius, colour, tooltip, popup, label, review]."""
    import json
    return [row for rows in re.findall(r"var rows = (\[.*?\]);\n", page) for row in json.loads(rows)]


def incident_marker(page: str, incident_id: str) -> list:
    return next(r for r in marker_rows(page) if f'data-incident="{incident_id}"' in r[5])


def _sample_articles():
    from geo.articles import load_folder
    from geo.events import to_frame
    from geo.pipeline import extract_many

    return to_frame(extract_many(load_folder(ARTICLES).articles))


def test_a_marker_follows_one_category_killed_before_injured_whatever_the_numbers():
    from geo.incidents import incidents

    frame = _rising_toll()
    chernihiv = next(i for i in incidents(frame) if i.place == "Chernihiv")
    assert chernihiv.categories["injured"].latest > chernihiv.categories["killed"].latest
    row = incident_marker(html_of(build_map(frame)), chernihiv.id)
    assert row[3] == PALETTE["killed"] and row[2] == marker_radius(chernihiv.categories["killed"].latest)
    assert row[4].startswith(f"Chernihiv: {chernihiv.categories['killed'].latest} killed (latest); also ")
    # the popup gives each category its own line: never one range over killed and injured
    killed, injured = chernihiv.categories["killed"], chernihiv.categories["injured"]
    assert f"<b>killed</b>: latest {killed.latest}; reported {killed.min}–{killed.max};" in row[5]
    assert f"<b>injured</b>: latest {injured.latest}; reported {injured.min}–{injured.max};" in row[5]


def test_the_izium_mass_burial_shows_its_440_bodies():
    from geo.incidents import incidents

    frame = _sample_articles()
    izium = next(i for i in incidents(frame) if i.place == "Izium")
    row = incident_marker(html_of(build_map(frame)), izium.id)
    assert row[3] == PALETTE["bodies"] and row[2] == marker_radius(440)
    assert row[4].startswith("Izium: 440 bodies (latest)")


def test_every_claim_in_a_popup_links_its_http_url_and_the_reader_and_nothing_else():
    rows = sample_table()
    rows["url"] = ["https://example.org/a?x=1&y=<b>", "javascript:alert(1)", "", "", "http://straits.example/izium", ""]
    page = html_of(build_map(rows, reader_link="../../?article="))
    popups = "".join(r[5] for r in marker_rows(page) if "data-incident" in r[5])
    assert 'href="https://example.org/a?x=1&amp;y=&lt;b&gt;"' in popups
    assert 'href="http://straits.example/izium"' in popups
    assert "javascript:" not in page
    assert popups.count('class="geo-reader"') == popups.count('class="geo-claim"') > 0
    for article in rows[rows["kind"] == "figure"]["article_id"]:
        assert f'href="../../?article={article}#article-reader"' in popups
    assert "geo-reader" not in html_of(build_map(rows))  # a saved map has no dashboard to open


def test_layers_start_and_end_inside_the_view_a_week_cut_at_the_filter():
    from geo.filters import Filters, apply

    frame = _sample_articles()
    first, last = date(2022, 4, 3), date(2022, 9, 15)
    view = apply(frame, Filters(start=first, end=last))
    periods = layer_periods(view)
    assert periods[0].start >= first and periods[-1].end <= last
    assert [p.start for p in periods] == sorted(p.start for p in periods)
    assert periods[-1].label == "2022-09-12 to 2022-09-15"  # the week of 12 September, cut at the 15th
    assert "week of 2022-09-12" not in html_of(build_map(view))


def test_a_view_too_large_to_link_cuts_its_layers_at_the_filter_too(monkeypatch):
    from geo.filters import Filters, apply

    monkeypatch.setattr(mapping, "LINK_LIMIT", 3)
    first, last = date(2022, 4, 3), date(2022, 9, 15)
    view = apply(_sample_articles(), Filters(start=first, end=last))
    assert not mapping.linkable(view)
    periods = layer_periods(view)
    assert periods[0].start >= first and periods[-1].end <= last
    assert periods[-1].label == "2022-09-12 to 2022-09-15"
    page = html_of(build_map(view))
    assert "week of 2022-09-12" not in page and "2022-09-12 to 2022-09-15" in page
    header = mapping.map_header(view, None, periods[-1])
    assert re.match(r"On the map for 2022-09-12 to 2022-09-15: [1-9]\d* figures? at ", header), header
    assert "figure(s) in" in html_of(build_map(view, period=periods[-1]))  # the period's circles are drawn


def test_the_header_counts_the_incidents_places_and_figures_the_map_draws():
    from geo.mapping import drawn_incidents, map_header

    frame = _sample_articles()
    drawn = drawn_incidents(frame)
    page = html_of(build_map(frame))
    markers = [r for r in marker_rows(page) if "data-incident" in r[5]]
    places = {(r[0], r[1]) for r in markers}
    figures = sum(r[5].count('class="geo-claim"') for r in markers)
    unpinned = int((frame["kind"] == "figure").sum()) - figures
    assert len(markers) == len(drawn) and unpinned > 0
    assert map_header(frame, drawn) == (
        f"On the map: {len(markers)} incidents at {len(places)} places from {figures} figures. "
        f"{unpinned} figures with no place, or only a country, are in the tables, not pinned.")
    period = layer_periods(frame)[0]
    shown = drawn_incidents(frame, period=period)
    assert 0 < len(shown) < len(drawn)
    assert map_header(frame, shown, period).startswith(f"On the map for {period.label}: {len(shown)} incident")


def test_the_header_of_a_view_too_large_to_link_counts_its_pinned_figures_and_places(bundled, monkeypatch):
    monkeypatch.setattr(mapping, "LINK_LIMIT", 3)
    figures = mapping._located(bundled[bundled["kind"] == "figure"])
    pinned = figures[figures["precision"].isin(("town", "near", "region"))]
    words = mapping.map_header(bundled, None)
    assert words.startswith(f"On the map: {len(pinned)} figures at {pinned['place'].nunique()} places, too many to link")
    assert len(pinned) > 3
