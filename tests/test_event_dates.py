"""Event date and report date kept apart: a toll told on later is the same event, reported later;
relative words resolve against the event they are told from. Sentences about events in no
evaluation set, with hand-made place mentions (real GeoNames coordinates)."""
from datetime import date

from geo.articles import load_bytes
from geo.dates_across import dated_across
from geo.model import Category, TimePrecision
from geo.pipeline import extract
from tests.figure_helpers import (KHARKIV, KOSTIANTYNIVKA, KRAMATORSK, PAVLOHRAD, TERNIVKA, ZATOKA, figures_of,
                                  mention)

TUESDAY = date(2023, 5, 2)


def _by_value(found):
    return {(f.value, f.category): f for f in found}


def test_a_toll_update_is_dated_to_the_strike_and_reported_as_of_its_statement():
    text = "The death toll from Saturday's drone strike on Pavlohrad rose to nine on Monday, the governor said."
    f = figures_of(text, TUESDAY, [mention(text, "Pavlohrad", PAVLOHRAD)])[0]
    assert (f.value, f.category, f.event_date, f.reported) == (9, Category.KILLED, date(2023, 4, 29), date(2023, 5, 1))


def test_a_toll_that_stood_at_n_on_a_later_day_belongs_to_the_strike_told_before():
    text = ("A Russian missile hit a hotel in Kharkiv on Friday, killing three people.\n"
            "The toll stood at five on Sunday, after two of the wounded died in hospital.")
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV)]))
    five = found[(5, Category.KILLED)]
    assert (five.event_date, five.time_precision, five.reported) == (date(2023, 4, 28), TimePrecision.DAY, date(2023, 4, 30))
    assert found[(3, Category.KILLED)].reported == TUESDAY


def test_an_undated_toll_takes_the_day_of_the_attack_the_article_tells_further_down():
    text = ("The number of people killed in the attack on Kramatorsk has risen to 11, officials said.\n"
            "The missile struck a cafe in the town centre on Sunday evening.")
    f = figures_of(text, TUESDAY, [mention(text, "Kramatorsk", KRAMATORSK)])[0]
    assert (f.value, f.event_date, f.time_precision, f.reported) == (11, date(2023, 4, 30), TimePrecision.DAY, TUESDAY)


def test_bodies_recovered_overnight_after_a_strike_count_for_the_strike():
    text = ("Wednesday's missile strike on Kramatorsk killed eight people.\n"
            "Rescuers recovered three more bodies overnight, and 40 people remain in hospital.")
    found = _by_value(figures_of(text, date(2023, 5, 5), [mention(text, "Kramatorsk", KRAMATORSK)]))
    assert found[(3, Category.BODIES)].event_date == date(2023, 5, 3)
    assert found[(40, Category.INJURED)].event_date == date(2023, 5, 3)


def test_overnight_in_a_report_of_the_night_itself_is_the_publication_day():
    text = "Russian drones struck Zatoka overnight, injuring two people."
    f = figures_of(text, TUESDAY, [mention(text, "Zatoka", ZATOKA)])[0]
    assert (f.event_date, f.reported) == (TUESDAY, TUESDAY)


def test_the_day_before_is_the_day_before_the_event_just_told_not_before_publication():
    text = "On Friday, shelling killed two people in Ternivka. The day before, a drone injured three in Pavlohrad."
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Ternivka", TERNIVKA), mention(text, "Pavlohrad", PAVLOHRAD)]))
    assert found[(3, Category.INJURED)].event_date == date(2023, 4, 27)


def test_on_the_same_day_takes_the_day_of_the_event_told_before():
    text = ("A glide bomb hit a school in Kharkiv on Saturday, injuring 12 people.\n"
            "On the same day, shelling of Ternivka killed a woman.")
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV), mention(text, "Ternivka", TERNIVKA)]))
    assert found[(1, Category.KILLED)].event_date == date(2023, 4, 29)


def test_an_attack_that_came_days_after_another_dates_the_other_one_back():
    text = ("A missile hit the port of Zatoka on Monday morning.\n"
            "The strike came two days after shelling of Kharkiv killed four people.")
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Zatoka", ZATOKA), mention(text, "Kharkiv", KHARKIV)]))
    assert found[(4, Category.KILLED)].event_date == date(2023, 4, 29)


def test_a_day_of_saying_dates_the_event_when_nothing_else_does():
    text = "Shelling killed two people in Kharkiv, the governor said on Saturday."
    f = figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV)])[0]
    assert (f.event_date, f.reported) == (date(2023, 4, 29), date(2023, 4, 29))


def test_the_same_claim_told_again_with_the_day_of_the_event_dates_both():
    text = ("Russian shelling killed two people in Kharkiv and wounded five, officials said on Tuesday.\n"
            "The two dead in Kharkiv were hit by artillery fire on Monday evening.")
    found = figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV, nth=0), mention(text, "Kharkiv", KHARKIV, nth=1)])
    two = [f for f in found if f.value == 2]
    assert len(two) == 2 and {f.event_date for f in two} == {date(2023, 5, 1)}


def test_a_figure_carries_the_span_of_days_its_date_allows():
    text = "Between 10 and 12 April, shelling of Kharkiv killed six people."
    f = figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV)])[0]
    assert (f.event_date, f.date_end, f.time_precision) == (date(2023, 4, 10), date(2023, 4, 12), TimePrecision.RANGE)
    text = "Shelling of Kharkiv killed six people last week."
    f = figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV)])[0]
    assert (f.event_date, f.date_end, f.time_precision) == (date(2023, 4, 24), date(2023, 4, 30), TimePrecision.WEEK)


