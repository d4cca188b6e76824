"""Where the program keeps things: one place decides, so the CLI, the dashboard and the tests agree.

- `data_dir()`: `UKRMAP_DATA` if set; else the checkout's `data/` when running from a clone;
  else the user's data folder (`$XDG_DATA_HOME/ukrmap`, default `~/.local/share/ukrmap`).
- `articles_dir()`: the articles folder the dashboard syncs (`UKRMAP_ARTICLES`, else `<data>/articles`).
- `uploads_dir()`: the library of uploaded articles, content-addressed (`<data>/uploads`).
- `default_store()`: the embedded store (`UKRMAP_STORE`, else `<data>/ukrmap.db`); a
  `postgresql://` URL there selects the team store.
- `cache_dir()`: the gazetteer index and the online geocoder's answers (`UKRMAP_CACHE`, else
  `$XDG_CACHE_HOME/ukrmap`, default `~/.cache/ukrmap`).
"""
from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def _in_checkout() -> bool:
    return (CHECKOUT / "dashboard.py").is_file() and (CHECKOUT / "geo").is_dir() and (CHECKOUT / "data").is_dir()


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
