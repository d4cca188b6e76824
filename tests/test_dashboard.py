"""The dashboard driven headless with Streamlit's AppTest, on a copy of the store built from data/articles.

AppTest cannot look inside the folium iframe; tests/test_browser.py does that.
"""
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import build_store

from geo import collection

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"
FIXTURES = Path(__file__).parent / "fixtures"
TIMEOUT = 60


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> Path:
    return build_store(ARTICLES, tmp_path_factory.mktemp("bundled") / "ukrmap.db")


@pytest.fixture
def store_copy(bundled_store, tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ukrmap.db"
    shutil.copyfile(bundled_store, path)
    monkeypatch.setenv("UKRMAP_STORE", str(path))
    monkeypatch.setenv("UKRMAP_ARTICLES", str(ARTICLES))
    return path


@pytest.fixture
def app(store_copy) -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)


def figures(at: AppTest):
    """The figures table: the one that quotes its sources."""
    return next(d.value for d in at.dataframe if "quote" in d.value.columns)


def shown_count(at: AppTest) -> str:
    text = next(m.value for m in at.markdown if "figures shown" in m.value)
    return text.split(",")[0]


def test_the_dashboard_opens_on_the_bundled_articles_without_errors(app):
    app.run()
    assert not app.exception
    assert not app.error
    table = figures(app)
    assert {"Bucha", "Izium"} <= set(table["place"])
    total = len(table)
    assert shown_count(app) == f"**{total} of {total} figures shown**"


def test_choosing_only_izium_removes_buchas_rows(app):
    app.run()
    total = len(figures(app))
    app.multiselect(key="towns").set_value(["Izium"]).run()
    table = figures(app)
    assert len(table) > 0
    assert set(table["place"]) == {"Izium"}
    assert shown_count(app) == f"**{len(table)} of {total} figures shown**"
    assert app.query_params["town"] == "Izium"


def test_narrowing_the_dates_to_april_2022_removes_the_september_rows(app):
    app.run()
    assert any(d.month == 9 for d in figures(app)["date"])
    app.date_input(key="dates").set_value((date(2022, 4, 1), date(2022, 4, 30))).run()
    table = figures(app)
    assert len(table) > 0
    assert all(date(2022, 4, 1) <= d <= date(2022, 4, 30) for d in table["date"])
    assert "Izium" not in set(table["place"])
    assert (app.query_params["from"], app.query_params["to"]) == ("2022-04-01", "2022-04-30")


def test_a_shared_link_sets_the_filters(app):
    app.query_params["town"] = ["Bucha", "Izium"]
    app.query_params["cat"] = "bodies"
    app.query_params["min"] = "10"
    app.run()
    assert not app.exception
    assert app.multiselect(key="towns").value == ["Bucha", "Izium"]
    assert app.multiselect(key="cats").value == ["bodies"]
    table = figures(app)
    assert len(table) > 0
    assert set(table["place"]) <= {"Bucha", "Izium"}
    assert set(table["category"]) == {"bodies"}
    assert (table["value"] >= 10).all()


def test_a_link_naming_a_town_not_in_the_data_shows_everything_instead_of_failing(app):
    app.query_params["town"] = "Atlantis"
    app.query_params["from"] = "not-a-date"
    app.run()
    assert not app.exception
    assert app.multiselect(key="towns").value == []
    assert len(figures(app)) > 0


def test_uploading_a_binary_file_says_why_and_keeps_every_figure(app):
    app.run()
    before = figures(app)
    bad = (FIXTURES / "not_text.txt").read_bytes()
    app.file_uploader(key="uploads").set_value(("not_text.txt", bad, "text/plain")).run()
    app.button(key="add").click().run()
    assert not app.exception
    assert app.error
    assert any("not_text.txt" in t.value and "binary" in t.value for t in app.text)
    assert figures(app).equals(before)


