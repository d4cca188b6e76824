import re

from geo.text import alternation, folded, sentence_at, sentences, whole_words
from tests.conftest import ARTICLES


def test_spans_index_the_original_text():
    text = "Bodies lay in the street.  Mr. Fedoruk said 300 died.\nRead More\nThey fled."
    got = sentences(text)
    assert [s.text for s in got] == [
        "Bodies lay in the street.", "Mr. Fedoruk said 300 died.", "Read More", "They fled."]
    assert all(text[s.start:s.end] == s.text for s in got)


def test_abbreviations_and_initials_do_not_end_a_sentence():
    got = sentences("Satellite images of St. Andrew's church, taken by U.S. firm Maxar, show a trench.")
    assert len(got) == 1


def test_a_quote_closing_mid_sentence_does_not_split_it():
    got = sentences('"We need to work with witnesses." she said. He left.')
    assert [s.text for s in got] == ['"We need to work with witnesses." she said.', "He left."]


def test_sentence_at_finds_the_sentence_holding_an_offset():
    text = "One. Two three. Four."
    sents = sentences(text)
    assert sentence_at(sents, text.index("three")).text == "Two three."
    assert sentence_at(sents, len(text) + 5) is None


def test_fast_word_scan_finds_the_same_words_as_a_plain_alternation_in_every_sample_article():
    """The speed-ups in figures, dates and attribution rely on these two patterns agreeing."""
    words = ["said", "says", "told", "saw", "reported", "reports", "killed", "dozen", "dozens"]
    plain = re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)
    tree = re.compile(r"\b(?:" + alternation(words) + r")\b", re.I)
    fast = re.compile(whole_words(words))
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        expected = [m.span() for m in plain.finditer(text)]
        assert expected and [m.span() for m in tree.finditer(text)] == expected
        assert [m.span() for m in fast.finditer(folded(text))] == expected


def test_text_with_letters_that_fold_unlike_lowercase_is_not_folded():
    assert folded("Officials SAID") == "officials said"
    assert folded("ſaid") is None  # re.IGNORECASE matches the long s to "s", lower() keeps it
    assert folded("İzmir") is None  # lower() makes two characters of one, offsets would shift
