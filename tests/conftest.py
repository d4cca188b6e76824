"""Shared fixtures: the sample articles as shipped, and a scratch copy tests may change."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from geo import launch
from geo.errors import ServerError

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "data" / "articles"


@pytest.fixture(scope="session")
def articles_dir() -> Path:
    """The sample articles folder (read-only: copy it before changing anything)."""
    return ARTICLES


@pytest.fixture
def articles_copy(tmp_path) -> Path:
    """A writable copy of the sample articles and their manifest."""
    dest = tmp_path / "articles"
    shutil.copytree(ARTICLES, dest)
    for p in dest.iterdir():
        p.chmod(0o644)
    return dest


@pytest.fixture(autouse=True)
def private_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder (uploads library, default store), never the checkout's."""
    monkeypatch.setenv("UKRMAP_DATA", str(tmp_path_factory.mktemp("data")))


def build_store(articles: Path, path: Path) -> Path:
    """Build a store from an articles folder (no uploads) and return its path."""
    from geo.build import build

    build(articles, path, uploads=path.parent / "uploads")
    return path


@pytest.fixture(scope="session")
def postgis_server():
    """A throwaway PostgreSQL server with a database that has PostGIS, for the session; stopped after.

    Skipped, with the reason, where PostgreSQL, PostGIS or psycopg is missing; under CI=true that fails.
    """
    import importlib.util
    import os

    from postgres_server import Server, find_bindir

    def unavailable(reason: str):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must test the team store")
        pytest.skip(reason)

    if importlib.util.find_spec("psycopg") is None:
        unavailable("psycopg 3 is not installed (pip install 'psycopg[binary]')")
    bindir = find_bindir()
    if bindir is None:
        unavailable("no PostgreSQL server binaries (initdb, pg_ctl); Debian 12: apt install postgresql-15-postgis-3")
    server = Server(bindir).start()
    try:
        if not server.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'"):
            unavailable(f"PostgreSQL in {bindir} has no PostGIS; Debian 12: apt install postgresql-15-postgis-3")
        server.execute("CREATE DATABASE ukrmap_template")
        server.execute("CREATE EXTENSION postgis", db="ukrmap_template")
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgis_url(postgis_server, request) -> str:
    """A fresh, empty database with PostGIS on the session's server: its postgresql:// URL."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50] + f"_{id(request) % 10**6}"
    postgis_server.execute(f'CREATE DATABASE "{name}" TEMPLATE ukrmap_template')
    return postgis_server.url(name)


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Wait for Streamlit's health check at `url`; fail with the server's log if it exits or stays silent."""
    try:
        launch.wait_healthy(url, proc, seconds)
    except ServerError as e:
        pytest.fail(f"{e}:\n{log.read_text()}")
