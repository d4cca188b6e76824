"""The dashboard: `streamlit run dashboard.py`. UI only; every decision lives in geo/."""
from __future__ import annotations

import functools
import re
import threading
import time
from datetime import date

import streamlit as st
import streamlit.components.v1 as components
import streamlit_folium
from streamlit.dataframe import lazy_df_source
from streamlit_folium import st_folium

from geo import assets, collection, export, filters, freshness, incidents, library, mapping, paths, reader, review_queue
from geo import review as rv
from geo.build import add_uploads
from geo.errors import GeoError, StoreError
from geo.store import is_url, open_store

STORE = paths.default_store()
ARTICLES = paths.articles_dir()
UPLOADS = paths.uploads_dir()
ALL_PERIODS = "All dates"
PLAY_SECONDS = 1.5
# Tables above 1,000 rows go to the browser a page at a time, as it scrolls (st.dataframe lazy):
# 80,000 figures with their quotes would be 20 MB per view. The price: no search or CSV button in
# the grid itself; the exports below give every row.
_LAZY = True
# The first page of a lazy table goes with the run itself, under a new source id on every run, so
# its bytes differ and the browser receives it again on every rerun, even one that changes
# nothing: at 1,000 rows per page that was 1.2 MB per rerun at 10,000 articles, decoded while the
# map frame loads. Pages of 100 rows (Streamlit has no argument for it, hence its module constant).
lazy_df_source.DEFAULT_PAGE_SIZE = 100
# What each query parameter of a shared link names, for the notice about a value not in the data.
LINK_WORDS = {"town": "town", "cat": "category", "outlet": "outlet", "status": "review status",
              "from": "start date", "to": "end date", "min": "minimum value", mapping.READER_PARAM: "article"}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str) -> str:
    """Untrusted text (file names, error messages) made inert for Streamlit's Markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


# Everything below is cached on (store version, filter) with st.cache_resource: one copy shared by
# every session and never copied on a hit (st.cache_data would unpickle a 300,000-row table on
# every rerun). Nothing reads these values to change them. A write to the store changes its version.

@st.cache_resource(show_spinner=False, max_entries=2)
def _read(version: str) -> collection.Collection:
    """The store as the user sees it, read once per store version (every write changes it)."""
    return collection.read_store(STORE)


@st.cache_resource(show_spinner=False, max_entries=2)
def _options(version: str) -> filters.Options:
    return filters.options(_read(version).frame)


@st.cache_resource(show_spinner=False, max_entries=8)
def _shown(version: str, chosen: filters.Filters):
    """The rows a filter keeps."""
    return filters.apply(_read(version).frame, chosen)


@st.cache_resource(show_spinner=False, max_entries=16)
def _found(version: str, chosen: filters.Filters) -> list[incidents.Incident] | None:
    """The view's incidents, reviewers' merges and splits applied; None when the view holds more
    figures than are linked at a click (mapping.LINK_LIMIT): the map then draws places."""
    shown = _shown(version, chosen)
    if not mapping.linkable(shown):
        return None
    return incidents.incidents(shown, _read(version).overrides)


@st.cache_resource(show_spinner=False, max_entries=16)
def _tables(version: str, chosen: filters.Filters) -> dict:
    """The tables under the map, made once per view."""
    shown = _shown(version, chosen)
    found = _found(version, chosen)
    return {
        "figures": filters.figures_table(shown),
        "incidents": None if found is None else incidents.table(found),
        "side_by_side": filters.claims_side_by_side(shown),
        "timeline": filters.timeline(shown),
    }


@st.cache_resource(show_spinner=False, max_entries=16)
def _queue(version: str, chosen: filters.Filters):
    """The view's unreviewed figures, least certain first."""
    return review_queue.queue(_shown(version, chosen))


@st.cache_resource(show_spinner=False, max_entries=4)
def _reader_labels(version: str) -> dict[str, str]:
    """The reader's article choices, made once per store version."""
    coll = _read(version)
    return reader.article_labels([a for a in coll.articles if a.id and not a.error], coll.frame)


@st.cache_resource(show_spinner=False, max_entries=16)
def _header(version: str, chosen: filters.Filters, period: mapping.Period | None) -> str:
    """What the map draws, in words, once per view and period (it reads every row of the view)."""
    shown, found = _shown(version, chosen), _found(version, chosen)
    drawn = None if found is None else mapping.drawn_incidents(shown, period=period, found=found)
    return mapping.map_header(shown, drawn, period)


