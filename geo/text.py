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
# sentence): looking back from the few stops is faster than matching every word. The pattern
# opens with the set of its first characters, so that re skips to them (group 1: the rest of the
# run of stops; None at a line break).
_END = re.compile(r"""[.!?…\n](?:(?<=\n)\s*|([.!?…]*)['"”’)\]]*(?=\s))""")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
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
        rest = m.group(1)
        if rest is not None:
            if not rest and text[m.start()] == ".":
                word = _word_before(text, m.start())
                if word and _is_abbreviation(word):
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


def _word_before(text: str, end: int) -> str | None:
    """The word of ASCII letters and dots ("U.S", "Mr", "e.g") ending at `end`, opening on a letter
    no letter precedes, within the 40 characters before `end`; None if there is none."""
    lo = max(0, end - 40)
    window = text[lo:end]
    r = lo + len(window.rstrip(_LETTERS + "."))
    run = text[r:end]
    k = len(run) - len(run.lstrip("."))  # its first letter
    if k == len(run):
        return None
    if k == 0 and r > 0 and text[r - 1] in _LETTERS:  # the run goes on before the window: the next word in it
        dot = run.find(".")
        if dot < 0:
            return None
        k = len(run) - len(run[dot:].lstrip("."))
        if k == len(run):
            return None
    return run[k:]


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


class WordSearch:
    """Whether a text holds any of some words or phrases, each starting a word, case-blind: the
    answer of `re.search(r"\\b(?:A|B|...)" + after, text, re.I) is not None`, found several times
    faster. re tries a pattern that opens with \\b at every position, and with re.I it cannot skip
    ahead to the first letters either; so the text is lower-cased (geo.text.folded) and searched
    with a case-sensitive pattern whose branches open with their first letter, the word boundary
    tested after it (as in whole_words). Text that lower-casing would change in length or meaning
    ("İ", "ı", "ſ") is searched with the plain pattern.

    `alternation` is a regex alternation, "A|B|..." or "(?:A|B|...)", in lower case, each branch
    opening with a letter that no quantifier follows; anything else raises ValueError."""

    def __init__(self, alternation: str, after: str = r"\b") -> None:
        branches = _branches(alternation)
        self.slow = re.compile(r"\b(?:" + "|".join(branches) + ")" + after, re.IGNORECASE)
        by_first: dict[str, list[str]] = {}
        for b in branches:
            if not ("a" <= b[0] <= "z") or b[1:2] in ("?", "*", "+", "{"):
                raise ValueError(f"a branch must open with a lower-case letter: {b!r}")
            by_first.setdefault(b[0], []).append(b[1:])
        for part in (*branches, after):
            if re.search(r"[A-Z]", re.sub(r"\\.", "", part)):
                raise ValueError(f"the pattern must be lower case: {part!r}")
        self.fast = re.compile("(?:" + "|".join(rf"{c}(?<!\w.)(?:{'|'.join(rests)})" for c, rests in by_first.items())
                               + ")" + after)

    def found(self, text: str) -> bool:
        low = folded(text)
        if low is None:
            return self.slow.search(text) is not None
        return self.fast.search(low) is not None


def _branches(alternation: str) -> list[str]:
    """The top-level branches of a regex alternation, with or without one enclosing (?:...)."""
    if alternation.startswith("(?:") and _top_level(alternation)[1] == len(alternation) - 1:
        alternation = alternation[3:-1]
    return _top_level(alternation)[0]


def _top_level(s: str) -> tuple[list[str], int]:
    """The parts of s split at its top-level "|", and where the group opened at s[0] closes (-1 if none)."""
    parts, depth, start, k, in_class, closed = [], 0, 0, 0, False, -1
    while k < len(s):
        ch = s[k]
        if ch == "\\":
            k += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            k += 2 if s[k + 1:k + 3] == "^]" else 1 if s[k + 1:k + 2] == "]" else 0
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and closed < 0:
                closed = k
        elif ch == "|" and depth == 0:
            parts.append(s[start:k])
            start = k + 1
        k += 1
    return [*parts, s[start:]], closed


class HeadSearch:
    """`pattern.search` and `pattern.finditer` for a case-blind pattern that re would try at every
    position (one opening with \\b and a word), with the same matches, found faster. Its heads are
    the words a match can open with, in lower case ("the\\s", "that\\s", "\\d\\s+day"): a
    case-sensitive pattern of them over the lower-cased text (geo.text.folded) opens with the set
    of their first characters, so re skips ahead to those, and `pattern` is matched only where a
    head stands at the start of a word. The heads must be a necessary condition (every match of
    `pattern` opens with one of them; a head may stand where `pattern` then fails), which the tests
    check against the plain search. Text that lower-casing would change ("İ", "ı", "ſ") is searched
    with `pattern` itself. `pattern` must not match the empty string."""

    def __init__(self, pattern: re.Pattern, heads: list[str]) -> None:
        self.pattern = pattern
        by_first: dict[str, list[str]] = {}
        for h in heads:
            first, rest = (h[:2], h[2:]) if h.startswith("\\") else (h[0], h[1:])
            if first != r"\d" and not ("a" <= first <= "z"):
                raise ValueError(f"a head must open with a lower-case letter or \\d: {h!r}")
            by_first.setdefault(first, []).append(rest)
        branches = [f"(?<={first})(?:{'|'.join(rests)})" if any(rests) else f"(?<={first})"
                    for first, rests in by_first.items()]
        self.heads = re.compile("[" + "".join(by_first) + r"](?<!\w.)(?:" + "|".join(branches) + ")")

    def search(self, text: str, pos: int = 0, low: str | None | bool = False) -> re.Match | None:
        """pattern.search(text, pos); `low` is folded(text) when the caller has it."""
        if low is False:
            low = folded(text)
        if low is None:
            return self.pattern.search(text, pos)
        return self._search(text, low, pos)

    def _search(self, text: str, low: str, pos: int) -> re.Match | None:
        head, match = self.heads.search, self.pattern.match
        h = head(low, pos)
        while h is not None:
            at = h.start()
            m = match(text, at)
            if m is not None:
                return m
            h = head(low, at + 1)
        return None

    def finditer(self, text: str, pos: int = 0):
        low = folded(text)
        if low is None:
            yield from self.pattern.finditer(text, pos)
            return
        m = self._search(text, low, pos)
        while m is not None:
            yield m
            m = self._search(text, low, m.end())
