"""Choosing one place among same-named candidates, from what the article says around the name.

Ukraine has fourteen Dmytrivkas; the text usually tells which: "west of the capital",
"23 miles northwest of Kyiv", "in the Kharkiv region", "near Irpin", or simply the other towns
the article names. Each cue adds to a candidate's score; population and the article's country
focus only break what the cues leave open. The winner's margin sets the confidence, and the
reason is written in the note so a reader can check it.
"""
from __future__ import annotations

import math
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


@dataclass(frozen=True)
class Choice:
    place: Place
    confidence: float
    note: str


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


def choose(candidates: list[tuple[Place, float]], cues: Cues = Cues(),
           neighbours: tuple[Place, ...] = (), focus: str = "UA", oblasts: tuple[Place, ...] = ()) -> Choice:
    """The best candidate for one mention.

    `candidates` pairs each place with how well its spelling matched (1 = as written);
    `neighbours` are the other places the article names, already resolved; `oblasts` the
    oblasts it names anywhere (a weaker cue than "X in the Y region" in the same sentence).
    """
    if not candidates:
        raise ValueError("no candidates")
    target = (project(cues.anchor.lat, cues.anchor.lon, cues.distance_km, cues.bearing)
              if cues.anchor is not None and cues.distance_km is not None and cues.bearing is not None else None)
    # Score every candidate, then explain only the winner: the reasons are words, and words cost.
    scored = [(_score(place, quality, cues, target, neighbours, focus, None, oblasts), place.population, place)
              for place, quality in candidates]
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    best_score, _, best = scored[0]
    reasons: list[str] = []
    _score(best, next(q for p, q in candidates if p is best), cues, target, neighbours, focus, reasons, oblasts)
    if len(scored) == 1:
        confidence = 1.0 if candidates[0][1] >= 0.7 else 0.8
        note = "only candidate" + ("" if candidates[0][1] >= 0.7 else " (spelling variant)")
        return Choice(best, confidence, _join(note, reasons))
    margin = best_score - scored[1][0]
    confidence = 0.95 if margin >= 6 else 0.85 if margin >= 3 else 0.7 if margin >= 1 else 0.5
    note = f"{len(scored)} places share the name"
    if not reasons:
        reasons = ["largest population" if best.population >= scored[1][1] else "closest spelling"]
    if margin < 1:
        note += "; weak choice"
    return Choice(best, confidence, _join(note, reasons))


def _join(note: str, reasons: list[str]) -> str:
    return "; ".join([note, *reasons]) if reasons else note


def _score(place: Place, quality: float, cues: Cues, target: tuple[float, float] | None,
           neighbours: tuple[Place, ...], focus: str, reasons: list[str] | None,
           oblasts: tuple[Place, ...] = ()) -> float:
    """The candidate's score; with a `reasons` list, also why, in words, appended to it."""
    score = 1.5 * math.log10(place.population + 10) + 10 * quality
    if place.country == focus:
        score += 3
    if cues.region is None and place.kind == "town":
        named = next((o for o in oblasts if in_region(place, o)), None) if oblasts else None
        if named is not None:
            score += 4
            if reasons is not None:
                reasons.append(f"in {named.name}, which the article names")
    if cues.region is not None:
        if in_region(place, cues.region):
            score += 12
            if reasons is not None:
                reasons.append(f"in {cues.region.name} as the text says")
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
                    reasons.append(f"{off:.0f} km from the point {cues.distance_km:.0f} km from {label} as stated")
            else:
                score -= 8
        elif cues.bearing is not None:
            b = bearing_deg(cues.anchor.lat, cues.anchor.lon, place.lat, place.lon)
            if 2 <= d <= 150 and angle_between(b, cues.bearing) <= 50:
                score += 12
                if reasons is not None:
                    reasons.append(f"{d:.0f} km from {label} in the stated direction")
            else:
                score -= 8
        elif d <= 60:
            score += 10
            if reasons is not None:
                reasons.append(f"{d:.0f} km from {label}, which the text says it is near")
        else:
            score -= 6
    # A degree of latitude is 111 km, so a neighbour more than 1° away (or 2° of longitude, at
    # latitudes below 60°) cannot be within 100 km: skip the trigonometry for it.
    nearby = []
    lat, lon = place.lat, place.lon
    for n in neighbours:
        if (abs(n.lat - lat) < 1.0 and (abs(n.lon - lon) < 2.0 or abs(lat) > 60)
                and n.kind == "town" and n is not place and n != place):
            d = distance_km(n.lat, n.lon, lat, lon)
            if d <= 100:
                nearby.append((d, n.name))
    if nearby:
        closest = min(d for d, _ in nearby)
        score += 6 if closest <= 30 else 3
        if reasons is not None:
            names = dict.fromkeys(name for _, name in sorted(nearby)[:3])
            reasons.append("near " + ", ".join(names) + " named in the article")
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
