"""Extraction on a Dask cluster: a LocalCluster of 2 worker processes gives exactly the events one
process gives (the sample articles plus generated ones), on the command line and on a running
scheduler into PostGIS; the gazetteer loads once per worker; an article that fails fails alone."""
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from bench import corpus as generated
from geo import collection
from geo.articles import load_folder
from geo.build import build
from geo.distributed import connect, extract_partition, extract_partitions
from geo.events import to_frame
from geo.pipeline import ExtractionFailure, extract
from geo.records import event_record

ROOT = Path(__file__).resolve().parent.parent
GENERATED = 60


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The sample articles and GENERATED synthetic ones, in one folder with one manifest."""
    dest = tmp_path_factory.mktemp("corpus") / "articles"
    shutil.copytree(ROOT / "data" / "articles", dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    generated.write(dest, GENERATED, seed=7)
    return dest


@pytest.fixture(scope="module")
def one_process(folder, tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("single") / "ukrmap.db"
    build(folder, store, uploads=store.parent / "uploads")
    return store


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster of 2 worker processes, started as `--dask local:2` starts one."""
    with connect("local:2") as client:
        yield client


def _events(store) -> list[dict]:
    return [event_record(row) for row in collection.read_store(store).frame.to_dict("records")]


def _articles(store) -> list:
    return [replace(a, extracted="") for a in collection.read_store(store).articles]


def test_a_local_cluster_of_two_workers_gives_exactly_the_events_of_one_process(folder, one_process, tmp_path):
    store = tmp_path / "dask.db"
    done = subprocess.run([sys.executable, "-m", "geo", "build", str(folder), "--store", str(store), "--dask", "local:2"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"{GENERATED + 5} new" in done.stdout and "0 failed" in done.stdout
    assert f"100% Completed | {GENERATED + 5}/{GENERATED + 5} articles" in done.stderr
    events = _events(store)
    assert len(events) > 20 * GENERATED
    assert events == _events(one_process)
    assert _articles(store) == _articles(one_process)


def test_the_gazetteer_loads_once_per_worker_and_an_article_that_fails_fails_alone(cluster, folder):
    articles = load_folder(folder).articles[:40]
    bad = replace(articles[3], file="bad.txt", published="2022-04-01")   # a date left as text: figures cannot use it
    articles = articles[:10] + [bad] + articles[10:]
    partitions = list(extract_partitions(articles, cluster, size=4))
    assert len(partitions) == 11
    results = [pair for part in partitions for pair in part]
    assert sorted(r.article.file for r, _ in results) == sorted(a.file for a in articles)
    failures = [(r, rows) for r, rows in results if isinstance(r, ExtractionFailure)]
    assert [(f.article.file, f.stage, rows) for f, rows in failures] == [("bad.txt", "figures", None)]
    assert "AttributeError" in failures[0][0].reason
    by_file = {a.file: a for a in articles}
    made_there = [(by_file[r.article.file], rows) for r, rows in results if not isinstance(r, ExtractionFailure)]
    assert len(made_there) == len(articles) - 1
    for article, rows in made_there:
        pd.testing.assert_frame_equal(rows, to_frame([extract(article)]))
    cache = cluster.run(lambda: __import__("geo.gazetteer").gazetteer._default.cache_info())
    assert [c.misses for c in cache.values()] == [1, 1]
    assert sum(c.hits for c in cache.values()) >= len(articles)


def test_a_worker_with_another_extractor_version_extracts_nothing_and_says_why(folder):
    articles = load_folder(folder).articles[:3]
    results = extract_partition(articles, "another-version")
    assert [(r.article.file, r.stage, rows) for r, rows in results] == [(a.file, "worker", None) for a in articles]
    assert "the build another-version" in results[0][0].reason


def test_a_build_on_a_running_scheduler_into_postgis_gives_the_same_events(cluster, folder, one_process, postgis_url, tmp_path):
    progress = []
    summary = build(folder, postgis_url, uploads=tmp_path / "uploads", dask=cluster.scheduler.address,
                    progress=lambda done, total: progress.append((done, total)))
    total = GENERATED + 5
    assert (summary.new, summary.failed) == (total, 0)
    assert progress == [(n, total) for n in range(1, total + 1)]
    assert _events(postgis_url) == _events(one_process)


def test_workers_started_under_an_app_do_not_run_the_app_again(tmp_path, monkeypatch):
    """Streamlit (and AppTest) runs the dashboard as the main module; spawned workers re-run the main
    script unless told otherwise, and the dashboard would build the default store in each."""
    import types

    app = tmp_path / "app.py"
    app.write_text(f"open({str(tmp_path / 'ran')!r}, 'a').write('ran')\n", encoding="utf-8")
    main = types.ModuleType("__main__")
    main.__file__ = str(app)
    monkeypatch.setitem(sys.modules, "__main__", main)
    with connect("local:1") as client:
        assert client.run(lambda: 1)
    assert not (tmp_path / "ran").exists()
    assert sys.modules["__main__"] is main


def test_a_cluster_that_is_not_local_n_or_an_address_is_a_usage_error(folder, tmp_path):
    done = subprocess.run([sys.executable, "-m", "geo", "build", str(folder), "--store", str(tmp_path / "x.db"), "--dask", "local:0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "local:N needs a number of workers N >= 1" in done.stderr
    assert not (tmp_path / "x.db").exists()