def test_a_good_upload_next_to_a_bad_one_is_added_and_shown_even_after_the_old_date_span(app):
    app.run()
    good = (FIXTURES / "irpin_upload.md").read_bytes()
    app.file_uploader(key="uploads").set_value(
        [("not_text.txt", (FIXTURES / "not_text.txt").read_bytes(), "text/plain"),
         ("irpin_upload.md", good, "text/markdown")]
    )
    app.date_input(key="upload_date").set_value(date(2022, 10, 5)).run()
    app.button(key="add").click().run()
    assert not app.exception
    assert app.error and app.success
    assert any("Not added: not_text.txt" in t.value for t in app.text)
    assert any(t.value.startswith("irpin_upload.md") for t in app.text)
    table = figures(app)
    added = table[table["article"] == "irpin_upload.md"]
    assert 290 in set(added["value"])


def test_uploaded_file_names_are_shown_as_plain_text_never_as_markdown(app):
    """A file named like a Markdown image must not become an <img> (a tracking pixel)."""
    pixel = "![p](http://203.0.113.9/pixel.png).txt"
    app.run()
    app.file_uploader(key="uploads").set_value(
        [(pixel, (FIXTURES / "irpin_upload.md").read_bytes(), "text/plain"),
         ("bad " + pixel, (FIXTURES / "not_text.txt").read_bytes(), "text/plain")]
    )
    app.date_input(key="upload_date").set_value(date(2022, 10, 5)).run()
    app.button(key="add").click().run()
    assert not app.exception
    assert app.success and app.error
    markdown = [e.value for kind in (app.markdown, app.success, app.error, app.warning, app.info, app.caption)
                for e in kind]
    assert not [m for m in markdown if "203.0.113.9" in m]
    shown = "\n".join(t.value for t in app.text)
    assert pixel + "\n" in shown + "\n" and f"Not added: bad {pixel}: binary" in shown



