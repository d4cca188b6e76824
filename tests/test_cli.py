import json
import subprocess
import sys
import types

import pytest

from geo import cli

ROOT = cli.ROOT
PLACE_KEYS = {"kind", "article", "name", "mention", "start", "end", "lat", "lon", "geonameid", "precision"}
FIGURE_KEYS = {"kind", "article", "value", "qualifier", "category", "place", "lat", "lon", "event_date",
               "attribution", "quote", "start", "end"}


def _run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample_records():
    done = _run("extract", ROOT / "data" / "articles")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_extract_prints_json_lines_with_the_stable_keys(sample_records):
    kinds = {r["kind"] for r in sample_records}
    assert kinds == {"place", "figure"}
    for r in sample_records:
        keys = PLACE_KEYS if r["kind"] == "place" else FIGURE_KEYS
        assert keys <= set(r), r
    figures = [r for r in sample_records if r["kind"] == "figure"]
    assert all(isinstance(r["value"], int) for r in figures)
    assert all(r["event_date"] is None or len(r["event_date"]) == 10 for r in figures)


def test_extract_offsets_point_at_the_words_in_the_file(sample_records):
    texts = {}
    for r in sample_records:
        text = texts.setdefault(r["article"], (ROOT / "data" / "articles" / r["article"]).read_text(encoding="utf-8"))
        if r["kind"] == "place":
            assert text[r["start"]:r["end"]] == r["mention"]
        else:
            assert text[r["start"]:r["end"]] in r["quote"]


def test_extract_reports_bad_files_as_records_and_on_stderr_and_still_succeeds(tmp_path):
    (tmp_path / "good.txt").write_text("At least 20 bodies were found in Bucha on Sunday.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("caf\u00e9".encode("latin-1"))
    done = _run("extract", tmp_path)
    assert done.returncode == 0
    records = [json.loads(line) for line in done.stdout.splitlines()]
    errors = [r for r in records if r["kind"] == "error"]
    assert errors == [{"kind": "error", "article": "bad.txt", "stage": "load",
                       "reason": "not UTF-8 at byte 3, and too short (4 bytes) to tell its encoding; "
                                 "save the file as UTF-8"}]
    assert "bad.txt" in done.stderr and "not UTF-8" in done.stderr
    assert any(r["kind"] == "place" and r["article"] == "good.txt" for r in records)


def test_extract_with_nothing_readable_exits_2(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    done = _run("extract", tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout) == {"kind": "error", "article": "empty.txt", "stage": "load", "reason": "empty file"}


def test_build_prints_a_summary_and_the_second_build_reuses_everything(articles_copy, tmp_path):
    out = tmp_path / "ukrmap.db"
    first = _run("build", articles_copy, "--out", out)
    assert first.returncode == 0, first.stderr
    assert "5 new, 0 changed, 0 unchanged, 0 removed, 0 failed" in first.stdout
    second = _run("build", articles_copy, "--store", out)
    assert "0 new, 0 changed, 5 unchanged, 0 removed, 0 failed" in second.stdout


def test_usage_errors_exit_2(tmp_path):
    assert _run().returncode == 2
    assert _run("build", tmp_path / "nope").returncode == 2


def test_bench_passes_its_arguments_to_the_benchmark(monkeypatch):
    seen = []
    monkeypatch.setitem(sys.modules, "bench.extract_bench", types.SimpleNamespace(main=lambda argv: seen.append(argv) or 0))
    assert cli.main(["bench", "--quick", "-n", "3"]) == 0
    assert seen == [["--quick", "-n", "3"]]


def test_bench_says_clearly_when_the_benchmark_is_missing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "bench.extract_bench", None)
    assert cli.main(["bench"]) == 2
    assert "bench/extract_bench.py" in capsys.readouterr().err


def test_extract_gives_every_record_a_stable_unique_id():
    """Ids are identical across two runs and unique within one."""
    def run():
        return [json.loads(line) for line in _run("extract", "data/articles").stdout.splitlines()]

    first, second = run(), run()
    ids = [r["id"] for r in first if r["kind"] in ("place", "figure")]
    assert len(ids) > 50
    assert len(set(ids)) == len(ids)
    assert ids == [r["id"] for r in second if r["kind"] in ("place", "figure")]
    assert {i[:2] for i in ids} == {"p-", "f-"}


def test_articles_over_the_time_budget_are_error_records_and_stderr_lines():
    done = _run("extract", "--timeout", "0.001", ROOT / "data" / "articles")
    assert done.returncode == 1  # nothing could be extracted
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["kind"], r["stage"], r["reason"]) for r in records] == [("error", "timeout", "took longer than 0.001 s; stopped")] * 5
    assert sorted(r["article"] for r in records) == sorted(p.name for p in (ROOT / "data" / "articles").glob("*.txt"))
    assert [line.split(":")[1].strip() for line in done.stderr.splitlines()] == ["timeout"] * 5


