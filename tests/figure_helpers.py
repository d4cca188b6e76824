"""Helpers shared by the figure and placing tests: hand-made place mentions with real GeoNames
coordinates, and the sample articles run end to end through the real geoparser."""
from datetime import date

import pytest

from geo.articles import load_folder
from geo.figures import extract_figures
from geo.geoparse import find_places
from geo.model import Article, PlaceMention, Precision
from tests.conftest import ARTICLES

# Real GeoNames coordinates, for tests that hand the extractor its place mentions.
BAKHMUT = dict(name="Bakhmut", lat=48.59419, lon=37.99886, geonameid=713174, country="UA", admin1="05")
BELGOROD = dict(name="Belgorod", lat=50.61074, lon=36.58015, geonameid=578072, country="RU", admin1="09")
BELGOROD_OBLAST = dict(name="Belgorod Oblast", lat=50.60343, lon=36.58091, geonameid=None, country="RU", admin1="09")
BILOPILLIA = dict(name="Bilopillia", lat=51.14747, lon=34.31079, geonameid=712559, country="UA", admin1="21")
BUCHA = dict(name="Bucha", lat=50.54741, lon=30.20879, geonameid=711350, country="UA", admin1="13")
DNIPRO_OBLAST = dict(name="Dnipropetrovsk Oblast", lat=48.2949, lon=34.8115, geonameid=None, country="UA", admin1="04")
IRPIN = dict(name="Irpin", lat=50.52201, lon=30.24037, geonameid=707565, country="UA", admin1="13")
IZYUM = dict(name="Izyum", lat=49.20697, lon=37.27679, geonameid=707292, country="UA", admin1="07")
KHARKIV = dict(name="Kharkiv", lat=49.98177, lon=36.25475, geonameid=706483, country="UA", admin1="07")
KHARKIV_OBLAST = dict(name="Kharkiv Oblast", lat=49.7763, lon=36.4712, geonameid=None, country="UA", admin1="07")
KHERSON = dict(name="Kherson", lat=46.63695, lon=32.61458, geonameid=706448, country="UA", admin1="08")
KHERSON_OBLAST = dict(name="Kherson Oblast", lat=46.5486, lon=33.2744, geonameid=None, country="UA", admin1="08")
KOSTIANTYNIVKA = dict(name="Kostiantynivka", lat=48.52728, lon=37.70594, geonameid=705104, country="UA", admin1="05")
KRAMATORSK = dict(name="Kramatorsk", lat=48.72305, lon=37.55629, geonameid=704508, country="UA", admin1="05")
KRASNOPILLIA = dict(name="Krasnopillia", lat=50.77389, lon=35.25633, geonameid=704343, country="UA", admin1="21")
KUPIANSK = dict(name="Kupiansk", lat=49.71003, lon=37.61581, geonameid=703656, country="UA", admin1="07")
KYIV = dict(name="Kyiv", lat=50.45466, lon=30.5238, geonameid=703448, country="UA", admin1="12")
LOZOVA = dict(name="Lozova", lat=48.89066, lon=36.31412, geonameid=702760, country="UA", admin1="07")
LVIV = dict(name="Lviv", lat=49.83826, lon=24.02324, geonameid=702550, country="UA", admin1="15")
ODESA = dict(name="Odesa", lat=46.48572, lon=30.74383, geonameid=698740, country="UA", admin1="17")
ODESA_OBLAST = dict(name="Odesa Oblast", lat=46.7296, lon=29.8834, geonameid=None, country="UA", admin1="17")
PAVLOHRAD = dict(name="Pavlohrad", lat=48.53214, lon=35.86878, geonameid=697889, country="UA", admin1="04")
SHEVCHENKOVE = dict(name="Shevchenkove", lat=49.6951, lon=37.17625, geonameid=694137, country="UA", admin1="07")
SUMY_OBLAST = dict(name="Sumy Oblast", lat=51.0181, lon=34.2987, geonameid=None, country="UA", admin1="21")
TERNIVKA = dict(name="Ternivka", lat=48.52656, lon=36.07051, geonameid=691628, country="UA", admin1="04")
UKRAINE = dict(name="Ukraine", lat=50.45466, lon=30.5238, geonameid=690791, country="UA", admin1="")
ZATOKA = dict(name="Zatoka", lat=46.07016, lon=30.46265, geonameid=687557, country="UA", admin1="17")



def mention(text, written, place, precision=Precision.TOWN, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(written, start + 1)
    return PlaceMention(article="t", start=start, end=start + len(written), mention=written,
                        precision=precision, **place)


def article(text, published=date(2022, 4, 8)):
    return Article(id="t", file="t.txt", text=text, published=published)


def figures_of(text, published=date(2022, 4, 8), places=()):
    return extract_figures(article(text, published), sorted(places, key=lambda p: p.start))


def only(text, **kw):
    found = figures_of(text, **kw)
    assert len(found) == 1, [(f.value, f.category, f.counted) for f in found]
    return found[0]


@pytest.fixture(scope="module")
def sample():
    """The sample articles' figures, keyed by the file's number ("000"), with the real geoparser."""
    out = {}
    for a in load_folder(ARTICLES).articles:
        out[a.file[:3]] = (a, extract_figures(a, find_places(a.text, a.id)))
    return out
