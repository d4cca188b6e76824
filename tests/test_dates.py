from datetime import date

import pytest

from geo.dates import (EventDate, Publication, anchored, days_after, event_clues, event_date, fitting_years,
                       is_statement_date, publication_date, year_floor,
                       span, statement_date)
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
    found = event_date(sentence, "", published)
    assert (found.day, found.precision, found.text) == (expected, precision, words)


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


def stated(text: str) -> date | None:
    """The publication date the text states itself (basis `text`), else None."""
    found = publication_date(text)
    return found.day if found.basis == "text" else None


def test_the_publication_date_is_read_from_the_leading_date_line_of_seed_003(articles_dir):
    text = (articles_dir / "003_40143d16604e355b.txt").read_text(encoding="utf-8")
    assert stated(text) == date(2022, 9, 16)


@pytest.mark.parametrize("text", [
    "Mass graves found in Izium\nPublished: 16 September 2022\nKYIV - ...",
    "By Jane Doe\nPublished on September 16, 2022 at 10:12\n",
    "Posted: Friday, 16 September 2022\n",
])
def test_the_publication_date_is_read_from_published_labels(text):
    assert stated(text) == date(2022, 9, 16)


def test_articles_that_state_no_date_have_no_stated_publication_date(articles_dir):
    for name in ("000_5ee58bf401263aac.txt", "001_a8534a7934f2fb9e.txt", "004_f85a9b2e09923da0.txt"):
        assert stated((articles_dir / name).read_text(encoding="utf-8")) is None


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


@pytest.mark.parametrize("text, day, words", [
    ("Kramatorsk cafe strike: toll rises to 12 (01.15.2023)\nA Russian missile ...", date(2023, 1, 15), "01.15.2023"),
    ("Zaporizhzhia, 06.03.2024 — Russian drones hit the city overnight.", date(2024, 3, 6), "06.03.2024"),
    ("Shelling of Kherson\nVideo uploaded on April 8, 2022\nThe governor said ...", date(2022, 4, 8),
     "uploaded on April 8, 2022"),
    ("ODESA, 2 March 2024 (Ukrinform) — A drone hit an apartment block.", date(2024, 3, 2),
     "ODESA, 2 March 2024 (Ukrinform)"),
    ("Drone strike on Odesa\nSaturday 2 March 2024 14:20, UK\nA drone hit ...", date(2024, 3, 2),
     "Saturday 2 March 2024 14:20, UK"),
])
def test_an_article_without_a_manifest_date_states_its_own(text, day, words):
    assert publication_date(text) == Publication(day, "text", words)


def test_a_numeric_date_both_ways_possible_is_read_so_it_is_not_older_than_the_dates_the_article_gives():
    text = "Sumy (05.04.2025)\nOn April 20, 2025, a drone hit a bus near Sumy, killing one."
    assert publication_date(text).day == date(2025, 5, 4)
    assert publication_date("Sumy (05.04.2025)\nA drone hit a bus.").day == date(2025, 4, 5)


def test_without_a_stated_date_the_latest_full_date_the_article_gives_is_inferred():
    text = ("On 2 June 2023, shelling killed two people in Nikopol. On 5 June 2023, a drone injured three.\n"
            "Residents said on Sunday that the shelling had not stopped.")
    assert publication_date(text) == Publication(date(2023, 6, 5), "inferred", "On 5 June 2023")
    assert publication_date("Shelling killed two people on Sunday.") == Publication(None, "unknown")


@pytest.mark.parametrize("sentence, shift, words", [
    ("The day before, a drone injured three people in Pavlohrad.", -1, "The day before"),
    ("On the same day, shelling killed a woman in Ternivka.", 0, "On the same day"),
    ("The same night, a drone hit a warehouse.", 0, "The same night"),
    ("Two days later, a missile hit the port.", 2, "Two days later"),
    ("The strike came three days after shelling killed four people in Zatoka.", -3, "came three days after"),
])
def test_words_that_date_an_event_from_the_one_told_before(sentence, shift, words):
    assert anchored(sentence) == (shift, words)
    assert anchored("Shelling killed two people on Sunday.") is None


