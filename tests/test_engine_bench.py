"""The benchmark's peer is geotext plus a name lookup, as issue 8 describes it: every name geotext
finds is looked up to a pin through a table built once from geotext's own cities file."""
from geotext import GeoText

from bench.corpus import generate
from bench.extract_bench import geotext_pins, run_geotext_lookup


def test_the_lookup_table_pins_a_city_at_its_most_populous_namesake():
    pins = geotext_pins()
    lat, lon, country = pins["kharkiv"]
    assert country == "UA" and 49.8 < lat < 50.2 and 36.0 < lon < 36.5
    lat, lon, country = pins["london"]  # London, England, not London, Ontario
    assert country == "GB" and 51.3 < lat < 51.7


def test_the_peer_looks_up_every_name_geotext_finds():
    corpus = generate(20, 0)
    pins = geotext_pins()
    seconds, places = run_geotext_lookup(corpus, pins)
    names = [(doc.file, name) for doc in corpus for name in GeoText(doc.text).cities]
    assert seconds > 0 and names
    assert [(p.article, p.name) for p in places] == names
    pinned = [p for p in places if p.lat is not None]
    assert pinned and all((p.lat, p.lon, p.country) == pins[p.name.lower()] for p in pinned)
