"""Place recognition and resolution on the sample articles and on real-looking news sentences."""
from __future__ import annotations

from pathlib import Path

import pytest

from geo.geoparse import find_places
from geo.model import Precision
from geo.resolve import distance_km

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"

# GeoNames coordinates of the places the sample articles name.
BUCHA = (50.54741, 30.20879)
IRPIN = (50.52201, 30.24037)
HOSTOMEL = (50.56841, 30.2651)
DMYTRIVKA_WEST_OF_KYIV = (50.45914, 30.17027)
KYIV = (50.45466, 30.5238)
CHERNIHIV = (51.50541, 31.28656)
IZIUM = (49.20697, 37.27679)
MARIUPOL = (47.09514, 37.54131)
KHARKIV_OBLAST_CENTRE = (49.5, 36.5)  # roughly; the region pin only has to be inside the oblast

REAL_PLACE_NAMES = {"Bucha", "Irpin", "Hostomel", "Dmytrivka", "Kyiv", "Kiev", "KYIV", "Chernigiv", "Izium",
                    "Izyum", "Mariupol", "Moscow", "Russia", "Ukraine", "UK", "Britain", "United Kingdom",
                    "United States", "Kyiv region", "Kharkiv region"}


def article(prefix: str) -> str:
    (path,) = ARTICLES.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def places_in(text: str):
    return find_places(text, "test")


def near(mention, point, km=5.0) -> bool:
    return distance_km(mention.lat, mention.lon, *point) <= km


def found(text: str, written: str):
    return [m for m in places_in(text) if m.mention == written]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_mentions_quote_the_text_exactly_and_come_sorted(prefix):
    text = article(prefix)
    mentions = places_in(text)
    assert mentions
    assert all(text[m.start:m.end] == m.mention for m in mentions)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_sample_articles_pin_nothing_but_real_place_names(prefix):
    assert {m.mention for m in places_in(article(prefix))} <= REAL_PLACE_NAMES


def test_dmytrivka_resolves_to_the_village_west_of_kyiv():
    (dmytrivka,) = found(article("000"), "Dmytrivka")
    assert near(dmytrivka, DMYTRIVKA_WEST_OF_KYIV)
    assert dmytrivka.precision is Precision.TOWN
    assert dmytrivka.admin1 == "13"
    assert "stated direction" in dmytrivka.note


def test_article_000_finds_bucha_irpin_kyiv_and_chernigiv():
    text = article("000")
    assert all(near(m, BUCHA) for m in found(text, "Bucha"))
    assert len(found(text, "Bucha")) >= 3
    assert near(found(text, "Irpin")[0], IRPIN)
    assert near(found(text, "Chernigiv")[0], CHERNIHIV)
    assert found(text, "Chernigiv")[0].name == "Chernihiv"
    assert all(near(m, KYIV) for m in found(text, "Kyiv"))


def test_kyiv_region_is_one_region_mention_not_the_city():
    mentions = places_in(article("001"))
    regions = [m for m in mentions if m.mention == "Kyiv region"]
    assert len(regions) == 3
    assert all(m.precision is Precision.REGION and m.name == "Kyiv Oblast" for m in regions)
    assert not any(m.start == regions[0].start and m.mention == "Kyiv" for m in mentions)


def test_article_002_finds_bucha_irpin_and_hostomel():
    text = article("002")
    assert near(found(text, "Irpin")[0], IRPIN)
    assert near(found(text, "Hostomel")[0], HOSTOMEL)
    assert all(near(m, BUCHA) for m in found(text, "Bucha"))


def test_izium_and_izyum_are_the_same_town_and_kharkiv_region_is_a_region():
    text = article("003")
    izium = found(text, "Izium") + found(text, "Izyum")
    assert len(izium) >= 5
    assert all(near(m, IZIUM) and m.name == "Izium" for m in izium)
    (region,) = found(text, "Kharkiv region")
    assert region.precision is Precision.REGION
    assert region.admin1 == "07"
    assert distance_km(region.lat, region.lon, *KHARKIV_OBLAST_CENTRE) < 80


def test_kyiv_in_capitals_dateline_and_kiev_spelling_are_kyiv():
    assert near(found(article("003"), "KYIV")[0], KYIV)
    assert near(found(article("004"), "Kiev")[0], KYIV)


def test_article_004_names_bucha_mariupol_and_izium_forest():
    text = article("004")
    assert near(found(text, "Mariupol")[0], MARIUPOL)
    assert near(found(text, "Bucha")[0], BUCHA)
    assert len(found(text, "Izium")) == 6  # "Izium's forest" counts, without the 's


def test_boilerplate_people_and_outlets_are_not_places():
    text = article("000") + "\n" + article("001") + "\n" + article("002")
    written = {m.mention for m in places_in(text)}
    for word in ("Most", "Union", "Police", "Advert", "Read", "More", "News", "Sun", "Fedoruk", "Truss",
                 "Michel", "Klitschko", "Zelensky", "March", "Andrews", "Amed", "Viktoriia"):
        assert word not in written


