"""Where the program keeps things: one place decides, so the CLI, the dashboard and the tests agree.

- `data_dir()`: `UKRMAP_DATA` if set; else the checkout's `data/` when running from a clone
  (or an editable install of one); else the user's data folder (`$XDG_DATA_HOME/ukrmap`,
  default `~/.local/share/ukrmap`), which `seed()` fills with the samples on first run.
- `articles_dir()`: the articles folder the dashboard syncs (`UKRMAP_ARTICLES`, else `<data>/articles`).
- `uploads_dir()`: the library of uploaded articles, content-addressed (`<data>/uploads`).
- `default_store()`: the embedded store (`UKRMAP_STORE`, else `<data>/ukrmap.db`); a
  `postgresql://` URL there selects the team store.
- `cache_dir()`: the gazetteer index and the online geocoder's answers (`UKRMAP_CACHE`, else
  `$XDG_CACHE_HOME/ukrmap`, default `~/.cache/ukrmap`).
- `samples_dir()`: the sample articles and `places.csv` that come with the program: the
  checkout's `data/`, or `geo/samples/` in an installed package (pyproject.toml maps one to the other).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
PLACES = "places.csv"


def _in_checkout() -> bool:
    """A clone, not site-packages: there dashboard.py and geo/ sit side by side too."""
    return all((CHECKOUT / name).exists() for name in ("pyproject.toml", "dashboard.py", "geo", "data"))


def data_dir() -> Path:
    if os.environ.get("UKRMAP_DATA"):
        return Path(os.environ["UKRMAP_DATA"])
    if _in_checkout():
        return CHECKOUT / "data"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ukrmap"


def articles_dir() -> Path:
    return Path(os.environ.get("UKRMAP_ARTICLES") or data_dir() / "articles")


def uploads_dir() -> Path:
    return data_dir() / "uploads"


def default_store() -> str:
    """A path or a `postgresql://` URL, as a string: the store seam decides which backend."""
    return os.environ.get("UKRMAP_STORE") or str(data_dir() / "ukrmap.db")


def cache_dir() -> Path:
    if os.environ.get("UKRMAP_CACHE"):
        return Path(os.environ["UKRMAP_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ukrmap"


def overrides_file() -> Path:
    """The place overrides (places.csv): `UKRMAP_OVERRIDES`, else the data folder's own copy,
    else the one shipped with the samples, so a fresh data folder still has the project's fixes."""
    if os.environ.get("UKRMAP_OVERRIDES"):
        return Path(os.environ["UKRMAP_OVERRIDES"])
    own = data_dir() / PLACES
    return own if own.is_file() else samples_dir() / PLACES


def samples_dir() -> Path:
    return CHECKOUT / "data" if _in_checkout() else Path(__file__).resolve().parent / "samples"


def seed() -> list[Path]:
    """First run of an installed copy: put the sample articles and places.csv in the data folder,
    so the first map is not empty and the overrides file is there to edit. Copies only what is
    absent (what is there is the user's) and nothing when the data folder is the samples' own.
    Returns what it created."""
    source, target = samples_dir(), data_dir()
    if not source.is_dir() or source.resolve() == target.resolve():
        return []
    created = []
    articles = articles_dir()
    if not os.environ.get("UKRMAP_ARTICLES") and not articles.exists() and (source / "articles").is_dir():
        shutil.copytree(source / "articles", articles)
        created.append(articles)
    if not (target / PLACES).exists() and (source / PLACES).is_file():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / PLACES, target / PLACES)
        created.append(target / PLACES)
    return created
