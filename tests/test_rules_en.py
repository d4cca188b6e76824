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
    assert [t["id"] for t in places.values()] == [
        "en.place.common-words", "en.place.first-names", "en.place.titles", "en.place.generic-follow",
        "en.place.allowed-before", "en.place.cue-words", "en.place.not-the-town-after", "en.place.rivers",
        "en.place.org-before"]
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
