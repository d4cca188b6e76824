"""The team store on a real, throwaway PostgreSQL/PostGIS server (started by the postgis_server
fixture): the same answers as the embedded store, concurrent reviewers and builders, a real PostGIS
schema with migrations, clear errors, and the dashboard running on it."""
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_store import _REVIEWER

from geo import cli, collection, events
from geo.build import build
from geo.errors import StoreError
from geo.review import new_review
from geo.store import open_store
from geo.store.postgis import MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"


def _geo(*args, check=True):
    done = subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def _db(url: str) -> str:
    return url.split("@/", 1)[1].split("?", 1)[0]


def _figure_ids(store, n):
    return list(collection.read_store(store).frame.query("kind == 'figure'")["id"][:n])


def test_the_bundled_articles_built_into_postgis_give_the_same_events_as_the_embedded_store(postgis_url, tmp_path, capsys):
    embedded = tmp_path / "ukrmap.db"

    def geo(*args) -> str:
        """`python -m geo ARGS` in this process (the gazetteer loads once), its standard output."""
        assert cli.main([str(a) for a in args]) == 0
        return capsys.readouterr().out

    for store in (embedded, postgis_url):
        geo("build", ARTICLES, "--store", store)
    for args in (["events"], ["events", "--all"], ["counts", "--by", "week"], ["events", "--place", "Bucha", "--from", "2022-04-02"]):
        assert geo(*args, "--store", postgis_url) == geo(*args, "--store", embedded)
    figures = [json.loads(line) for line in geo("events", "--store", embedded).splitlines()]
    assert len(figures) > 10
    item = figures[0]["id"]
    geo("review", item, "--store", embedded, "--status", "corrected", "--value", "7", "--event-date", "2022-09-01", "--by", "Olena")
    log = tmp_path / "log.jsonl"
    log.write_text(geo("review-log", "--store", embedded), encoding="utf-8")
    geo("review-import", log, "--store", postgis_url)
    after = geo("events", "--store", postgis_url)
    assert after == geo("events", "--store", embedded)
    reviewed = next(json.loads(line) for line in after.splitlines() if json.loads(line)["id"] == item)
    assert (reviewed["value"], reviewed["event_date"], reviewed["status"]) == (7, "2022-09-01", "corrected")
    assert geo("counts", "--store", postgis_url) == geo("counts", "--store", embedded)
    assert geo("review-log", "--store", postgis_url) == geo("review-log", "--store", embedded)