def test_a_damaged_store_found_at_start_is_kept_as_a_backup_and_rebuilt(app, store_copy):
    store_copy.write_bytes(b"PAR1 this is not a store")
    app.run()
    assert not app.exception
    backups = list(store_copy.parent.glob("ukrmap.db.damaged-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == b"PAR1 this is not a store"
    assert any("kept as" in w.value for w in app.warning)
    assert len(figures(app)) > 0


def test_a_store_damaged_during_a_session_offers_a_rebuild_that_keeps_a_backup(app, store_copy):
    app.run()
    store_copy.write_bytes(b"garbage")
    app.run()
    assert not app.exception
    assert any("cannot be read" in e.value for e in app.error)
    app.button(key="rebuild").click().run()
    assert not app.exception
    assert len(list(store_copy.parent.glob("ukrmap.db.damaged-*"))) == 1
    assert len(figures(app)) > 0


def test_a_missing_store_is_built_from_the_articles_folder(app, store_copy):
    store_copy.unlink()
    app.run()
    assert not app.exception
    assert store_copy.exists()
    assert len(figures(app)) > 0


def test_an_uploaded_article_with_script_tags_is_shown_as_text_in_the_reader(app, store_copy):
    app.run()
    payload = (FIXTURES / "script_payload.txt").read_bytes()
    app.file_uploader(key="uploads").set_value(("script_payload.txt", payload, "text/plain")).run()
    app.button(key="add").click().run()
    assert not app.exception
    payload_id = next(a.id for a in collection.read_store(store_copy).articles if a.file == "script_payload.txt")
    app.selectbox(key="reader").set_value(payload_id).run()
    page = app.html[-1].value  # the reader comes after the review queue
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page and "<img" not in page
    assert '<mark class="place"' in page and ">Izium</mark>" in page


def tick(app: AppTest) -> AppTest:
    """What the play timer (dashboard.play_ticker, a fragment AppTest cannot time) does: ask for a step."""
    app.session_state["play_tick"] = True
    return app.run()


def test_play_steps_through_every_period_on_its_ticks_and_stops_at_the_last(app):
    app.run()
    periods = app.select_slider(key="period").options
    assert len(periods) > 2
    app.toggle(key="playing").set_value(True).run()
    seen = [app.select_slider(key="period").value]
    while app.session_state["playing"] and len(seen) < 20:
        app.run()  # a run the user caused (not a tick) takes no step
        assert app.select_slider(key="period").value == seen[-1]
        seen.append(tick(app).select_slider(key="period").value)
    assert not app.exception
    assert seen == [*periods[1:], periods[-1]] and not app.session_state["playing"]


def test_turning_play_off_wins_over_a_step_asked_for_at_the_same_time(app):
    app.run()
    periods = app.select_slider(key="period").options
    app.toggle(key="playing").set_value(True).run()
    tick(app)
    assert app.select_slider(key="period").value == periods[2]
    app.session_state["play_tick"] = True  # the timer fired while the click was on its way
    app.toggle(key="playing").set_value(False).run()
    assert app.select_slider(key="period").value == periods[2] and not app.session_state["playing"]
    tick(app)
    assert app.select_slider(key="period").value == periods[2] and not app.toggle(key="playing").value


def test_an_empty_articles_folder_opens_to_an_empty_view_without_errors(tmp_path, monkeypatch):
    empty = tmp_path / "articles"
    empty.mkdir()
    monkeypatch.setenv("UKRMAP_STORE", str(tmp_path / "ukrmap.db"))
    monkeypatch.setenv("UKRMAP_ARTICLES", str(empty))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert shown_count(app) == "**0 of 0 figures shown**"


def test_the_server_is_local_and_silent_by_default_and_the_launcher_says_the_same():
    """.streamlit/config.toml serves `streamlit run dashboard.py` in a checkout; `ukrmap dashboard`
    passes flags (an installed package has no config file): both say the same."""
    import tomllib

    from geo.launch import FLAGS

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["headless"] is True
    assert config["server"]["showEmailPrompt"] is False
    assert config["browser"]["gatherUsageStats"] is False
    flags = dict(zip(FLAGS[::2], FLAGS[1::2]))
    from_file = {f"--{section}.{key}": str(value).lower() for section, options in config.items()
                 for key, value in options.items()}
    assert flags == from_file


def _pending(app) -> int:
    caption = next(c.value for c in app.caption if "unreviewed figure(s)" in c.value)
    return int(caption.split(" ", 1)[0].replace(",", ""))


def test_the_review_queue_verifies_corrects_and_rejects_and_the_log_keeps_all_three(app, store_copy):
    app.run()
    start = _pending(app)
    assert start > 3
    app.text_input(key="reviewer").set_value("Olena").run()

    first = app.selectbox(key="review_pick").value
    app.button(key="verify").click().run()
    assert not app.exception and not app.error
    assert _pending(app) == start - 1
    assert app.session_state["reviewer"] == "Olena"

    second = app.selectbox(key="review_pick").value
    assert second != first
    app.number_input(key="fix_value").set_value(1234)
    app.text_input(key="review_reason_text").set_value("the prosecutor's later figure")
    app.button(key="FormSubmitter:correct-Save correction").click().run()
    assert not app.exception and not app.error

    third = app.selectbox(key="review_pick").value
    app.button(key="reject").click().run()
    assert not app.exception

    seen = collection.read_store(store_copy)
    log = {r.item: r for r in seen.reviews}
    assert [log[i].status for i in (first, second, third)] == ["verified", "corrected", "rejected"]
    assert log[second].changes["value"][1] == 1234 and log[second].reason == "the prosecutor's later figure"
    assert {r.by for r in seen.reviews} == {"Olena"}
    frame = seen.frame.set_index("id")
    assert frame.loc[second, "value"] == 1234 and frame.loc[second, "machine_value"] != 1234
    table = figures(app)
    assert third not in set(table["id"])          # rejected figures are hidden unless asked for
    assert next(m.value for m in app.markdown if "figures shown" in m.value).endswith(", 2 verified")
    app.toggle(key="show_rejected").set_value(True).run()
    assert third in set(figures(app)["id"])


def test_a_review_without_a_reviewer_name_is_refused_and_nothing_is_written(app, store_copy):
    app.run()
    app.button(key="verify").click().run()
    assert any("reviewer name" in e.value for e in app.error)
    assert collection.read_store(store_copy).reviews == ()


def _upload_ukrainian(app) -> None:
    app.run()
    app.file_uploader(key="uploads").set_value(
        [("bucha_uk_upload.txt", (FIXTURES / "bucha_uk_upload.txt").read_bytes(), "text/plain")])
    app.date_input(key="upload_date").set_value(date(2022, 4, 5)).run()
    app.button(key="add").click().run()
    assert not app.exception


def test_a_ukrainian_article_shows_each_place_in_english_beside_the_name_as_written(app):
    _upload_ukrainian(app)
    table = figures(app)
    ours = table[table["article"] == "bucha_uk_upload.txt"]
    assert set(ours["language"]) == {"uk"}
    assert ("Bucha", "Бучі", 3) in set(zip(ours["place"], ours["place (as written)"], ours["value"]))
    assert ("Irpin", "Ірпені", 2) in set(zip(ours["place"], ours["place (as written)"], ours["value"]))


def test_the_town_filter_takes_english_names_whatever_the_articles_language(app):
    _upload_ukrainian(app)
    app.multiselect(key="towns").set_value(["Bucha"]).run()
    table = figures(app)
    assert set(table["place"]) == {"Bucha"}
    assert "Бучі" in set(table["place (as written)"])
    assert {"uk", "en"} <= set(table["language"])


def test_the_language_filter_keeps_one_language_and_the_reader_names_it(app):
    _upload_ukrainian(app)
    app.multiselect(key="languages").set_value(["uk"]).run()
    table = figures(app)
    assert len(table) > 0 and set(table["language"]) == {"uk"}
    assert set(table["article"]) == {"bucha_uk_upload.txt"}
    assert app.query_params["lang"] == "uk"
    assert any("language: uk" in label for label in app.selectbox(key="reader").options)


def test_a_view_too_large_to_link_shows_places_and_says_how_to_see_incidents(app, store_copy, monkeypatch):
    import streamlit as st

    from geo import mapping

    frame = collection.read_store(store_copy).frame
    shown = frame[(frame["kind"] == "figure") & (frame["status"] != "rejected")]
    izium = int((shown["place"] == "Izium").sum())
    assert 0 < izium < len(shown)
    monkeypatch.setattr(mapping, "LINK_LIMIT", izium)
    st.cache_resource.clear()  # views cached by earlier tests were linked under the usual limit
    app.run()
    assert not app.exception
    assert any("incidents are linked for at most" in i.value for i in app.info)
    app.multiselect(key="towns").set_value(["Izium"]).run()
    assert not app.exception
    assert not any("incidents are linked for at most" in i.value for i in app.info)
    assert any("incident" in d.value.columns for d in app.dataframe)
    st.cache_resource.clear()


def incident_ids(at: AppTest) -> list[str]:
    return list(next(d.value for d in at.dataframe if "incident" in d.value.columns)["incident"].unique())


def test_reviewers_merge_two_incidents_and_split_one_from_the_dashboard_into_the_review_log(app, store_copy):
    from geo.store import open_store

    app.run()
    before = incident_ids(app)
    seen = collection.read_store(store_copy)
    bucha = next(i for i in seen.incidents() if i.place == "Bucha")
    kyiv = next(i for i in seen.incidents() if i.place == "Kyiv")
    app.multiselect(key="merge_pick").set_value([bucha.id, kyiv.id]).run()
    app.button(key="merge").click().run()
    assert any("Not recorded" in e.value for e in app.error)  # no reviewer name: nothing written
    with open_store(store_copy, create=False) as repo:
        assert repo.reviews() == []
    app.text_input(key="incident_reviewer").input("Ana").run()
    app.multiselect(key="merge_pick").set_value([bucha.id, kyiv.id]).run()
    app.button(key="merge").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    merged = incident_ids(app)
    assert len(merged) == len(before) - 1 and kyiv.id not in merged and bucha.id in merged

    app.selectbox(key="split_incident").set_value(bucha.id).run()
    app.multiselect(key="split_pick").set_value(list(kyiv.claims)).run()
    app.button(key="split").click().run()
    assert not app.exception and not app.error
    assert sorted(incident_ids(app)) == sorted(before)  # Kyiv's claim is an incident of its own again
    with open_store(store_copy, create=False) as repo:
        log = [(r.status, list(r.changes["ids"][1]), r.by) for r in repo.reviews()]
    assert log == [("merge", [bucha.id, kyiv.id], "Ana"), ("split", list(kyiv.claims), "Ana")]


def test_a_link_from_a_map_popup_opens_its_article_in_the_reader(app, store_copy):
    izium = next(a for a in collection.read_store(store_copy).articles if a.file.startswith("004_"))
    app.query_params["article"] = izium.id
    app.query_params["town"] = "Izium"
    app.run()
    assert not app.exception
    assert app.selectbox(key="reader").value == izium.id
    assert any(i.value == "Opened from the map:" for i in app.info)
    assert "Ukrainian officials point to war crime evidence" in app.html[-1].value  # that article's text
    assert app.multiselect(key="towns").value == ["Izium"]  # the filter of the link is kept


def test_the_linked_article_stays_in_the_address_when_the_filter_changes_until_another_is_read(app, store_copy):
    articles = [a for a in collection.read_store(store_copy).articles if a.id and not a.error]
    izium = next(a for a in articles if a.file.startswith("004_"))
    app.query_params["article"] = izium.id
    app.query_params["town"] = "Izium"
    app.run()
    app.multiselect(key="cats").set_value(["bodies"]).run()
    assert not app.exception
    assert app.query_params["cat"] == "bodies" and app.query_params["article"] == izium.id
    other = next(a for a in articles if a.id != izium.id)
    app.selectbox(key="reader").set_value(other.id).run()
    app.multiselect(key="cats").set_value([]).run()
    assert "article" not in app.query_params and app.query_params["town"] == "Izium"


def test_a_link_naming_values_not_in_the_data_says_which_and_ignores_them(app):
    app.query_params["town"] = ["Atlantis", "Izium"]
    app.query_params["cat"] = ["bodies", "injured", "aliens"]
    app.query_params["outlet"] = "The Nowhere Times"
    app.query_params["status"] = "approved"
    app.query_params["min"] = "ten"
    app.query_params["article"] = "0000000000000000"
    app.run()
    assert not app.exception
    notices = [w.value for w in app.warning]
    for what, value in [("town", "Atlantis"), ("category", "injured"), ("category", "aliens"),
                        ("outlet", "The Nowhere Times"), ("review status", "approved"),
                        ("minimum value", "ten"), ("article", "0000000000000000")]:
        assert any(f"link's {what} is not in the data" in n and n.endswith(value) for n in notices), (what, notices)
    assert len(notices) == 7  # Izium and bodies are in the data: no notice for them
    assert app.multiselect(key="towns").value == ["Izium"] and app.multiselect(key="cats").value == ["bodies"]


def test_the_header_counts_what_the_map_draws_and_the_table_links_http_urls_only(app, store_copy):
    from geo.mapping import drawn_incidents, layer_periods

    app.run()
    seen = collection.read_store(store_copy)
    drawn = drawn_incidents(seen.frame)
    header = next(m.value for m in app.markdown if m.value.startswith("On the map"))
    places = len({(i.lat, i.lon) for i in drawn})
    assert header.startswith(f"On the map: {len(drawn)} incidents at {places} places from "
                             f"{sum(len(i.claims) for i in drawn)} figures.")
    first = layer_periods(seen.frame)[0]
    app.select_slider(key="period").set_value(first.label).run()
    header = next(m.value for m in app.markdown if m.value.startswith("On the map"))
    assert header.startswith(f"On the map for {first.label}: {len(drawn_incidents(seen.frame, period=first))} incident")

    app.file_uploader(key="uploads").set_value([("irpin_upload.md", (FIXTURES / "irpin_upload.md").read_bytes(), "text/markdown")])
    app.text_input(key="upload_url").input("https://example.org/irpin?a=1")
    app.text_input(key="upload_outlet").input("Example News")
    app.date_input(key="upload_date").set_value(date(2022, 10, 5)).run()
    app.button(key="add").click().run()
    table = figures(app)
    added = table[table["article"] == "irpin_upload.md"]
    assert len(added) and set(added["url"]) == {"https://example.org/irpin?a=1"} and set(added["outlet"]) == {"Example News"}
    assert set(table[table["article"] != "irpin_upload.md"]["url"]) == {""}
