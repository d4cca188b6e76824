"""The embedded store's snapshot: a full read of a store version it has checked once loads the
checked table from a Parquet copy instead of decoding every row again, and any write or change
to the file on disk makes the next read decode and check everything again (geo.store.snapshot)."""
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from geo import collection
from geo.build import build
from geo.errors import StoreError
from geo.review import new_review
from geo.store import open_store
from tests.test_store import _flip_inside

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


@pytest.fixture
def store(tmp_path) -> Path:
    path = tmp_path / "ukrmap.db"
    build(ARTICLES, path, uploads=tmp_path / "uploads")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def copies(store: Path) -> list[Path]:
    return sorted(store.parent.glob(f"{store.name}.snapshot-*.parquet"))


def items(store: Path) -> pd.DataFrame:
    with open_store(store, create=False) as repo:
        return repo.items()


def test_a_second_read_of_the_same_version_loads_the_checked_copy_and_gives_the_same_table(store):
    assert copies(store) == []
    first = items(store)
    assert len(copies(store)) == 1
    pd.testing.assert_frame_equal(items(store), first)
    # The copy is what the second read returns: a copy changed under its name is taken as it is
    # (which is why its name covers the store's version and the file on disk).
    (copy,) = copies(store)
    changed = first.copy()
    changed.loc[0, "quote"] = "read from the snapshot"
    changed.to_parquet(copy, write_page_checksum=True)
    assert items(store).loc[0, "quote"] == "read from the snapshot"


def test_a_write_makes_the_next_read_check_everything_and_keeps_one_copy(store):
    before = collection.read_store(store).frame
    (old,) = copies(store)
    row = before[before["kind"] == "figure"].iloc[0].to_dict()
    with open_store(store) as repo:
        repo.add_review(new_review(row, "rejected", "Olena"))
    after = collection.read_store(store).frame
    assert after.loc[after["id"] == row["id"], "status"].tolist() == ["rejected"]
    assert len(copies(store)) == 1 and copies(store) != [old]


def test_a_byte_flipped_in_the_store_after_a_read_is_still_caught_by_the_checksums(store):
    items(store)
    assert len(copies(store)) == 1
    _flip_inside(store, b"Bucha's mayor")
    with pytest.raises(StoreError, match="checksum"):
        items(store)


def test_a_damaged_copy_is_dropped_and_the_store_read_in_full(store):
    first = items(store)
    (copy,) = copies(store)
    data = bytearray(copy.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(b ^ 0xFF for b in data[middle:middle + 64])
    copy.write_bytes(bytes(data))
    pd.testing.assert_frame_equal(items(store), first)
    assert len(copies(store)) == 1