@st.cache_resource(show_spinner=False, max_entries=32)
def _periods(version: str, chosen: filters.Filters) -> list[mapping.Period]:
    """The map's periods for a view."""
    return mapping.layer_periods(_shown(version, chosen), _found(version, chosen))


@st.cache_resource(show_spinner=False)
def _reference():
    """The reference towns layer, from the gazetteer: the same for every session."""
    return mapping.reference_layer()


def _asset_base() -> str:
    """The URL of the packaged Leaflet files: Streamlit serves a declared component's folder
    (declared again on each run, as Streamlit expects; the component itself is never drawn)."""
    return "/component/" + components.declare_component("vendor", path=str(assets.VENDOR_DIR)).name



def _build_with_progress() -> str:
    """Build or sync the store, with a progress bar that counts articles and estimates time left."""
    bar = st.progress(0.0, text="Reading the articles folder…")
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        left = elapsed / done * (total - done) if done else 0
        bar.progress(done / total if total else 1.0, text=f"Extracting {done:,} of {total:,} articles, about {left:.0f} s left")

    summary = freshness.sync(ARTICLES if ARTICLES.is_dir() else None, STORE, UPLOADS, progress=progress)
    bar.empty()
    return "up to date" if summary is None else str(summary)


@st.cache_resource(show_spinner=False)
def _syncs() -> dict[tuple[str, str], str]:
    """What this server process has synced so far (shared by every session)."""
    return {}


def _synced() -> str:
    """Once per server process: bring the store up to date with the articles folder and the uploads
    library (new or changed files, newer extractor code). Incremental; reads no article either when
    the folder and the store are as the last sync left them (geo.freshness)."""
    done = _syncs()
    key = (STORE, str(ARTICLES))
    if key not in done:
        done[key] = _build_with_progress()
    return done[key]


def _version() -> str:
    with open_store(STORE, create=False) as repo:
        return repo.version()


def load_collection() -> tuple[str, collection.Collection]:
    """The store's version and contents; builds a missing store, offers a rebuild for a damaged
    one, which is moved aside as a dated backup first (uploads live in the library, so nothing is lost)."""
    try:
        summary = _synced()
        if "unreadable" in summary:
            st.warning(plain(summary.splitlines()[-1]))
        version = _version()
        return version, _read(version)
    except StoreError as e:
        st.error(f"The store {plain(STORE)} cannot be read: {plain(e)}")
        if not is_url(STORE) and st.button("Rebuild (the damaged file is kept as a backup)", type="primary", key="rebuild"):
            _syncs().pop((STORE, str(ARTICLES)), None)
            freshness.forget(STORE, ARTICLES if ARTICLES.is_dir() else None, UPLOADS)
            st.rerun()
        st.stop()


def upload_section() -> None:
    """Add articles from the browser; each is kept in the library first, and each bad file gets its
    own message (shown as plain text) and stops nothing else."""
    with st.sidebar.expander("Add articles"):
        files = st.file_uploader(
            "Article files", type=["txt", "md", "html"], accept_multiple_files=True, key="uploads"
        )
        published = st.date_input("Publication date", value=None, key="upload_date")
        outlet = st.text_input("Outlet", key="upload_outlet")
        url = st.text_input("URL", key="upload_url")
        if not st.button("Add to the map", key="add", disabled=not files):
            return
        # File names and reasons are the uploader's text: shown with st.text, never as Markdown
        # (a file named "![p](http://…).txt" would otherwise make the browser fetch that address).
        uploads = [library.Upload(f.name, f.getvalue(), published, outlet.strip(), url.strip()) for f in files]
        try:
            summary, bad = add_uploads(STORE, uploads, UPLOADS)
        except GeoError as e:
            st.error("Could not add the articles. They are kept in the library; a rebuild takes them in:")
            st.text(str(e))
            return
        refused = {e.file for e in bad}
        problems = [f"Not added: {e}" for e in bad] + [f"Added, but not extracted: {e}" for e in summary.errors]
        added = [u.file for u in uploads if u.file not in refused]
        if added:
            st.success(f"Added {len(added)} article(s):")
            st.text("\n".join(added))
        if problems:
            st.error(f"{len(problems)} problem(s); the other files are not affected:")
            st.text("\n".join(problems))