# (sentence, places that must be found as written -> GeoNames point or None for region/country)
SENTENCES = [
    ("A Russian missile struck the railway station in Kramatorsk on Friday, killing at least 50 people.",
     {"Kramatorsk": (48.7232, 37.5625)}),
    ("About 300 people were killed in the Russian airstrike on the Mariupol drama theatre.",
     {"Mariupol": MARIUPOL}),
    ("Ukrainian troops entered Kherson on Friday after Russian forces withdrew across the river.",
     {"Kherson": (46.6354, 32.6169)}),
    ("Fighting for Bakhmut, which Russian officials call Artemovsk, has lasted for months.",
     {"Bakhmut": (48.5942, 37.9999), "Artemovsk": (48.5942, 37.9999)}),
    ("Shelling in Kharkiv killed three civilians, regional governor Oleh Syniehubov said.",
     {"Kharkiv": (49.9808, 36.2527)}),
    ("A drone attack on Odessa damaged port infrastructure, the Odesa regional administration said.",
     {"Odessa": (46.4857, 30.7438), "Odesa": None}),  # the regional administration is the oblast's
    ("A missile strike on Lviv in western Ukraine killed seven people on Monday.",
     {"Lviv": (49.8383, 24.0232), "Ukraine": None}),
    ("Twenty-three people, including three children, were killed in a strike on central Vinnytsia.",
     {"Vinnytsia": (49.2322, 28.4687)}),
    ("A Russian missile hit Dnipro's apartment block, killing 46 people.", {"Dnipro": (48.4666, 35.0407)}),
    ("In Uman, a missile hit a residential building, killing 23 people, police said.",
     {"Uman": (48.7484, 30.2218)}),
    ("Ukrainian forces continue to hold positions near Chasiv Yar, west of Bakhmut.",
     {"Chasiv Yar": (48.5877, 37.8341), "Bakhmut": (48.5942, 37.9999)}),
    ("The destruction of the dam flooded Nova Kakhovka and dozens of villages downstream.",
     {"Nova Kakhovka": (46.7598, 33.3560)}),
    ("Missiles struck Kryvyi Rih, Zelensky's hometown, and Bila Tserkva south of Kyiv.",
     {"Kryvyi Rih": (47.9086, 33.3433), "Bila Tserkva": (49.7989, 30.1153), "Kyiv": KYIV}),
    ("Residents of Kam'ianets-Podilskyi and Kam’ianske gathered to honour the dead.",
     {"Kam'ianets-Podilskyi": (48.6845, 26.5856), "Kam’ianske": (48.5167, 34.6000)}),
    ("Russian troops were forced out of Lyman, a key railway hub in Donetsk Oblast.",
     {"Lyman": (48.9901, 37.8084), "Donetsk Oblast": None}),
    ("Ukraine recaptured Balakliia and Kupiansk during the counteroffensive in the Kharkiv region.",
     {"Ukraine": None, "Balakliia": (49.4563, 36.8430), "Kupiansk": (49.7106, 37.6158), "Kharkiv region": None}),
    ("The battle for Sievierodonetsk and Lysychansk ended with Russian control of the Luhansk region.",
     {"Sievierodonetsk": (48.9482, 38.4917), "Lysychansk": (48.9167, 38.4333), "Luhansk region": None}),
    ("Avdiivka fell in February after months of fighting; Vuhledar followed later.",
     {"Avdiivka": (48.1394, 37.7497), "Vuhledar": (47.7797, 37.2500)}),
    ("Bodies were found in Borodianka, Makariv and Motyzhyn after the Russian retreat.",
     {"Borodianka": (50.6442, 29.9236), "Makariv": (50.4574, 29.8146), "Motyzhyn": (50.3878, 29.9236)}),
    ("The mayor of Melitopol, Ivan Fedorov, was abducted by Russian troops.", {"Melitopol": (46.8489, 35.3675)}),
    ("Residents fled Sloviansk as shelling intensified, while Slavyansk's hospital was hit.",
     {"Sloviansk": (48.8500, 37.6000), "Slavyansk": (48.8500, 37.6000)}),
    ("Explosions were heard in Chernigov and Nikolaev, and in Zaporozhye, Russian state media said.",
     {"Chernigov": CHERNIHIV, "Nikolaev": (46.9750, 31.9946), "Zaporozhye": (47.85167, 35.11714)}),
    ("March 31 satellite images show damage across Irpen and Gostomel.",
     {"Irpen": IRPIN, "Gostomel": HOSTOMEL}),
    ("The Zaporizhzhia Nuclear Power Plant in Enerhodar was shelled again overnight.",
     {"Enerhodar": (47.4988, 34.6560), "Zaporizhzhia Nuclear Power Plant": (47.5119, 34.5856)}),  # a landmark
    ("The attack on Kremenchuk shopping mall killed 22 people, Ukraine's Poltava Oblast governor said.",
     {"Kremenchuk": (49.0683, 33.4204), "Ukraine": None, "Poltava Oblast": None}),
    ("Residents of Dmytrivka, a village west of Kyiv, cleared mines from their gardens.",
     {"Dmytrivka": DMYTRIVKA_WEST_OF_KYIV, "Kyiv": KYIV}),
    ("Charles Michel met Liz Truss in Brussels before flying to Warsaw, Berlin and The Hague.",
     {"Brussels": (50.8505, 4.3488), "Warsaw": (52.2298, 21.0118), "Berlin": (52.5244, 13.4105),
      "The Hague": (52.0767, 4.2986)}),
    ("Moscow denied the claims, while Washington and London announced new sanctions.",
     {"Moscow": (55.7522, 37.6156), "Washington": (38.8951, -77.0364), "London": (51.5085, -0.1257)}),
    ("Anatoly Antonov and Sergei Lavrov rejected the accusations in Moscow.", {"Moscow": (55.7522, 37.6156)}),
    ("Kharkov oblast and the Donetsk and Luhansk regions saw heavy fighting.",
     {"Kharkov oblast": None, "Donetsk": None, "Luhansk regions": None}),
]


@pytest.mark.parametrize("sentence,expected", SENTENCES, ids=[s[:40] for s, _ in SENTENCES])
def test_news_sentences_find_exactly_the_places_they_name(sentence, expected):
    mentions = places_in(sentence)
    assert {m.mention for m in mentions} == set(expected)
    for m in mentions:
        point = expected[m.mention]
        if point is not None:
            assert m.precision is Precision.TOWN
            assert near(m, point), (m.mention, m.lat, m.lon)


