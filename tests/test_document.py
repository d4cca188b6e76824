"""The document layer answers each rule's question about a sentence as searching that sentence
would (geo.document): cue words found in one sweep of the article, placed in their sentences."""
from geo import dates, figures
from geo.document import Document
from tests.conftest import ARTICLES

CUES = (dates.VIOLENCE, figures._UPDATE, figures._BODY_KILLED)


def _agrees(text: str) -> int:
    doc = Document(text)
    hits = 0
    for cue in CUES:
        for i, s in enumerate(doc.sents):
            assert doc.has(cue, i) == cue.found(s.text), (s.text, cue.slow.pattern[:40])
            hits += doc.has(cue, i)
    return hits


def test_cue_words_by_sentence_match_a_search_of_each_sentence():
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    assert texts
    assert sum(_agrees(t) for t in texts) > 0


def test_a_cue_phrase_across_a_line_break_is_read_per_sentence():
    # "shot dead" over a headline's line break is no hit of either line; "shot" alone is none either
    text = "Two men were shot\ndead bodies lay in the road. Killed, the toll rose\nstill."
    assert _agrees(text) > 0
    doc = Document(text)
    assert [doc.has(figures._BODY_KILLED, i) for i in range(len(doc.sents))] == [False, False, True, False]


def test_text_whose_case_folding_moves_offsets_is_read_per_sentence():
    text = "İstanbul mourned. A missile strike killed four; the toll rose on Friday."
    assert _agrees(text) > 0
