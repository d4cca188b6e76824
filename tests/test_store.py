"""The embedded store: incremental builds, the uploads library, damage found and named, backups,
an append-only review log that survives re-extraction, and real concurrent writers."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date

import pytest

import geo.build
from geo import collection, library
from geo.articles import load_bytes
from geo.build import add_uploads, build
from geo.errors import ArticleError, StoreError
from geo.events import COLUMNS, to_frame
from geo.model import PlaceMention, Precision
from geo.pipeline import Extraction
from geo.review import new_review
from geo.store import open_store

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _kyiv_only(articles, geocoder=None, jobs=1):
    """A stand-in extractor with a known answer: every 'Kyiv' in the text, nothing else."""
    for a in articles:
        i = a.text.find("Kyiv")
        places = [PlaceMention(a.id, i, i + 4, "Kyiv", "Kyiv", 50.45, 30.52, Precision.TOWN, 703448)] if i >= 0 else []
        yield Extraction(a, places, [])


@pytest.fixture
def extracted(monkeypatch):
    """Files of the articles the store extracts, in order; the extractor is the stand-in."""
    calls = []

    def counting(articles, geocoder=None, jobs=1):
        for a in articles:
            calls.append(a.file)
            yield from _kyiv_only([a])

    monkeypatch.setattr(geo.build, "extract_many", counting)
    return calls


@pytest.fixture
def store(tmp_path):
    return tmp_path / "ukrmap.db"


@pytest.fixture
def uploads(tmp_path):
    return tmp_path / "uploads"


def _read(store):
    return collection.read_store(store)


def test_build_stores_every_article_its_rows_and_the_files_it_could_not_read(articles_copy, store, uploads, extracted):
    (articles_copy / "empty.txt").write_bytes(b"")
    summary = build(articles_copy, store, uploads=uploads)
    assert (summary.new, summary.failed) == (5, 1)
    seen = _read(store)
    assert list(seen.frame.columns[: len(COLUMNS)]) == list(COLUMNS) and seen.frame.crs == "EPSG:4326"
    machine = open_store(store).items()
    assert machine.dtypes.astype(str).to_dict() == to_frame([]).dtypes.astype(str).to_dict()
    by_file = {a.file: a for a in seen.articles}
    assert by_file["empty.txt"].error == "empty file" and by_file["empty.txt"].stage == "load"
    assert by_file["000_5ee58bf401263aac.txt"].rows == 1
    with open_store(store) as repo:
        assert "Kyiv" in repo.text(by_file["000_5ee58bf401263aac.txt"].id)


def test_a_second_build_extracts_nothing_and_a_changed_file_only_itself(articles_copy, store, uploads, extracted):
    build(articles_copy, store, uploads=uploads)
    extracted.clear()
    version = open_store(store).version()
    assert build(articles_copy, store, uploads=uploads).unchanged == 5
    assert extracted == [] and open_store(store).version() == version
    (articles_copy / "002_d106abd03eb864e9.txt").write_text("now about Kyiv", encoding="utf-8")
    assert build(articles_copy, store, uploads=uploads).changed == 1
    assert extracted == ["002_d106abd03eb864e9.txt"]


def test_a_deleted_file_loses_its_rows_and_newer_extractor_code_re_extracts(articles_copy, store, uploads, extracted, monkeypatch):
    build(articles_copy, store, uploads=uploads)
    (articles_copy / "004_f85a9b2e09923da0.txt").unlink()
    manifest = articles_copy / "manifest.csv"
    manifest.write_text("".join(line for line in manifest.read_text().splitlines(True) if "004_" not in line))
    assert build(articles_copy, store, uploads=uploads).removed == 1
    assert "004_f85a9b2e09923da0.txt" not in {a.file for a in _read(store).articles}
    extracted.clear()
    monkeypatch.setattr(geo.build, "extractor_version", lambda: "newer-code")
    assert build(articles_copy, store, uploads=uploads).changed == 4 and len(extracted) == 4
    assert {a.extractor for a in _read(store).articles} == {"newer-code"}


def test_an_upload_is_kept_in_the_library_and_survives_a_forced_rebuild(articles_copy, store, uploads, extracted):
    build(articles_copy, store, uploads=uploads)
    summary, bad = add_uploads(store, [library.Upload("kyiv.txt", b"Shelling in Kyiv.", date(2022, 5, 1), "Outlet", "https://x")],
                               uploads)
    assert summary.new == 1 and bad == []
    assert len(list(uploads.glob("*.txt"))) == 1
    build(articles_copy, store, uploads=uploads, force=True)
    uploaded = [a for a in _read(store).articles if a.origin == "upload"]
    assert [(a.file, a.outlet, a.url, a.published) for a in uploaded] == [("kyiv.txt", "Outlet", "https://x", "2022-05-01")]


def test_a_bad_upload_is_named_and_nothing_of_it_is_kept(store, uploads, extracted):
    summary, bad = add_uploads(store, [library.Upload("x.txt", b"\x00\x01")], uploads)
    assert [e.file for e in bad] == ["x.txt"] and "binary" in bad[0].reason
    assert not uploads.exists() or not any(uploads.iterdir())


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(b"this is not a store at all"),
    lambda p: p.write_bytes(p.read_bytes()[:2000]),
    lambda p: p.write_bytes(b""),
])
def test_a_damaged_store_is_named_and_a_build_moves_it_aside_before_starting_again(articles_copy, store, uploads, extracted, damage):
    build(articles_copy, store, uploads=uploads)
    add_uploads(store, [library.Upload("kyiv.txt", b"Shelling in Kyiv.")], uploads)
    damage(store)
    damaged = store.read_bytes()
    with pytest.raises(StoreError):
        _read(store)
    summary = build(articles_copy, store, uploads=uploads)
    backups = list(store.parent.glob("ukrmap.db.damaged-*"))
    assert [b.read_bytes() for b in backups if not b.name.endswith(("-wal", "-shm"))] == [damaged]
    assert "kept as" in summary.previous
    assert len(_read(store).articles) == 6      # the five files and the upload, from the library


def _flip_inside(path, needle: bytes):
    data = bytearray(path.read_bytes())
    at = data.find(needle)
    assert at >= 0
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_byte_flipped_inside_a_stored_string_is_caught_by_the_checksums(articles_copy, store, uploads):
    build(articles_copy, store, uploads=uploads)
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _flip_inside(store, b"Bucha's mayor")
    with pytest.raises(StoreError, match="checksum"):
        _read(store)


def test_reviews_survive_forced_re_extraction_and_the_log_is_append_only(articles_copy, store, uploads):
    build(articles_copy, store, uploads=uploads)
    view = _read(store).frame
    row = view[(view["kind"] == "figure") & (view["value"] == 1500)].iloc[0].to_dict()
    with open_store(store) as repo:
        repo.add_review(new_review(row, "corrected", "Olena", "checked", {"value": 1200}))
    build(articles_copy, store, uploads=uploads, force=True)
    seen = _read(store)
    fixed = seen.frame.set_index("id").loc[row["id"]]
    assert (fixed["value"], fixed["machine_value"], fixed["status"]) == (1200, 1500, "corrected")
    with sqlite3.connect(store) as db:
        for sql in ("UPDATE reviews SET item = 'x'", "DELETE FROM reviews"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(sql)


def test_reviews_come_back_from_the_journal_when_the_store_is_lost(articles_copy, store, uploads):
    build(articles_copy, store, uploads=uploads)
    row = _read(store).frame.query("kind == 'figure'").iloc[0].to_dict()
    with open_store(store) as repo:
        repo.add_review(new_review(row, "verified", "Olena"))
    store.unlink()
    build(articles_copy, store, uploads=uploads)
    assert [(r.item, r.status, r.by) for r in _read(store).reviews] == [(row["id"], "verified", "Olena")]


def test_a_review_whose_span_moved_is_re_attached_and_one_with_no_match_is_orphaned(articles_copy, store, uploads):
    from dataclasses import replace

    build(articles_copy, store, uploads=uploads)
    row = _read(store).frame.query("kind == 'figure' and value == 1500").iloc[0].to_dict()
    made = new_review(row, "verified", "Olena")
    moved = replace(made, item="f-0000000000000000", uid="moved", anchor=replace(made.anchor, start=made.anchor.start - 3))
    lost = replace(made, item="f-1111111111111111", uid="lost", anchor=replace(made.anchor, text="no such words"))
    with open_store(store) as repo:
        repo.add_review(moved)
        repo.add_review(lost)
    seen = _read(store)
    assert seen.frame.set_index("id").loc[row["id"], "status"] == "verified"
    assert [r.uid for r in seen.orphans] == ["lost"]


_REVIEWER = """
import sys, time
from geo import collection
from geo.review import new_review
from geo.store import open_store
store, item, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
row = collection.read_store(store).frame.set_index("id").loc[item].to_dict() | {"id": item}
while time.time() < start:
    time.sleep(0.005)