def _seed_widgets(opts: filters.Options) -> None:
    """Once per session: the filter in the URL becomes the widgets' starting values."""
    if st.session_state.get("seeded"):
        return
    url = filters.from_query_params({k: st.query_params.get_all(k) for k in st.query_params})
    if opts.first and opts.last:
        st.session_state["dates"] = (url.start or opts.first, url.end or opts.last)
        st.session_state["span"] = (opts.first, opts.last)
    st.session_state["unknown_values"] = [
        *st.session_state.get("unknown_values", []),
        *filters.unknown_in_link({k: st.query_params.get_all(k) for k in st.query_params}, opts)]
    st.session_state["towns"] = [t for t in url.towns if t in opts.towns]
    st.session_state["cats"] = [c for c in url.categories if c in opts.categories]
    st.session_state["outlets"] = [o for o in url.outlets if o in opts.outlets]
    st.session_state["languages"] = [lang for lang in url.languages if lang in opts.languages]
    st.session_state["statuses"] = list(url.statuses)
    st.session_state["show_rejected"] = url.show_rejected
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
    languages = sb.multiselect("Article language", opts.languages, key="languages")
    min_value = sb.number_input("Minimum value", min_value=0, step=1, key="min")
    query = sb.text_input("Search quotes, sources, places, titles", key="q")
    statuses = sb.multiselect("Review status", filters.STATUSES, key="statuses")
    show_rejected = sb.toggle("Show rejected figures", key="show_rejected")
    chosen = filters.Filters(
        start=start,
        end=end,
        towns=tuple(towns),
        categories=tuple(cats),
        outlets=tuple(outlets),
        min_value=int(min_value) if min_value is not None else None,
        query=query.strip(),
        statuses=tuple(statuses),
        show_rejected=bool(show_rejected),
        languages=tuple(languages),
    )
    params = filters.to_query_params(chosen)
    linked = st.session_state.get("article_link")
    if linked and st.session_state.get("reader") == linked:
        params[mapping.READER_PARAM] = linked  # the article a link opened stays in the address while it is read
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if wanted != {k: st.query_params.get_all(k) for k in st.query_params}:
        st.query_params.from_dict(params)
    return chosen


def period_control(version: str, chosen: filters.Filters) -> mapping.Period | None:
    """A slider over the map's time periods, with a play button that steps through them.

    Playback advances one period per tick of `play_ticker` only, never on a run the user started
    (a filter change, a review). Play is a toggle, not a pair of buttons: a toggle's value goes
    with every later run the browser asks for, while a button's click can be lost when it lands
    during a step; so turning it off always wins and no further step is taken."""
    periods = {p.label: p for p in _periods(version, chosen)}
    choices = [ALL_PERIODS, *periods]
    if st.session_state.get("period") not in choices:
        st.session_state["period"] = ALL_PERIODS
    if st.session_state.pop("play_tick", False) and st.session_state.get("playing"):
        at = choices.index(st.session_state["period"])
        if at + 1 < len(choices):
            st.session_state["period"] = choices[at + 1]
        else:
            st.session_state["playing"] = False
    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.select_slider("Play through time", options=choices, key="period")
    right.toggle("Play", key="playing", disabled=not periods, on_change=_play_toggled)
    return periods.get(st.session_state["period"])


# streamlit-folium renders the whole folium page on every call (0.5-0.8 s for our map, mostly
# Jinja compiling templates). We call it once per map with its component function captured (on
# this thread only), keep the arguments it would send, and send those on later reruns: the same
# bytes, so Streamlit's message cache does not send the map again to a browser that has it.
# (Kept on the module: this script runs in a new namespace on every rerun.)
if not hasattr(streamlit_folium, "_ukrmap_component"):
    streamlit_folium._ukrmap_component = streamlit_folium._component_func
    streamlit_folium._ukrmap_capture = threading.local()

    def _component_or_capture(**kwargs):
        capture = streamlit_folium._ukrmap_capture
        if getattr(capture, "args", None) is not None:
            capture.args.update(kwargs)
            return None
        return streamlit_folium._ukrmap_component(**kwargs)

    streamlit_folium._component_func = _component_or_capture


# The map is drawn inside a component frame served at <app>/component/<name>/index.html: this
# climbs back to the app's own address (any base path), where READER_PARAM opens the reader.
READER_LINK = f"../../?{mapping.READER_PARAM}="


