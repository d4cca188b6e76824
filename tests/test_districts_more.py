"""Raions named by an adjective, and districts across the border, in English, Ukrainian and Russian
(docs/geoparsing.md, "Raions"): each is reported as an area named after its centre town, with the
rule that recognised it, and a casualty figure in its sentence is placed there."""
from __future__ import annotations

import pytest

from geo.articles import load_bytes
from geo.model import Precision
from geo.pipeline import extract


def extracted(text: str):
    return extract(load_bytes("district.txt", text.encode("utf-8")))


def mention(text: str, written: str):
    (found,) = [p for p in extracted(text).places if p.mention == written]
    return found


# ---- English adjective forms of Ukrainian raions ----------------------------------------------

@pytest.mark.parametrize("text, written, name, oblast, rule", [
    ("Two people were injured in the Oleshkyn district.", "Oleshkyn", "Oleshky Raion", "Kherson Oblast",
     "en.raion-adj.y"),
    ("Russian artillery shelled the Oleshkivskyi district overnight.", "Oleshkivskyi", "Oleshky Raion",
     "Kherson Oblast", "en.raion-adj.y"),
    ("A man was killed in the Nikopolskyi district on Sunday.", "Nikopolskyi", "Nikopol Raion",
     "Dnipropetrovsk Oblast", "en.raion-adj.consonant"),
    ("Russian troops shelled the Bakhmutskyi raion overnight.", "Bakhmutskyi", "Bakhmut Raion", "Donetsk Oblast",
     "en.raion-adj.consonant"),
    ("Evacuation continues in the Kupianskyi district.", "Kupianskyi", "Kupiansk Raion", "Kharkiv Oblast",
     "en.raion-adj.sk"),
    ("Drones hit the Izyumskyi district of Kharkiv Oblast.", "Izyumskyi", "Izium Raion", "Kharkiv Oblast",
     "en.raion-adj.consonant"),
    ("Two civilians were wounded in the Synelnykivskyi district.", "Synelnykivskyi", "Synelnykove Raion",
     "Dnipropetrovsk Oblast", "en.raion-adj.ove"),
    ("One person was hurt in the Vasylivskyi district, the governor said.", "Vasylivskyi", "Vasylivka Raion",
     "Zaporizhzhia Oblast", "en.raion-adj.ka"),
    ("Guided bombs fell on the Kramatorskyi District.", "Kramatorskyi", "Kramatorsk Raion", "Donetsk Oblast",
     "en.raion-adj.sk"),
    ("Power was cut in the Zaporizkyi district.", "Zaporizkyi", "Zaporizhzhia Raion", "Zaporizhzhia Oblast",
     "en.raion-adj.exception"),
])
def test_an_english_raion_adjective_is_the_raion_of_its_centre(text, written, name, oblast, rule):
    found = mention(text, written)
    assert (found.name, found.precision, found.country, found.region) == (name, Precision.REGION, "UA", oblast)
    assert "geoparse.raion-adjective" in found.rules and rule in found.rules and "geoparse.raion" in found.rules


def test_a_plural_list_of_raion_adjectives():
    found = extracted("Fighting continues in the Kupianskyi, Iziumskyi and Chuhuivskyi districts.").places
    assert [(p.mention, p.name) for p in found] == [
        ("Kupianskyi", "Kupiansk Raion"), ("Iziumskyi", "Izium Raion"), ("Chuhuivskyi", "Chuhuiv Raion")]
    assert [p.precision for p in found] == [Precision.REGION] * 3


@pytest.mark.parametrize("text", [
    "A woman was killed in the Pokrovskyi district of Kryvyi Rih.",   # a city's district, said so
    "Kryvyi Rih's Pokrovskyi district was shelled.",
    "The Saltivskyi district of Kharkiv was shelled again.",           # Saltivka is a part of Kharkiv
    "The Saltivskyi district was shelled again.",
])
def test_a_city_district_is_never_taken_for_a_raion(text):
    assert not [p for p in extracted(text).places if p.name.endswith("Raion")]


def test_an_oblast_owning_the_district_keeps_it_a_raion():
    found = mention("Kharkiv's Kupianskyi district came under fire.", "Kupianskyi")
    assert (found.name, found.precision) == ("Kupiansk Raion", Precision.REGION)


@pytest.mark.parametrize("text, place", [
    ("Two people were killed in the Nikopolskyi district.", "Nikopol Raion"),
    ("In Kharkiv Oblast, two people were killed in the Kupianskyi district.", "Kupiansk Raion"),
    ("Two civilians were wounded in the Synelnykivskyi district.", "Synelnykove Raion"),
])
def test_a_figure_is_placed_at_the_raion(text, place):
    (figure,) = extracted(text).figures
    assert figure.place is not None and figure.place.name == place


# ---- Russian districts in English ---------------------------------------------------------------

