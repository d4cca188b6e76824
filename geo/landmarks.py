"""Landmarks of the war that are not settlements (Snake Island, the Kakhovka dam, the Zaporizhzhia
nuclear power plant, the Crimean bridge), read from geo/rules/landmarks.toml and found in text.

A landmark is pinned at its own position: the gazetteer either lacks it (Snake Island) or has only
the town it is named after, often kilometres away and sometimes across a river (Kakhovka for the
dam at Nova Kakhovka). Its names are phrases in English, Ukrainian and Russian whose words may be
stems, so the inflected forms ("на острові Зміїному", "Каховской ГЭС") need no morphology. Each
phrase has a capitalised word; one regular expression finds those words (a capital letter is rare
in text, so the search skips most of it), and the phrases holding a word found are then matched
around it. The English and the Cyrillic readers (geo.geoparse, geo.geoparse_cyr) call `find`, and
a landmark found wins over any name it overlaps ("Kakhovka" of "the Kakhovka dam").
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from geo.cyrillic import within
from geo.errors import GeoError
from geo.model import Place, PlaceMention, Precision

DATA = Path(__file__).resolve().parent / "rules" / "landmarks.toml"
LANGUAGES = ("en", "uk", "ru")
_SEP = r"[^\S\n]+[«\"“]?"  # words of one line, the next perhaps opening a quotation ("аеропорту «Антонов»")
_BEFORE = r"(?<![\w'’ʼ-])"
_CAPITAL_WORD = re.compile(r"[^\W\d_]")


class LandmarkError(GeoError):
    """The landmark file cannot be read or breaks its conventions."""


@dataclass(frozen=True)
class Landmark:
    id: str           # the rule id, "landmark.<slug>"
    name: str
    kind: str         # "island", "dam", "nuclear power plant", ...
    place: Place      # its position, oblast (admin1) and country
    oblast: str
    precision: Precision


class Found(NamedTuple):
    start: int
    end: int
    landmark: Landmark


def _alternative(word: str) -> str:
    """One spelling of a word as a regex: a stem ("Зміїн*") takes any ending; a capital stays one."""
    stem = word.endswith("*")
    body = word[:-1] if stem else word
    if not body:
        raise LandmarkError(f"{DATA}: an empty word in a landmark name")
    tail = r"[\w'’ʼ-]*" if stem else r"(?!\w)"
    if body[0].isupper():
        rest = body[1:]
        return re.escape(body[0]) + (f"(?i:{re.escape(rest)})" if rest else "") + tail
    return f"(?i:{re.escape(body)})" + tail


def _phrase(phrase: str, where: str) -> tuple[re.Pattern, tuple[str, ...], bool]:
    """A name phrase as a regex, the literal starts of its first capitalised word's spellings
    (what the finder searches for), and whether that word opens the phrase."""
    slots, trigger, first = [], None, False
    for k, word in enumerate(phrase.split()):
        optional = word.endswith("?")
        word = word[:-1] if optional else word
        spellings = word.split("|")
        slots.append(("(?:" + "|".join(_alternative(w) for w in spellings) + ")", optional))
        if trigger is None and not optional and all(w[:1].isupper() for w in spellings):
            trigger, first = tuple(w.rstrip("*") for w in spellings), k == 0
    if trigger is None:
        raise LandmarkError(f"{DATA}: {where}: the name {phrase!r} has no capitalised word to find it by")
    pattern, leading = "", True  # optional words before the first required one carry their own space
    for slot, optional in slots:
        if leading:
            pattern += f"(?:{slot}{_SEP})?" if optional else slot
            leading = optional
        else:
            pattern += f"(?:{_SEP}{slot})?" if optional else _SEP + slot
    return re.compile(pattern if first else _BEFORE + pattern), trigger, first


@dataclass(frozen=True)
class _Table:
    landmarks: tuple[Landmark, ...]
    finder: dict[str, re.Pattern]                                   # by language: the capitalised words
    # language -> word -> (phrase, landmark, whether the word opens the phrase)
    phrases: dict[str, dict[str, tuple[tuple[re.Pattern, Landmark, bool], ...]]]


@lru_cache(maxsize=1)
def table() -> _Table:
    """The landmark file, read once and checked: ids unique and "landmark."-prefixed, oblasts known."""
    from geo.gazetteer import Gazetteer

    try:
        data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LandmarkError(f"cannot read landmark file {DATA}: {exc}") from exc
    gaz = Gazetteer.default()
    oblasts = {r.name: r for r in (gaz.region_by_code(f"{k:02d}") for k in range(1, 30)) if r is not None}
    landmarks, seen = [], set()
    phrases: dict[str, dict[str, list]] = {lang: {} for lang in LANGUAGES}
    for entry in data.get("landmark", []):
        lid = entry.get("id")
        if not isinstance(lid, str) or not lid.startswith("landmark.") or lid in seen:
            raise LandmarkError(f"{DATA}: a landmark's id is missing, not 'landmark.<name>', or repeated: {lid!r}")
        seen.add(lid)
        oblast = oblasts.get(entry.get("oblast", ""))
        if oblast is None and entry.get("country", "UA") == "UA":
            raise LandmarkError(f"{DATA}: {lid}: unknown oblast {entry.get('oblast')!r}")
        place = Place(entry["name"], float(entry["lat"]), float(entry["lon"]), entry.get("country", "UA"),
                      oblast.admin1 if oblast else "", "town")
        lm = Landmark(lid, entry["name"], entry["kind"], place, oblast.name if oblast else "",
                      Precision(entry.get("precision", "town")))
        landmarks.append(lm)
        for lang in LANGUAGES:
            for phrase in entry.get(lang, ()):
                pattern, trigger, first = _phrase(phrase, lid)
                for word in trigger:
                    phrases[lang].setdefault(word, []).append((pattern, lm, first))
    # No look-behind before the words: it would keep the regex engine from skipping to the
    # letters they start with (20 times slower); `find` checks the character before instead.
    finder = {lang: re.compile("(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")")
              for lang, words in phrases.items() if words}
    # The finder reports the longest word at a place; the phrases of the shorter words it starts
    # with ("Зміїн" of "остр* Зміїн*" inside "Зміїного") are tried there too.
    return _Table(tuple(landmarks), finder,
                  {lang: {w: tuple(p for v in words if w.startswith(v) for p in words[v]) for w in words}
                   for lang, words in phrases.items()})


_REACH = 80  # how far before its capitalised word a name may start ("гідроелектростанції Каховської" is 30)


def find(text: str, languages: tuple[str, ...] = LANGUAGES, ranges: list[tuple[int, int]] | None = None) -> list[Found]:
    """Every landmark named in `text` (or only within `ranges`: sorted, disjoint), longest first where names overlap,
    sorted by start. Linear in the text: one search for the capitalised words, then a few short
    matches around each word found."""
    t = table()
    found: list[Found] = []
    for lang in languages:
        finder = t.finder.get(lang)
        if finder is None:
            continue
        by_word = t.phrases[lang]
        for m in finder.finditer(text):
            at = m.start()
            if at and (text[at - 1].isalnum() or text[at - 1] in "_'’ʼ-"):
                continue
            if ranges is not None and not within(at, ranges):
                continue
            best = None
            for pattern, lm, opens in by_word[m.group(1)]:
                # A phrase the word opens is matched there; one it does not, in a window around it.
                hits = ((pattern.match(text, at),) if opens else
                        pattern.finditer(text, max(0, at - _REACH), min(len(text), m.end() + 2 * _REACH)))
                for hit in hits:
                    if (hit is not None and hit.start() <= at < hit.end()
                            and (best is None or hit.end() - hit.start() > best.end - best.start)):
                        best = Found(hit.start(), hit.end(), lm)
            if best is not None:
                found.append(best)
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Found] = []
    for f in found:
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def mention(text: str, f: Found, article_id: str, rules: tuple[str, ...] = ()) -> PlaceMention:
    """The place record of a landmark found: at its position, its oblast filled, its rule id first."""
    lm, written = f.landmark, text[f.start:f.end]
    return PlaceMention(article_id, f.start, f.end, written, lm.name, lm.place.lat, lm.place.lon, lm.precision,
                        None, lm.place.country, lm.place.admin1, lm.oblast, 1.0, "landmark", note(lm, written),
                        rules=(lm.id, *rules))


def note(lm: Landmark, written: str) -> str:
    """What the reader shows for the pin: what the landmark is, and where the data put it."""
    article = "an" if lm.kind[:1] in "aeiou" else "a"
    return (f"{lm.name}: {article} {lm.kind} (a landmark of geo/rules/landmarks.toml, written {written!r}), "
            f"pinned at its own position in {lm.oblast or lm.place.country}")


def overlaps(f: Found, start: int, end: int) -> bool:
    return f.start < end and start < f.end


def by_id(rule_id: str) -> Landmark:
    return next(lm for lm in table().landmarks if lm.id == rule_id)
