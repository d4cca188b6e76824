"""Follow-up tolls dated to the strike they count, not to the day they were told: a date tied
to the attack beats the date of the update, a night between two days is the later day, a
weekday with a part of the day still fixes its year. Sentences about events in no evaluation
set, with hand-made place mentions (real GeoNames coordinates)."""
from datetime import date

import pytest

from geo.dates import event_date, is_statement_date, publication_date
from geo.model import TimePrecision
from tests.figure_helpers import KHARKIV, KRAMATORSK, ODESA, figures_of, mention

FRIDAY = date(2024, 3, 8)


@pytest.mark.parametrize("sentence, expected, words", [
    # The update's own day comes first, the strike's day is tied to "the attack ..., which took place".
    (("In the morning of March 7, the police confirmed that the toll of the attack on the port, which took place "
      "on March 5, had risen to nine."), date(2024, 3, 5), "on March 5"),
    # The search ended on Thursday; the strike it was for was Tuesday's.
    ("Rescuers ended the search on Thursday for survivors of Tuesday's drone strike on the dormitory.",
     date(2024, 3, 5), "Tuesday"),
    ("Workers cleared rubble on Thursday after the strike on the school on 4 March.", date(2024, 3, 4), "on 4 March"),
])
def test_a_date_tied_to_the_attack_is_its_event_date(sentence, expected, words):
    found = event_date(sentence, "", FRIDAY)
    assert (found.day, found.text) == (expected, words)


def test_without_an_attack_named_the_first_date_stays_the_event_date():
    found = event_date("On Thursday, rescuers searched the ruins; on Tuesday the mayor had visited.", "", FRIDAY)
    assert found.day == date(2024, 3, 7)


@pytest.mark.parametrize("sentence, expected", [
    ("On the night of 3 to 4 March, drones hit a warehouse.", date(2024, 3, 4)),
    ("On the night of March 3-4, 2024, drones hit a warehouse.", date(2024, 3, 4)),
    ("Overnight from Tuesday to Wednesday, drones hit a warehouse.", date(2024, 3, 6)),
    ("Drones hit a warehouse on Tuesday night into Wednesday.", date(2024, 3, 6)),
    ("Two died after the night attack on a warehouse on 3-4 March.", date(2024, 3, 4)),
])
def test_a_night_between_two_days_is_the_later_day(sentence, expected):
    found = event_date(sentence, "", FRIDAY)
    assert (found.day, found.precision, found.rule) == (expected, TimePrecision.DAY, "date.night-of")
    assert "night" in found.text.lower()  # geo.incidents lets such a claim also cover the day before


def test_two_days_without_a_night_stay_a_range():
    found = event_date("Shelling went on from 3 to 4 March.", "", FRIDAY)
    assert (found.day, found.end, found.precision) == (date(2024, 3, 3), date(2024, 3, 4), TimePrecision.RANGE)


def test_a_weekday_with_a_part_of_the_day_still_fixes_the_year_of_its_date():
    text = ("As of Tuesday evening, March 5, some 40 bodies had been exhumed, the head of the regional military "
            "administration said.")
    pub = publication_date(text)
    assert (pub.day, pub.basis) == (date(2024, 3, 5), "inferred")


def test_a_follow_up_toll_takes_the_day_of_the_attack_it_names_not_the_day_it_was_confirmed():
    text = ("On March 7, officials confirmed that the number of people killed in the attack on Kharkiv, which "
            "occurred on March 5, had increased to 12.")
    f = figures_of(text, FRIDAY, [mention(text, "Kharkiv", KHARKIV)])[0]
    assert (f.value, f.event_date, f.time_precision) == (12, date(2024, 3, 5), TimePrecision.DAY)


def test_a_toll_of_a_night_strike_between_two_days_counts_the_later_day():
    text = "On the night of 3-4 March, Russian drones struck Odesa, killing five people."
    f = figures_of(text, FRIDAY, [mention(text, "Odesa", ODESA)])[0]
    assert (f.value, f.event_date, f.time_precision) == (5, date(2024, 3, 4), TimePrecision.DAY)


def test_a_toll_told_after_a_search_is_dated_to_the_strike_the_search_followed():
    text = ("Rescuers in Kramatorsk ended the search on Thursday for survivors of Tuesday's missile strike.\n"
            "The death toll stood at 14, including two children.")
    found = figures_of(text, FRIDAY, [mention(text, "Kramatorsk", KRAMATORSK)])
    assert {(f.value, f.event_date) for f in found} >= {(14, date(2024, 3, 5))}