def test_a_date_on_the_statement_gives_way_to_the_date_of_the_event():
    sentence = "The death toll from Saturday's drone strike on Pavlohrad rose to nine on Monday, the governor said."
    found = event_date(sentence, "", date(2023, 5, 2))
    assert (found.day, found.text) == (date(2023, 4, 29), "Saturday")
    assert statement_date(sentence, date(2023, 5, 2)).day == date(2023, 5, 1)
    said = event_date("Shelling killed two people in Kharkiv, the governor said on Saturday.", "", date(2023, 5, 2))
    assert said.day == date(2023, 4, 29) and is_statement_date(
        "Shelling killed two people in Kharkiv, the governor said on Saturday.", said)


@pytest.mark.parametrize("sentence, precision, first, last", [
    ("A drone attack injured nine workers last week.", TimePrecision.WEEK, date(2023, 5, 22), date(2023, 5, 28)),
    ("Shelling killed two at the weekend.", TimePrecision.WEEK, date(2023, 5, 27), date(2023, 5, 28)),
    ("Between 10 and 12 May, shelling killed six.", TimePrecision.RANGE, date(2023, 5, 10), date(2023, 5, 12)),
    ("In May, shelling killed 40.", TimePrecision.MONTH, date(2023, 5, 1), date(2023, 5, 31)),
    ("On Monday, shelling killed two.", TimePrecision.DAY, date(2023, 5, 29), date(2023, 5, 29)),
])
def test_an_event_date_covers_the_days_its_words_allow(sentence, precision, first, last):
    found = event_date(sentence, "", date(2023, 5, 31))
    assert found.precision is precision
    assert span(found.day, found.precision, found.end) == (first, last)


def test_overnight_into_a_weekday_is_that_night_not_the_publication_day():
    assert event_date("Drones struck Mykolaiv overnight into Sunday, injuring four.", "", date(2024, 3, 18)).day == date(2024, 3, 17)
    assert event_date("Drones struck Sumy overnight, injuring two.", "", date(2024, 3, 18)).day == date(2024, 3, 18)


# ---- publication date worked out from the text (docs/dates.md) ------------------------------

def test_a_weekday_with_day_and_month_gives_the_one_war_year_it_fits_after_the_era_its_words_allow():
    text = ("Two people were killed when a missile hit a school in Sumy, the head of the regional military "
            "administration said on Thursday, 9 March.")
    found = publication_date(text)
    # 9 March was a Thursday in 2017 and 2023; a military administration exists only since 2022
    assert (found.day, found.basis, found.rule, found.text) == (
        date(2023, 3, 9), "inferred", "date.pub-weekday-year", "on Thursday, 9 March")


def test_a_weekday_with_day_and_month_that_fits_two_war_years_gives_no_year():
    found = publication_date("A drone hit a bus depot in Sumy on Thursday, 9 March, injuring four.")
    assert (found.day, found.basis) == (None, "unknown")


def test_the_war_years_a_weekday_fits():
    assert fitting_years(3, 9, 3, date(2014, 1, 1)) == [2017, 2023]
    assert fitting_years(3, 9, 3, year_floor("the city military administration said")) == [2023]
    assert year_floor("President Zelensky said") == date(2019, 5, 20)


def test_a_dateline_without_its_year_takes_the_year_its_lede_weekday_fits():
    text = ("Rescuers end search in Zaporizhzhia\n"
            "ZAPORIZHZHIA, Ukraine, Oct. 9 (Reuters) - Rescuers stopped searching the ruins of a block of flats "
            "on Monday, President Volodymyr Zelenskiy said.\nMore text.")
    found = publication_date(text)
    assert (found.day, found.basis, found.rule) == (date(2023, 10, 9), "inferred", "date.pub-dateline-weekday")


def test_a_numeric_date_signing_off_the_article_is_its_publication_date():
    text = "Shelling hit the market in Kherson again.\n\nMore lines of text about the market.\n\n14.06.2023, Day 476 of the war"
    found = publication_date(text)
    assert (found.day, found.basis, found.rule) == (date(2023, 6, 14), "text", "date.pub-numeric")


