"""The English rule files (geo/rules/en): each list a rule with an id, read by the extractors, and
each changing what real sentences give when it is there."""
from __future__ import annotations

import pytest

from geo import rulebook
from geo.geoparse import find_places


def names(text: str) -> list[str]:
    return [m.mention for m in find_places(text, "test")]


def test_every_english_rule_has_its_own_id():
    places = rulebook.load("en", "places")
    assert [t["id"] for t in places.values() if isinstance(t, dict)] == [
        "en.place.common-words", "en.place.first-names", "en.place.titles", "en.place.generic-follow",
        "en.place.allowed-before", "en.place.cue-words", "en.place.not-the-town-after", "en.place.rivers",
        "en.place.org-before", "en.raion-adj.exception"]
    assert [r["id"] for r in places["raion_adjective"]] == [
        "en.raion-adj.sk", "en.raion-adj.ske", "en.raion-adj.ka", "en.raion-adj.ove", "en.raion-adj.sa",
        "en.raion-adj.llia", "en.raion-adj.y", "en.raion-adj.a", "en.raion-adj.ne", "en.raion-adj.o",
        "en.raion-adj.consonant"]
    ids = rulebook.all_ids()
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("text, expected", [
    # en.place.common-words / en.place.first-names: "Victoria" is a city in GeoNames, here a person
    ("Victoria said the strike hit Kharkiv.", ["Kharkiv"]),
    # en.place.titles: the name after a title is a person's
    ("Mr Kharkiv said the strike hit Izium.", ["Izium"]),
    ("Governor Izium said the strike hit Kharkiv.", ["Kharkiv"]),
    # en.place.generic-follow: "City Council" keeps Kharkiv the city
    ("The Kharkiv City Council said two people were killed in Kharkiv Oblast.", ["Kharkiv", "Kharkiv Oblast"]),
    # en.place.allowed-before: "Northern Kharkiv" is Kharkiv, not a longer name
    ("Shelling hit Northern Kharkiv and Eastern Zaporizhzhia overnight.", ["Kharkiv", "Zaporizhzhia"]),
    # en.place.not-the-town-after: the reservoir and the street are not the towns
    ("Water levels at the Kakhovka reservoir fell after the dam near Nova Kakhovka was destroyed; "
     "Kherson street was flooded.", ["Nova Kakhovka"]),
    # en.place.rivers: "the Dnipro" is the river unless the city's council or the like follows
    ("Ukrainian forces crossed the Dnipro near Kherson, and the Dnipro city council said Dnipro was shelled.",
     ["Kherson", "Dnipro", "Dnipro"]),
    # en.place.org-before: an outlet and a club named after places
    ("Suspilne Zaporizhzhia reported that Dynamo Kyiv played in Lviv.", ["Lviv"]),
])
def test_the_place_word_lists_decide_what_is_a_place(text, expected):
    assert names(text) == expected


def test_a_cue_word_from_the_file_makes_a_small_place_a_place():
    # en.place.cue-words: a village is taken after "shelled" or "near", not named bare
    assert names("Russian troops shelled Tsyrkuny overnight.") == ["Tsyrkuny"]
    assert names("Two drones fell near Lyptsi on Sunday.") == ["Lyptsi"]
    assert names("Officials said Tsyrkuny had power again.") == []


# ---- figures: qualifiers and counted nouns (geo/rules/en/figures.toml) -------------------------

from geo.model import Category, Qualifier  # noqa: E402
from tests.figure_helpers import figures_of, only  # noqa: E402


def test_every_figure_rule_has_an_id_and_a_known_class_or_qualifier():
    data = rulebook.load("en", "figures")
    assert [r["id"] for r in data["qualifier"]] == [
        "en.qual.at-least", "en.qual.more-than", "en.qual.up-to", "en.qual.estimated", "en.qual.about"]
    assert {r["qualifier"] for r in data["qualifier"]} == {q.value for q in Qualifier} - {"exact"}
    assert [r["id"] for r in data["counted"]] == [
        "en.cat.killed", "en.cat.injured", "en.cat.missing", "en.cat.bodies", "en.cat.graves", "en.cat.explosives",
        "en.cat.ordnance", "en.cat.person", "en.cat.military", "en.cat.place"]


@pytest.mark.parametrize("sentence, qualifier", [
    ("At least 14 people were killed in the strike, officials said.", Qualifier.AT_LEAST),        # en.qual.at-least
    ("No fewer than 14 people were killed in the strike.", Qualifier.AT_LEAST),
    ("More than 14 people were killed in the strike.", Qualifier.MORE_THAN),                     # en.qual.more-than
    ("In excess of 140 people were killed in the strike.", Qualifier.MORE_THAN),
    ("Up to 14 people were killed in the strike.", Qualifier.UP_TO),                             # en.qual.up-to
    ("As many as 14 people were killed in the strike.", Qualifier.UP_TO),
    ("An estimated 14 people were killed in the strike.", Qualifier.ESTIMATED),                  # en.qual.estimated
    ("Nearly 14 people were killed in the strike.", Qualifier.ABOUT),                            # en.qual.about
    ("Close to 14 people were killed in the strike.", Qualifier.ABOUT),
    ("Fourteen people were killed in the strike.", Qualifier.EXACT),
])
def test_the_words_before_a_number_give_its_qualifier(sentence, qualifier):
    assert only(sentence).qualifier is qualifier


@pytest.mark.parametrize("sentence, category", [
    ("Rescuers found 12 bodies under the rubble.", Category.BODIES),                               # en.cat.bodies
    ("Investigators exhumed 440 graves in the forest.", Category.GRAVES),                         # en.cat.graves
    ("Sappers cleared 1,500 explosive devices from the fields.", Category.EXPLOSIVES),             # en.cat.explosives
    ("The strike left 21 wounded, the governor said.", Category.INJURED),                         # en.cat.injured
    ("Seven people remain missing after the attack.", Category.MISSING),                          # en.cat.missing
    ("The attack claimed 9 victims, the governor said.", Category.KILLED),                        # en.cat.killed
])
def test_the_counted_noun_gives_the_category(sentence, category):
    assert only(sentence).category is category


def test_weapons_and_towns_counted_are_no_casualty_figure_and_homes_are_buildings():
    # en.cat.military, en.cat.place: a count of tanks or villages is not a figure; homes hit are buildings
    assert figures_of("Russia lost 30 tanks and shelled 12 villages overnight.") == []
    f = only("Shelling damaged 12 homes in the town.")
    assert (f.value, f.category, f.counted) == (12, Category.BUILDINGS, "homes")


def test_the_attribution_word_lists_are_rules_with_ids_that_the_reader_of_sources_uses():
    from geo.attribution import attribute
    rules = rulebook.load("en", "attribution")
    assert [t["id"] for t in rules.values()] == [
        "en.attr.reporting-verbs", "en.attr.object-verbs", "en.attr.passive", "en.attr.pronouns",
        "en.attr.not-sources"]
    assert attribute("Two people were killed, the mayor tweeted.") == "the mayor"  # en.attr.reporting-verbs
    assert attribute("Two people were killed, warned Vitaliy Kim.") == "Vitaliy Kim"  # en.attr.object-verbs
    assert attribute("Two deaths were reported in Kherson.") is None  # en.attr.passive
    assert attribute("Two people were killed, he said.") is None  # en.attr.pronouns
    assert attribute("According to him, two men were injured.") is None  # en.attr.pronouns, object case
    assert attribute("According to preliminary information, two people were injured there.") is None  # en.attr.not-sources
    assert attribute("According to the regional governor, two people were injured.") == "the regional governor"
