"""Choosing one place among same-named candidates, from what the article says around the name.

Ukraine has fourteen Dmytrivkas; the text usually tells which: "west of the capital",
"23 miles northwest of Kyiv", "in the Kharkiv region", "near Irpin", or simply the other towns
the article names. Each cue adds to a candidate's score; population and the article's country
focus only break what the cues leave open. The winner's margin sets the confidence, and the
reason is written in the note so a reader can check it.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from geo.model import Place

EARTH_KM = 6371.0088


@dataclass(frozen=True)
class Cues:
    """What the sentence says about where a mention is, relative to known places."""

    region: Place | None = None       # the oblast it is said to be in
    anchor: Place | None = None       # the place it is said to be near / at a bearing from
    anchor_label: str = ""            # how the anchor was written ("the capital", "Irpin")
    distance_km: float | None = None  # stated distance from the anchor
    bearing: float | None = None      # stated compass bearing from the anchor, degrees
    country: str = ""                 # the country it is said to be in ("Novgorod, in north-west Russia")
    rules: tuple[str, ...] = ()       # ids of the rules that read these cues (docs/engine.md)


@dataclass(frozen=True)
class Choice:
    place: Place
    confidence: float
    note: str
    ranked: tuple[tuple[Place, float], ...] = ()  # the likeliest candidates and their scores, best first (up to 5)
    rules: tuple[str, ...] = ()                    # ids of the reasons that decided (docs/engine.md)


def distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


def bearing_deg(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    """Initial compass bearing from a to b, 0 = north, clockwise."""
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dl = math.radians(b_lon - a_lon)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360


_SAME_OBLAST = {"12": "13", "20": "11"}  # Kyiv city sits in Kyiv Oblast, Sevastopol in Crimea


def in_region(place: Place, region: Place) -> bool:
    """Whether `place` lies in the oblast `region` (Kyiv city counts as in Kyiv Oblast)."""
    if place.country != region.country:
        return False
    a, b = place.admin1, region.admin1
    return a == b or _SAME_OBLAST.get(a, a) == _SAME_OBLAST.get(b, b)


def angle_between(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


class Neighbours:
    """The towns an article places with confidence, looked up by position: the nearby-towns cue
    reads only those within 100 km of a candidate, and names the three nearest. Up to a few dozen
    are simply scanned; more (an article listing hundreds of towns) go into a grid of cells
    searched ring by ring outwards, which finds the same nearest towns in the same order."""

    _SCAN = 64
    _CELL = 0.25  # degrees of latitude and of longitude
    _RADIUS_KM = 100.0

    def __init__(self, places: Iterable[Place] = (), excluded: frozenset[int] = frozenset()) -> None:
        self.places = tuple(places)
        self.excluded = excluded  # id() of places not to count (the mention's own candidates)
        self._ids = frozenset(map(id, self.places))
        self._grid: dict[tuple[int, int], list[Place]] | None = None

    def excluding(self, ids: Iterable[int]) -> Neighbours:
        """The same towns, but for those with these id()s; the index is shared."""
        other = Neighbours.__new__(Neighbours)
        other.places, other.excluded, other._ids = self.places, frozenset(ids), self._ids
        if self._grid is None and len(self.places) > self._SCAN:
            self._grid = self._cells()
        other._grid = self._grid
        return other

    def __bool__(self) -> bool:
        return len(self._ids) > len(self._ids & self.excluded)

    def _cells(self) -> dict[tuple[int, int], list[Place]]:
        grid: dict[tuple[int, int], list[Place]] = {}
        for n in self.places:
            grid.setdefault((math.floor(n.lat / self._CELL), math.floor(n.lon / self._CELL)), []).append(n)
        return grid

    def nearest(self, place: Place) -> list[tuple[float, str]]:
        """(km, name) of the towns within 100 km of `place`, nearest first, at most three."""
        if len(self.places) <= self._SCAN or abs(place.lat) > 60:
            return self._nearest(self.places, place)
        if self._grid is None:
            self._grid = self._cells()
        ci, cj = math.floor(place.lat / self._CELL), math.floor(place.lon / self._CELL)
        cos_lat = math.cos(math.radians(place.lat))
        found: list[tuple[float, str]] = []
        r = 0
        while True:
            ring = [(ci + di, cj + dj) for di in range(-r, r + 1) for dj in range(-r, r + 1)
                    if max(abs(di), abs(dj)) == r]
            found = self._nearest([n for cell in ring for n in self._grid.get(cell, ())], place, found)
            # A town in a cell outside the rings searched is more than r cells away in latitude or
            # in longitude: at least this far (its distance to that meridian, the shorter of the two).
            bound = EARTH_KM * math.asin(min(1.0, cos_lat * math.sin(math.radians(r * self._CELL)))) - 1e-6
            if bound > self._RADIUS_KM or (len(found) == 3 and bound > found[-1][0]):
                return found
            r += 1

    def _nearest(self, towns: Iterable[Place], place: Place,
                 found: Iterable[tuple[float, str]] = ()) -> list[tuple[float, str]]:
        near = list(found)
        lat, lon = place.lat, place.lon
        for n in towns:
            # A degree of latitude is 111 km, so a neighbour more than 1° away (or 2° of longitude, at
            # latitudes below 60°) cannot be within 100 km: skip the trigonometry for it.
            if (abs(n.lat - lat) < 1.0 and (abs(n.lon - lon) < 2.0 or abs(lat) > 60)
                    and n.kind == "town" and n is not place and n != place and id(n) not in self.excluded):
                d = distance_km(n.lat, n.lon, lat, lon)
                if d <= self._RADIUS_KM:
                    near.append((d, n.name))
        return sorted(near)[:3]


def choose(candidates: list[tuple[Place, float]], cues: Cues = Cues(),
           neighbours: Neighbours | tuple[Place, ...] = (), focus: str = "UA", oblasts: tuple[Place, ...] = ()) -> Choice:
    """The best candidate for one mention.

    `candidates` pairs each place with how well its spelling matched (1 = as written);
    `neighbours` are the other places the article names, already resolved; `oblasts` the
    oblasts it names anywhere (a weaker cue than "X in the Y region" in the same sentence).
    """
    if not candidates:
        raise ValueError("no candidates")
    if not isinstance(neighbours, Neighbours):
        neighbours = Neighbours(neighbours)
    target = (project(cues.anchor.lat, cues.anchor.lon, cues.distance_km, cues.bearing)
              if cues.anchor is not None and cues.distance_km is not None and cues.bearing is not None else None)
    # Score every candidate, then explain only the winner: the reasons are words, and words cost.
    scored = [(_score(place, quality, cues, target, neighbours, focus, None, oblasts), place.population, place)
              for place, quality in candidates]
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    best_score, _, best = scored[0]
    reasons: list[tuple[str, str]] = []
    _score(best, next(q for p, q in candidates if p is best), cues, target, neighbours, focus, reasons, oblasts)
    ranked = tuple((place, round(score, 3)) for score, _, place in scored[:5])
    if len(scored) == 1:
        confidence = 1.0 if candidates[0][1] >= 0.7 else 0.8
        note = "only candidate" + ("" if candidates[0][1] >= 0.7 else " (spelling variant)")
        return Choice(best, confidence, _join(note, reasons), ranked, ("resolve.only-candidate", *_rules(reasons)))
    margin = best_score - scored[1][0]
    confidence = 0.95 if margin >= 6 else 0.85 if margin >= 3 else 0.7 if margin >= 1 else 0.5
    note = f"{len(scored)} places share the name"
    if not reasons:
        reasons = [("resolve.population", "largest population") if best.population >= scored[1][1]
                   else ("resolve.spelling", "closest spelling")]
    if margin < 1:
        note += "; weak choice"
    return Choice(best, confidence, _join(note, reasons), ranked, _rules(reasons))


def _join(note: str, reasons: list[tuple[str, str]]) -> str:
    return "; ".join([note, *(words for _, words in reasons)]) if reasons else note


def _rules(reasons: list[tuple[str, str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(rule for rule, _ in reasons))


def _score(place: Place, quality: float, cues: Cues, target: tuple[float, float] | None,
           neighbours: Neighbours, focus: str, reasons: list[tuple[str, str]] | None,
           oblasts: tuple[Place, ...] = ()) -> float:
    """The candidate's score; with a `reasons` list, also why, appended to it as (rule id, words)."""
    score = 1.5 * math.log10(place.population + 10) + 10 * quality
    if place.country == focus:
        score += 3
    if cues.region is None and place.kind == "town":
        named = next((o for o in oblasts if in_region(place, o)), None) if oblasts else None
        if named is not None:
            score += 4
            if reasons is not None:
                reasons.append(("resolve.oblast-in-article", f"in {named.name}, which the article names"))
    if cues.region is not None:
        if in_region(place, cues.region):
            score += 12
            if reasons is not None:
                reasons.append(("resolve.oblast-cue", f"in {cues.region.name} as the text says"))
        else:
            score -= 12
    if cues.anchor is not None:
        d = distance_km(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
        label = cues.anchor_label or cues.anchor.name
        if target is not None:
            off = distance_km(target[0], target[1], place.lat, place.lon)
            b = bearing_deg(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
            # Reported distances are often by road and rounded: allow half the distance either way.
            if off <= max(10.0, 0.5 * cues.distance_km) or (
                    angle_between(b, cues.bearing) <= 35 and 0.5 <= d / cues.distance_km <= 1.5):
                score += 14
                if reasons is not None:
                    reasons.append(("resolve.distance-cue",
                                    f"{off:.0f} km from the point {cues.distance_km:.0f} km from {label} as stated"))
            else:
                score -= 8
        elif cues.bearing is not None:
            b = bearing_deg(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
            if 2 <= d <= 150 and angle_between(b, cues.bearing) <= 50:
                score += 12
                if reasons is not None:
                    reasons.append(("resolve.bearing-cue", f"{d:.0f} km from {label} in the stated direction"))
            else:
                score -= 8
        elif d <= 60:
            score += 10
            if reasons is not None:
                reasons.append(("resolve.near-cue", f"{d:.0f} km from {label}, which the text says it is near"))
        else:
            score -= 6
    nearby = neighbours.nearest(place) if neighbours.places else []
    if nearby:
        closest = nearby[0][0]
        score += 6 if closest <= 30 else 3
        if reasons is not None:
            names = dict.fromkeys(name for _, name in nearby)
            reasons.append(("resolve.nearby-towns", "near " + ", ".join(names) + " named in the article"))
    return score


def fits_anchor(place: Place, cues: Cues) -> bool:
    """Whether a place lies where the anchor cue says (the same tests that score +10..+14)."""
    if cues.anchor is None:
        return True
    d = distance_km(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
    if cues.distance_km is not None and cues.bearing is not None:
        lat, lon = project(cues.anchor.lat, cues.anchor.lon, cues.distance_km, cues.bearing)
        b = bearing_deg(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
        return distance_km(lat, lon, place.lat, place.lon) <= max(10.0, 0.5 * cues.distance_km) or (
            angle_between(b, cues.bearing) <= 35 and 0.5 <= d / cues.distance_km <= 1.5)
    if cues.bearing is not None:
        b = bearing_deg(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
        return 2 <= d <= 150 and angle_between(b, cues.bearing) <= 50
    return d <= 60


def project(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point `km` from (lat, lon) along `bearing` (great circle)."""
    d = km / EARTH_KM
    b = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
