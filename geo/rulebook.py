"""The rule files under geo/rules/<language>/*.toml: read once, checked, and fingerprinted.

Rules are data so that a linguist can add a qualifier, a category word or a declension ending
without touching code, and so that every decision can name the rule that made it. Each table
that is a rule carries an `id` ("uk.cat.killed"); ids are unique across all files, and a
duplicate or missing id is an error at load time, not a silent override.
"""
from __future__ import annotations

import hashlib
import tomllib
from functools import lru_cache
from pathlib import Path

from geo.errors import GeoError

RULES_DIR = Path(__file__).resolve().parent / "rules"


class RuleError(GeoError):
    """A rule file that cannot be read, or that breaks the id conventions."""


@lru_cache(maxsize=None)
def load(language: str, name: str) -> dict:
    """geo/rules/<language>/<name>.toml as a dict, its rule ids checked."""
    path = RULES_DIR / language / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path}: {exc}") from exc
    seen: set[str] = set()
    for rule in _rules_in(data):
        rid = rule.get("id")
        if not isinstance(rid, str) or not rid.startswith(language + "."):
            raise RuleError(f"{path}: a rule has no id starting with {language + '.'!r}: {rule}")
        if rid in seen:
            raise RuleError(f"{path}: duplicate rule id {rid!r}")
        seen.add(rid)
    return data


CYRILLIC = ("uk", "ru")


def cyrillic(language: str, name: str) -> tuple[dict, ...]:
    """The Ukrainian and Russian files of one name, the article's language first. The Cyrillic
    readers apply both: the two share most words with the same meaning, quotes cross languages,
    and a short post may be detected as the wrong one."""
    first = language if language in CYRILLIC else "uk"
    return tuple(load(lang, name) for lang in (first, *(x for x in CYRILLIC if x != first)))


def _rules_in(data: dict):
    """The tables that are rules: entries of arrays of tables, and tables that carry an id."""
    for value in data.values():
        if isinstance(value, list):
            yield from (v for v in value if isinstance(v, dict))
        elif isinstance(value, dict) and "id" in value:
            yield value


def all_ids() -> list[str]:
    """Every rule id of every file, for the docs and the uniqueness check across files."""
    ids = []
    for path in sorted(RULES_DIR.glob("*/*.toml")):
        ids += [r["id"] for r in _rules_in(load(path.parent.name, path.stem))]
    return ids


def fingerprint(names: tuple[str, ...] | None = None) -> str:
    """A hash of the rule files (all, or those with these names in every language): caches built
    from rules are rebuilt when one of theirs changes, and only then."""
    h = hashlib.sha256()
    for path in sorted(RULES_DIR.glob("*/*.toml")):
        if names is not None and path.stem not in names:
            continue
        h.update(str(path.relative_to(RULES_DIR)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]