@pytest.mark.parametrize("sentence", [
    "The Kyiv Independent reported that the Kyiv Post office was damaged; Sky News and The Sun also covered it.",
    "Most read in News. Read More. Advert. Police said the European Union would help.",
    "Follow @KyivIndependent and #StandWithKharkiv at https://kyivindependent.com/odesa-news for updates.",
    "Nice weather helped the farmers, Best said at the Union meeting.",
    "Ukrainian, Russian and Kyivan officials met; Viktoriia and Serhiy Bolvinov spoke to Mr Fedoruk.",
    "THE BODIES of civilians lay in the streets, READ MORE SUN STORIES.",
    "Shevchenko said the Verkhovna Rada would vote. Governor Vitaliy Kim and Tymoshenko agreed.",
])
def test_words_that_only_look_like_places_stay_out(sentence):
    assert places_in(sentence) == []


def test_links_after_a_no_break_space_keep_every_later_place_where_it_is_written():
    # Links are blanked in place; chunks split by a no-break space were blanked twice, shifting the text.
    text = "See www.example.com/a\xa0www.example.org/b and photos/videos. Shelling hit Kupiansk overnight."
    (kupiansk,) = find_places(text)
    assert text[kupiansk.start:kupiansk.end] == "Kupiansk" == kupiansk.name


def test_village_missing_from_the_gazetteer_is_placed_in_its_stated_oblast():
    for sentence in ("A Russian missile hit a cafe in the village of Hroza in Kharkiv Oblast, killing 52 people.",
                     "Hroza, a village in the Kharkiv region, lost a sixth of its population in the strike."):
        (hroza,) = found(sentence, "Hroza")
        assert hroza.precision is Precision.REGION
        assert hroza.source == "region-fallback"
        assert hroza.admin1 == "07" and hroza.region == "Kharkiv Oblast"
        assert hroza.confidence < 1


def test_village_near_a_town_is_placed_near_it_and_the_town_itself_stays_town():
    mentions = places_in("Bodies were exhumed in the village of Yahidne near Chernihiv.")
    by_mention = {m.mention: m for m in mentions}
    assert by_mention["Yahidne"].precision is Precision.NEAR
    assert by_mention["Chernihiv"].precision is Precision.TOWN
    assert near(by_mention["Yahidne"], CHERNIHIV)


def test_known_name_stated_in_another_oblast_falls_back_to_that_oblast():
    (m,) = found("Mines were found in Dmytrivka in the Kharkiv region.", "Dmytrivka")
    assert m.precision is Precision.REGION and m.admin1 == "07" and m.source == "region-fallback"


def test_countries_have_country_precision():
    mentions = places_in("Russia accused the UK and Britain's allies; Ukraine and the United States disagreed.")
    assert {m.mention for m in mentions} == {"Russia", "UK", "Britain", "Ukraine", "United States"}
    assert all(m.precision is Precision.COUNTRY for m in mentions)


def test_oblast_names_carry_region_and_town_mentions_carry_their_oblast():
    (izium,) = found("Shelling hit Izium overnight.", "Izium")
    assert izium.region == "Kharkiv Oblast" and izium.geonameid == 707292


def test_regional_administration_and_governor_name_the_oblast_not_the_city():
    (m,) = found("Donetsk regional governor Pavlo Kyrylenko said five of the dead were civilians.", "Donetsk")
    assert m.precision is Precision.REGION and m.name == "Donetsk Oblast"


def test_russian_border_regions_are_regions():
    (m,) = found("The missile was fired from a bomber over Russia's Kursk region.", "Kursk region")
    assert m.precision is Precision.REGION and m.country == "RU" and m.name == "Kursk Oblast"


def test_things_named_after_a_town_are_not_the_town():
    for sentence in ("Communications with the city on the Sea of Azov have been cut.",
                     "The Zaporizhzhia nuclear plant lost external power again.",
                     "Uman is known for its Sofiyivka park.",
                     "KYIV POST\nJuly 15, 2022"):
        # the nuclear plant is a landmark pinned at itself (tests/test_landmarks.py), never the city
        assert [m.mention for m in places_in(sentence) if m.source != "landmark"] in ([], ["Uman"])


def test_a_village_named_once_with_its_oblast_is_placed_at_every_mention():
    text = ("A missile hit a cafe in the village of Hroza in Ukraine's northeastern Kharkiv region. "
            "Hroza had about 330 residents.")
    hrozas = found(text, "Hroza")
    assert len(hrozas) == 2
    assert all(m.source == "region-fallback" and m.admin1 == "07" for m in hrozas)


# ---- one place per name per article, settlements the gazetteer lacks, uncued small places ----

IVANIVKA_CHERNIHIV = (51.37572, 31.29013)
IVANIVKA_KHERSON = (46.71268, 34.54975)


def test_headline_and_dateline_take_the_village_the_body_places_in_its_oblast():
    text = ("Shelling kills two in Ivanivka as Russian guns pound the border\n"
            "IVANIVKA, Ukraine (AP) — Russian artillery hit the village again on Tuesday.\n"
            "In the village of Ivanivka in the Chernihiv region, two people were killed, the regional governor said.")
    ivanivkas = [m for m in places_in(text) if m.mention in ("Ivanivka", "IVANIVKA")]
    assert len(ivanivkas) == 3
    assert all(near(m, IVANIVKA_CHERNIHIV) and m.admin1 == "02" for m in ivanivkas)
    assert "as the article places" in ivanivkas[0].note


def test_two_same_named_villages_in_different_oblasts_keep_their_own_cues():
    text = ("Strikes hit the village of Ivanivka in the Chernihiv region on Monday. "
            "Separately, the village of Ivanivka in the Kherson region lost power after shelling.")
    first, second = [m for m in places_in(text) if m.mention == "Ivanivka"]
    assert near(first, IVANIVKA_CHERNIHIV) and near(second, IVANIVKA_KHERSON)