@st.cache_resource(show_spinner=False, max_entries=16)
def _map_args(version: str, chosen: filters.Filters, period: mapping.Period | None, online: bool,
              asset_base: str, view_key: str) -> dict:
    """What st_folium sends for the view's map, made once per view (the map's size is bounded:
    mapping.LINK_LIMIT and MAX_MARKERS). The base map is the same for every view, so its frame
    (keyed on the base's script) stays on the page and only the view's layers are swapped."""
    view = mapping.view_layers(_shown(version, chosen), period=period, found=_found(version, chosen),
                               reader_link=READER_LINK, view_key=view_key)
    base = mapping.base_map(asset_base=asset_base, tiles=online, reference=_reference(), reader_link=READER_LINK)
    capture = streamlit_folium._ukrmap_capture
    capture.args = {}
    try:
        st_folium(base, key="map", returned_objects=[], height=560, use_container_width=True,
                  feature_group_to_add=view.layers, layer_control=view.control)
        return capture.args
    finally:
        capture.args = None


def show_map(version: str, chosen: filters.Filters, period: mapping.Period | None, online: bool) -> None:
    """The map of the view, one marker per incident (of one period while playing, by event date),
    under a line that counts what it draws; panning and zooming never rerun the app. Maps drawn
    again for the same filter (playback, reruns) keep the user's zoom and centre."""
    st.markdown(_header(version, chosen, period))
    view_key = str(sorted(filters.to_query_params(chosen).items()))
    streamlit_folium._ukrmap_component(**_map_args(version, chosen, period, online, _asset_base(), view_key))


def _play_toggled() -> None:
    """Play from the first period; off: no step is pending any more."""
    playing = bool(st.session_state.get("playing"))
    st.session_state.update(play_tick=playing, **({"period": ALL_PERIODS} if playing else {}))


def play_ticker() -> None:
    """While playing, a timer (a fragment that reruns every PLAY_SECONDS) asks for the next step.

    Each step is a whole run of the page that ends normally and swaps the period's layers in the
    one map frame; a loop of sleep and st.rerun() ended every run early and hidden frames piled up."""

    @st.fragment(run_every=PLAY_SECONDS if st.session_state.get("playing") else None)
    def tick() -> None:
        if st.session_state.get("playing") and st.session_state.get("play_armed"):
            st.session_state["play_tick"] = True
            st.rerun(scope="app")
        st.session_state["play_armed"] = True  # the first run is the page's own: the next one ticks

    st.session_state["play_armed"] = False
    tick()


def open_linked_article(coll: collection.Collection) -> None:
    """A link from a map popup (`?article=<id>`) opens that article in the reader; an id the
    store does not hold gets a notice. Read before the filter rewrites the address."""
    wanted = st.query_params.get(mapping.READER_PARAM)
    if not wanted or st.session_state.get("article_link") == wanted:
        return
    st.session_state["article_link"] = wanted
    known = {a.id: a for a in coll.articles if a.id and not a.error}
    if wanted in known:
        st.session_state["reader"] = wanted
        st.session_state["reader_notice"] = known[wanted].title or known[wanted].file
    else:
        st.session_state["unknown_values"] = [*st.session_state.get("unknown_values", []), ("article", wanted)]


