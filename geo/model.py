"""The plain values that travel between modules: frozen dataclasses, nothing clever.

Offsets (`start`, `end`) are character offsets into `Article.text`, end exclusive, so
`article.text[start:end] == mention` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum


class Precision(str, Enum):
    """How exactly a place is known, in the spirit of ACLED's geo_precision."""

    TOWN = "town"        # the named town or village itself
    NEAR = "near"        # near a named town ("outskirts of Kyiv", "a forest near Izyum")
    REGION = "region"    # only the oblast is known (or a town the gazetteer lacks, placed in its oblast)
    COUNTRY = "country"  # only the country is known


class TimePrecision(str, Enum):
    """How exactly an event date is known (ACLED's time_precision, plus the article fallback)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    RANGE = "range"      # a span of days the text names ("between 10 and 12 March")
    ARTICLE = "article"  # no date in the text: the article's publication date stands in


class Category(str, Enum):
    """What a figure counts. Casualties, graves and explosives are what the map is for; counts of
    people rescued or evacuated and of buildings hit keep a named kind. OTHER is never a reported
    figure: geo.figures uses it for a count it then drops (a population, a force, weapons fired,
    towns retaken), since "other" pinned at a place reads as something that happened there."""

    KILLED = "killed"
    BODIES = "bodies"
    GRAVES = "graves"
    INJURED = "injured"
    MISSING = "missing"
    EXPLOSIVES = "explosives"
    RESCUED = "rescued"
    EVACUATED = "evacuated"
    BUILDINGS = "buildings"
    OTHER = "other"


# The categories a figure can leave geo.figures with.
REPORTED_CATEGORIES = tuple(c for c in Category if c is not Category.OTHER)


class Qualifier(str, Enum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"
    ABOUT = "about"
    ESTIMATED = "estimated"


@dataclass(frozen=True)
class Article:
    """One decoded article. `id` is a content hash: the same bytes always get the same id."""

    id: str
    file: str
    text: str
    published: date | None = None
    published_basis: str = "unknown"  # "manifest", "text" (stated in it), "inferred" (its latest full date) or "unknown"
    outlet: str = ""
    url: str = ""
    title: str = ""
    encoding: str = "utf-8"  # the codec the file's bytes were decoded with (geo.decoding)
    notes: tuple[str, ...] = ()  # what the loader decided for the reader: a guessed encoding, an ignored date line
    language: str = ""  # "uk", "ru", "en", "mixed" (geo.language.detect), "" when not detected


@dataclass(frozen=True)
class Place:
    """A gazetteer entry (or an override, or an online result)."""

    name: str
    lat: float
    lon: float
    country: str            # ISO 3166-1 alpha-2, e.g. "UA"
    admin1: str = ""        # GeoNames admin1 code, e.g. "13" (Kyiv Oblast)
    kind: str = "town"      # "town", "region" or "country"
    population: int = 0
    geonameid: int | None = None


@dataclass(frozen=True)
class Candidate:
    """One place a mention may be, as the resolver ranked it, so a reviewer can pick the right
    namesake (Ukraine has fourteen Dmytrivkas). `score` is the resolver's score (spelling,
    population, the cues the text gives; higher is likelier), None when the place was decided
    without ranking namesakes (an oblast named as such, a settlement placed at its oblast)."""

    name: str
    geonameid: int | None
    lat: float
    lon: float
    country: str
    admin1: str = ""
    region: str = ""         # oblast name when known, e.g. "Kharkiv Oblast"
    score: float | None = None


@dataclass(frozen=True)
class PlaceMention:
    """A place named in an article, resolved to coordinates, with where it was written."""

    article: str             # Article.id
    start: int
    end: int
    mention: str             # the text as written, e.g. "Bucha's" -> "Bucha", "Izyum"
    name: str                # canonical name, e.g. "Izium"
    lat: float | None
    lon: float | None
    precision: Precision
    geonameid: int | None = None
    country: str = ""
    admin1: str = ""
    region: str = ""         # oblast name when known, e.g. "Kharkiv Oblast"
    confidence: float = 1.0  # 0..1: how sure the resolver is of this candidate
    source: str = "gazetteer"  # "override", "gazetteer", "online", "region-fallback", "landmark"
    note: str = ""           # why this candidate was chosen, for the reader
    candidates: tuple[Candidate, ...] = ()  # the chosen place first, then its likeliest namesakes (up to 5 in all)
    rules: tuple[str, ...] = ()  # ids of the rules that recognised and placed it (docs/engine.md)


@dataclass(frozen=True)
class Figure:
    """A reported number, what it counts, where and when it applies, and who said it."""

    article: str             # Article.id
    start: int               # span of the number phrase ("more than 1,500 explosives")
    end: int
    value: int               # the number (low end of a range)
    value_high: int | None   # high end for ranges/vague amounts ("dozens" -> 24..99), else None
    qualifier: Qualifier
    category: Category
    counted: str             # the thing counted, as written ("civilian bodies")
    quote: str               # the whole sentence, as written
    sentence_start: int
    sentence_end: int
    place: PlaceMention | None  # None when no place can be told
    attribution: str | None  # who said it, as written ("prosecutor general Iryna Venediktova")
    event_date: date | None  # the best single day of the event counted (the first day of its span)
    time_precision: TimePrecision
    date_text: str = ""      # the words the date came from ("on Sunday"), empty for the fallback
    date_end: date | None = None  # the last day the event may have been on (event_date for a day)
    reported: date | None = None  # as of when the figure was given: the day the text dates the
                                  # statement ("said on Tuesday"), else the publication date
    rules: tuple[str, ...] = ()  # ids of the rules that chose its place and its date (docs/engine.md)