def test_bodies_retrieved_from_the_rubble_a_day_later_are_victims_of_the_strike():
    text = ("A Russian drone hit an apartment block in Kharkiv late on Friday.\n"
            "Rescuers pulled the bodies of four people from the rubble on Saturday morning.")
    found = figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV)])
    assert [(f.value, f.category, f.event_date, f.reported) for f in found] == [
        (4, Category.BODIES, date(2023, 4, 28), TUESDAY)]


def test_a_count_of_the_attack_told_before_takes_its_day_not_the_previous_sentences():
    text = ("A Russian missile barrage hit Kharkiv on Saturday, killing four people.\n"
            "On Monday, officials identified the last of the dead. Twelve people sought medical help after the attack.\n"
            "In Pavlohrad, the barrage injured nine people.")
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Kharkiv", KHARKIV), mention(text, "Pavlohrad", PAVLOHRAD)]))
    assert found[(12, Category.INJURED)].event_date == date(2023, 4, 29)
    assert found[(9, Category.INJURED)].event_date == date(2023, 4, 29)


def test_a_count_dated_only_as_of_a_later_morning_belongs_to_the_strike_told_before():
    text = ("A guided bomb hit a market in Kostiantynivka on Saturday afternoon, killing seven people.\n"
            "As of Monday morning, nine people were still considered missing, the regional administration said.")
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Kostiantynivka", KOSTIANTYNIVKA)]))
    missing = found[(9, Category.MISSING)]
    assert (missing.event_date, missing.reported) == (date(2023, 4, 29), date(2023, 5, 1))
    assert missing.rules[-2:] == ("date.toll-update-back-reference", "date.weekday-anchor")


def test_a_count_told_after_a_day_after_is_dated_the_day_before():
    text = ("Rescuers found no more survivors in Kramatorsk on Sunday, a day after a missile hit the station, "
            "killing 12 people.")
    (f,) = figures_of(text, TUESDAY, [mention(text, "Kramatorsk", KRAMATORSK)])
    assert (f.value, f.event_date) == (12, date(2023, 4, 29))


def test_each_figure_of_a_sentence_takes_the_date_of_its_own_clause():
    text = ("A mid-March strike killed 11 people at a depot in Pavlohrad, and shelling of Kharkiv killed "
            "four people last week.")
    found = _by_value(figures_of(text, TUESDAY, [mention(text, "Pavlohrad", PAVLOHRAD),
                                                 mention(text, "Kharkiv", KHARKIV)]))
    assert (found[(11, Category.KILLED)].event_date, found[(11, Category.KILLED)].time_precision) == (
        date(2023, 3, 1), TimePrecision.MONTH)
    assert found[(4, Category.KILLED)].event_date == date(2023, 4, 24)


def _extract(name, text, published=None):
    return extract(load_bytes(name, text.encode("utf-8"), published=published))


def test_an_undated_article_is_dated_from_the_one_war_year_its_weekday_fits():
    ex = _extract("toll.txt", "The death toll from the missile strike on Pavlohrad rose to nine, the head of the "
                              "regional military administration said on Monday, 1 May.\n"
                              "The missile hit an apartment block on Saturday, 29 April.")
    assert (ex.article.published, ex.article.published_basis) == (date(2023, 5, 1), "inferred")
    (nine,) = ex.figures
    assert (nine.value, nine.event_date, nine.reported) == (9, date(2023, 4, 29), date(2023, 5, 1))
    assert "date.toll-update-back-reference" in nine.rules


def test_an_undated_report_takes_the_day_of_the_dated_report_of_the_same_strike_in_the_batch():
    dated = _extract("a.txt", "A Russian missile struck the railway station in Kramatorsk on Friday, killing 39 people.",
                     published=date(2022, 4, 8))
    undated = _extract("b.txt", "The toll from the rocket attack Friday on the station in Kramatorsk rose to 52, "
                                "officials said on Sunday.")
    unrelated = _extract("c.txt", "Shelling killed three people in Kharkiv on Friday.")
    assert undated.figures[0].event_date is None
    out = list(dated_across([undated, dated, unrelated]))
    assert [r.article.file for r in out] == ["a.txt", "b.txt", "c.txt"]
    (toll,) = out[1].figures
    assert (toll.value, toll.event_date, toll.time_precision, toll.date_text) == (
        52, date(2022, 4, 8), TimePrecision.DAY, "Friday (day of a.txt)")
    assert toll.rules[-1] == "date.batch-incident" and out[1].article.published is None
    assert out[2].figures[0].event_date is None  # no dated report from Kharkiv in the batch


def test_an_undated_report_stays_undated_when_the_batch_has_two_days_that_fit():
    first = _extract("a.txt", "A missile hit Kharkiv on Friday, killing three people.", published=date(2024, 5, 24))
    second = _extract("b.txt", "A missile hit Kharkiv on Friday, killing five people.", published=date(2024, 5, 31))
    undated = _extract("c.txt", "A guided bomb hit Kharkiv on Friday, killing seven people.")
    out = list(dated_across([first, second, undated]))
    assert out[2].figures[0].event_date is None


def test_a_toll_takes_the_day_of_the_attack_the_next_sentence_tells_over_a_later_one_nearby():
    text = ("The death toll from the missile strike on Kramatorsk rose to 14 on Sunday, officials said.\n"
            "Forty people were wounded in Friday's attack on the market.\n"
            "Later on, a drone hit a warehouse near Kramatorsk overnight, causing no casualties.")
    found = _by_value(figures_of(text, date(2023, 5, 1), [mention(text, "Kramatorsk", KRAMATORSK),
                                                          mention(text, "Kramatorsk", KRAMATORSK, nth=1)]))
    toll = found[(14, Category.KILLED)]
    assert (toll.event_date, toll.reported) == (date(2023, 4, 28), date(2023, 4, 30))