def review_section(shown, pending=None) -> None:
    """A queue of unreviewed figures, least certain first: verify or reject in one click, or correct.

    Buttons carry the id of the figure on screen (bound when drawn), so a click always applies to
    the figure the reviewer was looking at, whatever changed since.
    """
    st.subheader("Review")
    for kind, text in st.session_state.pop("review_messages", []):
        (st.success if kind == "ok" else st.error)(text)
    pending = review_queue.queue(shown) if pending is None else pending
    st.caption(f"{len(pending):,} unreviewed figure(s) in this view, least certain first. "
               f"{filters.count_verified(shown):,} verified or corrected.")
    if pending.empty:
        return
    labels = {
        row.id: f"{row.value} {row.category} · {row.place or 'no place'} · {row.article_file}"
        for row in pending.head(500).itertuples(index=False)
    }
    if st.session_state.get("review_pick") not in labels:
        st.session_state["review_pick"] = next(iter(labels))
    item = st.selectbox("Figure to review", list(labels), format_func=labels.get, key="review_pick")
    row = pending[pending["id"] == item].iloc[0]
    st.html(review_queue.sentence_html(row))
    st.text(f"{row.value} ({row.qualifier}) {row.category} at {row.place or 'no place'} ({row.precision or 'unplaced'}), "
            f"{str(row.event_date)[:10]} ({row.time_precision}); said by {row.attribution or 'the article'}; "
            f"{row.article_file} [{row.id}]")
    st.text_input("Your name (kept for this browser session)", key="reviewer")
    st.text_input("Reason (optional)", key="review_reason_text")
    a, b, c = st.columns(3)
    a.button("Verify", key="verify", type="primary", on_click=_record, args=(row.id, "verified"))
    b.button("Reject", key="reject", on_click=_record, args=(row.id, "rejected"))
    c.button("Cannot be located", key="unlocatable", on_click=_record, args=(row.id, "unlocatable"))
    qualifiers, categories = _choices("qualifier"), _choices("category")
    with st.form("correct", clear_on_submit=True):
        st.caption("Correct: change only what is wrong.")
        st.number_input("Value", min_value=0, step=1, value=int(row.value) if row.value == row.value else 0, key="fix_value")
        st.selectbox("Qualifier", qualifiers, index=qualifiers.index(row.qualifier) if row.qualifier in qualifiers else 0,
                     key="fix_qualifier")
        st.selectbox("Category", categories, index=categories.index(row.category) if row.category in categories else 0,
                     key="fix_category")
        options = ["(keep)"] + [c["name"] for c in review_queue.candidates(row) if c["name"] != row.place]
        st.selectbox("Place: one of the mention's other candidates", options, key="fix_place")
        st.text_input("…or another place by name (gazetteer)", key="fix_place_typed")
        st.date_input("Event date", value=row.event_date.date() if row.event_date == row.event_date else None, key="fix_date")
        st.form_submit_button("Save correction", on_click=_correct, args=(row.id,))


def incident_review_section(shown, found) -> None:
    """Merge incidents the linking kept apart, or split claims out of one it joined wrongly.

    Recorded as reviews in the same log as the figure reviews (geo.review.incident_review), applied
    on top of the linking on every read; the ids are bound when the button is drawn."""
    st.subheader("Merge or split incidents")
    for kind, text in st.session_state.pop("incident_messages", []):
        (st.success if kind == "ok" else st.error)(text)
    if not found:
        st.caption("No incidents in this view.")
        return
    labels = {i.id: _incident_label(i) for i in found}
    st.text_input("Your name", key="incident_reviewer")
    st.text_input("Reason (optional)", key="incident_reason")
    merge = st.multiselect("Incidents that are one event", list(labels), format_func=labels.get, key="merge_pick")
    st.button("Merge", key="merge", disabled=len(merge) < 2, on_click=_record_incident, args=("merge", list(merge)))
    several = [i for i in found if len(i.claims) > 1]
    if not several:
        return
    inc = st.selectbox("Incident to split", [i.id for i in several], format_func=labels.get, key="split_incident")
    rows = shown[shown["id"].isin(next(i for i in several if i.id == inc).claims)]
    claims = {r.id: f"{mapping.value_words(r.value, r.value_high, r.qualifier)} {r.category} · "
                    f"{_day(r.reported, r.published)} · {r.outlet or 'unknown outlet'} · {r.article_file}"
              for r in rows.itertuples(index=False)}
    out = st.multiselect("Claims that are another event", list(claims), format_func=claims.get, key="split_pick")
    st.button("Split them out", key="split", disabled=not out or len(out) == len(claims),
              on_click=_record_incident, args=("split", list(out)))


def _day(*values) -> str:
    """The first of `values` that is a date (NaT and None are not), as YYYY-MM-DD."""
    return next((str(v)[:10] for v in values if v is not None and v == v), "undated")


def _incident_label(inc) -> str:
    category, summary = mapping.headline(inc)
    return (f"{inc.place or 'no place'} · {inc.date_start or 'undated'} · {summary.latest:,} {category} · "
            f"{len(inc.claims)} claim(s) · {inc.id}")


def _record_incident(action: str, ids: list[str]) -> None:
    """Append a merge or split to the review log; a refused one says why and writes nothing."""
    messages = st.session_state.setdefault("incident_messages", [])
    try:
        with open_store(STORE, create=False) as repo:
            made = review_queue.incident_action(_read(_version()), action, ids,
                                                st.session_state.get("incident_reviewer", ""),
                                                st.session_state.get("incident_reason", ""))
            repo.add_review(made)
    except GeoError as e:
        messages.append(("error", f"Not recorded: {plain(e)}"))
        return
    messages.append(("ok", f"Recorded: {action} {plain(', '.join(ids))}"))
    st.session_state["merge_pick" if action == "merge" else "split_pick"] = []


