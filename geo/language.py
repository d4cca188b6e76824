"""Which language an article is written in: Ukrainian, Russian, English, or a mix.

Letters decide, not a model: Cyrillic against Latin first, then the letters only one of the two
Cyrillic alphabets has (і ї є ґ are Ukrainian; ы э ъ ё are Russian). That is exact enough for
news copy, works offline on a one-line Telegram post, and costs one pass over the text.
Paragraph by paragraph, so an English article quoting a Ukrainian post is "mixed", and the
extractor can send each paragraph down the path that reads it (see `paragraphs`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UK, RU, EN, MIXED = "uk", "ru", "en", "mixed"

_UK_ONLY = frozenset("іїєґІЇЄҐ")
_RU_ONLY = frozenset("ыэъёЫЭЪЁ")
# Short function words that tell the two apart when a paragraph has none of the letters above.
_UK_WORDS = frozenset("що та й з із зі це від під також було яка який які щодо він вона вони".split())
_RU_WORDS = frozenset("и с из что это его был была было также который которая которые при от он она они".split())
_WORDS = re.compile(r"[а-яёіїєґ']+")
_PARAGRAPH = re.compile(r"[^\n]+")
# A paragraph needs this many letters to vote; shorter lines (a dateline, "Фото:") follow the article.
_MIN_LETTERS = 12
# Russian when this many Cyrillic letters hold no і ї є ґ (and no other sign tells).
_NO_UK_LETTERS = 40
# The minority script must hold this share of an article's letters for it to count as mixed.
_MIXED_SHARE = 0.2


@dataclass(frozen=True)
class Paragraph:
    """A line of the article with the language it is written in ("" when it has too few letters)."""

    start: int
    end: int
    language: str


# The letters counted, as C-level scans (a loop over characters in Python cost a third of the
# extraction time): Cyrillic letters of U+0400-U+04FF (not the combining signs), ASCII letters.
_CYRILLIC_LETTER = re.compile("[" + "".join(c for c in map(chr, range(0x400, 0x500)) if c.isalpha()) + "]")
_NOT_ASCII_LETTER = bytes(b for b in range(128) if not chr(b).isalpha())


def _counts(text: str) -> tuple[int, int, int, int]:
    """(Cyrillic letters, Latin letters, Ukrainian-only letters, Russian-only letters)."""
    lat = len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER))
    if not _CYRILLIC_LETTER.search(text):
        return 0, lat, 0, 0
    cyr = len(_CYRILLIC_LETTER.findall(text))
    return cyr, lat, sum(map(text.count, _UK_ONLY)), sum(map(text.count, _RU_ONLY))


def _cyrillic_language(text: str, uk: int, ru: int) -> str:
    if uk != ru:
        return UK if uk > ru else RU
    words = _WORDS.findall(text.lower())
    uk_votes = sum(w in _UK_WORDS for w in words)
    ru_votes = sum(w in _RU_WORDS for w in words)
    if uk_votes != ru_votes:
        return RU if ru_votes > uk_votes else UK
    # Neither: a line of Ukrainian without one і, ї, є or ґ is rare, one of Russian without ы, э, ъ, ё is not.
    return RU if uk == 0 and sum(len(w) for w in words) >= _NO_UK_LETTERS else UK


def language_of(text: str) -> str:
    """The language of one stretch of text: "uk", "ru", "en", or "" when it has no letters to go by."""
    cyr, lat, uk, ru = _counts(text)
    if cyr + lat == 0:
        return ""
    if cyr >= lat:
        return _cyrillic_language(text, uk, ru)
    return EN


def paragraphs(text: str) -> list[Paragraph]:
    """Every non-empty line with its language; short lines take the article's majority language."""
    return [p for p, _ in _counted_paragraphs(text)]


def _counted_paragraphs(text: str) -> list[tuple[Paragraph, int]]:
    """Every non-empty line with its language and its count of letters (Cyrillic and Latin). A text
    with no Cyrillic letter at all is searched for one once, not line by line."""
    out = []
    cyrillic = _CYRILLIC_LETTER.search(text) is not None
    for m in _PARAGRAPH.finditer(text):
        line = m.group()
        if cyrillic:
            cyr, lat, uk, ru = _counts(line)
        else:
            cyr, lat, uk, ru = 0, len(line.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTER)), 0, 0
        if cyr + lat < _MIN_LETTERS:
            lang = ""
        elif cyr >= lat:
            lang = _cyrillic_language(line, uk, ru)
        else:
            lang = EN
        out.append((Paragraph(m.start(), m.end(), lang), cyr + lat))
    return out


def detect(text: str) -> str:
    """The article's language: "uk", "ru", "en", "" for no letters, or "mixed" when a second
    language holds a fifth of the letters or more (English paragraphs quoting a Ukrainian post at
    length, a Ukrainian article with a Russian statement). Letters are counted per paragraph, in
    the paragraph's language; short lines vote with the article's script majority."""
    letters: dict[str, int] = {}
    majority = None
    for p, n in _counted_paragraphs(text):
        lang = p.language
        if not lang and n:
            majority = language_of(text) if majority is None else majority
            lang = majority
        if lang:
            letters[lang] = letters.get(lang, 0) + n
    total = sum(letters.values())
    if not total:
        return ""
    if sum(n >= _MIXED_SHARE * total for n in letters.values()) >= 2:
        return MIXED
    return max(letters, key=letters.__getitem__)


def is_cyrillic(language: str) -> bool:
    return language in (UK, RU)
