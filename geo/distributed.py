"""Extraction on a Dask cluster: `python -m geo build FOLDER --store S --dask local:N | tcp://host:8786`.

Why Dask: it is what teams already run for Python data work across machines, and extraction is
pure Python per article, so it spreads with no shared state. `local:N` starts a LocalCluster of N
single-threaded worker processes on this machine (and stops it after); an address uses a running
scheduler, whose workers need this package installed at the same version.

The articles are cut into partitions of PARTITION articles, one task each. Only IN_FLIGHT
partitions per worker thread are submitted at a time, so the scheduler and the workers hold a few
partitions whatever the corpus size; partitions are yielded as they finish, in completion order,
and the build writes each as one transaction. A crash loses the partitions not yet written, never a
written one, and an incremental rebuild extracts only those again.

The gazetteer (and the place lexicon built on it) loads once per worker process, when the worker
plugin is set up; it stays in geo.gazetteer's module-level cache for every task after.

Failures: an article whose extraction raises becomes a failure (stage "extract") and the rest of its
partition goes on; a partition whose task fails (its worker died, its result could not travel back)
becomes one failure per article (stage "worker"). Neither stops the build.
"""
from __future__ import annotations

import logging
import sys
import time
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from geo import events
from geo.errors import ClusterError
from geo.model import Article
from geo.pipeline import ExtractionFailure, extract_in_process, extractor_version

try:
    import distributed
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as e:  # pragma: no cover - depends on the installation
    raise ClusterError("--dask needs Dask: pip install 'dask[distributed]'") from e

PARTITION = 64
IN_FLIGHT = 2


class GazetteerPlugin(WorkerPlugin):
    """Loads the gazetteer and the place lexicon once, when a worker starts (or joins later)."""

    name = "ukrmap-gazetteer"
    idempotent = True

    def setup(self, worker) -> None:
        from geo.geoparse import find_places

        find_places("Kyiv")


def check_spec(spec: str) -> str:
    """`local:N` (N >= 1) or a scheduler address (`tcp://host:port`, `tls://…`); ValueError otherwise."""
    if spec.startswith("local:"):
        n = spec.partition(":")[2]
        if not n.isdigit() or int(n) < 1:
            raise ValueError(f"local:N needs a number of workers N >= 1, not {spec!r}")
        return spec
    if spec.startswith(("tcp://", "tls://")):
        return spec
    raise ValueError(f"--dask takes local:N or a scheduler address such as tcp://host:8786, not {spec!r}")


@contextmanager
def connect(cluster) -> Iterator[distributed.Client]:
    """A client for `cluster`: a spec (see check_spec), or a Client given by the caller (left open)."""
    if isinstance(cluster, distributed.Client):
        yield cluster
        return
    spec = check_spec(str(cluster))
    if spec.startswith("local:"):
        n = int(spec.partition(":")[2])
        try:
            with _bare_main():
                # No dashboard (it needs bokeh); the scheduler's HTTP routes on a free local port, not 8787.
                local = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                                 dashboard_address=None, silence_logs=logging.ERROR,
                                                 scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        except Exception as e:
            raise ClusterError(f"cannot start a local Dask cluster of {n} workers: {e}") from e
        with local, distributed.Client(local) as client:
            yield client
        return
    try:
        client = distributed.Client(spec, timeout="10s")
    except (OSError, TimeoutError) as e:
        raise ClusterError(f"cannot reach the Dask scheduler at {spec}: {e}") from e
    with client:
        yield client


@contextmanager
def _bare_main() -> Iterator[None]:
    """Workers are spawned processes, and spawning runs the parent's main script again in each one
    (multiprocessing's rule for a script run by path). Under Streamlit that script is the dashboard,
    which would build the default store in every worker; start them from a bare main module."""
    main = sys.modules.get("__main__")
    if getattr(main, "__spec__", None) is not None or not getattr(main, "__file__", None):
        yield
        return
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def extract_partition(articles: Sequence[Article], version: str) -> list[tuple[object, object]]:
    """Runs on a worker: each article of one partition with its event rows (None for a failure),
    each failure kept to its article. The rows are made here, in one table for the partition, so
    the driver only writes them; the places and figures they came from stay here (a third less to
    send back). A worker whose extractor differs from the build's extracts nothing: its rows would
    be stored under the wrong version."""
    if extractor_version() != version:
        reason = (f"this worker runs extractor {extractor_version()}, the build {version}: "
                  "install the same version of this program on every worker")
        return [(ExtractionFailure(a, "worker", reason), None) for a in articles]
    results = [extract_in_process(article) for article in articles]
    return [(r if rows is None else replace(r, places=[], figures=[]), rows) for r, rows in zip(results, events.to_frames(results))]


def extract_partitions(articles: Sequence[Article], cluster, size: int = PARTITION) -> Iterator[list]:
    """The extraction of `articles` on `cluster`, one partition at a time as they finish: each
    result with its event rows (see extract_partition)."""
    if not articles:
        return
    with connect(cluster) as client:
        client.register_plugin(GazetteerPlugin())
        version = extractor_version()
        parts = iter([articles[i:i + size] for i in range(0, len(articles), size)])
        window = max(2, IN_FLIGHT * sum(client.nthreads().values()))
        finished = distributed.as_completed()
        waiting: dict[str, Sequence[Article]] = {}

        def submit() -> None:
            part = next(parts, None)
            if part is not None:
                future = client.submit(extract_partition, part, version, pure=False)
                waiting[future.key] = part
                finished.add(future)

        for _ in range(window):
            submit()
        for future in finished:
            part = waiting.pop(future.key)
            try:
                results = future.result()
            except Exception as e:
                results = [(ExtractionFailure(a, "worker", f"the Dask task failed ({type(e).__name__}: {e})"), None) for a in part]
            future.release()
            submit()
            yield results


class TextBar:
    """A progress bar on stderr in the style of Dask's text bar, fed with article counts.

    Dask's own `progress()` follows a fixed set of futures; partitions here are submitted a few at
    a time, so the bar is drawn from the counts the build reports instead (at most ten times a second).
    """

    def __init__(self, width: int = 40, stream=None):
        self.width, self.stream = width, stream or sys.stderr
        self.started = self.drawn = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.drawn < 0.1:
            return
        self.drawn = now
        frac = done / total if total else 1.0
        self.stream.write(f"\r[{'#' * int(self.width * frac):<{self.width}}] | {int(100 * frac)}% Completed | "
                          f"{done:,}/{total:,} articles | {now - self.started:.1f}s" + ("\n" if done >= total else ""))
        self.stream.flush()