def test_days_without_a_year_after_a_month_with_one_are_the_next_ones():
    text = ("In December 2023 a drone hit the port of Izmail.\n"
            "On August 14, the port was hit again. As of August 16, three people were in hospital.")
    found = publication_date(text)
    assert (found.day, found.basis, found.rule) == (date(2024, 8, 16), "inferred", "date.pub-latest-date")


def test_a_weekday_just_after_the_latest_written_date_moves_the_publication_date_there():
    text = ("A photo taken in Kramatorsk on March 3, 2024 shows the ruins.\n"
            "The toll reached 12 on Tuesday, officials said.")
    # 3 March 2024 was a Sunday: "Tuesday" is two days later, not five days earlier
    assert publication_date(text).day == date(2024, 3, 5)


def test_a_date_line_that_cannot_be_read_says_why_and_the_other_passes_still_run():
    found = publication_date("date 2022-13-40\nPublished: 16 September 2022\n")
    assert found.day == date(2022, 9, 16) and found.problem.startswith("the date line 'date 2022-13-40'")


# ---- which date of a sentence ---------------------------------------------------------------

def test_a_date_told_right_before_a_verb_of_saying_dates_the_statement():
    sentence = "President Zelensky on Sunday condemned the strike that killed four people in Sumy on Saturday."
    found = event_date(sentence, "", date(2023, 4, 17))
    assert (found.day, found.text) == (date(2023, 4, 15), "on Saturday")
    assert is_statement_date(sentence, event_date("President Zelensky on Sunday condemned it.", "", date(2023, 4, 17)))


def test_a_figure_takes_the_date_of_its_own_clause():
    sentence = ("A mid-May strike killed 11 people at a depot in Pavlohrad, and a drone attack on Sumy killed four "
                "last week.")
    published = date(2023, 6, 7)
    assert event_date(sentence, "", published, sentence.index("11")).text == "mid-May"
    assert event_date(sentence, "", published, sentence.index("four")).text == "last week"


def test_a_date_followed_by_a_day_after_tells_how_far_back_the_event_was():
    sentence = "Rescuers searched the ruins on Tuesday, a day after the missile struck the building."
    assert days_after(sentence, event_date(sentence, "", date(2023, 5, 3))) == 1
    plain = "Rescuers searched the ruins on Tuesday."
    assert days_after(plain, event_date(plain, "", date(2023, 5, 3))) == 0


def test_an_attack_that_comes_a_day_after_another_dates_the_other_one_back():
    assert anchored("The strikes come one day after an attack on Kherson killed two.") == (-1, "come one day after")


def test_the_clues_an_undated_article_gives_of_its_strike_leave_statements_out():
    text = ("The death toll climbed to 57 on Sunday from a rocket attack Friday on the station.\n"
            "On May 25, Russian forces shelled the market. The mayor spoke on Tuesday.")
    day_months, weekdays = event_clues(text)
    assert day_months == {(5, 25): "On May 25"}
    assert weekdays == {4: "Friday"}


def test_a_holiday_with_a_fixed_date_is_that_day_of_the_last_year_it_has_passed():
    found = event_date("Russia's New Year's Eve barrage of drones killed a man in Kyiv.", "", date(2024, 1, 2))
    assert (found.day, found.precision, found.rule) == (date(2023, 12, 31), TimePrecision.DAY, "date.holiday")
    assert event_date("A drone hit a café in Kherson on Christmas Day.", "", date(2023, 12, 27)).day == date(2023, 12, 25)


def test_the_day_of_the_invasion_is_no_bound_for_the_publication_date():
    text = "Since the full-scale invasion on February 24, 2022, the town was shelled daily. On 11 April a drone hit it."
    assert publication_date(text) == Publication(None, "unknown")
    assert publication_date("In February 2022 the war began. On 11 April a drone hit the town.").day is None


def test_an_inferred_publication_date_says_how_in_the_articles_notes():
    from geo.articles import load_bytes

    a = load_bytes("a.txt", "The regional military administration said on Friday, April 28, that a missile hit Uman.".encode())
    assert (a.published, a.published_basis) == (date(2023, 4, 28), "inferred")
    assert a.notes == ("publication date 2023-04-28 inferred from the text: 'on Friday, April 28' (date.pub-weekday-year)",)