def test_a_toll_restated_later_without_day_or_place_is_the_one_strike_the_article_dates():
    text = ("A Russian missile struck an apartment block in Kharkiv on Tuesday, killing 30 people.\n\n"
            "The dead include three children, the mayor said.\n\n"
            "In all, 40 people were killed and 75 injured, according to the emergency service.")
    found = {(f.value, f.category.value): f for f in figures_of(text, FRIDAY, [mention(text, "Kharkiv", KHARKIV)])}
    assert found[(75, "injured")].event_date == date(2024, 3, 5)
    assert "date.article-event" in found[(75, "injured")].rules


def test_an_article_dating_two_strike_days_leaves_a_placeless_restated_toll_to_its_publication():
    text = ("A Russian missile struck an apartment block in Kharkiv on Tuesday, killing 30 people.\n\n"
            "On Wednesday, drones hit Odesa, killing two.\n\n"
            "Schools in both cities stayed closed.\n\n"
            "In all, 75 people were injured, according to the emergency service.")
    places = [mention(text, "Kharkiv", KHARKIV), mention(text, "Odesa", ODESA)]
    found = {(f.value, f.category.value): f for f in figures_of(text, FRIDAY, places)}
    assert (found[(75, "injured")].event_date, found[(75, "injured")].time_precision) == (FRIDAY, TimePrecision.ARTICLE)


def test_relative_words_in_a_live_blog_entry_resolve_against_the_entry_header():
    text = ("Ukraine war live\n\n"
            "8 March 2024, 09:15\nRussian missiles hit Kharkiv this morning, killing four people.\n\n"
            "7 March 2024, 18:40\nShelling of Odesa killed two people today, the governor said.")
    places = [mention(text, "Kharkiv", KHARKIV), mention(text, "Odesa", ODESA)]
    found = {f.value: f for f in figures_of(text, FRIDAY, places)}
    assert (found[4].event_date, found[2].event_date) == (date(2024, 3, 8), date(2024, 3, 7))
    assert found[2].reported == date(2024, 3, 7)


def test_a_live_blog_without_a_publication_date_dates_its_entries_from_their_headers():
    text = "Ukraine war live\n\n7 March 2024, 18:40\nShelling of Odesa killed two people today."
    f = figures_of(text, None, [mention(text, "Odesa", ODESA)])[0]
    assert (f.event_date, f.time_precision) == (date(2024, 3, 7), TimePrecision.DAY)


@pytest.mark.parametrize("sentence", [
    "On Thursday, officials said 12 people had been killed.",
    "At noon on March 7, the State Emergency Service officially confirmed that 12 people had died.",
])
def test_a_date_opening_a_sentence_then_who_said_it_dates_the_statement(sentence):
    found = event_date(sentence, "", FRIDAY)
    assert is_statement_date(sentence, found)


def test_a_date_opening_a_sentence_of_violence_stays_the_event():
    sentence = "On Thursday, Russian missiles killed 12 people, officials said."
    assert not is_statement_date(sentence, event_date(sentence, "", FRIDAY))


def test_a_toll_said_on_a_later_day_opening_its_sentence_counts_the_strike_told_before():
    text = "A missile hit an apartment block in Kharkiv on Tuesday.\nOn Thursday, officials said 40 people had been killed."
    f = figures_of(text, FRIDAY, [mention(text, "Kharkiv", KHARKIV)])[0]
    assert (f.value, f.event_date, f.reported) == (40, date(2024, 3, 5), date(2024, 3, 7))


def test_a_later_toll_at_a_town_restates_the_one_strike_the_article_dated_there():
    text = ("Officials admitted that 12 soldiers were killed when rockets hit a building in Kramatorsk.\n\n"
            "The ministry said four rockets had struck the barracks one minute after midnight on Tuesday. "
            "It said two other rockets had been shot down.\n"
            "Volunteers have given a far higher toll, saying about 40 soldiers were killed and about 30 wounded.")
    found = {f.value: f for f in figures_of(text, FRIDAY, [mention(text, "Kramatorsk", KRAMATORSK)])}
    assert found[12].event_date == date(2024, 3, 5)
    assert (found[40].event_date, found[30].event_date) == (date(2024, 3, 5), date(2024, 3, 5))


def test_buildings_damaged_by_the_attack_are_dated_by_the_attack_told_before():
    text = ("On Tuesday, a Russian missile struck a college in Kramatorsk.\n\n"
            "Rescuers are still clearing the debris.\n\n"
            "Due to the Russian attack, three apartment buildings were damaged.")
    found = [f for f in figures_of(text, FRIDAY, [mention(text, "Kramatorsk", KRAMATORSK)]) if f.value == 3]
    assert [(f.category.value, f.event_date) for f in found] == [("buildings", date(2024, 3, 5))]
