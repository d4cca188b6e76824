"""Filters and tallies the store runs itself (dates, places, categories, bounding box; counts per
place and period) give exactly what filtering the whole reviewed table gives, on both backends,
with reviews that move figures into and out of a filter."""
import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from geo import collection
from geo.build import build
from geo.errors import StoreError
from geo.review import new_review
from geo.store import ItemQuery, open_store
from geo.store.query import PERIODS, matches, tally_frame

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


@pytest.fixture(params=["embedded", "postgis"])
def store(request, tmp_path):
    target = tmp_path / "ukrmap.db" if request.param == "embedded" else request.getfixturevalue("postgis_url")
    build(ARTICLES, target, uploads=tmp_path / "uploads")
    return target


def _review_everything_a_filter_depends_on(store) -> dict[str, str]:
    """Reviews that change place and position, date, category; reject; unlocate; one re-attached by
    its anchor after its span moved, one orphan. Returns the ids of the figures they changed."""
    view = collection.read_store(store).frame
    figures = view[view["kind"] == "figure"]
    izium = view[view["place"] == "Izium"].geometry.iloc[0]
    bucha = figures[figures["place"] == "Bucha"]
    rows = {name: row.to_dict() for name, (_, row) in zip(
        ("moved", "redated", "recategorised", "rejected", "unlocated", "respanned"),
        pd.concat([bucha.head(3), figures[figures["place"] != "Bucha"].head(3)]).iterrows())}
    made = {
        "moved": new_review(rows["moved"], "corrected", "Olena", "", {"place": "Izium", "lat": izium.y, "lon": izium.x}),
        "redated": new_review(rows["redated"], "corrected", "Olena", "", {"event_date": "2022-09-20"}),
        "recategorised": new_review(rows["recategorised"], "corrected", "Olena", "", {"category": "missing"}),
        "rejected": new_review(rows["rejected"], "rejected", "Olena"),
        "unlocated": new_review(rows["unlocated"], "unlocatable", "Olena"),
    }
    corrected = new_review(rows["respanned"], "corrected", "Olena", "", {"value": 4321})
    made["respanned"] = replace(corrected, item="f-0000000000000000",
                                anchor=replace(corrected.anchor, start=corrected.anchor.start - 3))
    orphan = replace(corrected, item="f-1111111111111111", uid="orphan", anchor=replace(corrected.anchor, text="no such words"))
    with open_store(store) as repo:
        for review in [*made.values(), orphan]:
            repo.add_review(review)
    return {name: rows[name]["id"] for name in made}


def test_pushed_down_filters_give_exactly_the_filtered_reviewed_table(store):
    changed = _review_everything_a_filter_depends_on(store)
    with open_store(store) as repo:
        whole = collection.read(repo)
        izium = whole.frame[whole.frame["place"] == "Izium"].geometry.iloc[0]
        queries = {
            "Izium": ItemQuery(places=("Izium",)),
            "September": ItemQuery(start=date(2022, 9, 1), end=date(2022, 9, 30)),
            "missing or killed": ItemQuery(categories=("missing", "killed"), kinds=("figure",)),
            "around Izium": ItemQuery(bbox=(izium.x - 0.2, izium.y - 0.2, izium.x + 0.2, izium.y + 0.2)),
            "Bucha, early April": ItemQuery(start=date(2022, 4, 1), end=date(2022, 4, 5), places=("Bucha",)),
            "one article": ItemQuery(articles=(whole.frame["article_id"].iloc[0],)),
        }
        shown = {}
        for name, query in queries.items():
            pushed = collection.read(repo, query)
            expected = whole.frame[matches(whole.frame, query)].reset_index(drop=True)
            assert len(expected) > 0, name
            pd.testing.assert_frame_equal(pushed.frame, expected, obj=name)
            assert pushed.orphans == whole.orphans and [r.uid for r in pushed.orphans] == ["orphan"]
            shown[name] = set(pushed.frame["id"])
        assert len(repo.select(queries["Bucha, early April"].exempting(whole.reviews))) < len(repo.items())
    assert changed["moved"] in shown["Izium"] and changed["moved"] in shown["around Izium"]
    assert changed["redated"] in shown["September"] and changed["redated"] not in shown["Bucha, early April"]
    assert changed["recategorised"] in shown["missing or killed"]
    assert changed["unlocated"] not in shown["around Izium"]
    assert whole.frame.set_index("id").loc[changed["respanned"], "value"] == 4321


def test_tallies_per_place_and_period_count_reviewed_values_and_leave_rejected_figures_out(store):
    changed = _review_everything_a_filter_depends_on(store)
    with open_store(store) as repo:
        whole = collection.read(repo).frame
        counted = whole[whole["status"] != "rejected"]
        for period in PERIODS:
            pd.testing.assert_frame_equal(collection.tally(repo, ItemQuery(), period), tally_frame(counted, period), obj=period)
        query = ItemQuery(places=("Izium", "Bucha"), start=date(2022, 4, 1))
        tally = collection.tally(repo, query, "month")
        pd.testing.assert_frame_equal(tally, tally_frame(counted[matches(counted, query)], "month"))
    moved = whole.set_index("id").loc[changed["moved"]]
    izium_april = tally[(tally["place"] == "Izium") & (tally["period"] == pd.Timestamp(moved["event_date"]).replace(day=1))]
    assert int(izium_april[izium_april["category"] == moved["category"]]["figures"].sum()) >= 1


def test_a_filtered_read_of_the_embedded_store_still_checks_checksums(tmp_path):
    store = tmp_path / "ukrmap.db"
    build(ARTICLES, store, uploads=tmp_path / "uploads")
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(store.read_bytes())
    at = data.find(b"Bucha's mayor")
    assert at >= 0
    data[at] ^= 0x01
    store.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="checksum"):
        collection.read_store(store, ItemQuery(places=("Bucha",)))
