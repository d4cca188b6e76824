from datetime import date
from pathlib import Path

import pandas as pd

from geo.events import COLUMNS, distinct_sources, to_frame, to_frames
from geo.model import Article, Category, Figure, PlaceMention, Precision, Qualifier, TimePrecision
from geo.pipeline import Extraction

TEXT = "At least 20 bodies lay in Bucha. Officials in Kyiv spoke on Sunday."


def _article(id_="a1", outlet="The Sun", published=date(2022, 4, 3), text=TEXT):
    return Article(id_, f"{id_}.txt", text, published, "manifest", outlet, "", "Bodies in Bucha")


def _bucha(article="a1", start=26):
    return PlaceMention(article, start, start + 5, "Bucha", "Bucha", 50.5432, 30.2121, Precision.TOWN, 711660, "UA", "13", "Kyiv Oblast", 0.9)


def _figure(article="a1", value=20, high=None, place=None, attribution=None, event_date=None, category=Category.BODIES):
    return Figure(
        article, 0, 18, value, high, Qualifier.AT_LEAST, category, "bodies", "At least 20 bodies lay in Bucha.",
        0, 32, place, attribution, event_date, TimePrecision.DAY if event_date else TimePrecision.ARTICLE,
    )


def test_schema_columns_in_order_with_stable_dtypes_even_when_empty():
    empty = to_frame([])
    full = to_frame([Extraction(_article(), [_bucha()], [_figure(place=_bucha())])])
    assert list(empty.columns) == list(COLUMNS) == list(full.columns)
    assert empty.dtypes.astype(str).to_dict() == full.dtypes.astype(str).to_dict()
    assert str(full["value"].dtype) == "Int64" and str(full["published"].dtype) == "datetime64[ns]"
    assert empty.crs == full.crs == "EPSG:4326"


def test_frames_made_in_one_table_equal_each_article_s_own_and_a_failure_has_none():
    from geo.articles import load_folder
    from geo.pipeline import ExtractionFailure
    from geo.pipeline import extract

    articles = load_folder(Path(__file__).resolve().parent.parent / "data" / "articles").articles
    results = [extract(a) for a in articles]
    results.insert(2, ExtractionFailure(articles[0], "extract", "a reason"))
    frames = to_frames(results)
    assert frames[2] is None and sum(f is not None for f in frames) == len(articles)
    for result, frame in zip(results, frames):
        if frame is not None:
            assert len(frame) > 0
            pd.testing.assert_frame_equal(frame, to_frame([result]))


def test_figure_row_is_pinned_at_its_place_with_lon_lat_order():
    row = to_frame([Extraction(_article(), [], [_figure(place=_bucha())])]).iloc[0]
    assert (row["kind"], row["place"], row["value"], row["category"], row["qualifier"]) == ("figure", "Bucha", 20, "bodies", "at_least")
    assert (row.geometry.x, row.geometry.y) == (30.2121, 50.5432)
    assert TEXT[row["start"]:row["end"]] == "At least 20 bodies"


def test_figure_without_place_is_listed_with_an_empty_geometry_and_no_nan_strings():
    frame = to_frame([Extraction(_article(), [], [_figure()])])
    row = frame.iloc[0]
    assert row.geometry.is_empty
    assert row["place"] == "" and row["attribution"] == "" and row["region"] == ""
    assert not frame.select_dtypes("str").isna().any().any()


def test_undated_figure_falls_back_to_the_publication_date():
    row = to_frame([Extraction(_article(), [], [_figure()])]).iloc[0]
    assert row["event_date"] == pd.Timestamp("2022-04-03") and row["time_precision"] == "article"


def test_place_row_quotes_the_sentence_that_names_it():
    kyiv = PlaceMention("a1", 45, 49, "Kyiv", "Kyiv", 50.45, 30.52, Precision.TOWN, 703448)
    row = to_frame([Extraction(_article(), [kyiv], [])]).iloc[0]
    assert row["kind"] == "place" and pd.isna(row["value"])
    assert row["quote"] == "Officials in Kyiv spoke on Sunday."
    assert TEXT[row["sentence_start"]:row["sentence_end"]] == row["quote"]


def test_spellings_of_one_source_count_once():
    names = ["Mr Bolvinov", "Mr Serhiy Bolvinov, the chief police investigator for Kharkiv region",
             "Venediktova", "prosecutor general of Ukraine Iryna Venediktova", "officials", "Officials", "ITV News"]
    assert distinct_sources(names) == [
        "ITV News", "Mr Serhiy Bolvinov, the chief police investigator for Kharkiv region", "Officials",
        "prosecutor general of Ukraine Iryna Venediktova",
    ]


def test_a_figure_row_carries_its_event_days_and_the_day_it_was_reported():
    f = _figure(place=_bucha(), event_date=date(2022, 4, 1))
    from dataclasses import replace
    f = replace(f, time_precision=TimePrecision.WEEK, reported=date(2022, 4, 9))
    row = to_frame([Extraction(_article(), [], [f])]).iloc[0]
    assert (row["event_date"], row["date_start"], row["date_end"], row["reported"]) == (
        pd.Timestamp("2022-04-01"), pd.Timestamp("2022-04-01"), pd.Timestamp("2022-04-07"), pd.Timestamp("2022-04-09"))
    undated = to_frame([Extraction(_article(), [], [_figure()])]).iloc[0]
    assert undated["date_start"] == undated["date_end"] == undated["reported"] == pd.Timestamp("2022-04-03")
