from datetime import date

import pytest

from geo.dates import EventDate, date_from_text, event_date
from geo.model import TimePrecision

MONDAY = date(2022, 4, 4)
FRIDAY = date(2022, 9, 16)


@pytest.mark.parametrize("sentence, published, expected, precision, words", [
    ("The development was confirmed by Iryna Venediktova on Sunday.", MONDAY, date(2022, 4, 3),
     TimePrecision.DAY, "on Sunday"),
    ("A regional police official said on Thursday (Sept 15), adding that some died.", FRIDAY,
     date(2022, 9, 15), TimePrecision.DAY, "on Thursday (Sept 15)"),
    ("Satellite imagery taken on March 31 shows the trench.", MONDAY, date(2022, 3, 31), TimePrecision.DAY,
     "on March 31"),
    ("Michel on April 3 called it a massacre.", MONDAY, date(2022, 4, 3), TimePrecision.DAY, "on April 3"),
    ("The grave was found on 31 March 2022.", MONDAY, date(2022, 3, 31), TimePrecision.DAY, "on 31 March 2022"),
    ("— olexander scherba (@olex_scherba) September 15, 2022", FRIDAY, date(2022, 9, 15), TimePrecision.DAY,
     "September 15, 2022"),
    ("Liz Truss last night said she was appalled.", MONDAY, date(2022, 4, 3), TimePrecision.DAY, "last night"),
    ("Yesterday rescuers found 12 bodies.", MONDAY, date(2022, 4, 3), TimePrecision.DAY, "Yesterday"),
    ("Rescuers are still searching today.", MONDAY, MONDAY, TimePrecision.DAY, "today"),
    ("On Monday the toll rose.", MONDAY, MONDAY, TimePrecision.DAY, "On Monday"),
    ("Thousands of Russian troops fled Izium at the weekend.", FRIDAY, date(2022, 9, 10),
     TimePrecision.WEEK, "at the weekend"),
    ("Deminers cleared 3,000 mines earlier this month.", FRIDAY, date(2022, 9, 1), TimePrecision.MONTH,
     "earlier this month"),
    ("Forces retook 2,400 square miles in September.", FRIDAY, date(2022, 9, 1), TimePrecision.MONTH,
     "in September"),
    ("The city was besieged in December.", FRIDAY, date(2021, 12, 1), TimePrecision.MONTH, "in December"),
])
def test_event_date_resolves_written_dates_against_publication(sentence, published, expected, precision, words):
    assert event_date(sentence, "", published) == EventDate(expected, precision, words)


def test_month_day_after_publication_belongs_to_the_previous_year():
    assert event_date("The strike on December 30 killed 12.", "", date(2023, 1, 5)).day == date(2022, 12, 30)


def test_date_for_the_same_claim_comes_from_the_context_when_the_sentence_has_none():
    found = event_date("As many as 410 civilian bodies were recovered.",
                       "The development was confirmed by prosecutor general Iryna Venediktova on Sunday.", MONDAY)
    assert found == EventDate(date(2022, 4, 3), TimePrecision.DAY, "on Sunday")


def test_the_sentence_own_date_wins_over_the_context():
    assert event_date("On April 1 rescuers found 12 bodies.", "Officials said on Sunday.", MONDAY).day == date(2022, 4, 1)


def test_no_date_falls_back_to_publication_marked_article():
    assert event_date("Rescuers found 12 bodies.", "", MONDAY) == EventDate(MONDAY, TimePrecision.ARTICLE, "")


def test_relative_words_without_a_publication_date_give_no_date():
    assert event_date("On Sunday rescuers found 12 bodies yesterday.", "", None) == EventDate(
        None, TimePrecision.ARTICLE, "")


def test_full_written_date_needs_no_publication_date():
    assert event_date("Graves were found on September 15, 2022.", "", None).day == date(2022, 9, 15)


def test_leading_date_line_is_the_publication_date_not_an_event_date():
    sentence = "date 2022-09-16 KYIV - Ukrainian authorities have found a mass grave of more than 440 bodies."
    assert event_date(sentence, "", FRIDAY).precision is TimePrecision.ARTICLE


def test_date_from_text_reads_the_leading_date_line_of_seed_003(articles_dir):
    text = (articles_dir / "003_40143d16604e355b.txt").read_text(encoding="utf-8")
    assert date_from_text(text) == date(2022, 9, 16)


@pytest.mark.parametrize("text", [
    "Mass graves found in Izium\nPublished: 16 September 2022\nKYIV - ...",
    "By Jane Doe\nPublished on September 16, 2022 at 10:12\n",
    "Posted: Friday, 16 September 2022\n",
])
def test_date_from_text_reads_published_datelines(text):
    assert date_from_text(text) == date(2022, 9, 16)


def test_date_from_text_ignores_articles_that_state_no_date(articles_dir):
    for name in ("000_5ee58bf401263aac.txt", "001_a8534a7934f2fb9e.txt", "004_f85a9b2e09923da0.txt"):
        assert date_from_text((articles_dir / name).read_text(encoding="utf-8")) is None


def test_a_period_start_is_not_the_event_date():
    found = event_date("The UN said 1,189 civilians had been killed since Feb. 24.", "", date(2022, 4, 1))
    assert found == EventDate(date(2022, 4, 1), TimePrecision.ARTICLE, "")


def test_the_day_before_resolves_against_publication():
    assert event_date("Shelling killed three people the day before.", "", date(2023, 8, 7)) == EventDate(
        date(2023, 8, 6), TimePrecision.DAY, "the day before")


def test_odd_unicode_that_regex_case_folding_accepts_does_not_crash():
    # re.I matches the long s "ſ" as "s"; the lookups must fold the same way.
    got = event_date("on ſunday, ſeptember 4", "", date(2022, 9, 6))
    assert got.day is not None


def test_overnight_in_the_days_copy_is_the_publication_day():
    assert event_date("Drones hit the port of Reni overnight, injuring four.", "", date(2023, 9, 4)) == EventDate(
        date(2023, 9, 4), TimePrecision.DAY, "overnight")


def test_over_the_past_day_is_the_day_before_publication():
    assert event_date("Shelling killed two civilians over the past day.", "", date(2023, 9, 4)).day == date(2023, 9, 3)


def test_a_span_over_a_whole_month_is_that_month_not_its_last_day():
    got = event_date("From 1 to 30 September 2024, the monitoring mission recorded 574 civilian casualties.", "",
                     date(2024, 10, 8))
    assert (got.day, got.precision) == (date(2024, 9, 1), TimePrecision.MONTH)
    got = event_date("Between 1 and 31 January, 12 civilians were killed in the region.", "", date(2024, 2, 9))
    assert (got.day, got.precision) == (date(2024, 1, 1), TimePrecision.MONTH)
    assert event_date("On 30 September, a drone killed two people.", "", date(2024, 10, 8)).precision is TimePrecision.DAY
