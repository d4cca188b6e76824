"""Geocoder chain: overrides, the gazetteer and an online provider that may fail."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from geo.errors import GazetteerError, GeocoderError
from geo.paths import overrides_file
from geo.geocoders import (ChainGeocoder, GazetteerGeocoder, LookupContext, OnlineGeocoder,
                           OverrideGeocoder, default_geocoder)
from geo.geoparse import find_places
from geo.model import Precision

HEADER = "name,lat,lon,country,admin1,aliases\n"
ROOT = Path(__file__).resolve().parent.parent


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
    assert overrides_file().exists()
    OverrideGeocoder(overrides_file())


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


# ---- failing fast, against real sockets on 127.0.0.1 (never the network) -------------------------

VILLAGES = ["Hroza", "Hlushkivka", "Synkivka", "Nevske", "Spirne", "Zaliznianske", "Klishchiivka"]


@pytest.fixture
def dead_url():
    """An address where nothing listens: every connection is refused at once."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def silent_server():
    """A server that accepts connections and never answers (a proxy that hangs); counts them."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted = []

    def accept():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    server.close()
    for conn in accepted:
        conn.close()


def test_a_refused_connection_fails_at_once_is_remembered_and_stops_after_three(dead_url, tmp_path):
    online = OnlineGeocoder(cache_path=tmp_path / "c.json", url=dead_url)
    messages = []
    for name in ["Hroza", "Hroza", "Spirne", "Nevske", "Synkivka"]:
        with pytest.raises(GeocoderError) as err:
            online.lookup(name)
        messages.append(str(err.value))
    assert messages[0].startswith("online lookup of 'Hroza' failed: [Errno 111] Connection refused")
    assert messages[1].startswith("online lookup of 'Hroza' failed earlier in this session")
    assert messages[3].endswith("online geocoding stopped for this session after 3 failed lookups in "
                                f"{online.stopped.split(' in ')[1]}")
    assert messages[4].startswith("online lookup of 'Synkivka' not tried: online geocoding stopped")
    assert not (tmp_path / "c.json").exists()


def test_a_server_that_never_answers_costs_one_timeout_per_lookup_and_no_retries(silent_server, tmp_path):
    url, accepted = silent_server
    online = OnlineGeocoder(cache_path=tmp_path / "c.json", url=url, timeout=0.5)
    chain = ChainGeocoder([GazetteerGeocoder(), online])
    places = {m.mention: m.source for v in VILLAGES
              for m in find_places(f"A missile hit the village of {v} in Kharkiv Oblast.", "a", chain)}
    assert places["Hroza"] == "region-fallback" and places["Kharkiv Oblast"] == "gazetteer"
    assert len(accepted) == 3  # one connection per failed lookup, then it stopped asking
    errors = chain.take_errors()
    assert [e.split(": ")[1].split(";")[0] for e in errors[:3]] == ["timed out after 0.5 s"] * 3
    assert len(errors) == len(VILLAGES) and chain.take_errors() == []


def test_extract_online_without_a_network_says_one_line_per_article_and_no_traceback(dead_url, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for v in VILLAGES[:4]:
        (folder / f"{v}.txt").write_text(f"A missile hit the village of {v} in Kharkiv Oblast, killing 2 people.\n",
                                         encoding="utf-8")
    env = {**os.environ, "UKRMAP_NOMINATIM_URL": dead_url, "UKRMAP_CACHE": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "geo", "extract", "--online", str(folder)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"warning {v}.txt" for v in sorted(VILLAGES[:4])]
    assert lines[2].endswith("online geocoding stopped for this session after 3 failed lookups in "
                             + lines[2].rsplit(" in ", 1)[1])
    assert "not tried: online geocoding stopped" in lines[3]
    figures = [json.loads(r) for r in done.stdout.splitlines() if '"figure"' in r]
    assert len(figures) == 4
