"""Geocoder chain: overrides, the gazetteer and an online provider that may fail."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from geo.errors import GazetteerError, GeocoderError
from geo.geocoders import (DEFAULT_OVERRIDES, ChainGeocoder, GazetteerGeocoder, LookupContext, OnlineGeocoder,
                           OverrideGeocoder, default_geocoder)
from geo.geoparse import find_places
from geo.model import Precision

HEADER = "name,lat,lon,country,admin1,aliases\n"


class FakeNominatim:
    """geopy-like: returns Location-ish objects, counts calls, never touches the network."""

    def __init__(self, answers=None, error=None):
        self.answers = answers or {}
        self.error = error
        self.calls = []

    def __call__(self, query, **kwargs):
        self.calls.append((query, kwargs))
        if self.error:
            raise self.error
        return [SimpleNamespace(latitude=lat, longitude=lon, raw={"address": {"country_code": "ua"}})
                for lat, lon in self.answers.get(query, [])]


class Failing:
    source = "online"

    def lookup(self, name, context=None):
        raise GeocoderError("timed out")

    def names(self):
        return ()


def write(tmp_path, body):
    path = tmp_path / "places.csv"
    path.write_text(body, encoding="utf-8")
    return path


def test_shipped_overrides_file_loads():
    assert DEFAULT_OVERRIDES.exists()
    OverrideGeocoder(DEFAULT_OVERRIDES)


def test_override_rows_with_aliases_are_found_by_any_spelling(tmp_path):
    path = write(tmp_path, "# a comment\n" + HEADER + "Hroza,49.66,37.70,UA,07,Groza\n")
    geocoder = OverrideGeocoder(path)
    (place,) = geocoder.lookup("Groza")
    assert (place.name, place.lat, place.admin1) == ("Hroza", 49.66, "07")
    assert set(geocoder.names()) == {"Hroza", "Groza"}


@pytest.mark.parametrize("row,message", [
    ("Hroza,north,37.7,UA,07,\n", "not numbers"),
    ("Hroza,149.6,37.7,UA,07,\n", "out of range"),
    ("Hroza,49.6,37.7,Ukraine,07,\n", "alpha-2"),
    (",49.6,37.7,UA,07,\n", "empty name"),
])
def test_bad_override_rows_fail_with_the_line_number(tmp_path, row, message):
    path = write(tmp_path, "# comment\n" + HEADER + row)
    with pytest.raises(GazetteerError, match=rf"places.csv:3: .*{message}"):
        OverrideGeocoder(path)


def test_override_file_without_required_columns_is_refused(tmp_path):
    with pytest.raises(GazetteerError, match="header lacks"):
        OverrideGeocoder(write(tmp_path, "place,latitude\nHroza,49\n"))


def test_override_wins_over_the_gazetteer_in_find_places(tmp_path):
    path = write(tmp_path, HEADER + "Hroza,49.66,37.70,UA,07,\n")
    chain = ChainGeocoder([OverrideGeocoder(path), GazetteerGeocoder()])
    (hroza,) = [m for m in find_places("Mourners gathered in Hroza on Friday.", "a", chain)]
    assert hroza.source == "override" and hroza.precision is Precision.TOWN
    assert (hroza.lat, hroza.lon) == (49.66, 37.70)


def test_chain_falls_back_when_a_provider_fails_and_loses_nothing():
    chain = ChainGeocoder([Failing(), GazetteerGeocoder()])
    places, source = chain.lookup_sourced("Bucha")
    assert source == "gazetteer" and places[0].name == "Bucha"
    assert chain.errors == ["timed out"]


def test_online_lookup_uses_the_adapter_once_then_the_disk_cache(tmp_path):
    fake = FakeNominatim({"Hroza": [(49.66, 37.70)]})
    cache = tmp_path / "online.json"
    online = OnlineGeocoder(geocode=fake, cache_path=cache)
    (place,) = online.lookup("Hroza", LookupContext("UA"))
    assert (place.lat, place.lon, place.country) == (49.66, 37.70, "UA")
    assert fake.calls[0][1]["country_codes"] == "ua"
    again = OnlineGeocoder(geocode=fake, cache_path=cache).lookup("Hroza", LookupContext("UA"))
    assert again == [place] and len(fake.calls) == 1
    assert json.loads(cache.read_text(encoding="utf-8"))


def test_online_timeout_becomes_geocoder_error(tmp_path):
    online = OnlineGeocoder(geocode=FakeNominatim(error=TimeoutError("slow")), cache_path=tmp_path / "c.json")
    with pytest.raises(GeocoderError, match="'Hroza' failed: timed out after 3 s"):
        online.lookup("Hroza")


def test_online_places_a_village_the_gazetteer_lacks(tmp_path):
    fake = FakeNominatim({"Hroza": [(49.66, 37.70)]})
    chain = ChainGeocoder([GazetteerGeocoder(), OnlineGeocoder(geocode=fake, cache_path=tmp_path / "c.json")])
    (hroza,) = [m for m in find_places("A missile hit the village of Hroza in Kharkiv Oblast.", "a", chain)
                if m.mention == "Hroza"]
    assert hroza.source == "online" and hroza.precision is Precision.TOWN


def test_online_failure_still_gives_the_region_fallback(tmp_path):
    broken = OnlineGeocoder(geocode=FakeNominatim(error=OSError("no route")), cache_path=tmp_path / "c.json")
    chain = ChainGeocoder([GazetteerGeocoder(), broken])
    (hroza,) = [m for m in find_places("A missile hit the village of Hroza in Kharkiv Oblast.", "a", chain)
                if m.mention == "Hroza"]
    assert hroza.source == "region-fallback" and hroza.precision is Precision.REGION


def test_default_chain_is_offline_unless_asked():
    assert [g.source for g in default_geocoder().geocoders] == ["override", "gazetteer"]
    assert [g.source for g in default_geocoder(online=True).geocoders] == ["override", "gazetteer", "online"]
