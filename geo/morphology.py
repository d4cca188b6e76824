"""Ukrainian and Russian morphology through pymorphy3 (OpenCorpora / VESUM dictionaries).

Used two ways: at gazetteer build time, every form of a place name the dictionary knows is
indexed (Суми -> Сум, Сумах, Сумами); at extraction time, a capitalised word the index lacks is
lemmatised, and *every* parse is kept, because for place names the first parse is often wrong
(Харкові -> "харко", a surname; Києві -> "кий"). pymorphy3 is imported lazily, once, with one
clear message when it is missing.
"""
from __future__ import annotations

import re
from functools import lru_cache

from geo.errors import GeoError

_APOSTROPHES = re.compile(r"[’ʼ`´‘]")
# The cases of pymorphy's tag set, by the short names geo/rules/*/declension.toml uses.
CASES = {"nomn": "nom", "gent": "gen", "gen2": "gen", "datv": "dat", "accs": "acc", "ablt": "ins",
         "loct": "loc", "loc2": "loc"}


class MorphologyError(GeoError):
    """pymorphy3 or one of its dictionaries is not installed."""


@lru_cache(maxsize=2)
def analyzer(language: str):
    """The pymorphy3 analyzer for "uk" or "ru" (loading one takes about a third of a second)."""
    try:
        import pymorphy3
        return pymorphy3.MorphAnalyzer(lang=language)
    except (ImportError, ValueError, OSError) as exc:
        raise MorphologyError(
            f"Ukrainian and Russian articles need pymorphy3 with its {language} dictionary: "
            f"pip install pymorphy3 pymorphy3-dicts-uk pymorphy3-dicts-ru ({exc})") from exc


def _plain(word: str) -> str:
    """The spelling the dictionaries use: lower case, the ASCII apostrophe."""
    return _APOSTROPHES.sub("'", word.lower())


@lru_cache(maxsize=100_000)
def lemmas(word: str, language: str) -> tuple[str, ...]:
    """Every lemma any parse of `word` gives, in pymorphy's order, without repeats."""
    return tuple(dict.fromkeys(p.normal_form for p in analyzer(language).parse(_plain(word))))


def known_forms(lemma: str, language: str) -> list[tuple[str, str]]:
    """(form, case) of every form of `lemma` that the dictionary itself knows as a noun or
    adjective whose nominative is `lemma` (not a guess from the ending); [] when it knows none.
    Singular only, unless the word has no singular (Суми)."""
    plain = _plain(lemma)
    morph = analyzer(language)
    out: list[tuple[str, str]] = []
    if not morph.word_is_known(plain):  # parsing an unknown word means guessing, and is slow
        return out
    for parse in morph.parse(plain):
        tag = parse.tag
        if (parse.normal_form != plain or tag.case != "nomn" or tag.POS not in ("NOUN", "ADJF")
                or type(parse.methods_stack[0][0]).__name__ != "DictionaryAnalyzer"):
            continue
        plural_only = "Pltm" in tag or tag.number == "plur"
        for form in parse.lexeme:
            t = form.tag
            if (t.number == "plur") != plural_only or (tag.gender and t.gender and t.gender != tag.gender):
                continue
            case = CASES.get(t.case or "")
            if case:
                out.append((form.word, case))
        if out:
            break
    return out