def test_two_review_commands_run_at_the_same_moment_against_postgis_both_keep_their_review(postgis_url):
    build(ARTICLES, postgis_url)
    items = _figure_ids(postgis_url, 4)
    for trial in range(2):
        pair = items[2 * trial: 2 * trial + 2]
        procs = [subprocess.Popen([sys.executable, "-m", "geo", "review", i, "--store", postgis_url, "--status", "verified",
                                   "--by", f"reviewer-{i}"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for i in pair]
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
    log = [json.loads(line) for line in _geo("review-log", "--store", postgis_url).stdout.splitlines()]
    assert sorted(r["id"] for r in log) == sorted(items)
    assert {r["by"] for r in log} == {f"reviewer-{i}" for i in items}


_BUILDER = """
import sys, time
from geo.build import build
store, folder, start = sys.argv[1], sys.argv[2], float(sys.argv[3])
while time.time() < start:
    time.sleep(0.005)
build(folder, store, force=True)
"""


def test_two_forced_builds_and_two_reviewers_at_once_lose_nothing(postgis_url):
    build(ARTICLES, postgis_url)
    before = collection.read_store(postgis_url)
    items = _figure_ids(postgis_url, 2)
    start = time.time() + 3.0
    procs = [subprocess.Popen([sys.executable, "-c", _BUILDER, postgis_url, str(ARTICLES), str(start)], cwd=ROOT) for _ in range(2)]
    procs += [subprocess.Popen([sys.executable, "-c", _REVIEWER, postgis_url, i, str(start)], cwd=ROOT) for i in items]
    assert [p.wait(timeout=180) for p in procs] == [0, 0, 0, 0]
    after = collection.read_store(postgis_url)
    assert [a.file for a in after.articles] == [a.file for a in before.articles]
    machine = [c for c in after.frame.columns if c in events.COLUMNS]
    assert after.frame[machine].equals(before.frame[machine])
    assert sorted(r.item for r in after.reviews) == sorted(items)


def test_the_store_is_postgis_points_in_4326_with_a_spatial_index_and_a_migrated_schema(postgis_url, postgis_server):
    build(ARTICLES, postgis_url)
    db = _db(postgis_url)
    ask = lambda sql: postgis_server.execute(sql, db=db)  # noqa: E731
    assert ask("SELECT type, srid FROM geometry_columns WHERE f_table_name = 'items'") == [("POINT", 4326)]
    assert ask("SELECT indexdef FROM pg_indexes WHERE indexname = 'items_geom'")[0][0].endswith("USING gist (geom)")
    assert [v for v, in ask("SELECT version FROM schema_migrations ORDER BY version")] == [m.version for m in MIGRATIONS]
    columns = [c for c, in ask("SELECT column_name FROM information_schema.columns WHERE table_name = 'items' ORDER BY ordinal_position")]
    assert sorted(columns) == sorted(["article_key", "ord", *[c for c in events.COLUMNS if c != "geometry"], "geom"])
    frame = collection.read_store(postgis_url).frame
    bucha = frame[frame["place"] == "Bucha"].geometry.iloc[0]
    at_bucha = ask(f"SELECT count(*) FROM items WHERE geom && ST_MakeEnvelope({bucha.x!r}, {bucha.y!r}, {bucha.x!r}, {bucha.y!r}, 4326)")
    assert at_bucha[0][0] == frame.geometry.geom_equals(bucha).sum() > 1


def test_the_review_log_in_postgis_refuses_update_delete_and_truncate(postgis_url, postgis_server):
    import psycopg

    build(ARTICLES, postgis_url)
    row = collection.read_store(postgis_url).frame.query("kind == 'figure'").iloc[0].to_dict()
    with open_store(postgis_url) as repo:
        assert repo.add_review(new_review(row, "verified", "Olena"))
    db = _db(postgis_url)
    for sql in ("UPDATE reviews SET item = 'x'", "DELETE FROM reviews", "TRUNCATE reviews"):
        with pytest.raises(psycopg.Error, match="append-only"):
            postgis_server.execute(sql, db=db)
    assert [r.by for r in collection.read_store(postgis_url).reviews] == ["Olena"]


def test_a_store_migrated_by_a_newer_program_is_refused_and_a_missing_one_is_named(postgis_url, postgis_server):
    with pytest.raises(StoreError, match="no store in"):
        open_store(postgis_url, create=False)
    open_store(postgis_url).close()
    db = _db(postgis_url)
    postgis_server.execute("INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')", db=db)
    with pytest.raises(StoreError, match="newer program"):
        open_store(postgis_url)


def test_without_the_right_to_enable_postgis_the_error_says_who_can(postgis_server):
    postgis_server.execute("CREATE ROLE analyst LOGIN", "CREATE DATABASE analysts OWNER analyst TEMPLATE template0")
    done = _geo("build", ARTICLES, "--store", postgis_server.url("analysts", user="analyst"), check=False)
    assert done.returncode == 1
    assert "PostGIS is not enabled in database analysts" in done.stderr and "CREATE EXTENSION postgis" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_server_is_one_clear_line(tmp_path):
    done = _geo("events", "--store", f"postgresql://postgres@/nowhere?host={tmp_path}", check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "could not connect" in done.stderr and "Traceback" not in done.stderr


def test_the_dashboard_runs_on_a_postgis_store_and_its_reviews_land_there(postgis_url, monkeypatch, tmp_path):
    from conftest import build_store

    embedded = collection.read_store(build_store(ARTICLES, tmp_path / "ukrmap.db")).frame
    monkeypatch.setenv("UKRMAP_STORE", postgis_url)
    monkeypatch.setenv("UKRMAP_ARTICLES", str(ARTICLES))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert not app.exception and not app.error
    shown = next(d.value for d in app.dataframe if "quote" in d.value.columns)
    assert sorted(shown["id"]) == sorted(embedded.query("kind == 'figure'")["id"])
    app.text_input(key="reviewer").set_value("Olena").run()
    picked = app.selectbox(key="review_pick").value
    app.button(key="verify").click().run()
    assert not app.exception and not app.error
    assert [(r.item, r.status, r.by) for r in collection.read_store(postgis_url).reviews] == [(picked, "verified", "Olena")]
