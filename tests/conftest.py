"""Shared fixtures: the sample articles as shipped, and a scratch copy tests may change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

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
