"""A dashboard start skips the sync of the articles folder when the folder, the uploads library,
the extractor and the store's articles are as the last sync left them (geo.freshness), and syncs
as before when any of them changed."""
import os
import shutil
from pathlib import Path

import pytest

from geo import freshness, library
from geo.build import add_uploads
from geo.store import open_store

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"


@pytest.fixture
def setup(tmp_path):
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    store, uploads = tmp_path / "ukrmap.db", tmp_path / "uploads"
    first = freshness.sync(folder, store, uploads)
    assert first is not None and first.new == len(list(folder.glob("*.txt")))
    return folder, store, uploads


def test_nothing_changed_means_no_sync(setup):
    folder, store, uploads = setup
    assert freshness.in_sync(store, folder, uploads)
    assert freshness.sync(folder, store, uploads) is None


def test_an_edited_file_is_synced_and_the_next_start_skips_again(setup):
    folder, store, uploads = setup
    article = min(folder.glob("*.txt"))
    article.write_text(article.read_text("utf-8") + "\nTwo people were killed in Izium.\n", "utf-8")
    summary = freshness.sync(folder, store, uploads)
    assert summary is not None and summary.changed == 1 and summary.unchanged == len(list(folder.glob("*.txt"))) - 1
    assert freshness.sync(folder, store, uploads) is None


def test_a_touched_file_or_a_new_one_makes_the_start_sync(setup):
    folder, store, uploads = setup
    article = min(folder.glob("*.txt"))
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 1_000_000))
    assert not freshness.in_sync(store, folder, uploads)
    assert freshness.sync(folder, store, uploads).changed == 0
    (folder / "new.txt").write_text("Three people were killed in Bucha, police said.", "utf-8")
    assert freshness.sync(folder, store, uploads).new == 1


def test_articles_written_by_another_program_make_the_start_sync(setup):
    folder, store, uploads = setup
    with open_store(store) as repo:
        key = repo.articles()[0].key
        repo.remove([key], lambda k: True)
    assert not freshness.in_sync(store, folder, uploads)
    assert freshness.sync(folder, store, uploads).new == 1


def test_an_upload_makes_the_start_sync(setup):
    folder, store, uploads = setup
    add_uploads(store, [library.Upload("kyiv.txt", b"Shelling in Kyiv killed two people.")], uploads)
    assert not freshness.in_sync(store, folder, uploads)


def test_a_store_that_cannot_be_read_is_never_in_sync(setup):
    folder, store, uploads = setup
    store.write_bytes(b"not a store")
    assert not freshness.in_sync(store, folder, uploads)
    assert "kept as" in freshness.sync(folder, store, uploads).previous