with open_store(store) as repo:
    repo.add_review(new_review(row, "verified", "reviewer-" + item))
"""


def test_two_processes_reviewing_at_the_same_moment_both_keep_their_review(articles_copy, store, uploads):
    build(articles_copy, store, uploads=uploads)
    items = list(_read(store).frame.query("kind == 'figure'")["id"][:6])
    for trial in range(3):
        pair = items[2 * trial: 2 * trial + 2]
        start = time.time() + 1.5
        procs = [subprocess.Popen([sys.executable, "-c", _REVIEWER, str(store), i, str(start)], cwd=ROOT) for i in pair]
        assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert sorted(r.item for r in _read(store).reviews) == sorted(items)
    journal = [json.loads(line)["id"] for line in (store.parent / "ukrmap.db.reviews.jsonl").read_text().splitlines()]
    assert sorted(journal) == sorted(items)


_UPLOADER = """
import sys, time
from geo import library
from geo.build import add_uploads
store, uploads, name, start = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
while time.time() < start:
    time.sleep(0.005)
add_uploads(store, [library.Upload(name, f"Shelling in Kyiv reported by {name}.".encode())], uploads)
"""

_BUILDER = """
import sys, time
from geo.build import build
store, uploads, folder, start = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
while time.time() < start:
    time.sleep(0.005)
