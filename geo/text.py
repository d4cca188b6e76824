"""Sentence spans for running text, shared by place and figure extraction.

A rule-based splitter is enough for news copy and keeps extraction dependency-free; it knows
the abbreviations that end in a full stop mid-sentence ("Mr.", "St.", "Sept.") and treats a
line break as a boundary, because scraped articles put headlines, captions and boilerplate
("Read More", "Advert") on lines of their own. Results are memoised per text, because places,
figures and the event table all split the same article.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st prof gen col lt sgt capt maj rev jr sr no vs etc approx dept est fig "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e a.m p.m".split()
)
# A candidate end: terminal punctuation (with the word before it, to spot abbreviations) and
# closing quotes, followed by white space; or a line break.
# The lookbehind anchors the word at its start, so the engine does not retry inside every word.
_END = re.compile(r"""(?:(?<![A-Za-z])([A-Za-z][A-Za-z.]*))?([.!?…]+)['"”’)\]]*(?=\s)|\n\s*""")
_NEXT_LOWER = re.compile(r"[ \t]*[a-z]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split text into sentences with character spans (end exclusive, whitespace trimmed)."""
    return list(_split(text))


@lru_cache(maxsize=32)
def _split(text: str) -> tuple[Sentence, ...]:
    cuts: list[int] = []
    for m in _END.finditer(text):
        if m.group(2):
            word = m.group(1)
            if m.group(2) == "." and word and _is_abbreviation(word):
                continue
            if _NEXT_LOWER.match(text, m.end()):
                continue
        cuts.append(m.end())
    out = []
    begin = 0
    for cut in cuts + [len(text)]:
        s, e = begin, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Sentence(s, e, text[s:e]))
        begin = cut
    return tuple(out)


def _is_abbreviation(word: str) -> bool:
    word = word.lower().strip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def sentence_at(sents: list[Sentence], offset: int) -> Sentence | None:
    """The sentence containing a character offset, if any."""
    i = bisect.bisect_right([s.start for s in sents], offset) - 1
    if i >= 0 and sents[i].start <= offset < sents[i].end:
        return sents[i]
    return None