def test_an_air_base_outside_the_city_is_placed_near_the_city_the_article_is_about():
    text = ("Russian missiles struck Kropyvnytskyi on Saturday, the regional governor said. "
            "Kropyvnytskyi had been spared for weeks. In March, the airfield at Kanatove, outside the city, "
            "was hit by four cruise missiles.")
    (kanatove,) = found(text, "Kanatove")
    assert kanatove.precision is Precision.NEAR
    assert near(kanatove, (48.5079, 32.2623)) and "Kropyvnytskyi" in kanatove.note


def test_a_village_near_a_named_town_is_placed_near_it():
    (synkivka,) = found("Russian shells hit Synkivka, a village near Kupiansk, overnight.", "Synkivka")
    assert synkivka.precision is Precision.NEAR and near(synkivka, (49.7106, 37.6158))


def test_a_village_at_a_stated_distance_is_estimated_at_the_projected_point():
    (robotyne,) = found("Ukrainian troops retook Robotyne, 10 km south of Orikhiv, in August.", "Robotyne")
    assert robotyne.precision is Precision.NEAR and robotyne.confidence < 0.5
    assert "estimated" in robotyne.note
    assert distance_km(robotyne.lat, robotyne.lon, 47.4517, 35.8406) < 10  # Robotyne as GeoNames has it
    (klishchiivka,) = found("Russian forces shelled Klishchiivka, about 9 km southwest of Bakhmut.", "Klishchiivka")
    assert klishchiivka.precision is Precision.NEAR
    assert distance_km(klishchiivka.lat, klishchiivka.lon, 48.5297, 37.9581) < 10


def test_a_village_far_from_its_anchor_is_only_placed_in_the_oblast_around_the_point():
    (hrakove,) = found("Officials said the village of Hrakove, about 30 km west of Kupiansk, was attacked.", "Hrakove")
    assert hrakove.precision is Precision.REGION and hrakove.source == "region-fallback"
    assert hrakove.region == "Kharkiv Oblast"  # not the Hriakove of Poltava Oblast, 150 km away


def test_a_point_near_an_oblast_border_names_no_oblast_and_gets_no_pin():
    text = "Officials said the village of Tabaivka, about 30 km southeast of Kupiansk, was attacked."
    assert [m.mention for m in places_in(text)] == ["Kupiansk"]


def test_companies_and_buildings_near_a_city_are_not_villages():
    assert [m.mention for m in places_in("A strike at Ukrenergo, near the city of Lviv, cut power.")] == ["Lviv"]
    assert [m.mention for m in places_in("Crowds gathered in Kyiv, outside the city hall, on Sunday.")] == ["Kyiv"]
    assert places_in("Talks at Naftogaz, 10 km south of the capital, ended without a deal.") == []


def test_a_small_place_named_with_a_cue_once_is_found_where_it_is_named_without_one():
    text = "Shelling hit Kopani overnight. Kopani residents spent the night in basements."
    kopanis = found(text, "Kopani")
    assert len(kopanis) == 2 and all(near(m, (47.76, 38.338)) for m in kopanis)


def test_a_unique_ukrainian_village_name_needs_no_cue_in_an_article_about_ukraine():
    text = ("Bilohorivka has changed hands several times since May.\n"
            "Ukrainian forces still hold the ruins of the school, the Luhansk regional governor said.")
    (m,) = found(text, "Bilohorivka")
    assert near(m, (48.926, 38.247)) and m.precision is Precision.TOWN
    assert places_in("Bilohorivka has changed hands several times since May.") == []


def test_surnames_and_first_names_without_cues_stay_out_even_in_articles_about_ukraine():
    text = ("Kyslytsya told the Security Council that Russia had shelled Ukraine's cities. "
            "Nadiya thanked the rescuers in Kharkiv.")
    assert {m.mention for m in places_in(text)} == {"Russia", "Ukraine", "Kharkiv"}


def test_metonyms_name_the_capital_city():
    mentions = places_in("Kyiv said the strike killed 12 people, while Moscow denied targeting civilians.")
    assert {m.mention: m.precision for m in mentions} == {"Kyiv": Precision.TOWN, "Moscow": Precision.TOWN}
    assert near(found("Kyiv said the strike killed 12 people.", "Kyiv")[0], KYIV)


# Rivers, facilities and outlets that carry a town's name are not pins at the town.
@pytest.mark.parametrize("text", [
    "Floodwater pouring down the Dnipro swamped villages below the dam overnight.",
    "Ukrainian marines have held a foothold across the Dnipro since the autumn.",
    "Residents waded along the Dnipro's flooded left bank, searching for neighbours.",
    "Divers searched the Desna after the bridge collapsed.",
    "Shelling of the Zaporizhzhia NPP cut its last external power line again.",
    "Workers at the Zaporizhzhia power plant say they are held at gunpoint.",
    "The Kakhovka hydroelectric station was blown up in the early hours.",
    "Suspilne Kharkiv reported that a guided bomb hit a warehouse.",
    "Dynamo Kyiv beat Shakhtar Donetsk 2-1 on Sunday.",
])
def test_rivers_power_plants_outlets_and_clubs_named_after_towns_are_not_the_towns(text):
    # A plant or dam of geo/rules/landmarks.toml is pinned at itself (tests/test_landmarks.py), never at the town.
    assert [m.mention for m in places_in(text) if m.source != "landmark"] == []


def test_the_dnipro_with_a_noun_it_qualifies_is_still_the_city():
    found = places_in("The Dnipro city council said a missile hit a supermarket.")
    assert [m.name for m in found] == ["Dnipro"]


def test_a_port_is_in_its_city():
    found = places_in("Grain ships left the Port of Mariupol and Odesa port before the war.")
    assert {m.name for m in found} == {"Mariupol", "Odesa"}