build(folder, store, uploads=uploads, force=True)
"""


def test_a_build_and_two_uploads_at_once_keep_everyone_s_work(articles_copy, store, uploads):
    build(articles_copy, store, uploads=uploads)
    for trial in range(3):
        start = time.time() + 2.0
        procs = [
            subprocess.Popen([sys.executable, "-c", _BUILDER, str(store), str(uploads), str(articles_copy), str(start)], cwd=ROOT),
            subprocess.Popen([sys.executable, "-c", _UPLOADER, str(store), str(uploads), f"a{trial}.txt", str(start)], cwd=ROOT),
            subprocess.Popen([sys.executable, "-c", _UPLOADER, str(store), str(uploads), f"b{trial}.txt", str(start)], cwd=ROOT),
        ]
        assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    files = {a.file for a in _read(store).articles}
    assert {f"{x}{t}.txt" for x in "ab" for t in range(3)} <= files
    assert len(files) == 5 + 6


_KILLED_BUILD = """
import sys
from geo.build import build
print("building", flush=True)
build(sys.argv[1], sys.argv[2], uploads=sys.argv[3], force=True)
"""


def test_builds_killed_at_random_moments_always_leave_a_readable_store(articles_copy, store, uploads):
    build(articles_copy, store, uploads=uploads)
    for delay in (0.2, 0.6, 1.0, 1.5, 2.5):
        proc = subprocess.Popen([sys.executable, "-c", _KILLED_BUILD, str(articles_copy), str(store), str(uploads)],
                                cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "building"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        seen = _read(store)
        assert len(seen.articles) == 5
    assert build(articles_copy, store, uploads=uploads).unchanged == 5


def test_a_missing_folder_is_an_error_and_leaves_the_store_alone(tmp_path, store, uploads):
    with pytest.raises(ArticleError, match="not a folder"):
        build(tmp_path / "nope", store, uploads=uploads)
    assert not store.exists()


def test_upload_metadata_is_kept_with_the_bytes_and_a_damaged_library_entry_is_named(uploads):
    article = library.save(uploads, library.Upload("a.md", b"# Title\nKyiv", date(2022, 4, 1), "BBC", "https://bbc"))
    assert article.id == load_bytes("a.md", b"# Title\nKyiv").id
    (uploads / f"{article.id}.md").write_bytes(b"changed")
    loaded = library.load(uploads)
    assert loaded.articles == [] and "no longer matches" in loaded.errors[0].reason


def test_how_an_article_was_decoded_and_what_loading_decided_are_kept_with_it(articles_copy, store, uploads, extracted):
    from geo.reader import provenance

    (articles_copy / "odd.txt").write_bytes("Обстріл Києва: загинули двоє людей у Kyiv.".encode("cp1251"))
    (articles_copy / "page.html").write_bytes(b"<html><head><style>p{}</head><body><p>Shelling in Kyiv.</p></body></html>")
    build(articles_copy, store, uploads=uploads)
    by_file = {a.file: a for a in _read(store).articles}
    odd, page, plain = by_file["odd.txt"], by_file["page.html"], by_file["000_5ee58bf401263aac.txt"]
    assert odd.encoding == "cp1251" and "read as windows-1251" in odd.notes
    assert "style" in page.notes
    assert plain.encoding == "utf-8" and plain.notes == ""
    shown = provenance(odd)
    assert "Decoded as cp1251" in shown and f"Note: {odd.notes.splitlines()[0]}" in shown


def test_a_store_written_before_encodings_were_kept_opens_and_is_brought_up_to_date(articles_copy, store, uploads, extracted):
    build(articles_copy, store, uploads=uploads)
    with sqlite3.connect(store) as db:
        db.execute("ALTER TABLE articles DROP COLUMN encoding")
        db.execute("ALTER TABLE articles DROP COLUMN notes")
    with open_store(store) as repo:
        assert {a.encoding for a in repo.articles()} == {""}
    summary = build(articles_copy, store, uploads=uploads, force=True)
    assert summary.failed == 0
    assert {a.encoding for a in _read(store).articles} == {"utf-8"}


def test_a_damaged_upload_named_like_a_folder_article_fails_alone_and_the_folder_article_keeps_its_rows(
        articles_copy, store, uploads, extracted):
    name = "000_5ee58bf401263aac.txt"
    build(articles_copy, store, uploads=uploads)
    add_uploads(store, [library.Upload(name, b"Shelling in Kyiv again.", date(2022, 5, 1))], uploads)
    copy = next(uploads.glob("*.txt"))
    copy.write_bytes(b"Shelling in Kyiv, changed on disk.")
    summary = build(articles_copy, store, uploads=uploads)
    assert summary.failed == 1 and "no longer matches its hash" in summary.errors[0]
    records = {a.key: a for a in _read(store).articles}
    assert records[f"folder:{name}"].rows == 1 and records[f"folder:{name}"].error == ""
    damaged = records[f"upload:{copy.stem}"]
    assert (damaged.origin, damaged.stage, damaged.rows) == ("upload", "load", 0) and name in damaged.error
