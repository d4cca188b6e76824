"""Sentence spans for running text, shared by place and figure extraction.

A rule-based splitter is enough for news copy and keeps extraction dependency-free; it knows
the abbreviations that end in a full stop mid-sentence ("Mr.", "St.", "Sept.") and treats a
line break as a boundary, because scraped articles put headlines, captions and boilerplate
("Read More", "Advert") on lines of their own. Results are memoised per text, because places,
figures and the event table all split the same article. Also the regex builders the extractors
share, for word lists scanned at every position of an article.
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
# A candidate end: terminal punctuation and closing quotes followed by white space, or a line
# break. Only for a full stop is the word before it looked at (an abbreviation does not end a
# sentence): looking back from the few stops is faster than matching every word.
_END = re.compile(r"""([.!?…]+)['"”’)\]]*(?=\s)|\n\s*""")
_WORD_BEFORE = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z.]*\Z")
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
        stop = m.group(1)
        if stop:
            if stop == ".":
                word = _WORD_BEFORE.search(text, max(0, m.start() - 40), m.start())
                if word and _is_abbreviation(word.group()):
                    continue
            if _NEXT_LOWER.match(text, m.end()):
                continue
        cuts.append(m.end())
    cuts.append(len(text))
    out = []
    begin = 0
    for cut in cuts:
        segment = text[begin:cut]
        body = segment.strip()
        if body:
            start = begin + len(segment) - len(segment.lstrip())
            out.append(Sentence(start, start + len(body), body))
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


def alternation(words: list[str]) -> str:
    """A regular expression alternation of literal words shaped as a prefix tree, which fails fast
    at each position (re tries the branches of a flat alternation one by one)."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return walk(tree)


def whole_words(words: list[str]) -> str:
    """A pattern for any of these lower-case words as a whole word, written so that re can skip
    ahead to their first letters: the word boundary before a word is tested after its first letter
    ("s(?<!\\w.)(?:aid|ays)"), since re tries a pattern that opens with \\b at every position."""
    firsts = sorted({w[0] for w in words})
    return "(?:" + "|".join(re.escape(f) + r"(?<!\w.)" + alternation([w[1:] for w in words if w[0] == f])
                            for f in firsts) + r")\b"


def folded(text: str) -> str | None:
    """text.lower(), when a case-sensitive lower-case pattern finds in it exactly what the same
    pattern with re.IGNORECASE finds in text, at the same offsets: the same length (no "İ"), and
    no "ı" or "ſ" (which re.IGNORECASE matches to i and s). Otherwise None."""
    low = text.lower()
    return low if len(low) == len(text) and "ı" not in text and "ſ" not in text else None