def test_a_district_of_the_city_is_pinned_inside_that_city_never_at_a_namesake():
    text = ("Drones struck Kharkiv overnight, hitting the Kyivskyi district of the city and the "
            "Shevchenkivskyi district, the mayor said.")
    found = {m.mention: m for m in places_in(text)}
    assert near(found["Kyivskyi"], (49.98081, 36.25272), km=20)  # Kharkiv, not Donetsk's Kyivskyi
    # Without "of the city" it could be a raion: no pin rather than Kyiv's or Luhansk's namesake.
    assert "Shevchenkivskyi" not in found


def test_a_district_the_gazetteer_has_within_the_city_keeps_its_own_pin():
    found = {m.mention: m for m in places_in("A drone hit a high-rise in Kyiv's Podilskyi district on Friday.")}
    district = found["Podilskyi"]
    assert district.name == "Podilskyi district" and near(district, KYIV, km=10)


def test_a_district_the_gazetteer_lacks_is_placed_at_its_city():
    found = places_in("Two people died when shells hit the Korabelnyi district of Kherson.")
    assert [(m.mention, m.name) for m in found] == [("Korabelnyi", "Kherson"), ("Kherson", "Kherson")]


def test_an_oblast_named_anywhere_in_the_article_picks_the_namesake_inside_it():
    text = ("Vinnytsia Oblast was attacked by drones overnight, the governor said.\n"
            "Debris damaged a school in Trostianets and power lines near the village.")
    (trostianets,) = [m for m in places_in(text) if m.mention == "Trostianets"]
    assert trostianets.admin1 == "23" and "Vinnytsia Oblast" in trostianets.note


def test_a_village_near_the_other_places_of_a_zaporizhzhia_report_beats_its_namesakes():
    text = ("Russian artillery shelled Zaporizhzhia Oblast again on Monday. In Vasylivka and "
            "Kamianske, near the drained reservoir, two houses burned.")
    (kamianske,) = [m for m in places_in(text) if m.mention == "Kamianske"]
    assert kamianske.admin1 == "26" and near(kamianske, (47.53918, 35.37373))


@pytest.mark.parametrize("text, point", [
    ("A student from Moscow, Idaho, was among the volunteers killed near Bakhmut.", (46.73239, -117.00017)),
    ("An oil worker from Odessa, Texas, has been fighting near Bakhmut since spring.", (31.84568, -102.36764)),
])
def test_a_town_followed_by_a_us_state_is_the_american_town(text, point):
    found = places_in(text)
    assert near(found[0], point) and found[0].country == "US"
    assert any(m.name == "Bakhmut" for m in found)


def test_moscow_named_after_an_american_moscow_is_still_moscow():
    text = "The families of men from Moscow, Idaho, wrote to the embassy. In Moscow, officials said nothing."
    first, second = [m for m in places_in(text) if m.mention == "Moscow"]
    assert first.country == "US" and second.country == "RU"


def test_a_list_with_new_york_does_not_make_moscow_american():
    found = places_in("Diplomats in Moscow, New York and Kyiv reacted to the strike.")
    assert [m.country for m in found] == ["RU", "US", "UA"]


def test_a_raion_named_after_its_town_is_the_raion_an_area_never_the_town():
    text = ("In Kherson Oblast, a drone hit a bus stop in the Beryslav district, and shelling damaged "
            "homes in Kakhovka raion, the regional governor said.")
    found = {m.mention: m for m in places_in(text)}
    assert found["Beryslav"].name == "Beryslav Raion" and found["Kakhovka"].name == "Kakhovka Raion"
    assert {found["Beryslav"].precision, found["Kakhovka"].precision} == {Precision.REGION}
    assert found["Beryslav"].geonameid is None and "geoparse.raion" in found["Beryslav"].rules
    assert "Kherson Oblast" in found


def test_a_raion_is_named_after_the_town_big_enough_to_head_it_not_a_namesake_village():
    (nikopol,) = places_in("Shelling hit the Nikopol district overnight.")
    assert nikopol.name == "Nikopol Raion" and nikopol.admin1 == "04"  # Dnipropetrovsk Oblast's Nikopol


def test_a_neighbourhood_is_part_of_its_town_never_a_raion():
    found = places_in("A guided bomb hit a five-storey building in Kharkiv's Saltivka neighbourhood.")
    assert not [m for m in found if m.name.endswith("Raion")]


def test_a_raion_still_helps_place_a_village_named_with_it():
    text = ("A tractor driver was wounded by a mine near the village of Kurylivka in the Kupiansk district, "
            "the police in Kharkiv Oblast said. Kurylivka lies on the Oskil.")
    names = {m.mention: m for m in places_in(text)}
    assert names["Kupiansk"].name == "Kupiansk Raion" and names["Kurylivka"].admin1 == "07"


def test_an_anchor_is_the_town_spelled_as_written_not_a_bigger_one_with_that_alternate_name():
    text = ("One man was killed in Mykolaivka, near Sloviansk, when a guided bomb hit a five-storey "
            "building, the Donetsk Oblast governor said.")
    (mykolaivka,) = [m for m in places_in(text) if m.mention == "Mykolaivka"]
    assert near(mykolaivka, (48.8619, 37.7683)) and "Sloviansk" in mykolaivka.note


def test_every_name_in_a_list_of_villages_is_a_settlement_and_follows_the_articles_oblast():
    text = ("Sumy Oblast authorities ordered the evacuation of families from border areas.\n"
            "Russian artillery shelled the villages of Pokrovka, Zhuravka and Yunakivka overnight, "
            "officials said. A power line was cut in Zhuravka.")
    found = [m for m in places_in(text) if m.mention in ("Pokrovka", "Zhuravka", "Yunakivka")]
    assert {m.mention for m in found} == {"Pokrovka", "Zhuravka", "Yunakivka"}
    assert all(m.admin1 == "21" for m in found)  # none at the Chernihiv or Dnipro namesakes
    assert {m.mention for m in found if m.source == "region-fallback"} >= {"Zhuravka"}