def _choices(field: str) -> list[str]:
    from geo.model import Category, Qualifier

    return [c.value for c in (Qualifier if field == "qualifier" else Category)]


def _row(item: str) -> dict | None:
    """The figure as the user sees it now, from the current store version."""
    return _read(_version()).item(item)


def _correct(item: str) -> None:
    """The correction form's callback: only fields that differ from what is shown become changes."""
    row = _row(item)
    if row is None:
        _record(item, "corrected")
        return
    ss = st.session_state
    changes = {}
    if ss.get("fix_value") is not None and ss["fix_value"] != row["value"]:
        changes["value"] = int(ss["fix_value"])
    for field in ("qualifier", "category"):
        if ss.get(f"fix_{field}") and ss[f"fix_{field}"] != row[field]:
            changes[field] = ss[f"fix_{field}"]
    place = (ss.get("fix_place_typed") or "").strip() or (ss.get("fix_place") if ss.get("fix_place") != "(keep)" else "")
    if place:
        changes["place"] = place
    when = ss.get("fix_date")
    shown_date = row["event_date"].date() if row["event_date"] == row["event_date"] else None
    if when is not None and when != shown_date:
        changes["event_date"] = when.isoformat()
    _record(item, "corrected", changes)


def _record(item: str, status: str, changes: dict | None = None) -> None:
    """Append one review to the log; a refused review says why and writes nothing."""
    messages = st.session_state.setdefault("review_messages", [])
    row = _row(item)
    try:
        if row is None:
            raise GeoError(f"the figure {item} is no longer in the store")
        changes = dict(changes or {})
        if "place" in changes:
            changes["lat"], changes["lon"] = review_queue.place_position(changes["place"], row)
        made = rv.new_review(row, status, st.session_state.get("reviewer", ""),
                             st.session_state.get("review_reason_text", ""), changes)
        with open_store(STORE, create=False) as repo:
            repo.add_review(made)
    except GeoError as e:
        messages.append(("error", f"Not recorded: {plain(e)}"))
        return
    messages.append(("ok", f"Recorded: {status} {plain(made.item)}"))


def show_tables(tables: dict, figures: int) -> None:
    """What the map shows, as tables a reader can sort and check against the sources. Large tables
    go to the browser a page at a time (lazy): the page stays small whatever the view."""
    st.subheader("Figures")
    st.dataframe(tables["figures"], hide_index=True, width="stretch", key="figures", lazy=_LAZY,
                 column_config={"url": st.column_config.LinkColumn("url")})
    st.subheader("Incidents")
    st.caption("Claims about one event at one place and time, linked: each category's lowest and highest "
               "report, the latest, the most conservative (ACLED) and how many independent sources. Never added up.")
    if tables["incidents"] is None:
        st.info(f"This view holds {figures:,} figures; incidents are linked for at most {mapping.LINK_LIMIT:,} "
                "at a time, and the map shows places instead. Narrow the view by town, dates or category "
                "(the incident exports below link the whole view when you download them).")
    else:
        day = st.column_config.DateColumn(format="YYYY-MM-DD")
        st.dataframe(tables["incidents"], hide_index=True, width="stretch", key="incidents",
                     column_config={"date_start": day, "date_end": day}, lazy=_LAZY)
    st.subheader("How sources agree, per place")
    st.dataframe(tables["side_by_side"], hide_index=True, width="stretch", key="side_by_side", lazy=_LAZY)
    st.subheader("Timeline")
    chart = tables["timeline"]
    if chart.empty:
        st.caption("No dated figures in this view.")
    else:
        # A Vega-Lite spec of our own: st.bar_chart goes through Altair, whose schema validation
        # alone took 0.6 s per new view.
        long = chart.rename_axis("date").reset_index().melt("date", var_name="category", value_name="figures")
        st.vega_lite_chart(long, {
            "mark": "bar",
            "encoding": {
                "x": {"field": "date", "type": "temporal", "title": None},
                "y": {"field": "figures", "type": "quantitative", "stack": True},
                "color": {"field": "category", "type": "nominal",
                          "scale": {"domain": list(chart.columns),
                                    "range": [mapping.PALETTE.get(c, mapping.UNKNOWN_COLOUR) for c in chart.columns]}},
            },
        }, width="stretch")


