"""Batch dating across the collection: an undated report added to a store takes the day of a dated
report of the same town already there (by `geo build`, incremental, and by an upload); an undated
report stored before is dated when the dated one arrives, keeping its reviews; a Dask build gives
the same dates as a local one. Real files in real folders and stores."""
from datetime import date
from pathlib import Path

import pandas as pd

from geo import collection, library
from geo.build import add_uploads, build
from geo.dates_across import Known, redated_rows
from geo.review import new_review
from geo.store import open_store

DATED = ("a_station.txt", "2022-04-08",
         "A Russian missile struck the railway station in Kramatorsk on Friday, killing 39 people.\n")
UNDATED = ("b_station_toll.txt", "",
           "The toll from the rocket attack Friday on the station in Kramatorsk rose to 52, officials said on Sunday.\n")
# Two dated Friday strikes in the store give the undated one nothing to choose by.
OTHER_TOWN = ("c_kharkiv.txt", "", "A guided bomb hit a shop in Kharkiv on Friday, killing seven people.\n")


def _write(folder: Path, *files) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["file,published,outlet,url,title"]
    for name, published, text in files:
        (folder / name).write_text(text, encoding="utf-8")
        lines.append(f"{name},{published},,,")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _figures(store, file) -> pd.DataFrame:
    frame = collection.read_store(store).frame
    return frame[(frame["kind"] == "figure") & (frame["article_file"].str.endswith(file))]


def _toll(store) -> dict:
    rows = _figures(store, UNDATED[0])
    return rows[rows["value"] == 52].iloc[0].to_dict()


def test_an_undated_report_built_into_a_store_takes_the_day_of_a_dated_report_already_there(tmp_path):
    store = tmp_path / "ukrmap.db"
    folder = _write(tmp_path / "articles", DATED)
    build(folder, store, uploads=tmp_path / "uploads")
    _write(folder, DATED, UNDATED, OTHER_TOWN)
    summary = build(folder, store, uploads=tmp_path / "uploads")  # incremental: only the new files
    assert (summary.new, summary.unchanged) == (2, 1)
    toll = _toll(store)
    assert (toll["event_date"], toll["time_precision"]) == (pd.Timestamp(2022, 4, 8), "day")
    assert toll["rules"].split()[-1] == "date.batch-incident" and "a_station.txt" in toll["date_text"]
    assert pd.isna(toll["published"])  # the article keeps its publication date unknown
    assert "Sunday" in toll["quote"] and toll["place"] == "Kramatorsk"  # provenance kept
    assert _figures(store, OTHER_TOWN[0])["event_date"].isna().all()  # no dated report from Kharkiv


def test_an_uploaded_undated_report_is_dated_from_the_store(tmp_path):
    store = tmp_path / "ukrmap.db"
    build(_write(tmp_path / "articles", DATED), store, uploads=tmp_path / "uploads")
    upload = library.Upload(UNDATED[0], UNDATED[2].encode())
    summary, bad = add_uploads(store, [upload], uploads=tmp_path / "uploads")
    assert (summary.new, bad) == (1, [])
    assert _toll(store)["event_date"] == pd.Timestamp(2022, 4, 8)


def test_an_undated_report_stored_first_is_dated_when_the_dated_one_arrives_and_keeps_its_review(tmp_path):
    store, uploads = tmp_path / "ukrmap.db", tmp_path / "uploads"
    folder = _write(tmp_path / "articles", UNDATED)
    build(folder, store, uploads=uploads)
    before = _toll(store)
    assert pd.isna(before["event_date"])
    with open_store(store) as repo:
        repo.add_review(new_review(before, "corrected", "Olena", "toll checked", {"value": 53}))
    _write(folder, UNDATED, DATED)
    build(folder, store, uploads=uploads)
    seen = collection.read_store(store)
    after = seen.frame.set_index("id").loc[before["id"]]
    assert (after["event_date"], after["value"], after["machine_value"], after["status"]) == (
        pd.Timestamp(2022, 4, 8), 53, 52, "corrected")
    assert "date.batch-incident" in after["rules"] and not seen.orphans


def test_two_dated_days_that_fit_leave_the_undated_report_undated_store_wide(tmp_path):
    store, uploads = tmp_path / "ukrmap.db", tmp_path / "uploads"
    later = ("d_station_again.txt", "2022-04-16",
             "Another missile struck the station in Kramatorsk on Friday, killing two people.\n")
    folder = _write(tmp_path / "articles", DATED, later)
    build(folder, store, uploads=uploads)
    _write(folder, DATED, later, UNDATED)
    build(folder, store, uploads=uploads)
    assert pd.isna(_toll(store)["event_date"])


def test_rows_are_dated_by_a_pure_function_of_rows_text_and_known_days(tmp_path):
    store = tmp_path / "ukrmap.db"
    build(_write(tmp_path / "articles", DATED, UNDATED), store, uploads=tmp_path / "uploads")
    frame = collection.read_store(store).frame
    known = Known()
    known.add_rows(frame[frame["article_file"] == DATED[0]])
    assert known.days == {"Kramatorsk": {date(2022, 4, 8): {DATED[0]}}}
    undated = frame[frame["article_file"] == UNDATED[0]].reset_index(drop=True)
    assert redated_rows(undated, "Nothing is said of when.", known) is undated
    assert redated_rows(undated, UNDATED[2], Known()) is undated


def test_a_dask_build_dates_across_the_store_as_a_local_build_does(tmp_path):
    files = [DATED, UNDATED, OTHER_TOWN]
    local, dask = tmp_path / "local.db", tmp_path / "dask.db"
    build(_write(tmp_path / "one", *files), local, uploads=tmp_path / "u1")
    build(_write(tmp_path / "two", *files), dask, uploads=tmp_path / "u2", dask="local:1")
    keep = ["id", "value", "category", "place", "event_date", "time_precision", "date_text", "rules"]
    one = collection.read_store(local).frame[keep].sort_values("id").reset_index(drop=True)
    two = collection.read_store(dask).frame[keep].sort_values("id").reset_index(drop=True)
    pd.testing.assert_frame_equal(one, two)
    assert (one["rules"].str.contains("date.batch-incident")).sum() == 1


def test_the_team_store_dates_a_stored_undated_report_when_the_dated_one_arrives(postgis_url, tmp_path):
    uploads = tmp_path / "uploads"
    folder = _write(tmp_path / "articles", UNDATED)
    build(folder, postgis_url, uploads=uploads)
    assert pd.isna(_toll(postgis_url)["event_date"])
    _write(folder, UNDATED, DATED)
    build(folder, postgis_url, uploads=uploads)
    toll = _toll(postgis_url)
    assert (toll["event_date"], toll["rules"].split()[-1]) == (pd.Timestamp(2022, 4, 8), "date.batch-incident")