def test_a_village_listed_with_ones_the_text_places_in_an_oblast_follows_them_not_a_far_namesake():
    text = ("Kherson Oblast police said the strikes hit power lines and a school.\n"
            "Russian forces shelled the villages of Tiahynka, Borysivka and Zolota Balka overnight.")
    (borysivka,) = [m for m in places_in(text) if m.mention == "Borysivka"]
    # The gazetteer's only Borysivka is in Odesa Oblast; the list is in Kherson Oblast.
    assert borysivka.admin1 == "08" and borysivka.source == "region-fallback"


def test_a_stated_settlement_is_not_put_in_the_articles_oblast_when_its_sentence_is_about_another_country():
    text = ("Odesa Oblast was attacked by drones overnight.\n"
            "Moldova's border police said debris was found near the village of Giurgiulesti Noua.")
    assert not [m for m in places_in(text) if "Giurgiulesti" in m.mention]


def test_a_region_earlier_in_the_sentence_places_a_town_across_the_border():
    text = ("In Russia's Bryansk region, the governor said a drone had hit a fuel depot near the town of "
            "Klintsy, and in the Belgorod region a woman was wounded in the town of Valuyki.")
    found = {m.mention: m for m in places_in(text)}
    assert found["Klintsy"].country == "RU" and found["Klintsy"].admin1 == "10"
    assert found["Valuyki"].country == "RU"


def test_villages_including_a_list_are_settlements_in_the_region_named_before():
    text = ("Moscow said its troops had repelled attacks near several villages in the Kursk region, "
            "including Olgovka and Martynovka.")
    found = {m.mention: m for m in places_in(text)}
    assert found["Olgovka"].precision is Precision.REGION and found["Olgovka"].country == "RU"
    assert "Martynovka" in found


def test_a_country_after_a_town_picks_the_namesake_in_that_country():
    text = ("Chernihiv Oblast was shelled again.\n"
            "Drones hit an oil depot near Novgorod, in north-western Russia, the regional governor said.")
    (novgorod,) = [m for m in places_in(text) if m.mention == "Novgorod"]
    assert novgorod.country == "RU"


def test_a_base_named_after_a_village_is_a_cue_for_that_village():
    text = "Missiles struck near the Chervone airfield in the Zhytomyr region on Sunday night."
    (chervone,) = [m for m in places_in(text) if m.mention == "Chervone"]
    assert chervone.admin1 == "27" and chervone.precision is Precision.TOWN


def test_a_sentence_opening_preposition_is_not_part_of_a_village_name():
    found = find_places("In Hroza, a village in the Kharkiv region, 59 people died. "
                        "At Vilkhivka, a village in the Kharkiv region, a man was wounded.")
    assert [(p.mention, p.precision.value) for p in found if p.precision.value != "region" or p.mention == "Hroza"] == [
        ("Hroza", "region"), ("Vilkhivka", "town")]


def test_a_plural_list_of_a_citys_districts_stays_inside_that_city():
    found = places_in("Debris fell on Kyiv's Desnianskyi and Dniprovskyi districts after the air defence "
                      "shot down a drone, the city administration said.")
    districts = [m for m in found if m.mention in ("Desnianskyi", "Dniprovskyi")]
    assert len(districts) == 2
    assert all(near(m, KYIV, km=20) and m.name.endswith(("district", "Kyiv")) for m in districts)


def test_the_citys_district_belongs_to_the_town_named_in_its_sentence():
    text = ("Kyiv was quiet overnight. In Kharkiv, Mayor Ihor Terekhov said a guided bomb hit the city's "
            "Shevchenkivskyi district. Shevchenkivskyi has been struck three times this week.")
    kharkiv = (49.98081, 36.25272)
    districts = [m for m in places_in(text) if m.mention == "Shevchenkivskyi"]
    assert len(districts) == 2 and all(near(m, kharkiv, km=20) for m in districts)


def test_raions_in_a_plural_list_are_raions_not_their_towns():
    found = places_in("Falling drone debris damaged 14 houses in the Brovary and Boryspil districts, "
                      "the Kyiv regional governor said.")
    assert [(m.name, m.precision) for m in found if m.mention in ("Brovary", "Boryspil")] == [
        ("Brovary Raion", Precision.REGION), ("Boryspil Raion", Precision.REGION)]


def test_a_raion_with_an_adjectival_town_name_is_a_raion_not_a_city_district():
    found = places_in("Russian drones struck a grain terminal in the Bilhorod-Dnistrovskyi district overnight.")
    assert [m.name for m in found if m.mention == "Bilhorod-Dnistrovskyi"] == ["Bilhorod-Dnistrovskyi Raion"]


def test_a_village_in_a_named_raion_is_the_namesake_near_that_raions_town():
    found = places_in("A tractor driver was wounded by a mine near the village of Kalynivka, in the Fastiv "
                      "district, police said.")
    (village,) = [m for m in found if m.mention == "Kalynivka"]
    assert near(village, (50.22526, 30.22637), km=1)


def test_a_community_named_after_a_village_is_a_cue_for_it():
    found = places_in("One man was killed by shelling in the Myropillia community, the Sumy regional "
                      "administration said on Sunday.")
    (village,) = [m for m in found if m.mention == "Myropillia"]
    assert near(village, (51.0244, 35.24517), km=1)


