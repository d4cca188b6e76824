import json
import os
import signal
import subprocess
import sys
from datetime import date

import geopandas as gpd
import pyarrow.parquet as pq
import pytest

import geo.store
from geo.articles import MANIFEST, load_bytes
from geo.errors import ArticleError, StoreError
from geo.events import COLUMNS, to_frame
from geo.model import PlaceMention, Precision
from geo.pipeline import Extraction
from geo.store import SCHEMA_VERSION, add_articles, build, read_store

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

    monkeypatch.setattr(geo.store, "extract_many", counting)
    return calls


@pytest.fixture
def store(tmp_path):
    return tmp_path / "events.parquet"


def test_build_writes_one_geoparquet_with_the_schema_and_every_article_seen(articles_copy, store, extracted):
    (articles_copy / "empty.txt").write_bytes(b"")
    summary = build(articles_copy, store)
    assert (summary.new, summary.failed) == (5, 1)
    assert b"geo" in pq.read_schema(store).metadata  # GeoParquet
    frame, meta = read_store(store)
    assert list(frame.columns) == list(COLUMNS) and frame.crs == "EPSG:4326"
    assert frame.dtypes.astype(str).to_dict() == to_frame([]).dtypes.astype(str).to_dict()
    assert meta.schema_version == SCHEMA_VERSION
    by_file = {a.file: a for a in meta.articles}
    assert by_file["empty.txt"].error == "empty file"
    sun = by_file["000_5ee58bf401263aac.txt"]
    assert (sun.outlet, sun.published, sun.published_basis) == ("The Sun", "2022-04-03", "manifest")
    assert meta.texts[sun.id] == (articles_copy / sun.file).read_text(encoding="utf-8")
    assert set(frame["article_id"]) <= {a.id for a in meta.articles}


def test_second_build_re_extracts_nothing_and_keeps_the_rows(articles_copy, store, extracted):
    build(articles_copy, store)
    first, meta1 = read_store(store)
    extracted.clear()
    summary = build(articles_copy, store)
    assert extracted == []
    assert (summary.unchanged, summary.new, summary.changed, summary.removed) == (5, 0, 0, 0)
    second, meta2 = read_store(store)
    assert [a.extracted for a in meta1.articles] == [a.extracted for a in meta2.articles]
    assert first.drop(columns="geometry").equals(second.drop(columns="geometry"))


def test_rebuild_extracts_only_changed_and_new_files_and_drops_removed_ones(articles_copy, store, extracted):
    build(articles_copy, store)
    extracted.clear()
    (articles_copy / "004_f85a9b2e09923da0.txt").unlink()
    (articles_copy / "001_a8534a7934f2fb9e.txt").write_text("Updated: 410 bodies near Kyiv.", encoding="utf-8")
    (articles_copy / "005_new.txt").write_text("Shelling in Kyiv.", encoding="utf-8")
    summary = build(articles_copy, store)
    assert sorted(extracted) == ["001_a8534a7934f2fb9e.txt", "005_new.txt"]
    assert (summary.new, summary.changed, summary.unchanged, summary.removed) == (1, 1, 3, 1)
    frame, meta = read_store(store)
    assert "004_f85a9b2e09923da0.txt" not in set(frame["article_file"])
    gone = [a for a in meta.articles if a.file == "004_f85a9b2e09923da0.txt"]
    assert [(a.id, a.error) for a in gone] == [("", "listed in manifest.csv but the file is missing")]
    assert frame[frame["article_file"] == "005_new.txt"]["start"].tolist() == [12]


def test_a_changed_manifest_date_re_extracts_that_article(articles_copy, store, extracted):
    build(articles_copy, store)
    extracted.clear()
    manifest = (articles_copy / MANIFEST).read_text().replace("002_d106abd03eb864e9.txt,LADbible,2022-04-04", "002_d106abd03eb864e9.txt,LADbible,2022-04-05")
    (articles_copy / MANIFEST).write_text(manifest)
    build(articles_copy, store)
    assert extracted == ["002_d106abd03eb864e9.txt"]


def test_force_re_extracts_everything(articles_copy, store, extracted):
    build(articles_copy, store)
    extracted.clear()
    assert build(articles_copy, store, force=True).changed == 5
    assert len(extracted) == 5


def test_extraction_crashing_midway_leaves_the_old_store_intact(articles_copy, store, extracted, monkeypatch):
    build(articles_copy, store)
    before = store.read_bytes()
    (articles_copy / "001_a8534a7934f2fb9e.txt").write_text("changed Kyiv", encoding="utf-8")
    (articles_copy / "002_d106abd03eb864e9.txt").write_text("changed too", encoding="utf-8")

    def crashing(articles, geocoder=None, jobs=1):
        for i, ex in enumerate(_kyiv_only(articles)):
            if i == 1:
                raise RuntimeError("extractor bug")
            yield ex

    monkeypatch.setattr(geo.store, "extract_many", crashing)
    with pytest.raises(RuntimeError):
        build(articles_copy, store)
    assert store.read_bytes() == before
    assert len(read_store(store)[0]) > 0
    assert not any(p.name.endswith(".tmp") for p in store.parent.iterdir())


_KILLED_WRITER = """
import sys, time
import pyarrow.parquet as pq
import geo.store
from geo.pipeline import Extraction

def nothing_found(articles, geocoder=None, jobs=1):
    for a in articles:
        yield Extraction(a, [], [])

def half_write(table, where, **kw):
    where.write(b"PAR1" + b"x" * 1000)
    where.flush()
    print("writing", flush=True)
    time.sleep(60)

geo.store.extract_many = nothing_found
pq.write_table = half_write
geo.store.build(sys.argv[1], sys.argv[2])
"""


