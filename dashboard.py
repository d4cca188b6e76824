"""The dashboard: `streamlit run dashboard.py`. UI only; every decision lives in geo/."""
from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from geo import articles, assets, export, filters, incidents, mapping, reader, store
from geo.errors import GeoError, StoreError

ROOT = Path(__file__).resolve().parent
STORE = Path(os.environ.get("UKRMAP_STORE", ROOT / "data" / "events.parquet"))
ARTICLES = Path(os.environ.get("UKRMAP_ARTICLES", ROOT / "data" / "articles"))
ALL_PERIODS = "All dates"
PLAY_SECONDS = 1.5


@st.cache_data(show_spinner=False)
def _read(version: tuple[str, int, int]):
    """The store, read once per version of the file (path, mtime and size are the cache key)."""
    return store.read_store(Path(version[0]))


@st.cache_data(show_spinner=False)
def _periods(version: tuple[str, int, int], chosen: filters.Filters) -> list[mapping.Period]:
    """The map's periods for a view, computed once per store version and filter."""
    full, _ = _read(version)
    return mapping.layer_periods(filters.apply(full, chosen))


@st.cache_resource(show_spinner=False)
def _reference():
    """The reference towns layer, from the gazetteer: the same for every session."""
    return mapping.reference_layer()


def _build_store() -> None:
    with st.spinner(f"Reading the articles in {ARTICLES} and building the map data…"):
        store.build(ARTICLES, STORE)


@st.cache_resource(show_spinner=False)
def _synced(store_path: str, articles_path: str) -> str:
    """Once per server process: bring a readable store up to date with the articles folder (new
    or changed files, newer extractor code). Incremental, and writes nothing when nothing changed."""
    if not Path(articles_path).is_dir():
        return "no articles folder"
    with st.spinner("Checking the articles folder for new or changed files…"):
        return str(store.build(Path(articles_path), Path(store_path)))


def _version() -> tuple[str, int, int]:
    stat = STORE.stat()
    return (str(STORE), stat.st_mtime_ns, stat.st_size)


def load_store():
    """The store's version, event frame and metadata; builds a missing store, offers a rebuild
    for a bad one (never silently: it may hold uploads that exist nowhere else)."""
    if not STORE.exists():
        _build_store()
    try:
        _read(_version())
        _synced(str(STORE), str(ARTICLES))
        version = _version()
        return (version, *_read(version))
    except StoreError as e:
        st.error(f"The event store {STORE} cannot be read: {e}")
        if st.button("Rebuild", type="primary", key="rebuild"):
            _build_store()
            st.rerun()
        st.stop()


def upload_section() -> None:
    """Add articles from the browser; each bad file gets its own message and stops nothing else."""
    with st.sidebar.expander("Add articles"):
        files = st.file_uploader(
            "Article files", type=["txt", "md", "html"], accept_multiple_files=True, key="uploads"
        )
        published = st.date_input("Publication date", value=None, key="upload_date")
        if not st.button("Add to the map", key="add", disabled=not files):
            return
        good = []
        for f in files:
            try:
                good.append(articles.load_bytes(f.name, f.getvalue(), published=published))
            except GeoError as e:
                st.error(f"Not added: {e}")
        if good:
            try:
                if not STORE.exists():
                    _build_store()
                store.add_articles(STORE, good)
            except GeoError as e:
                st.error(f"Could not add the articles: {e}")
                return
            st.success(f"Added {len(good)} article(s): " + ", ".join(a.file for a in good))


def _seed_widgets(opts: filters.Options) -> None:
    """Once per session: the filter in the URL becomes the widgets' starting values."""
    if st.session_state.get("seeded"):
        return
    url = filters.from_query_params({k: st.query_params.get_all(k) for k in st.query_params})
    if opts.first and opts.last:
        st.session_state["dates"] = (url.start or opts.first, url.end or opts.last)
        st.session_state["span"] = (opts.first, opts.last)
    st.session_state["towns"] = [t for t in url.towns if t in opts.towns]
    st.session_state["cats"] = [c for c in url.categories if c in opts.categories]
    st.session_state["outlets"] = [o for o in url.outlets if o in opts.outlets]
    st.session_state["min"] = url.min_value
    st.session_state["q"] = url.query
    st.session_state["seeded"] = True


def _follow_the_span(opts: filters.Options) -> None:
    """When the data's date span changes (an upload), a full-span date filter widens with it."""
    span = (opts.first, opts.last)
    if None in span or st.session_state.get("span") == span:
        return
    if tuple(st.session_state.get("dates", ())) in ((), st.session_state.get("span")):
        st.session_state["dates"] = span
    st.session_state["span"] = span


def sidebar_filters(opts: filters.Options) -> filters.Filters:
    """The filter widgets; their values, as a Filters, also written to the URL."""
    _seed_widgets(opts)
    _follow_the_span(opts)
    sb = st.sidebar
    start = end = None
    if opts.first and opts.last:
        picked = tuple(sb.date_input("Dates", key="dates"))
        if len(picked) == 2 and picked != st.session_state["span"]:
            start, end = picked
    towns = sb.multiselect("Town", opts.towns, key="towns")
    cats = sb.multiselect("Category", opts.categories, key="cats")
    outlets = sb.multiselect("Outlet", opts.outlets, key="outlets")
    min_value = sb.number_input("Minimum value", min_value=0, step=1, key="min")
    query = sb.text_input("Search quotes, sources, places, titles", key="q")
    chosen = filters.Filters(
        start=start,
        end=end,
        towns=tuple(towns),
        categories=tuple(cats),
        outlets=tuple(outlets),
        min_value=int(min_value) if min_value is not None else None,
        query=query.strip(),
    )
    params = filters.to_query_params(chosen)
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if wanted != {k: st.query_params.get_all(k) for k in st.query_params}:
        st.query_params.from_dict(params)
    return chosen


