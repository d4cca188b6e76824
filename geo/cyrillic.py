"""Cyrillic words: tokens with offsets, the folded key they are looked up by, and romanisation.

`fold` is to Cyrillic what geo.gazetteer.fold is to Latin: the key a spelling is indexed and
looked up by. It merges only what writers interchange for the same word: case, ґ/г (ґ is often
typed as г), ё/е (ё is rarely written), ї/і (ї is often typed as і, or as a Latin i) except
after an apostrophe, the apostrophes ' ’ ʼ ` (П'ятихатки, П’ятихатки, Пʼятихатки, Пятихатки),
and Latin letters that look Cyrillic inside a Cyrillic word ("Києвi" with a Latin i). It keeps и/і/ы and е/є/э apart,
since those tell Ukrainian from Russian spellings and different names apart (Лиман, Ліман);
docs/cyrillic.md has the count of gazetteer names these merges join.

`romanise` is the official Ukrainian romanisation (KMU resolution 55 of 2010) for Ukrainian,
and a plain BGN/PCGN-style one for Russian, so a reviewer who reads no Cyrillic sees "Kharkiv".
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

# A word: letters, with apostrophes and hyphens inside it ("П'ятихатки", "Івано-Франківськ").
# Every apostrophe Ukrainian copy is typed with, "Куп‘янськ" (U+2018) and "Куп´янськ" included:
# a word that one of them split would not be found at all.
APOSTROPHES = "'’ʼ`´‘"
_WORD = re.compile(r"[^\W\d_](?:[\w" + APOSTROPHES + r"-]*[^\W\d_])?")
_HOMOGLYPHS = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
# ї after an apostrophe stays ї: Юр'ївка (Yuriivka) and Юрівка (Yurivka) are different villages.
_APOSTROPHE_YI = re.compile("[" + APOSTROPHES + "]ї")
_FOLD = str.maketrans({"ґ": "г", "ё": "е", "ї": "і", "-": " ", **{a: None for a in APOSTROPHES}})


def has_cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


class Token(NamedTuple):
    start: int
    end: int
    text: str


def tokens(text: str) -> list[Token]:
    """Every word of the text with its offsets (Latin words too: callers filter)."""
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def within(offset: int, ranges: list[tuple[int, int]]) -> bool:
    """Whether an offset falls in one of sorted, disjoint (start, end) ranges (a bisection)."""
    i = bisect_right(ranges, (offset, float("inf"))) - 1
    return i >= 0 and ranges[i][0] <= offset < ranges[i][1]


def is_capitalised(word: str) -> bool:
    """Starts with a capital letter (a Latin homoglyph counts: "Iзюм" with a Latin I)."""
    return word[:1].isupper()


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """The lookup key of a Cyrillic spelling (see the module docstring for what it merges). An
    acute accent typed as an apostrophe ("дев´ятеро") is one before NFKC, which would split it."""
    text = unicodedata.normalize("NFKC", word.replace("´", "'"))
    if has_cyrillic(text):
        text = text.translate(_HOMOGLYPHS)
    text = _APOSTROPHE_YI.sub("\0", text.casefold())
    return " ".join(text.translate(_FOLD).replace("\0", "ї").split())


def fold_text(text: str) -> tuple[str, list[int]]:
    """A running text folded character by character as `fold` folds words (lower case, ґ/г, ї/і,
    ё/е, apostrophes dropped; no NFKC and no homoglyphs), with the offset in `text` of every
    character of the result, so what a pattern finds in the folded text can be quoted as written.
    Folded a stretch between apostrophes at a time (C-level lower and translate); a text whose
    whole-string lower case is not its characters' (a dotted "İ", a Greek final sigma) the slow way."""
    low = text.lower()
    if len(low) != len(text) or "Σ" in text:
        return _fold_text_by_character(text)
    out: list[str] = []
    offsets: list[int] = []
    start = 0
    for m in _APOSTROPHE.finditer(text):
        _fold_stretch(low, start, m.start(), out, offsets)
        start = m.end()
    _fold_stretch(low, start, len(text), out, offsets)
    offsets.append(len(text))
    return "".join(out), offsets


