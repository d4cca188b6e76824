"""Fuzz: over a thousand odd files through `python -m geo extract` and through the upload path
(geo.articles.load_bytes), and Hypothesis properties for dates and numbers.

What must hold for every input: no traceback, no silent drop (every file is an article or is
named with a reason), no hang (a subprocess timeout). The files come from tests/odd_files.py.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.articles import MANIFEST, load_bytes, load_folder, shown_name
from geo.dates import FIRST_YEAR, LAST_YEAR, event_date, plausible, publication_date
from geo.errors import ArticleError
from geo.figures import MAX_COUNT
from geo.model import Article, TimePrecision
from geo.pipeline import Extraction, ExtractionFailure, extract, extract_many
from odd_files import odd_articles, write_folder

ROOT = Path(__file__).resolve().parent.parent
N = 1000
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def odd_folder():
    """A short path (so a socket fits) holding N odd articles and the special entries."""
    folder = Path(tempfile.mkdtemp(prefix="fz")) / "a"
    names = write_folder(folder, N, seed=0)
    yield folder, names
    shutil.rmtree(folder.parent)


def test_extract_names_every_odd_file_and_prints_no_traceback(odd_folder):
    folder, names = odd_folder
    done = subprocess.run([sys.executable, "-m", "geo", "extract", "--jobs", "2", "--timeout", "30", str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [line for line in done.stderr.splitlines() if not re.match(r"(skipped|failed|note|warning) ", line)] == []
    records = [json.loads(line) for line in done.stdout.splitlines()]
    errors = {r["article"]: r for r in records if r["kind"] == "error"}
    assert all(r["reason"] and r["stage"] for r in errors.values())
    loaded = load_folder(folder)
    articles = {a.file for a in loaded.articles}
    named = {e.file for e in loaded.errors}
    entries = {shown_name(n) for n in names} - {MANIFEST}
    assert entries - articles - named == set()  # nothing dropped silently
    assert named <= set(errors)                  # and the command line says so too
    assert len(entries) > N
    figures = {r["article"] for r in records if r["kind"] == "figure"}
    assert figures & {n for n in articles if n.endswith("_ordinary.txt")}
    assert "line 2: date 3000-01-01 for 0000_random_bytes.txt is outside 1900..2100; ignored" in \
        [e.reason for e in loaded.errors if e.file == MANIFEST]


def test_the_upload_path_reads_or_refuses_every_odd_file_and_extraction_survives_them():
    read, refused = [], []
    for name, data in odd_articles(N, seed=1):
        try:
            read.append(load_bytes(name, data))
        except ArticleError as e:
            assert e.reason, name
            refused.append(e)
    assert read and refused and len(read) + len(refused) == N
    results = list(extract_many(read, budget=30))
    assert [r.article for r in results] == read
    failures = [r for r in results if isinstance(r, ExtractionFailure)]
    assert all(f.stage and f.reason for f in failures)
    assert len(failures) < len(read) // 10
    for r in results:
        if isinstance(r, Extraction):
            assert all(0 < f.value <= MAX_COUNT and plausible(f.event_date) for f in r.figures)


# ---- Hypothesis: dates ------------------------------------------------------------------------

DATE_WORDS = ["yesterday", "today", "last night", "overnight", "on Sunday", "last Monday", "this week",
              "last week", "this month", "last month", "at the weekend", "in March", "on 31 March",
              "March 5", "1 to 31 May", "2022-02-24", "in December 2023", "the day before", "on February 29"]
SENTENCES = st.lists(st.one_of(st.sampled_from(DATE_WORDS), st.text(max_size=8),
                               st.integers(0, 9999).map(str)), max_size=10).map(" ".join)


@FAST
@given(sentence=SENTENCES, published=st.one_of(st.none(), st.dates()))
def test_an_event_date_never_raises_and_stays_within_the_plausible_years(sentence, published):
    found = event_date(sentence, "", published)
    if found.precision is TimePrecision.ARTICLE:
        assert found.day == (published if plausible(published) else None)
    else:
        assert found.day is not None and FIRST_YEAR - 1 < found.day.year <= LAST_YEAR


@FAST
@given(year=st.integers(0, 9999), month=st.integers(0, 99), day=st.integers(0, 99), rest=st.text(max_size=40))
def test_a_date_line_gives_a_plausible_date_or_says_why_not(year, month, day, rest):
    found = publication_date(f"date {year:04d}-{month:02d}-{day:02d}\n{rest}")
    stated, why = (found.day if found.rule == "date.pub-date-line" else None), found.problem
    try:
        real = date(year, month, day)
    except ValueError:
        real = None
    if real is not None and plausible(real):
        assert (stated, why) == (real, "")
    else:
        assert stated is None and why.startswith(f"the date line 'date {year:04d}-{month:02d}-{day:02d}'")


# ---- Hypothesis: numbers ----------------------------------------------------------------------

@FAST
@given(n=st.integers(1, 10**40), commas=st.booleans())
def test_a_count_is_read_exactly_or_not_at_all(n, commas):
    written = f"{n:,}" if commas else str(n)
    text = f"Officials said {written} people were killed in Kharkiv."
    values = [f.value for f in extract(Article(id="n", file="n.txt", text=text)).figures]
    assert values == ([n] if n <= MAX_COUNT else [])


NUMBER_TOKENS = list("0123456789,. -–\n") + [
    " people ", " killed ", " bodies ", " million ", " thousand ", " hundred ", " dozens of ", " between ",
    " and ", " to ", " at least ", " Kharkiv ", " mines ", " a ", " twenty ", "-one "]


@FAST
@given(text=st.lists(st.sampled_from(NUMBER_TOKENS), max_size=60).map("".join))
def test_any_run_of_numbers_and_number_words_gives_counts_in_range(text):
    for f in extract(Article(id="t", file="t.txt", text=text)).figures:
        assert 0 < f.value <= MAX_COUNT
        assert f.value_high is None or f.value < f.value_high <= MAX_COUNT


def test_a_build_beside_odd_and_broken_files_names_each_and_keeps_the_samples_figures(tmp_path):
    """Issue 14's acceptance: 255+ broken files and odd ones (year 3000, year 1, a 401-digit
    number, 80 KB of unclosed comment) beside the samples: build exits 0 and names every broken
    file; `events` lists the samples' figures."""
    folder = Path(tempfile.mkdtemp(prefix="fb")) / "a"
    try:
        write_folder(folder, 500, seed=1)
        for sample in (ROOT / "data" / "articles").glob("*.txt"):
            shutil.copyfile(sample, folder / sample.name)
        odd = {
            "year_3000.txt": b"date 3000-01-01\nAt least 20 bodies were found in Bucha on Sunday.",
            "year_1.txt": b"date 0001-01-01\nYesterday at least 12 people were killed in Kharkiv.",
            "huge_number.txt": ("In Irpin " + "9" * 401 + " people were killed.").encode(),
            "comment.html": b"<p>Three people were killed in Sumy.</p><!--" + b"x" * 80_000,
        }
        for name, data in odd.items():
            (folder / name).write_bytes(data)
        store = tmp_path / "ukrmap.db"
        done = subprocess.run([sys.executable, "-m", "geo", "build", str(folder), "--store", str(store), "--jobs", "2"],
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        assert "Traceback" not in done.stderr + done.stdout
        loaded = load_folder(folder)
        failed = [line for line in done.stdout.splitlines() if line.startswith("  failed: ")]
        assert len(loaded.errors) >= 255 and len(failed) >= len(loaded.errors)
        for e in loaded.errors:
            assert any(shown_name(e.file) in line or e.file in line for line in failed), e.file
        events = subprocess.run([sys.executable, "-m", "geo", "events", "--store", str(store)],
                                cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert events.returncode == 0, events.stderr
        figures = [json.loads(line) for line in events.stdout.splitlines()]
        by_article = {(f["article"], f["value"], f["place"]) for f in figures}
        assert {("000_5ee58bf401263aac.txt", 300, "Bucha"), ("003_40143d16604e355b.txt", 440, "Izium")} <= by_article
        assert ("comment.html", 3, "Sumy") in by_article
    finally:
        shutil.rmtree(folder.parent)
