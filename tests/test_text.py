from geo.text import sentence_at, sentences


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