def test_small_towns_of_a_border_region_the_article_names_are_placed_in_russia():
    text = ("Governor Vyacheslav Gladkov said shells hit the town of Grayvoron in the Belgorod region, "
            "wounding two. In the Bryansk region, a drone struck a substation in Klimovo.")
    found = {m.mention: m for m in places_in(text)}
    assert found["Grayvoron"].country == "RU" and near(found["Grayvoron"], (50.47893, 35.68087), km=1)
    assert found["Klimovo"].country == "RU" and near(found["Klimovo"], (52.37877, 32.1963), km=1)


def test_a_border_town_is_no_candidate_when_the_article_never_names_its_region():
    found = places_in("Crimean partisans said they had filmed a Russian convoy near Klimovo on Tuesday.")
    assert all(m.country != "RU" for m in found if m.mention == "Klimovo")


def test_a_settlement_in_a_report_about_a_russian_region_is_never_placed_in_a_ukrainian_oblast():
    text = ("Fighting continued in the Kursk region on Monday. Residents fled the village of Zaoleshenka, "
            "Kursk region officials said, as the Kursk region governor ordered more evacuations. "
            "Sumy region authorities reported shelling too.")
    assert all(m.country != "UA" for m in places_in(text) if m.mention == "Zaoleshenka")


def test_a_belarusian_oblast_named_as_one_is_a_region_not_its_city():
    found = places_in("Chernihiv Oblast borders Belarus's Gomel Oblast, where Russian troops massed in 2022.")
    (gomel,) = [m for m in found if m.mention.startswith("Gomel")]
    assert gomel.precision is Precision.REGION and gomel.country == "BY"


def test_a_russian_spelling_of_a_donbas_town_beats_a_distant_russian_city():
    found = places_in("The DPR militia said its artillery pounded Seversk, north-east of Artemovsk, "
                      "for the third day.")
    (town,) = [m for m in found if m.mention == "Seversk"]
    assert town.country == "UA" and near(town, (48.86538, 38.09717), km=5)


@pytest.mark.parametrize("text", [
    "Missiles also struck the neighbouring region of Poltava, where two people were hurt.",
    "Russia also launched three ballistic missiles at Ukraine's central region of Poltava.",  # at a sentence's end
])
def test_the_region_of_a_named_oblast_is_the_region_not_its_centre(text):
    (region,) = [m for m in places_in(text) if m.mention == "Poltava"]
    assert region.precision is Precision.REGION and region.name == "Poltava Oblast"


def test_the_russian_federation_is_russia():
    found = places_in("The monitors recorded 12 civilian casualties in the Russian Federation in May.")
    assert [(m.mention, m.country, m.precision) for m in found] == [
        ("Russian Federation", "RU", Precision.COUNTRY)]


def _by_mention(text: str) -> dict:
    return {m.mention: m for m in find_places(text)}


def test_a_town_before_a_list_of_regions_stays_the_town():
    found = _by_mention("A missile struck a substation near Lviv, knocking out power in the Odesa, Mykolaiv "
                        "and Poltava regions.")
    assert found["Lviv"].precision is Precision.TOWN and found["Lviv"].source == "gazetteer"
    assert distance_km(found["Lviv"].lat, found["Lviv"].lon, 49.838, 24.023) < 5


def test_front_line_villages_after_direction_and_near_are_settlements():
    found = _by_mention("Russian forces attacked north of Bakhmut near Berkhivka and Yahidne on Tuesday.")
    for name in ("Berkhivka", "Yahidne"):
        assert found[name].precision is Precision.NEAR
        assert distance_km(found[name].lat, found[name].lon, 48.594, 37.999) < 5  # at Bakhmut


def test_the_town_a_front_line_direction_is_given_from_is_not_near_the_village_after_it():
    found = _by_mention("Russian troops advanced southwest of Marinka near Pobieda and Novomykhailivka, "
                        "milbloggers claimed.")
    assert found["Marinka"].precision is Precision.TOWN
    assert "Novomykhailivka" in found


def test_and_before_a_direction_starts_a_new_place_phrase():
    found = _by_mention("Ukrainian units held positions near Terny and south of Kreminna on Friday.")
    assert found["Terny"].note.find("Kreminna, which the text says") == -1


def test_a_bare_village_heading_is_kept_when_the_article_names_its_oblast():
    found = _by_mention("Chernihiv region\nNova Basan. Residents said soldiers occupied the school for a month.")
    assert found["Nova Basan"].admin1 == "02"


def test_a_sentence_opening_with_a_region_chooses_the_namesake_there():
    found = _by_mention("In Mykolaiv region, shelling damaged houses near Vasylivka, the governor said.")
    assert found["Vasylivka"].admin1 == "16"


def test_a_sentence_opening_region_does_not_move_a_city_it_lacks():
    found = _by_mention("In Kharkiv region, two people were injured; in Kyiv, air defence was active.")
    assert found["Kyiv"].precision is Precision.TOWN and found["Kyiv"].source == "gazetteer"


def test_a_village_in_a_hromada_is_placed_near_the_town_the_hromada_is_named_after():
    found = _by_mention("Russian forces shelled the village of Kozache in the Borova community on Tuesday, wounding "
                        "a 60-year-old man, the Kharkiv regional prosecutor's office said. Lviv Oblast was quiet.")
    assert found["Borova"].admin1 == "07"
    assert found["Kozache"].precision is Precision.NEAR
    assert near(found["Kozache"], (found["Borova"].lat, found["Borova"].lon), 1.0)


def test_a_village_said_to_be_on_a_river_is_a_settlement():
    found = _by_mention("Rescuers pulled two bodies from a cellar in Kozarovychi, a village on the Dnipro River, "
                        "police in Kyiv Oblast said.")
    assert found["Kozarovychi"].precision is Precision.REGION and found["Kozarovychi"].admin1 == "13"