def test_a_build_killed_while_writing_leaves_the_old_store_readable(articles_copy, store, extracted):
    build(articles_copy, store)
    before = store.read_bytes()
    (articles_copy / "003_40143d16604e355b.txt").write_text("rewritten", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(articles_copy), str(store)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        assert any(p.name.endswith(".tmp") for p in store.parent.iterdir())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert store.read_bytes() == before
    frame, meta = read_store(store)
    assert len(meta.articles) == 5
    assert build(articles_copy, store).changed == 1


def test_a_temp_file_left_by_a_killed_writer_is_cleaned_up_by_the_next_write(articles_copy, store, extracted):
    build(articles_copy, store)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    leftover = store.with_name(f".{store.name}.{dead.stdout.strip()}.tmp")
    leftover.write_bytes(b"half a store")
    build(articles_copy, store, force=True)
    assert not leftover.exists()


def test_rows_made_by_older_extractor_code_are_extracted_again(articles_copy, store, extracted, monkeypatch):
    build(articles_copy, store)
    extracted.clear()
    monkeypatch.setattr(geo.store, "extractor_version", lambda: "newer-code")
    summary = build(articles_copy, store)
    assert summary.changed == 5 and len(extracted) == 5
    assert {a.extractor for a in read_store(store)[1].articles} == {"newer-code"}


@pytest.mark.parametrize("damage,message", [
    (lambda p: p.write_bytes(b"this is not parquet at all"), "corrupt or truncated"),
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "corrupt or truncated"),
    (lambda p: p.write_bytes(b""), "corrupt or truncated"),
    (lambda p: gpd.GeoDataFrame({"a": [1]}, geometry=gpd.points_from_xy([0], [0])).to_parquet(p), "not an event store"),
])
def test_a_damaged_store_raises_store_error_with_a_clear_message(articles_copy, store, extracted, damage, message):
    build(articles_copy, store)
    damage(store)
    with pytest.raises(StoreError, match=message):
        read_store(store)


def test_a_store_of_another_schema_version_asks_for_a_rebuild(articles_copy, store, extracted):
    build(articles_copy, store)
    table = pq.read_table(store)
    meta = dict(table.schema.metadata)
    head = json.loads(meta[b"geo.store"])
    head["schema_version"] = 99
    meta[b"geo.store"] = json.dumps(head).encode()
    pq.write_table(table.replace_schema_metadata(meta), store)
    with pytest.raises(StoreError, match="schema version 99.*rebuild"):
        read_store(store)


def test_a_missing_store_says_how_to_build_it(store):
    with pytest.raises(StoreError, match="python -m geo build"):
        read_store(store)


def test_build_replaces_a_corrupt_store_and_says_so(articles_copy, store, extracted):
    store.write_bytes(b"garbage")
    summary = build(articles_copy, store)
    assert "corrupt" in summary.previous and summary.new == 5
    assert len(read_store(store)[1].articles) == 5


def test_uploaded_articles_are_stored_with_their_text_and_survive_a_folder_rebuild(articles_copy, store, extracted):
    build(articles_copy, store)
    upload = load_bytes("upload.txt", "Explosions in Kyiv overnight.".encode(), published=date(2022, 10, 10), outlet="Reuters")
    assert add_articles(store, [upload]).new == 1
    frame, meta = read_store(store)
    assert meta.texts[upload.id] == "Explosions in Kyiv overnight."
    assert meta.article(upload.id).origin == "upload"
    row = frame[frame["article_id"] == upload.id].iloc[0]
    assert (row["outlet"], row["place"], row["published"].date()) == ("Reuters", "Kyiv", date(2022, 10, 10))
    extracted.clear()
    assert add_articles(store, [upload]).unchanged == 1
    build(articles_copy, store)
    assert extracted == []
    assert upload.id in set(read_store(store)[0]["article_id"])


def test_add_articles_refuses_to_overwrite_a_corrupt_store(store, extracted):
    store.write_bytes(b"garbage")
    with pytest.raises(StoreError):
        add_articles(store, [load_bytes("u.txt", b"Kyiv")])
    assert store.read_bytes() == b"garbage"


def test_real_build_of_the_samples_pins_the_izium_grave_and_reads_back(articles_copy, store):
    summary = build(articles_copy, store)
    assert (summary.new, summary.failed) == (5, 0)
    frame, meta = read_store(store)
    grave = frame[(frame["kind"] == "figure") & (frame["value"] == 440) & (frame["category"] == "bodies")].iloc[0]
    assert grave["place"] == "Izium" and grave["outlet"] == "The Straits Times"
    assert round(grave.geometry.y, 1) == 49.2 and round(grave.geometry.x, 1) == 37.3
    text = meta.texts[grave["article_id"]]
    assert text[grave["sentence_start"]:grave["sentence_end"]] == grave["quote"]
    assert summary.rows == len(frame) == sum(a.rows for a in meta.articles)


def test_building_from_a_missing_folder_leaves_the_store_alone(articles_copy, store, extracted, tmp_path):
    build(articles_copy, store)
    before = store.read_bytes()
    with pytest.raises(ArticleError, match="not a folder"):
        build(tmp_path / "moved-away", store)
    assert store.read_bytes() == before


def test_a_build_with_nothing_changed_leaves_the_file_untouched(articles_copy, store, extracted):
    build(articles_copy, store)
    before = store.stat().st_mtime_ns, store.read_bytes()
    summary = build(articles_copy, store)
    assert summary.unchanged == 5
    assert (store.stat().st_mtime_ns, store.read_bytes()) == before
