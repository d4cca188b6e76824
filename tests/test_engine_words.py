"""The fast word searches of the extraction engine answer exactly as the regular expressions they
replace (geo.text.WordSearch), on real article text and on the cases lower-casing could break."""
import random
import re

import pytest

from geo import dates, figures, placing
from geo.text import WordSearch, sentences
from tests.conftest import ARTICLES

SEARCHES = {"violence": dates.VIOLENCE, "toll update": figures._UPDATE, "bodies of the killed": figures._BODY_KILLED,
            "the event told": figures._THE_EVENT_REF, "a place introduced": placing._PREFERRED_BEFORE,
            "another name": placing._ALIAS_BEFORE}
TRICKY = ["The toll rose", "THE TOLL ROSE", "Tolls", "atoll", "toll_free", "_toll", "ſtill in hospital",
          "İn total", "İstanbul shelling", "Kılled", "\u212aILLED in a strike", "air-strike", "air  strike",
          "drone—strike", "died later in the hospital", "from the rubble", "UNDER DEBRIS", "shelling.", "(attack)",
          "the deadly strike", "This  Attack", "shot dead", "in the town of ", "known as ", "Name, ", "called "]


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(ARTICLES.glob("*.txt"))]
    assert texts, "no sample articles"
    return [s.text for t in texts for s in sentences(t)]


@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_a_word_search_answers_as_its_regular_expression(name):
    search = SEARCHES[name]
    rnd = random.Random(8)
    mixed = [" ".join(rnd.choices(TRICKY, k=rnd.randint(1, 4))) for _ in range(2000)]
    cases = _sentences() + TRICKY + mixed
    found = [search.found(s) for s in cases]
    assert found == [search.slow.search(s) is not None for s in cases]
    assert any(found) and not all(found)


def test_a_word_search_is_case_blind_and_keeps_word_boundaries():
    search = WordSearch(r"toll|stood\s+at|from\s+(?:the\s+)?rubble")
    assert search.found("The TOLL stood at 12, pulled FROM THE RUBBLE")
    assert search.found("Stood  at")
    assert not search.found("an atoll, tolls, tollbooth")
    assert search.found("ſtood at") == (re.search(r"\bstood\s+at\b", "ſtood at", re.I) is not None)


def test_a_word_search_refuses_a_pattern_it_cannot_speed_up():
    with pytest.raises(ValueError):
        WordSearch(r"(?:on\s+)?the\s+day")
    with pytest.raises(ValueError):
        WordSearch(r"Toll|rose")


def test_the_word_before_a_full_stop_is_the_one_the_regular_expression_found():
    """geo.text._word_before replaced a search for (?<![A-Za-z])[A-Za-z][A-Za-z.]*\\Z over the 40
    characters before a stop; it must find the same word wherever the stop is."""
    from geo.text import _word_before

    reference = re.compile(r"(?<![A-Za-z])[A-Za-z][A-Za-z.]*\Z")
    rnd = random.Random(40)
    pieces = [".", "..", " ", "\n", "Mr", "U.S", "e.g", "x", "abcdefghij", "é", "1", "-", "A."]
    texts = ["".join(rnd.choices(pieces, k=rnd.randint(0, 30))) for _ in range(3000)]
    for text in texts:
        for end in range(len(text) + 1):
            m = reference.search(text, max(0, end - 40), end)
            assert _word_before(text, end) == (m.group() if m else None), (text, end)


def test_abbreviations_in_a_long_run_of_letters_do_not_end_a_sentence():
    text = "Troops of the U.S. and e.g. NATO met in St. Petersburg. Then they left."
    assert [s.text for s in sentences(text)] == ["Troops of the U.S. and e.g. NATO met in St. Petersburg.", "Then they left."]


HEAD_SEARCHES = {"weekday": dates._WEEKDAY_SEARCH, "relative day": dates._RELATIVE_DAY_SEARCH,
                 "anchored to another event": dates._ANCHORED_SEARCH, "said on": dates._SAID_ON_SEARCH,
                 "toll on": dates._TOLL_ON_SEARCH, "still on": dates._STILL_ON_SEARCH,
                 "tied to an event noun": dates._TIED_BEFORE_SEARCH}
HEAD_WORDS = ["on", "On", "the", "THE", "same", "day", "days", "Day", "night", "morning", "evening", "that", "this",
              "earlier", "later", "after", "before", "previous", "past", "next", "following", "a", "one", "two",
              "Six", "3", "٣", "came", "took place", "took  place", "occurred", "follows", "just", "yesterday",
              "overnight", "over", "during", "in", "last", "early", "late", "Monday", "TUESDAY", "sunday", "friday's",
              "said", "Said", "told", "reporters", "reported", "as", "of", "As of", "rose", "to", "at", "stood", "was",
              "12", "1,200", "people", "dead", "killed", "still", "remained", "remain", "missing", "by", "strike",
              "air strike", "attack", "shelling", "which took place", "hit", "the city", "İn", "ſame", "ıs", "\u212aill",
              "_on", "day_", "-", ",", ".", ";", "\n", "’s", "rose to 12 people", "stood at 1,200", "still missing",
              "remains unaccounted for", "the same day", "two days later", "the day before", "A day after",
              "came a day after", "that same night", "the previous day", "took place only 2 days earlier"]


def _head_search_cases() -> list[str]:
    rnd = random.Random(9)
    mixed = [" ".join(rnd.choices(HEAD_WORDS, k=rnd.randint(1, 12))) + rnd.choice(["", "", " on ", " by  ", " of "])
             for _ in range(4000)]
    real = _sentences()
    windows = [s[max(0, k - 60):k] for s in real[:400] for k in range(0, len(s), 7)]
    return real + windows + mixed


def _matches(matches) -> list:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("name", sorted(HEAD_SEARCHES))
def test_a_head_search_finds_what_its_regular_expression_finds(name):
    """geo.text.HeadSearch matches only where one of its heads opens a word; every match of the
    pattern must open so, or a date would be missed."""
    search = HEAD_SEARCHES[name]
    cases = _head_search_cases()
    hits = 0
    for s in cases:
        plain = search.pattern.search(s)
        assert _matches([search.search(s)] if search.search(s) else []) == _matches([plain] if plain else []), s
        assert _matches(search.finditer(s)) == _matches(search.pattern.finditer(s)), s
        hits += plain is not None
    assert 0 < hits < len(cases)


def test_a_head_search_refuses_a_head_it_cannot_skip_to():
    from geo.text import HeadSearch

    with pytest.raises(ValueError):
        HeadSearch(re.compile(r"\bthe\b", re.I), [r"(?:on\s+)?the"])


def test_entry_headers_are_found_as_the_multi_line_pattern_finds_them():
    """dates._entry_lines tries _ENTRY_LINE only at line starts; it must give the same matches."""
    rnd = random.Random(7)
    pieces = ["10 July 2023", "Sunday 9 July 2023", "15 July, 09:27 AM", " ", "\t", "\n", "\n\n", "of", "x", "09:15",
              ", ", "Monday,", "July", "5", "2022", " UK", "at 10.30 pm", "\r\n"]
    texts = ["".join(rnd.choices(pieces, k=rnd.randint(0, 25))) for _ in range(5000)]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(ARTICLES.glob("*.txt"))]
    found = 0
    for text in texts:
        plain = [(m.span(), m.groupdict()) for m in dates._ENTRY_LINE.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in dates._entry_lines(text)] == plain, text
        found += bool(plain)
    assert 0 < found < len(texts)
