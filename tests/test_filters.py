"""Filtering the event table, and carrying the filter in a shareable URL."""
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from conftest import build_store

from geo import collection
from geo.events import to_frame
from geo.filters import (
    Filters, apply, claims_side_by_side, count_figures, event_dates, figures_table, from_query_params,
    options, timeline, to_query_params,
)

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


def test_a_shared_link_rebuilds_the_same_filter():
    view = Filters(
        start=date(2022, 4, 1), end=date(2022, 4, 30), towns=("Izium", "Bucha"),
        categories=("killed",), outlets=("The Sun",), min_value=10, query="mayor",
    )
    params = to_query_params(view)
    assert params == {
        "from": "2022-04-01", "to": "2022-04-30", "town": ["Izium", "Bucha"], "cat": ["killed"],
        "outlet": ["The Sun"], "min": "10", "q": "mayor",
    }
    assert from_query_params(params) == view


def test_the_default_view_has_a_clean_url():
    assert to_query_params(Filters()) == {}
    assert from_query_params({}) == Filters()


def test_a_single_town_in_the_url_is_read_like_a_list_of_one():
    assert from_query_params({"town": "Izium"}).towns == ("Izium",)


def test_hand_edited_links_with_bad_values_fall_back_to_no_restriction():
    view = from_query_params({"from": "2022-13-45", "to": "soon", "min": "ten", "cat": ["killed", "<script>"]})
    assert view == Filters(categories=("killed",))


def test_a_reversed_date_range_in_the_url_is_put_the_right_way_round():
    view = from_query_params({"from": "2022-09-30", "to": "2022-04-01"})
    assert (view.start, view.end) == (date(2022, 4, 1), date(2022, 9, 30))


@pytest.fixture(scope="module")
def frame(tmp_path_factory):
    path = build_store(ARTICLES, tmp_path_factory.mktemp("filters") / "ukrmap.db")
    return collection.read_store(path).frame


def test_options_offer_the_towns_outlets_and_full_date_span_of_the_articles(frame):
    opts = options(frame)
    assert {"Bucha", "Izium"} <= set(opts.towns)
    assert {"The Sun", "ITV News"} <= set(opts.outlets)
    assert opts.first <= date(2022, 4, 3) and opts.last >= date(2022, 9, 15)
    assert "bodies" in opts.categories


def test_only_izium_keeps_izium_rows_and_drops_bucha(frame):
    shown = apply(frame, Filters(towns=("Izium",)))
    assert len(shown) > 0 and set(shown["place"]) == {"Izium"}
    assert count_figures(shown) < count_figures(frame)


def test_april_2022_drops_the_september_reports(frame):
    shown = apply(frame, Filters(start=date(2022, 4, 1), end=date(2022, 4, 30)))
    days = event_dates(shown)
    assert len(shown) > 0
    assert days.min() >= pd.Timestamp(2022, 4, 1) and days.max() <= pd.Timestamp(2022, 4, 30)
    assert "Izium" not in set(shown[shown["kind"] == "figure"]["place"])


def test_a_category_or_minimum_leaves_only_figures_that_meet_it(frame):
    shown = apply(frame, Filters(categories=("bodies",), min_value=100))
    assert len(shown) > 0
    assert set(shown["kind"]) == {"figure"} and set(shown["category"]) == {"bodies"}
    assert (shown["value"] >= 100).all()


def test_search_finds_a_figure_by_words_of_its_quote_in_any_case(frame):
    shown = apply(frame, Filters(query="MASS GRAVE"))
    assert len(shown) > 0
    assert all("mass grave" in q.lower() or "mass grave" in t.lower() for q, t in zip(shown["quote"], shown["title"]))


def test_the_figures_table_lists_each_figure_with_its_quote_and_outlet(frame):
    table = figures_table(frame)
    assert len(table) == count_figures(frame)
    assert {"date", "place", "value", "category", "attribution", "quote", "outlet"} <= set(table.columns)
    assert table["quote"].str.len().gt(0).all()
    assert {"precision", "reported", "published"} <= set(table.columns)
    assert (table["reported"] >= table["date"]).all() and set(table["published"]) <= {"given", "stated in the text"}


def test_side_by_side_lists_izium_claims_from_lowest_to_highest_without_adding_them(frame):
    table = claims_side_by_side(frame)
    izium = table[table["place"] == "Izium"]
    assert len(izium) > 0
    for row in izium.itertuples():
        assert row.lowest <= row.highest
        numbers = [int(part.split(" ")[0].split("–")[0].replace(",", "")) for part in row[6].split(" · ")]
        assert numbers == sorted(numbers)


def test_the_timeline_counts_figures_per_day_and_category(frame):
    chart = timeline(frame)
    assert int(chart.to_numpy().sum()) == count_figures(frame)
    assert chart.index.is_monotonic_increasing


def test_an_empty_table_gives_empty_views_rather_than_errors():
    empty = to_frame([])
    opts = options(empty)
    assert (opts.first, opts.last, opts.towns) == (None, None, ())
    assert len(apply(empty, Filters(towns=("Izium",), min_value=5, query="x"))) == 0
    assert figures_table(empty).empty and timeline(empty).empty and claims_side_by_side(empty).empty


def side_by_side_one_place_at_a_time(frame) -> pd.DataFrame:
    """The table as it was first written, a loop per place and category: the reference the
    column-wise version must match (values sorted stably, so equal values keep their order)."""
    figures = frame[(frame["kind"] == "figure") & (frame["place"].fillna("") != "")]
    rows = []
    for (place, category), claims in figures.groupby(["place", "category"], sort=True):
        claims = claims.assign(_v=pd.to_numeric(claims["value"], errors="coerce")).sort_values("_v", kind="stable")
        said = [f"{int(c['_v']):,}" + (f"–{int(c['value_high']):,}" if pd.notna(c["value_high"]) else "")
                + f" ({c['attribution'] or c['outlet'] or c['article_file']})"
                for _, c in claims.iterrows() if pd.notna(c["_v"])]
        rows.append({"place": place, "category": category, "lowest": claims["_v"].min(), "highest": claims["_v"].max(),
                     "claims": len(claims), "reported (lowest to highest)": " · ".join(said)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """60 generated articles (bench/corpus.py) on top of the bundled ones: many places, tied values."""
    import shutil

    from bench import corpus

    folder = tmp_path_factory.mktemp("generated") / "articles"
    shutil.copytree(ARTICLES, folder)
    corpus.write(folder, 60)
    return collection.read_store(build_store(folder, folder.parent / "ukrmap.db")).frame


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_side_by_side_says_what_a_loop_over_each_place_says(which, frame, generated):
    table = frame if which == "bundled" else generated
    fast, slow = claims_side_by_side(table), side_by_side_one_place_at_a_time(table)
    assert len(fast) == len(slow) > 0
    assert fast["place"].tolist() == slow["place"].tolist()
    assert fast["category"].tolist() == slow["category"].tolist()
    assert fast["lowest"].tolist() == [int(v) for v in slow["lowest"]]
    assert fast["highest"].tolist() == [int(v) for v in slow["highest"]]
    assert fast["claims"].tolist() == slow["claims"].tolist()
    assert fast["reported (lowest to highest)"].tolist() == slow["reported (lowest to highest)"].tolist()
