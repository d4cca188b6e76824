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