_APOSTROPHE = re.compile("[" + APOSTROPHES + "]")


def _fold_stretch(low: str, start: int, end: int, out: list[str], offsets: list[int]) -> None:
    """Fold low[start:end], which holds no apostrophe; a "ї" right after one (start > 0) stays ї."""
    if start == end:
        return
    piece = low[start:end].translate(_FOLD)
    out.append("ї" + piece[1:] if start and low[start] == "ї" else piece)
    offsets.extend(range(start, end))


def _fold_text_by_character(text: str) -> tuple[str, list[int]]:
    out, offsets = [], []
    for i, c in enumerate(text):
        if c in APOSTROPHES:
            continue
        low = c.lower()
        if low == "ї" and i > 0 and text[i - 1] in APOSTROPHES:
            out.append(low)
            offsets.append(i)
            continue
        low = low.translate(_FOLD) if len(low) == 1 else low[0]
        out.append(low)
        offsets.append(i)
    offsets.append(len(text))
    return "".join(out), offsets


# ---- romanisation ----------------------------------------------------------------------------

# KMU 2010: the second spelling is the one at the start of a word.
_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ie", "ye"), "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": ("i", "yi"), "й": ("i", "y"), "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": ("iu", "yu"), "я": ("ia", "ya"),
    # Russian letters met in Ukrainian text (quoted names) get their nearest Ukrainian reading.
    "ы": "y", "э": "e", "ъ": "", "ё": ("io", "yo"),
}
# BGN/PCGN-style for Russian: е, ё, ю, я are iotated at the start of a word and after a vowel or ь, ъ.
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": ("e", "ye"), "ё": ("yo", "yo"), "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": ("yu", "yu"), "я": ("ya", "ya"),
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g",
}
_RU_VOWELS = frozenset("аеёиоуыэюяьъ")


def _words(text: str):
    """(chunk, is_word) pieces: a word keeps its inner apostrophes, which romanisation drops."""
    for m in re.finditer(r"[^\W\d_](?:[^\W\d_]|[" + APOSTROPHES + r"](?=[^\W\d_]))*|(?:[\W\d_])", text):
        yield m.group(), m.group()[0].isalpha()


def _romanise(text: str, table: dict, iotated_after: frozenset[str], zgh: bool) -> str:
    out = []
    for chunk, is_word in _words(text):
        if not is_word or not has_cyrillic(chunk):
            out.append(chunk)
            continue
        letters = [c for c in chunk if c not in APOSTROPHES]
        upper_word = len(letters) > 1 and all(c.isupper() for c in letters)
        for i, c in enumerate(letters):
            low = c.lower()
            rule = table.get(low)
            if rule is None:
                out.append(c)
                continue
            if isinstance(rule, tuple):
                latin = rule[1] if i == 0 or letters[i - 1].lower() in iotated_after else rule[0]
            else:
                latin = rule
            if zgh and low == "г" and i > 0 and letters[i - 1].lower() == "з":
                latin = "gh"  # зг -> zgh, so that it is not read as zh
            if c.isupper():
                latin = latin.upper() if upper_word else latin[:1].upper() + latin[1:]
            out.append(latin)
    return "".join(out)


def romanise_uk(text: str) -> str:
    """KMU 2010: Харків -> Kharkiv, Запоріжжя -> Zaporizhzhia, Згурівка -> Zghurivka,
    Юрій -> Yurii, Ізюм -> Izium, П'ятихатки -> Piatykhatky (є ї й ю я spelled y- only
    at the start of a word; apostrophes and soft signs dropped)."""
    return _romanise(text, _KMU, frozenset(), zgh=True)


def romanise_ru(text: str) -> str:
    """Харьков -> Kharkov, Белгород -> Belgorod, Ёлки -> Yolki, Мариуполь -> Mariupol."""
    return _romanise(text, _RU, _RU_VOWELS, zgh=False)


def romanise(text: str, language: str = "uk") -> str:
    """Romanise Cyrillic `text` in the convention of its language ("ru": Russian, else KMU 2010)."""
    return romanise_ru(text) if language == "ru" else romanise_uk(text)