def show_reader(version: str, coll: collection.Collection) -> None:
    """One article's text with what was extracted from it marked, to check the extraction."""
    st.subheader("Article reader")
    opened = st.session_state.pop("reader_notice", None)
    if opened:
        st.info("Opened from the map:")
        st.text(opened)
    readable = [a for a in coll.articles if a.id and not a.error]
    if not readable:
        st.caption("No articles in the store.")
    else:
        labels = _reader_labels(version)
        chosen = st.selectbox("Article", list(labels), format_func=labels.get, key="reader")
        try:
            with open_store(STORE, create=False) as repo:
                text = repo.text(chosen) or ""
        except StoreError as e:
            st.error(plain(e))
            return
        rows = coll.frame[coll.frame["article_id"] == chosen]
        record = next(a for a in readable if a.id == chosen)
        if record.url.startswith(("http://", "https://")):
            st.link_button("Open the source page", record.url)
        st.text(reader.provenance(record))
        st.html(reader.article_html(text, reader.highlights(rows)))
    unread = [a for a in coll.articles if a.error]
    if unread:
        with st.expander(f"{len(unread)} file(s) could not be read or extracted"):
            for a in unread:
                st.text(f"{a.file}: {a.error}")
    if coll.orphans:
        with st.expander(f"{len(coll.orphans)} review(s) attach to no figure of the current extraction"):
            for r in coll.orphans:
                st.text(f"{r.at} {r.by}: {r.status} {r.item} ({r.anchor.text if r.anchor else ''}) {r.reason}")


def show_exports(shown, incidents_of) -> None:
    """The filtered view as files, built only when a button is pressed."""
    st.subheader("Export this view")
    stamp = date.today().isoformat()
    a, b, c, d, e = st.columns(5)
    a.download_button("CSV", functools.partial(export.to_csv, shown), f"ukraine-reports-{stamp}.csv", "text/csv", key="csv")
    b.download_button("GeoJSON", functools.partial(export.to_geojson, shown), f"ukraine-reports-{stamp}.geojson",
                      "application/geo+json", key="geojson")
    c.download_button("KML", functools.partial(export.to_kml, shown), f"ukraine-reports-{stamp}.kml",
                      "application/vnd.google-earth.kml+xml", key="kml")
    d.download_button("Incidents (ACLED CSV)", lambda: export.incidents_csv(incidents_of(), shown),
                      f"ukraine-incidents-{stamp}.csv", "text/csv", key="incidents_csv")
    e.download_button("Incidents (KML)", lambda: export.incidents_kml(incidents_of(), shown),
                      f"ukraine-incidents-{stamp}.kml", "application/vnd.google-earth.kml+xml", key="incidents_kml")


def main() -> None:
    st.set_page_config(page_title="Ukraine war reports map", layout="wide")
    st.title("Ukraine war reports map")
    upload_section()
    version, coll = load_collection()
    open_linked_article(coll)
    full = coll.frame
    opts = _options(version)
    chosen = sidebar_filters(opts)
    for key, value in st.session_state.pop("unknown_values", []):
        st.warning(f"The link's {LINK_WORDS.get(key, plain(key))} is not in the data or cannot be read, "
                   f"so it is ignored: {plain(value)}")
    online = st.sidebar.toggle("Online map tiles", value=False, key="online")
    shown = _shown(version, chosen)
    st.markdown(f"**{filters.count_figures(shown)} of {filters.count_figures(full)} figures shown**, "
                f"{filters.count_verified(shown)} verified")
    missing = assets.missing_assets()
    if missing:
        st.warning(f"Map files missing or damaged ({plain(', '.join(missing))}): reinstall ukrmap (pip install --force-reinstall .)")
    period = period_control(version, chosen)
    show_map(version, chosen, period, online)
    found = _found(version, chosen)
    review_section(shown, _queue(version, chosen))
    incident_review_section(shown, found)
    show_tables(_tables(version, chosen), filters.count_figures(shown))
    show_reader(version, coll)
    show_exports(shown, lambda: found if found is not None else incidents.incidents(shown, coll.overrides))
    play_ticker()


main()