def period_control(version, chosen: filters.Filters) -> mapping.Period | None:
    """A slider over the map's time periods, with a play button that steps through them."""
    periods = {p.label: p for p in _periods(version, chosen)}
    choices = [ALL_PERIODS, *periods]
    if st.session_state.get("period") not in choices:
        st.session_state["period"] = ALL_PERIODS
    if st.session_state.get("playing"):
        at = choices.index(st.session_state["period"])
        if at + 1 < len(choices):
            st.session_state["period"] = choices[at + 1]
        else:
            st.session_state["playing"] = False
    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.select_slider("Play through time", options=choices, key="period")
    if st.session_state.get("playing"):
        right.button("Stop", key="stop", on_click=lambda: st.session_state.update(playing=False))
    else:
        right.button(
            "Play", key="play", disabled=not periods,
            on_click=lambda: st.session_state.update(playing=True, period=ALL_PERIODS),
        )
    return periods.get(st.session_state["period"])


def show_map(frame, period: mapping.Period | None, online: bool) -> None:
    """The map of the view, one marker per incident (of one period while playing, by event date);
    panning and zooming never rerun the app."""
    m = mapping.build_map(frame, period=period, tiles=online, reference=_reference())
    st_folium(m, key="map", returned_objects=[], height=560, use_container_width=True)


def show_tables(shown, found) -> None:
    """What the map shows, as tables a reader can sort and check against the sources."""
    st.subheader("Figures")
    st.dataframe(filters.figures_table(shown), hide_index=True, width="stretch", key="figures")
    st.subheader("Incidents")
    st.caption("Claims about one event at one place and time, linked: each category's lowest and highest "
               "report, the latest, the most conservative (ACLED) and how many independent sources. Never added up.")
    day = st.column_config.DateColumn(format="YYYY-MM-DD")
    st.dataframe(incidents.table(found), hide_index=True, width="stretch", key="incidents",
                 column_config={"date_start": day, "date_end": day})
    st.subheader("How sources agree, per place")
    st.dataframe(filters.claims_side_by_side(shown), hide_index=True, width="stretch", key="side_by_side")
    st.subheader("Timeline")
    chart = filters.timeline(shown)
    if chart.empty:
        st.caption("No dated figures in this view.")
    else:
        st.bar_chart(chart, color=[mapping.PALETTE[c] for c in chart.columns])


def show_reader(full, meta) -> None:
    """One article's text with what was extracted from it marked, to check the extraction."""
    st.subheader("Article reader")
    readable = [a for a in meta.articles if a.id and a.id in meta.texts]
    if not readable:
        st.caption("No articles in the store.")
        return
    basis = {"text": ", date from its text", "inferred": ", date inferred from its text"}
    labels = {
        a.id: f"{a.title or a.file} ({a.outlet or 'unknown outlet'}, {a.published or 'undated'}"
              f"{basis.get(a.published_basis, '')})"
        for a in readable
    }
    chosen = st.selectbox("Article", list(labels), format_func=labels.get, key="reader")
    rows = full[full["article_id"] == chosen]
    st.html(reader.article_html(meta.texts[chosen], reader.highlights(rows)))
    unread = [a for a in meta.articles if a.error]
    if unread:
        with st.expander(f"{len(unread)} file(s) could not be read"):
            for a in unread:
                st.text(f"{a.file}: {a.error}")


def show_exports(shown, found) -> None:
    """The filtered view as files, for analysis elsewhere."""
    st.subheader("Export this view")
    stamp = date.today().isoformat()
    a, b, c, d, e = st.columns(5)
    a.download_button("CSV", export.to_csv(shown), f"ukraine-reports-{stamp}.csv", "text/csv")
    b.download_button(
        "GeoJSON", export.to_geojson(shown), f"ukraine-reports-{stamp}.geojson", "application/geo+json"
    )
    c.download_button(
        "KML", export.to_kml(shown), f"ukraine-reports-{stamp}.kml", "application/vnd.google-earth.kml+xml"
    )
    d.download_button("Incidents (ACLED CSV)", export.incidents_csv(found, shown),
                      f"ukraine-incidents-{stamp}.csv", "text/csv")
    e.download_button("Incidents (KML)", export.incidents_kml(found, shown),
                      f"ukraine-incidents-{stamp}.kml", "application/vnd.google-earth.kml+xml")


def main() -> None:
    st.set_page_config(page_title="Ukraine war reports map", layout="wide")
    st.title("Ukraine war reports map")
    upload_section()
    version, full, meta = load_store()
    opts = filters.options(full)
    chosen = sidebar_filters(opts)
    online = st.sidebar.toggle("Online map tiles", value=False, key="online")
    shown = filters.apply(full, chosen)
    st.markdown(f"**{filters.count_figures(shown)} of {filters.count_figures(full)} figures shown**")
    missing = assets.missing_assets()
    if missing:
        st.warning(f"Map files missing ({', '.join(map(str, missing))}): run scripts/fetch_assets.py")
    period = period_control(version, chosen)
    show_map(shown, period, online)
    found = incidents.incidents(shown)
    show_tables(shown, found)
    show_reader(full, meta)
    show_exports(shown, found)
    if st.session_state.get("playing"):
        time.sleep(PLAY_SECONDS)
        st.rerun()


main()
