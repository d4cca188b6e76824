"""The document layer (issue 8): what several rules ask about one article, found once per
article in one sweep of its text and then read by sentence, instead of each rule searching each
sentence again.

It holds the sentences (geo.text.sentences) and, for each cue (a geo.text.WordSearch: the words
of violence, of a toll update), the set of sentences that hold it. A cue is swept over the whole
lower-cased article once, the first time a rule asks for it; each hit is placed in its sentence
by bisection. `has(cue, i)` gives exactly `cue.found(sentence i)`: sentences are trimmed and
separated by white space, so a hit inside one sentence sees the same word boundaries as a search
of that sentence alone; a hit that runs across a sentence break (a phrase cue over a line break)
could hide or invent one, so the sentences it touches are searched alone.
"""
from __future__ import annotations

from bisect import bisect_right

from geo.text import Sentence, WordSearch, folded, sentences


class Document:
    """One article's text, its sentences and the sentences each cue occurs in."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sents: list[Sentence] = sentences(text)
        self.starts = [s.start for s in self.sents]
        self._low: str | None | bool = False  # folded(text), worked out when a cue first asks
        self._cues: dict[int, frozenset[int]] = {}

    def has(self, cue: WordSearch, i: int) -> bool:
        """Whether sentence `i` holds the cue: the answer of cue.found(self.sents[i].text)."""
        found = self._cues.get(id(cue))
        if found is None:
            found = self._cues[id(cue)] = self._sweep(cue)
        return i in found

    def _sweep(self, cue: WordSearch) -> frozenset[int]:
        if self._low is False:
            self._low = folded(self.text)
        if self._low is None:  # lower-casing would move offsets: each sentence on its own
            return frozenset(i for i, s in enumerate(self.sents) if cue.found(s.text))
        hits: set[int] = set()
        across: set[int] = set()
        for m in cue.fast.finditer(self._low):
            i = bisect_right(self.starts, m.start()) - 1
            if i >= 0 and m.end() <= self.sents[i].end:
                hits.add(i)
            else:
                last = bisect_right(self.starts, m.end() - 1) - 1
                across.update(range(max(0, i), last + 1))
        hits.update(i for i in across - hits if cue.found(self.sents[i].text))
        return frozenset(hits)