def test_a_campaign_or_governor_named_after_a_border_region_is_the_region():
    found = _by_mention("Kyiv said the Kursk offensive had forced Moscow to move troops. "
                        "Acting Belgorod Governor Vyacheslav Gladkov said a drone hit a car.")
    assert found["Kursk"].precision is Precision.REGION
    assert found["Belgorod"].precision is Precision.REGION


def test_a_museum_named_after_a_small_town_pins_the_town():
    found = _by_mention("Shelling damaged the Velykyi Burluk Local History Museum on Monday, officials said.")
    assert found["Velykyi Burluk"].precision is Precision.TOWN


def test_a_count_after_a_comma_starts_a_new_clause_not_a_region_cue():
    found = _by_mention("A man was killed in Kupiansk, another in Donetsk region, and two were hurt in Lozova, "
                        "one in Dnipropetrovsk region, officials said.")
    assert found["Kupiansk"].admin1 == "07" and found["Lozova"].admin1 == "07"
    assert found["Lozova"].precision is Precision.TOWN


def test_an_unplaced_village_goes_to_the_oblast_the_article_is_about():
    found = _by_mention("Residents of the Chernihiv region recall the siege. Troops held the school in the village "
                        "of Yahidne for a month. Volunteers from the Sumy region helped. The Chernihiv region "
                        "governor spoke at a memorial in the Chernihiv region on Sunday.")
    assert found["Yahidne"].admin1 == "02" and found["Yahidne"].source == "region-fallback"


def test_the_city_of_a_name_is_the_city_not_a_village_namesake():
    found = _by_mention("Drones hit an industrial site in the city of Kamianske overnight; Enerhodar was quiet.")
    assert found["Kamianske"].admin1 == "04" and found["Kamianske"].confidence >= 0.5
    assert near(found["Kamianske"], (48.51716, 34.60617))


def test_a_namesake_named_only_to_be_ruled_out_is_not_pinned():
    text = ("A drone hit a farm in Kamianske, a village in Zaporizhzhia region, not the city of Kamianske in "
            "Dnipropetrovsk region. Kupiansk was shelled; Lyman, in Donetsk region, is not to be confused "
            "with Lyman in Kharkiv region.")
    found = places_in(text)
    kamianske = [m for m in found if m.mention == "Kamianske"]
    assert [m.admin1 for m in kamianske] == ["26"]
    assert [m.admin1 for m in found if m.mention == "Lyman"] == ["05"]


def test_a_foreign_region_missing_from_the_table_is_not_pinned_at_its_city():
    found = _by_mention("The soldier, who is from Bratsk in Russia's Irkutsk region, pleaded guilty in Kyiv.")
    assert "Irkutsk" not in found and "Kyiv" in found


def test_an_all_capitals_dateline_of_a_town_is_pinned():
    text = ("In brief: Odesa region, 3 March\n"
            "IZMAIL - Drone debris damaged a warehouse near the port overnight.\n"
            "CHORNOMORSK - No casualties were reported, the administration said.\n")
    regions = {m.mention: m.region for m in find_places(text) if m.precision is Precision.TOWN}
    assert regions.get("IZMAIL") == regions.get("CHORNOMORSK") == "Odesa Oblast"


def test_a_district_or_raion_in_capitals_is_not_pinned_at_its_town():
    text = ("OBUKHIV DISTRICT - Sappers cleared a field near the village of Kopachiv.\n"
            "The village of Rozhivka, Brovary Raion, Kyiv Oblast, was shelled in March 2022.")
    towns = {m.mention for m in find_places(text) if m.precision is not Precision.REGION}
    assert "OBUKHIV" not in towns and "Brovary" not in towns


def test_a_name_before_an_all_capitals_word_is_an_organisation():
    places = find_places("Volunteers from the Vostok SOS group evacuated residents of Kostiantynivka.")
    assert [m.mention for m in places] == ["Kostiantynivka"]


def test_a_newspaper_edition_is_not_a_place():
    text = "A version of this article about the strike on Sumy appears in print in the New York edition."
    assert [m.mention for m in find_places(text)] == ["Sumy"]


def test_a_contributor_credit_line_does_not_pull_namesakes_to_its_city():
    text = ("Shelling hit Balakliia and Kupiansk overnight, the Kharkiv governor said.\n"
            "Elsewhere in the region, the town of Zolochiv came under fire.\n"
            "In Mykolaiv, in the south, the mayor said two people were wounded.\n"
            "Associated Press writer Jane Doe in Lviv contributed.")
    placed = {m.mention: m for m in find_places(text)}
    assert placed["Zolochiv"].region == "Kharkiv Oblast"
    assert placed["Mykolaiv"].region == "Mykolaiv Oblast"


def test_an_outlet_named_by_a_place_and_a_number_is_not_that_place():
    names = [m.name for m in find_places("Ukraine 24 said. Reporting by Kyiv 24 with AP. In Odesa 24 people were hurt.")]
    assert names == ["Odesa"]


def test_a_capital_named_for_its_state_is_not_pinned():
    names = [m.name for m in find_places("Moscow's troops pushed toward Vovchansk, and Kyiv's forces held.")]
    assert "Moscow" not in names and "Kyiv" not in names and "Vovchansk" in names


def test_an_incursion_into_a_border_region_names_the_region():
    [m] = find_places("Ukrainian units pulled back a year after the incursion into Belgorod last spring.")
    assert m.name == "Belgorod Oblast" and m.precision == Precision.REGION


def test_a_small_town_that_was_shelled_is_a_place_without_a_preposition():
    [m] = find_places("Velykyi Burluk was also shelled overnight, the governor said.")
    assert m.name == "Velykyi Burluk" and m.precision == Precision.TOWN


def test_an_attacked_community_names_its_town():
    names = [m.name for m in find_places("Russian guns attacked the Pokrovske community in Dnipropetrovsk Oblast.")]
    assert "Pokrovske" in names
