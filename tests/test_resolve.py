"""Choosing among same-named places from the cues an article gives."""
from __future__ import annotations

import pytest

from geo.gazetteer import Gazetteer
from geo.resolve import Cues, bearing_deg, choose, distance_km, in_region, project


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.fixture(scope="module")
def kyiv(gaz):
    return max(gaz.candidates("Kyiv"), key=lambda p: p.population)


def dmytrivkas(gaz):
    return [(p, 1.0) for p in gaz.candidates("Dmytrivka") if p.name == "Dmytrivka"]


def test_west_of_the_capital_picks_the_dmytrivka_west_of_kyiv(gaz, kyiv):
    choice = choose(dmytrivkas(gaz), Cues(anchor=kyiv, anchor_label="the capital", bearing=270.0))
    assert distance_km(choice.place.lat, choice.place.lon, 50.45914, 30.17027) < 1
    assert choice.confidence >= 0.85
    assert "the capital" in choice.note


def test_stated_distance_and_bearing_pick_the_candidate_at_the_projected_point(gaz, kyiv):
    choice = choose(dmytrivkas(gaz), Cues(anchor=kyiv, distance_km=25.0, bearing=270.0))
    assert choice.place.admin1 == "13"


def test_region_cue_picks_the_candidate_in_that_oblast(gaz):
    choice = choose(dmytrivkas(gaz), Cues(region=gaz.region("Donetsk")))
    assert choice.place.admin1 == "05"
    assert "Donetsk Oblast" in choice.note


def test_other_places_in_the_article_pull_the_choice_towards_them(gaz):
    bucha = gaz.candidates("Bucha")[0]
    irpin = gaz.candidates("Irpin")[0]
    choice = choose(dmytrivkas(gaz), neighbours=(bucha, irpin))
    assert choice.place.admin1 == "13"
    assert "Bucha" in choice.note


def test_population_is_the_last_resort_and_confidence_says_so(gaz):
    choice = choose([(p, 1.0) for p in gaz.candidates("Lyman")])
    assert choice.place.population == max(p.population for p in gaz.candidates("Lyman"))
    assert choice.confidence < 0.95
    assert "largest population" in choice.note


def test_a_single_candidate_is_certain():
    bucha = Gazetteer.default().candidates("Bucha")
    choice = choose([(bucha[0], 1.0)])
    assert choice.confidence == 1.0 and choice.note == "only candidate"


def test_no_candidates_is_a_programming_error():
    with pytest.raises(ValueError):
        choose([])


def test_geometry_helpers_agree_with_each_other():
    lat, lon = project(50.45466, 30.5238, 37.0, 315.0)  # 23 miles northwest of Kyiv
    assert distance_km(50.45466, 30.5238, lat, lon) == pytest.approx(37.0, rel=1e-3)
    assert bearing_deg(50.45466, 30.5238, lat, lon) == pytest.approx(315.0, abs=0.5)


def test_23_miles_northwest_of_the_capital_fits_bucha_though_it_is_25_km_by_air(gaz, kyiv):
    bucha = gaz.candidates("Bucha")[0]
    far = max(dmytrivkas(gaz), key=lambda c: distance_km(kyiv.lat, kyiv.lon, c[0].lat, c[0].lon))[0]
    choice = choose([(bucha, 1.0), (far, 1.0)], Cues(anchor=kyiv, distance_km=37.0, bearing=315.0))
    assert choice.place == bucha
    assert "as stated" in choice.note


def test_kyiv_city_counts_as_inside_kyiv_oblast(gaz, kyiv):
    assert in_region(kyiv, gaz.region("Kyiv"))
    assert not in_region(kyiv, gaz.region("Kharkiv"))


def test_an_oblast_the_article_names_elsewhere_tips_a_close_choice_towards_it(gaz):
    trostianets = [(p, q) for p, q in gaz.matches("Trostianets") if q == 1.0]
    assert choose(trostianets).place.admin1 == "21"  # the largest, in Sumy Oblast
    choice = choose(trostianets, oblasts=(gaz.region("Vinnytsia"),))
    assert choice.place.admin1 == "23" and "which the article names" in choice.note


def test_an_oblast_named_in_the_same_sentence_outweighs_one_named_elsewhere(gaz):
    trostianets = [(p, q) for p, q in gaz.matches("Trostianets") if q == 1.0]
    choice = choose(trostianets, Cues(region=gaz.region("Sumy")), oblasts=(gaz.region("Vinnytsia"),))
    assert choice.place.admin1 == "21"