@pytest.mark.parametrize("text, written, name, oblast, rule", [
    ("A Russian drone hit the Sudzha District of the Kursk Region.", "Sudzha", "Sudzha Raion", "Kursk Oblast",
     "geoparse.raion-across-border"),
    ("Three people were hurt in the Kursk region's Sudzha district.", "Sudzha", "Sudzha Raion", "Kursk Oblast",
     "geoparse.raion-across-border"),
    ("Shelling hit the Shebekino district of Belgorod region, killing two.", "Shebekino", "Shebekino Raion",
     "Belgorod Oblast", "geoparse.raion-across-border"),
    ("One person died in the Glushkovo district, the governor said.", "Glushkovo", "Glushkovo Raion",
     "Kursk Oblast", "geoparse.raion-across-border"),
    ("Two were wounded in the Sudzhansky district.", "Sudzhansky", "Sudzha Raion", "Kursk Oblast",
     "en.raion-adj.a"),
    ("Drones struck the Shebekinsky district overnight.", "Shebekinsky", "Shebekino Raion", "Belgorod Oblast",
     "en.raion-adj.o"),
])
def test_a_russian_district_is_reported_like_a_raion(text, written, name, oblast, rule):
    found = mention(text, written)
    assert (found.name, found.precision, found.country, found.region) == (name, Precision.REGION, "RU", oblast)
    assert rule in found.rules and "geoparse.raion" in found.rules


@pytest.mark.parametrize("text, place", [
    ("Two people were injured in the Sudzha District of the Kursk Region.", "Sudzha Raion"),
    ("Three people were hurt in the Kursk region's Sudzha district.", "Sudzha Raion"),
    ("Shelling hit the Shebekino district of Belgorod region, killing two.", "Shebekino Raion"),
])
def test_a_figure_is_placed_at_the_russian_district_not_its_region(text, place):
    (figure,) = extracted(text).figures
    assert figure.place is not None and figure.place.name == place


@pytest.mark.parametrize("text, town", [
    ("Belgorod region was shelled. A drone hit the town of Shebekino on Monday.", "Shebekino"),
    ("The Kursk region was attacked. Two people were killed in Sudzha, the governor said.", "Sudzha"),
])
def test_the_centre_town_itself_is_a_town_in_russia(text, town):
    found = mention(text, town)
    assert (found.name, found.precision, found.country) == (town, Precision.TOWN, "RU")


@pytest.mark.parametrize("text, town", [
    ("Ukrainian forces entered the Russian town of Sudzha in August.", "Sudzha"),
    ("Shelling hit the Russian village of Glushkovo overnight.", "Glushkovo"),
    ("A drone struck Russia's border town of Shebekino.", "Shebekino"),
])
def test_a_border_town_the_text_calls_russian_needs_no_region(text, town):
    found = mention(text, town)
    assert (found.name, found.precision, found.country) == (town, Precision.TOWN, "RU")
    assert "geoparse.country-town" in found.rules


def test_a_border_town_unnamed_as_russian_still_needs_its_region():
    assert not [p for p in extracted("Fighting continued near Sudzha on Monday.").places if p.country == "RU"]


# ---- Ukrainian and Russian text -----------------------------------------------------------------

@pytest.mark.parametrize("text, name, country, oblast, rule", [
    ("Суджанский район Курской области подвергся обстрелу.", "Sudzha Raion", "RU", "Kursk Oblast",
     "ru.head.raion"),
    ("Обстріл у Суджанському районі Курської області: загинули двоє.", "Sudzha Raion", "RU", "Kursk Oblast",
     "uk.head.raion"),
    ("В Белгородском районе ранены двое мирных жителей.", "Belgorod Raion", "RU", "Belgorod Oblast",
     "ru.head.raion"),
    ("Обстрелу подвергся Шебекинский городской округ.", "Shebekino Raion", "RU", "Belgorod Oblast",
     "ru.head.okrug"),
    ("В Грайворонском городском округе погиб мужчина.", "Grayvoron Raion", "RU", "Belgorod Oblast",
     "ru.head.okrug"),
    ("У Шебекинському міському окрузі поранено двох людей.", "Shebekino Raion", "RU", "Belgorod Oblast",
     "uk.head.okrug"),
    ("В Олешківському районі загинула жінка.", "Oleshky Raion", "UA", "Kherson Oblast", "uk.head.raion"),
])
def test_cyrillic_raions_and_okrugs(text, name, country, oblast, rule):
    (found,) = [p for p in extracted(text).places if p.name == name]
    assert (found.country, found.region) == (country, oblast) and rule in found.rules


def test_a_military_okrug_is_no_raion():
    assert not [p for p in extracted("Командующий Южным военным округом провёл совещание.").places
                if p.name.endswith("Raion")]


@pytest.mark.parametrize("text, place", [
    ("В Грайворонском городском округе погиб мужчина.", "Grayvoron Raion"),
    ("У Шебекинському міському окрузі поранено двох людей.", "Shebekino Raion"),
])
def test_a_cyrillic_figure_is_placed_at_the_okrug(text, place):
    (figure,) = extracted(text).figures
    assert figure.place is not None and figure.place.name == place


def test_a_village_named_bare_and_with_its_okrug_is_one_village():
    text = ("При обстреле села Максимовка погиб мужчина\n\n"
            "Снаряд попал в машину на трассе у села Максимовка Шебекинского городского округа.")
    villages = [p for p in extracted(text).places if p.mention == "Максимовка"]
    assert len(villages) == 2
    assert {(p.name, p.country, p.precision) for p in villages} == {("Maksimovka", "RU", Precision.NEAR)}
    assert "cyr.cue.repeat" in villages[0].rules