def test_incidents_prints_one_json_line_per_incident_of_the_store(articles_copy, tmp_path):
    out = tmp_path / "ukrmap.db"
    assert _run("build", articles_copy, "--out", out).returncode == 0
    done = _run("incidents", "--store", out)
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert records and all(list(r) == ["id", "place", "lat", "lon", "geo_precision", "date_start", "date_end",
                                       "time_precision", "categories", "claims", "articles"] for r in records)
    izium = [r for r in records if r["place"] == "Izium"]
    assert len(izium) == 1 and set(izium[0]["articles"]) == {"003_40143d16604e355b.txt", "004_f85a9b2e09923da0.txt"}
    extracted = {r["id"] for r in json.loads("[" + ",".join(_run("extract", articles_copy).stdout.splitlines()) + "]")
                 if r["kind"] == "figure"}
    assert {c for r in records for c in r["claims"]} == extracted


def test_incidents_of_a_missing_store_is_a_clear_error(tmp_path):
    done = _run("incidents", "--store", tmp_path / "none.db")
    assert done.returncode == 1 and "no store at" in done.stderr


def test_extract_of_many_files_reads_their_folders_manifest_once_and_dates_each_by_it(tmp_path, monkeypatch, capsys):
    import geo.articles

    rows = ["file,published"]
    for k in range(200):
        (tmp_path / f"a{k:03}.txt").write_text(f"{k + 2} people were injured in Kupiansk.\n", encoding="utf-8")
        rows.append(f"a{k:03}.txt,2023-{k % 12 + 1:02}-{k % 28 + 1:02}")
    (tmp_path / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    reads = []
    real = geo.articles.read_manifest
    monkeypatch.setattr(geo.articles, "read_manifest", lambda path: reads.append(path) or real(path))
    assert cli.main(["extract", *map(str, sorted(tmp_path.glob("a*.txt")))]) == 0
    figures = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"figure"' in line]
    assert reads == [tmp_path / "manifest.csv"]
    assert [(f["article"], f["event_date"]) for f in figures] == [
        (f"a{k:03}.txt", f"2023-{k % 12 + 1:02}-{k % 28 + 1:02}") for k in range(200)]


def test_a_correction_and_a_rejection_survive_a_forced_rebuild_with_the_same_ids(articles_copy, tmp_path):
    """Issue 9's acceptance, on the bundled articles, through the command line only."""
    store = tmp_path / "ukrmap.db"
    assert _run("build", articles_copy, "--store", store).returncode == 0
    events = [json.loads(line) for line in _run("events", "--store", store).stdout.splitlines()]
    dmytrivka = next(e for e in events if e["value"] == 1500 and e["place"] == "Dmytrivka")
    other = next(e for e in events if e["value"] == 140)
    fixed = _run("review", dmytrivka["id"], "--store", store, "--status", "corrected", "--by", "Olena K",
                 "--reason", "the later count", "--value", "1200")
    assert fixed.returncode == 0, fixed.stderr
    assert _run("review", other["id"], "--store", store, "--status", "rejected", "--by", "Ivan P",
                "--reason", "a duplicate").returncode == 0
    for bad in (["nope", "--status", "verified"], [other["id"], "--status", "maybe"], [other["id"], "--status", "corrected", "--value", "-3"]):
        refused = _run("review", *bad, "--store", store, "--by", "x")
        assert refused.returncode == 2 and "nothing was written" in refused.stderr
    assert "5 changed" in _run("build", articles_copy, "--store", store, "--force").stdout
    after = {e["id"]: e for e in map(json.loads, _run("events", "--store", store).stdout.splitlines())}
    assert (after[dmytrivka["id"]]["value"], after[dmytrivka["id"]]["status"], after[dmytrivka["id"]]["machine"]["value"]) == (
        1200, "corrected", 1500)
    assert after[other["id"]]["status"] == "rejected"
    log = [json.loads(line) for line in _run("review-log", "--store", store).stdout.splitlines()]
    assert [(r["id"], r["status"], r["by"]) for r in log] == [
        (dmytrivka["id"], "corrected", "Olena K"), (other["id"], "rejected", "Ivan P")]
    assert all(r["at"].endswith("+00:00") and not r["orphaned"] for r in log)
    assert log[0]["changes"] == {"value": {"before": 1500, "after": 1200}}


def test_review_merges_two_incidents_and_splits_a_claim_out_in_the_review_log(articles_copy, tmp_path):
    store = tmp_path / "ukrmap.db"
    assert _run("build", articles_copy, "--store", store).returncode == 0

    def incidents():
        return {r["place"]: r for r in map(json.loads, _run("incidents", "--store", store).stdout.splitlines())}

    before = incidents()
    bucha, kyiv = before["Bucha"], before["Kyiv"]
    done = _run("review", bucha["id"], "--status", "merge", "--with", kyiv["id"], "--by", "Ana", "--store", store)
    assert done.returncode == 0, done.stderr
    assert "Kyiv" not in incidents() and set(kyiv["claims"]) <= set(incidents()["Bucha"]["claims"])
    done = _run("review", kyiv["claims"][0], "--status", "split", "--by", "Ana", "--store", store)
    assert done.returncode == 0, done.stderr
    assert incidents()["Kyiv"]["claims"] == kyiv["claims"]
    log = [json.loads(line) for line in _run("review-log", "--store", store).stdout.splitlines()]
    assert [r["status"] for r in log] == ["merge", "split"]
