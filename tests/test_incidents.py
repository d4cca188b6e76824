"""Incidents: claims about one event linked, every claim kept, nothing summed; separate events
apart. Real articles (the samples and tests/fixtures/dev7) through the real pipeline, and small
hand-made tables for the rules."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from geo.articles import load_folder
from geo.events import to_frame
from geo.incidents import acled_value, apply_overrides, incidents, link, table
from geo.model import Article, Category, Figure, PlaceMention, Precision, Qualifier, TimePrecision
from geo.pipeline import Extraction, extract_many
from tests.conftest import ARTICLES

DEV7 = Path(__file__).parent / "fixtures" / "dev7"


@pytest.fixture(scope="module")
def samples():
    frame = to_frame(extract_many(load_folder(ARTICLES).articles))
    return frame, incidents(frame)


@pytest.fixture(scope="module")
def followups():
    frame = to_frame(extract_many(load_folder(DEV7).articles))
    return frame, incidents(frame)


def _at(found, place):
    return [i for i in found if i.place == place]


def test_the_izium_mass_burial_is_one_incident_holding_both_izium_articles(samples):
    frame, found = samples
    izium = _at(found, "Izium")
    assert len(izium) == 1
    inc = izium[0]
    assert set(inc.articles) == {"003_40143d16604e355b.txt", "004_f85a9b2e09923da0.txt"}
    izium_claims = set(frame[(frame["kind"] == "figure") & (frame["place"] == "Izium")]["id"])
    assert izium_claims <= set(inc.claims)
    assert {"bodies", "graves"} <= set(inc.categories)
    assert (inc.categories["graves"].min, inc.categories["graves"].max) == (400, 440)
    assert (inc.date_start, inc.geo_precision) == (date(2022, 9, 15), "town")


def test_the_bucha_killings_of_samples_000_and_001_are_linked(samples):
    _, found = samples
    bucha = _at(found, "Bucha")
    assert len(bucha) == 1
    assert {"000_5ee58bf401263aac.txt", "001_a8534a7934f2fb9e.txt"} <= set(bucha[0].articles)
    assert bucha[0].categories["killed"].max == 300


def test_a_rising_toll_reported_over_three_days_is_one_incident_with_its_latest_toll(followups):
    _, found = followups
    chernihiv = _at(found, "Chernihiv")
    assert len(chernihiv) == 1
    inc = chernihiv[0]
    assert {"t01_reuters_chernihiv.txt", "t02_ap_chernihiv_toll.txt", "t03_ukrinform_chernihiv_undated.txt"} <= set(inc.articles)
    killed = inc.categories["killed"]
    assert (killed.min, killed.max, killed.latest, killed.conservative) == (13, 18, 18, 18)
    assert killed.sources == 3
    assert (inc.date_start, inc.date_end, inc.time_precision) == (date(2024, 4, 17), date(2024, 4, 17), "day")


def test_a_strike_on_a_neighbouring_town_the_same_day_stays_separate(followups):
    _, found = followups
    assert len(_at(found, "Nizhyn")) == 1 and len(_at(found, "Chernihiv")) == 1
    assert len(_at(found, "Krasnopillia")) == 1 and len(_at(found, "Sumy")) == 1
    sumy = _at(found, "Sumy")[0]
    assert set(sumy.articles) == {"t11_sumy_same_day.txt", "t12_sumy_followup.txt"}


def test_two_strikes_on_one_city_six_weeks_apart_are_two_incidents(followups):
    _, found = followups
    odesa = sorted(_at(found, "Odesa"), key=lambda i: i.date_start)
    assert [i.date_start for i in odesa] == [date(2024, 3, 15), date(2024, 4, 29)]
    assert [i.categories["killed"].latest for i in odesa] == [21, 5]


def test_a_grave_found_and_exhumed_a_week_later_is_one_incident(followups):
    _, found = followups
    grave = [i for i in found if i.place.startswith("Vysokopil")]
    assert len(grave) == 1
    assert set(grave[0].articles) == {"t07_grave_found.txt", "t08_grave_exhumed.txt"}
    assert grave[0].categories["graves"].max == 29 and grave[0].categories["bodies"].latest == 31


def test_every_claim_is_in_exactly_one_incident(followups):
    frame, found = followups
    claims = [c for i in found for c in i.claims]
    figures = frame[frame["kind"] == "figure"]
    assert len(claims) == len(set(claims)) == len(figures)
    assert set(claims) == set(figures["id"])


def test_the_incident_record_has_exactly_the_cli_keys(samples):
    _, found = samples
    record = found[0].record()
    assert list(record) == ["id", "place", "lat", "lon", "geo_precision", "date_start", "date_end", "time_precision",
                            "categories", "claims", "articles"]
    assert set(next(iter(record["categories"].values()))) == {"min", "max", "latest", "conservative", "sources"}


# ---- the rules, on small tables --------------------------------------------------------------

KHARKIV = dict(name="Kharkiv", lat=49.98081, lon=36.25272, geonameid=706483, country="UA", admin1="07", region="Kharkiv Oblast")
PISOCHYN = dict(name="Pisochyn", lat=49.9516, lon=36.10262, geonameid=697488, country="UA", admin1="07", region="Kharkiv Oblast")
KUPIANSK = dict(name="Kupiansk", lat=49.71003, lon=37.61581, geonameid=703656, country="UA", admin1="07", region="Kharkiv Oblast")
KHARKIV_OBLAST = dict(name="Kharkiv Oblast", lat=49.7763, lon=36.4712, geonameid=None, country="UA", admin1="07",
                      region="Kharkiv Oblast")


def _claim(article, value, day, place=KHARKIV, category=Category.KILLED, precision=Precision.TOWN, said="",
           quote=None, start=0, high=None, qualifier=Qualifier.EXACT, time=TimePrecision.DAY):
    where = PlaceMention(article, start, start + 5, place["name"], place["name"], precision=precision, **{
        k: v for k, v in place.items() if k != "name"})
    quote = quote or f"{value} people were {category.value} in {place['name']} ({article}, {start})."
    return Figure(article, start, start + 2, value, high, qualifier, category, "people", quote, start, start + len(quote),
                  where, said or None, day, time)


def _frame(*articles):
    """articles: (id, outlet, published, [figures])"""
    return to_frame([Extraction(Article(a, f"{a}.txt", "x" * 400, published, "manifest", outlet, "", a), [], figures)
                     for a, outlet, published, figures in articles])


def test_daily_shelling_of_one_city_does_not_chain_into_one_incident():
    frame = _frame(*[(f"a{d}", "Outlet", date(2024, 5, d), [_claim(f"a{d}", 2, date(2024, 5, d))]) for d in range(1, 8)])
    assert len(link(frame)) == 7


def test_a_claim_dated_overnight_meets_one_dated_the_evening_before():
    night = _claim("b", 5, date(2024, 5, 2))
    night = Figure(**{**vars(night), "date_text": "overnight"})
    frame = _frame(("a", "AP", date(2024, 5, 1), [_claim("a", 4, date(2024, 5, 1))]),
                   ("b", "Reuters", date(2024, 5, 2), [night]))
    assert len(link(frame)) == 1


def test_neighbouring_towns_15_km_apart_are_separate_incidents():
    frame = _frame(("a", "AP", date(2024, 5, 1), [_claim("a", 3, date(2024, 5, 1)),
                                                  _claim("a", 2, date(2024, 5, 1), place=PISOCHYN, start=50)]))
    assert sorted(i.place for i in link(frame)) == ["Kharkiv", "Pisochyn"]


def test_an_oblast_claim_joins_the_one_town_incident_it_fits_and_never_bridges_two():
    one = _frame(("a", "AP", date(2024, 5, 1), [_claim("a", 3, date(2024, 5, 1))]),
                 ("b", "BBC", date(2024, 5, 1), [_claim("b", 3, date(2024, 5, 1), place=KHARKIV_OBLAST,
                                                        precision=Precision.REGION)]))
    assert len(link(one)) == 1 and link(one)[0].geo_precision == "town"
    two = _frame(("a", "AP", date(2024, 5, 1), [_claim("a", 3, date(2024, 5, 1)),
                                                _claim("a", 1, date(2024, 5, 1), place=KUPIANSK, start=50)]),
                 ("b", "BBC", date(2024, 5, 1), [_claim("b", 4, date(2024, 5, 1), place=KHARKIV_OBLAST,
                                                        precision=Precision.REGION)]))
    assert sorted(i.place for i in link(two)) == ["Kharkiv", "Kharkiv Oblast", "Kupiansk"]


def test_evacuations_and_explosives_are_not_part_of_a_strike():
    frame = _frame(("a", "AP", date(2024, 5, 1), [
        _claim("a", 3, date(2024, 5, 1)), _claim("a", 200, date(2024, 5, 1), category=Category.EVACUATED, start=50),
        _claim("a", 40, date(2024, 5, 1), category=Category.EXPLOSIVES, start=90),
        _claim("a", 12, date(2024, 5, 1), category=Category.BUILDINGS, start=130)]))
    found = sorted(link(frame), key=lambda i: sorted(i.categories))
    assert [sorted(i.categories) for i in found] == [["buildings", "killed"], ["evacuated"], ["explosives"]]


def test_outlets_reprinting_one_wire_story_or_quoting_one_speaker_are_one_source():
    wire = "A missile struck a shopping centre in Kharkiv on Saturday, killing at least 12 people, officials said."
    frame = _frame(("a", "Reuters", date(2024, 5, 25), [_claim("a", 12, date(2024, 5, 25), quote=wire)]),
                   ("b", "Straits Times", date(2024, 5, 26), [_claim("b", 12, date(2024, 5, 25), quote="“" + wire + "”")]),
                   ("c", "BBC", date(2024, 5, 26), [_claim("c", 14, date(2024, 5, 25), said="Mayor Ihor Terekhov")]),
                   ("d", "Ukrinform", date(2024, 5, 26), [_claim("d", 14, date(2024, 5, 25), said="Terekhov")]),
                   ("e", "AP", date(2024, 5, 26), [_claim("e", 16, date(2024, 5, 25), said="regional governor Oleh Syniehubov")]))
    killed = link(frame)[0].categories["killed"]
    assert killed.sources == 3
    assert (killed.min, killed.max, killed.latest, killed.conservative) == (12, 16, 16, 12)


def test_the_most_conservative_toll_reads_vague_amounts_as_acled_does():
    assert acled_value(24, 99, "about") == 12 and acled_value(200, 999, "about") == 100
    assert acled_value(10, 15, "about") == 10 and acled_value(7, None, "at_least") == 7
    frame = _frame(("a", "AP", date(2024, 5, 2), [_claim("a", 30, date(2024, 5, 1))]),
                   ("b", "BBC", date(2024, 5, 2), [_claim("b", 24, date(2024, 5, 1), high=99, qualifier=Qualifier.ABOUT)]))
    killed = link(frame)[0].categories["killed"]
    assert (killed.latest, killed.conservative, killed.max) == (30, 12, 99)


def test_the_id_is_the_first_report_and_stays_when_later_reports_join():
    first = ("a", "AP", date(2024, 5, 1), [_claim("a", 3, date(2024, 5, 1))])
    later = ("b", "BBC", date(2024, 5, 3), [_claim("b", 5, date(2024, 5, 1))])
    alone = link(_frame(first))[0]
    both = link(_frame(later, first))[0]
    assert alone.id == both.id and alone.id.startswith("i-") and both.claims[0] == alone.claims[0]


def test_a_reviewer_can_split_a_claim_out_and_merge_two_incidents():
    frame = _frame(("a", "AP", date(2024, 5, 1), [_claim("a", 3, date(2024, 5, 1)),
                                                  _claim("a", 2, date(2024, 5, 1), place=PISOCHYN, start=50)]),
                   ("b", "BBC", date(2024, 5, 2), [_claim("b", 4, date(2024, 5, 1))]))
    linked = link(frame)
    kharkiv = _at(linked, "Kharkiv")[0]
    pisochyn = _at(linked, "Pisochyn")[0]
    merged = apply_overrides(linked, [("merge", [kharkiv.id, pisochyn.id])], frame)
    assert len(merged) == 1 and set(merged[0].claims) == set(kharkiv.claims) | set(pisochyn.claims)
    split = apply_overrides(linked, [("split", [kharkiv.claims[1]])], frame)
    assert sorted(len(i.claims) for i in split) == [1, 1, 1]
    assert apply_overrides(linked, [], frame) == linked
    with pytest.raises(ValueError):
        apply_overrides(linked, [("explode", [kharkiv.id])], frame)


def test_the_table_has_a_row_per_incident_and_category(followups):
    _, found = followups
    rows = table(found)
    assert len(rows) == sum(len(i.categories) for i in found)
    assert str(rows["latest"].dtype) == "Int64" and str(rows["date_start"].dtype) == "datetime64[ns]"
    assert table([]).empty


def test_a_merge_may_name_the_incident_a_split_made():
    frame = _frame(("a", "AP", date(2024, 5, 1), [_claim("a", 3, date(2024, 5, 1)),
                                                  _claim("a", 2, date(2024, 5, 1), place=PISOCHYN, start=50)]),
                   ("b", "BBC", date(2024, 5, 2), [_claim("b", 4, date(2024, 5, 1))]))
    linked = link(frame)
    kharkiv, pisochyn = _at(linked, "Kharkiv")[0], _at(linked, "Pisochyn")[0]
    later = kharkiv.claims[1]
    after = apply_overrides(linked, [("split", [later]), ("merge", ["i-" + later.split("-", 1)[1], pisochyn.id])], frame)
    assert sorted(len(i.claims) for i in after) == [1, 2]
    assert {later, *pisochyn.claims} == set(next(i for i in after if len(i.claims) == 2).claims)
