"""Incidents: one event at a place and time, with every claim about it kept and none summed.

A strike is reported by many outlets over days, the toll rising; investigators (Airwars, ACLED)
think in incidents. Claims (figure rows of the event table, docs/events-schema.md) are linked when
they are about the same place, their event dates agree and their categories can be about one
event. Pure functions over the event frame; decisions in docs/incidents.md.

- Place: two towns (or a town and a place near it) are the same place within a distance that grows
  with how loosely each is placed (`LINK_KM`). An oblast-level claim joins a town's incident only
  when exactly one in that oblast fits (else it would bridge two separate strikes); country-level and
  unplaced claims are incidents of their own.
- Time: each claim covers the days its date allows (`date_start`..`date_end`; "overnight" also the
  day before; no date in the text: the three days up to publication). A claim joins an incident
  only when its days meet those of every claim already in it (so daily shelling of one city never
  chains into one incident); bodies and graves, found and exhumed over weeks, get `DISCOVERY_DAYS`
  of slack.
- Categories: casualties, bodies, graves, rescued and buildings can be one event; evacuations and
  explosives only go with their own kind.

Per incident and category: each speaker in each article gives one toll (its largest figure there);
lowest and highest, the latest reported and the most conservative (ACLED: where the latest reports
differ, the lowest, vague amounts read as ACLED does), and the number of independent sources (a
copied sentence or the same speaker quoted by two outlets counts once).
An incident's id is its first-reported claim's (`i-` + that figure id's hex): new, later reports
do not change it. Reviewers' splits and merges apply on top (`apply_overrides`).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from geo.events import source_groups
from geo.model import REPORTED_CATEGORIES, Category, Precision, TimePrecision

# How far apart two claims' pins may be to be one place, by how each is placed (km).
LINK_KM = {
    (Precision.TOWN.value, Precision.TOWN.value): 2.0,
    (Precision.TOWN.value, Precision.NEAR.value): 10.0,
    (Precision.NEAR.value, Precision.NEAR.value): 15.0,
}
ARTICLE_DAYS = 3      # a claim with no date in its text: the event was at most this many days before publication
DISCOVERY_DAYS = 10   # slack between bodies/graves claims: a grave found, then exhumed over the next days
_DISCOVERY = frozenset({Category.BODIES.value, Category.GRAVES.value})
_EVENT_COUNTS = frozenset(c.value for c in (Category.KILLED, Category.INJURED, Category.MISSING, Category.BODIES,
                                            Category.GRAVES, Category.EXPLOSIVES))
_ALONE = (frozenset({Category.EVACUATED.value}), frozenset({Category.EXPLOSIVES.value}))
_REPORTED = frozenset(c.value for c in REPORTED_CATEGORIES)
_CATEGORY_ORDER = {c.value: i for i, c in enumerate(Category)}
_TIME_ORDER = {p.value: i for i, p in enumerate(
    (TimePrecision.DAY, TimePrecision.RANGE, TimePrecision.WEEK, TimePrecision.MONTH, TimePrecision.ARTICLE))}
_GEO_ORDER = {p.value: i for i, p in enumerate(Precision)}
_NIGHT = re.compile(r"\b(?:overnight|night)\b", re.I)
# ACLED reads vague amounts low: "dozens" 12, "hundreds" 100, "thousands" 1,000 (geo.figures keeps
# them as ranges: dozens 24..99).
ACLED_VAGUE = {(24, 99): 12, (40, 199): 20, (200, 999): 100, (2000, 9999): 1000, (20_000, 99_999): 10_000}
_CELL = 0.1  # degrees: the grid that finds nearby incidents without comparing every pair


@dataclass(frozen=True)
class CategorySummary:
    """What the claims of one category say: never added up, sources overlap."""

    min: int
    max: int
    latest: int
    conservative: int
    sources: int


@dataclass(frozen=True)
class Incident:
    id: str
    place: str
    region: str
    lat: float | None
    lon: float | None
    geo_precision: str
    date_start: date | None
    date_end: date | None
    time_precision: str
    categories: Mapping[str, CategorySummary]
    claims: tuple[str, ...]      # figure ids, in the order they were reported
    articles: tuple[str, ...]    # article file names, first report first

    def record(self) -> dict:
        """The JSON Lines record of `python -m geo incidents`."""
        return {
            "id": self.id, "place": self.place, "lat": self.lat, "lon": self.lon,
            "geo_precision": self.geo_precision,
            "date_start": self.date_start.isoformat() if self.date_start else None,
            "date_end": self.date_end.isoformat() if self.date_end else None,
            "time_precision": self.time_precision,
            "categories": {c: vars(s).copy() for c, s in self.categories.items()},
            "claims": list(self.claims), "articles": list(self.articles),
        }


@dataclass(frozen=True)
class _Claim:
    id: str
    category: str
    value: int
    high: int
    qualifier: str
    lat: float | None
    lon: float | None
    precision: str
    place: str
    region: str
    first: date | None       # the days the event may have been on
    last: date | None
    day_start: date | None   # the figure's own date_start..date_end, for the incident's dates
    day_end: date | None
    time_precision: str
    reported: date | None
    as_of: date | None       # the day of the report the claim is in: its publication date
    source: str
    copy: str                # the sentence reduced to its words, to find reprints (see _copy_key)
    article: str
    offset: int


def incidents(frame: pd.DataFrame, overrides: Iterable[tuple[str, Sequence[str]]] = ()) -> list[Incident]:
    """The incidents of an event frame, reviewers' overrides applied, first reported first."""
    return apply_overrides(link(frame), overrides, frame)


def link(frame: pd.DataFrame) -> list[Incident]:
    """Link the figure rows of `frame` into incidents (see the module docstring)."""
    return _summaries(_link(_claims(frame)))


def apply_overrides(linked: list[Incident], overrides: Iterable[tuple[str, Sequence[str]]],
                    frame: pd.DataFrame) -> list[Incident]:
    """Reviewers' decisions on top of the linking, in order: ("merge", [incident ids]) makes one
    incident of those; ("split", [claim ids]) takes those claims out of their incidents into one
    of their own. An id is that of the incident as the overrides before it left it (so a merge may
    name the incident a split made); unknown ids are ignored (gone from this view)."""
    overrides = list(overrides)
    if not overrides:
        return linked
    claims = {c.id: c for c in _claims(frame)}
    groups = [[claims[c] for c in i.claims if c in claims] for i in linked]
    for action, targets in overrides:
        if action == "merge":
            ids = {_incident_id(g): k for k, g in enumerate(groups) if g}
            picked = sorted({ids[t] for t in targets if t in ids})
            for k in picked[1:]:
                groups[picked[0]] = sorted(groups[picked[0]] + groups[k], key=_report_order)
                groups[k] = []
        elif action == "split":
            moving = set(targets)
            taken = [c for g in groups for c in g if c.id in moving]
            if taken:
                groups = [[c for c in g if c.id not in moving] for g in groups]
                groups.append(sorted(taken, key=_report_order))
        else:
            raise ValueError(f"unknown incident override {action!r}: expected 'merge' or 'split'")
    return _summaries(groups)


def _incident_id(claims: list[_Claim]) -> str:
    """`i-` and the hex of the first-reported claim's id (`f-...`)."""
    return "i-" + min(claims, key=_report_order).id.split("-", 1)[-1]


def table(found: Iterable[Incident]) -> pd.DataFrame:
    """Incidents as a flat table (one row per incident and category), for views and exports."""
    rows = []
    for inc in found:
        for category, s in inc.categories.items():
            rows.append({
                "incident": inc.id, "place": inc.place, "region": inc.region, "geo_precision": inc.geo_precision,
                "date_start": inc.date_start, "date_end": inc.date_end, "time_precision": inc.time_precision,
                "category": category, "min": s.min, "max": s.max, "latest": s.latest,
                "conservative": s.conservative, "sources": s.sources, "claims": len(inc.claims),
            })
    columns = ["incident", "place", "region", "geo_precision", "date_start", "date_end", "time_precision",
               "category", "min", "max", "latest", "conservative", "sources", "claims"]
    out = pd.DataFrame(rows, columns=columns)
    for col in ("date_start", "date_end"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    for col in ("min", "max", "latest", "conservative", "sources", "claims"):
        out[col] = out[col].astype("Int64")
    return out


def acled_value(value: int, high: int | None, qualifier: str) -> int:
    """A claim as ACLED would code it: vague amounts low ("dozens" 12), ranges by their low end."""
    if qualifier == "about" and high is not None:
        return ACLED_VAGUE.get((value, high), value)
    return value


# ---- claims ----------------------------------------------------------------------------------

_CLAIM_COLUMNS = ["id", "category", "value", "value_high", "qualifier", "precision", "place", "region",
                  "event_date", "date_start", "date_end", "time_precision", "date_text", "published", "reported",
                  "attribution", "outlet", "article_file", "quote", "start"]


def _claims(frame: pd.DataFrame) -> list[_Claim]:
    """The figure rows of a frame as claims, in the order they were reported."""
    if frame is None or len(frame) == 0:
        return []
    figures = frame[(frame["kind"] == "figure") & frame["category"].isin(_REPORTED) & frame["value"].notna()]
    rows = _rows(figures[[c for c in _CLAIM_COLUMNS if c in figures.columns]])
    if hasattr(figures, "geometry") and len(figures):
        empty = figures.geometry.isna() | figures.geometry.is_empty
        lats = figures.geometry.y.where(~empty).round(6).tolist()
        lons = figures.geometry.x.where(~empty).round(6).tolist()
    else:
        lats = lons = [float("nan")] * len(rows)
    sources = source_groups(_origin(r) for r in rows)
    out = []
    for r, lat, lon in zip(rows, lats, lons):
        located = not math.isnan(lat) and not math.isnan(lon)
        start, end = _day(r.get("date_start")) or _day(r.get("event_date")), _day(r.get("date_end"))
        end = end or start
        precision = r.get("time_precision") or TimePrecision.ARTICLE.value
        published = _day(r.get("published"))
        first, last = start, end
        if precision == TimePrecision.ARTICLE.value:
            last = published or end
            first = last - timedelta(days=ARTICLE_DAYS) if last else None
        elif first is not None and _NIGHT.search(r.get("date_text") or ""):
            first = first - timedelta(days=1)
        value = int(r["value"])
        high = int(r["value_high"]) if _present(r.get("value_high")) else value
        reported = _day(r.get("reported")) or published
        out.append(_Claim(
            id=str(r["id"]), category=str(r["category"]), value=value, high=high,
            qualifier=str(r.get("qualifier") or "exact"),
            lat=lat if located else None, lon=lon if located else None,
            precision=str(r.get("precision") or ""), place=str(r.get("place") or ""), region=str(r.get("region") or ""),
            first=first, last=last, day_start=start, day_end=end, time_precision=precision, reported=reported,
            as_of=published or reported,
            source=sources.get(" ".join(_origin(r).split()), _origin(r)), copy=_copy_key(str(r.get("quote") or "")),
            article=str(r.get("article_file") or ""), offset=int(r["start"]) if _present(r.get("start")) else 0))
    out.sort(key=_report_order)
    return out


def _report_order(c: _Claim) -> tuple:
    return (c.reported or date.max, c.day_start or date.max, c.article, c.offset, c.id)


def _origin(r: Mapping) -> str:
    """Who a claim comes from: the speaker the text names, else the outlet, else the file."""
    return str(r.get("attribution") or r.get("outlet") or r.get("article_file") or "")


def _rows(frame: pd.DataFrame) -> list[dict]:
    plain = pd.DataFrame(frame)
    return plain.astype(object).where(plain.notna(), None).to_dict(orient="records")


def _day(value: object) -> date | None:
    if not _present(value):
        return None
    return value.date() if isinstance(value, pd.Timestamp) else pd.Timestamp(value).date()


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


# ---- linking -----------------------------------------------------------------------------------

def _link(claims: list[_Claim]) -> list[list[_Claim]]:
    """Claims in groups: towns first (a grid finds the near ones), then oblast-level claims, which
    join the one town incident they fit or stay an incident of their region; the rest alone.
    Claims go in order of their first possible day, so a group none of whose days can reach the
    next claim's is dropped from the candidates: the work grows with the claims, not their square."""
    groups: list[list[_Claim]] = []
    reach: list[date] = []  # per group: the last day a later claim could still join it
    grid: dict[tuple[int, int], list[int]] = {}
    regional: dict[str, list[int]] = {}
    for c in sorted(claims, key=lambda c: (c.first or date.max, _report_order(c))):
        if c.lat is None or c.first is None or c.precision in ("", Precision.COUNTRY.value):
            groups.append([c])
            reach.append(date.min)
            continue
        if c.precision == Precision.REGION.value:
            candidates = regional.setdefault(c.region or c.place, [])
            candidates[:] = [k for k in candidates if reach[k] >= c.first]
            same_place = _same_region
        else:
            cell = _cell(c)
            candidates = grid.setdefault(cell, [])
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    if (dy or dx) and (cell[0] + dy, cell[1] + dx) in grid:
                        near = grid[(cell[0] + dy, cell[1] + dx)]
                        near[:] = [k for k in near if reach[k] >= c.first]
            candidates[:] = [k for k in candidates if reach[k] >= c.first]
            candidates = candidates + [k for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx
                                       for k in grid.get((cell[0] + dy, cell[1] + dx), ())]
            same_place = _same_town
        k = _join(c, groups, [k for k in candidates if reach[k] >= c.first], same_place)
        if k == len(groups):
            groups.append([c])
            reach.append(date.min)
            (regional[c.region or c.place] if c.precision == Precision.REGION.value else grid[_cell(c)]).append(k)
        else:
            groups[k].append(c)
        reach[k] = max(reach[k], (c.last or c.first) + timedelta(days=DISCOVERY_DAYS))
    return _attach_regions(groups)


def _join(c: _Claim, groups: list[list[_Claim]], candidates: list[int], same_place) -> int:
    """The group among `candidates` that `c` fits best (every claim in it the same place, time and
    a compatible category; the nearest in time), else len(groups): a new one."""
    best = None
    for k in candidates:
        group = groups[k]
        if all(same_place(c, g) and _same_time(c, g) and _compatible(c, g) for g in group):
            gap = min(abs((c.first - g.first).days) for g in group)
            if best is None or (gap, k) < best:
                best = (gap, k)
    return best[1] if best is not None else len(groups)


def _attach_regions(groups: list[list[_Claim]]) -> list[list[_Claim]]:
    """An oblast-level incident joins the one town incident of its oblast it fits; none or several
    (two strikes that day): it stays apart rather than bridge them."""
    towns = [k for k, g in enumerate(groups) if g and g[0].precision in (Precision.TOWN.value, Precision.NEAR.value)]
    by_region: dict[str, list[int]] = {}
    for k in towns:
        by_region.setdefault(groups[k][0].region, []).append(k)
    for k, group in enumerate(groups):
        if not group or group[0].precision != Precision.REGION.value:
            continue
        fits = [t for t in by_region.get(group[0].region or group[0].place, ())
                if all(_same_time(c, g) and _compatible(c, g) for c in group for g in groups[t])]
        if len(fits) == 1:
            groups[fits[0]] += group
            groups[k] = []
    return [g for g in groups if g]


def _cell(c: _Claim) -> tuple[int, int]:
    return int(math.floor(c.lat / _CELL)), int(math.floor(c.lon / _CELL))


def _same_town(a: _Claim, b: _Claim) -> bool:
    if a.lat is None or b.lat is None:
        return False
    limit = LINK_KM.get((a.precision, b.precision)) or LINK_KM.get((b.precision, a.precision))
    return limit is not None and _km(a.lat, a.lon, b.lat, b.lon) <= limit


def _same_region(a: _Claim, b: _Claim) -> bool:
    return (a.region or a.place) == (b.region or b.place)


def _same_time(a: _Claim, b: _Claim) -> bool:
    if None in (a.first, a.last, b.first, b.last):
        return False
    slack = timedelta(days=DISCOVERY_DAYS if a.category in _DISCOVERY and b.category in _DISCOVERY else 0)
    return a.first - slack <= b.last and b.first - slack <= a.last


def _compatible(a: _Claim, b: _Claim) -> bool:
    for alone in _ALONE:
        if (a.category in alone) != (b.category in alone):
            return False
    return True


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# ---- summaries -----------------------------------------------------------------------------------

def _summaries(groups: Iterable[list[_Claim]]) -> list[Incident]:
    out = [_summary(sorted(g, key=_report_order)) for g in groups if g]
    return sorted(out, key=lambda i: (i.date_start or date.max, i.id))


def _summary(claims: list[_Claim]) -> Incident:
    geo = min(claims, key=lambda c: _GEO_ORDER.get(c.precision, len(_GEO_ORDER))).precision
    placed = [c for c in claims if c.precision == geo]
    names = [c.place for c in placed]
    place = max(dict.fromkeys(names), key=names.count) if names else ""
    where = next((c for c in placed if c.place == place), claims[0])
    # The event's days come from its counts of people (killed, injured, bodies, ...), not from a
    # rescue that went on overnight or buildings counted the next day, when it has any.
    counts = [c for c in claims if c.category in _EVENT_COUNTS] or claims
    finest = min(counts, key=lambda c: _TIME_ORDER.get(c.time_precision, len(_TIME_ORDER))).time_precision
    timed = [c for c in counts if c.time_precision == finest and c.day_start is not None]
    start = min((c.day_start for c in timed), default=None)
    end = max((c.day_end or c.day_start for c in timed), default=None)
    if finest == TimePrecision.DAY.value and start != end:
        finest = TimePrecision.RANGE.value
    by_category: dict[str, list[_Claim]] = {}
    for c in claims:
        by_category.setdefault(c.category, []).append(c)
    categories = {cat: _category(by_category[cat]) for cat in sorted(by_category, key=lambda c: _CATEGORY_ORDER.get(c, 99))}
    return Incident(
        id=_incident_id(claims), place=place, region=where.region, lat=where.lat, lon=where.lon,
        geo_precision=geo, date_start=start, date_end=end, time_precision=finest, categories=categories,
        claims=tuple(c.id for c in claims), articles=tuple(dict.fromkeys(c.article for c in claims)))


def _category(claims: list[_Claim]) -> CategorySummary:
    """What the reports of one category say. Each article is one report and gives one toll, the
    largest figure it states: the smaller ones beside it are parts ("including two children"),
    earlier tolls it recalls ("it stood at 10 on Monday") or details. Lowest and highest are over
    those tolls (highest by a range's top); of the reports of the last day anyone reported (an
    article's day is its publication date), `latest` is the highest toll (a toll rises) and
    `conservative` the lowest as ACLED reads it (where reports differ, the most conservative;
    "dozens" is 12)."""
    tolls: dict[str, _Claim] = {}
    for c in claims:
        if c.article not in tolls or c.value > tolls[c.article].value:
            tolls[c.article] = c
    told = list(tolls.values())
    days = {c.article: c.as_of for c in told}
    last_day = max((d for d in days.values() if d is not None), default=None)
    latest = [c for c in told if days[c.article] == last_day]
    return CategorySummary(
        min=min(c.value for c in told),
        max=max(c.high for c in claims),
        latest=max(c.value for c in latest),
        conservative=min(acled_value(c.value, c.high if c.high != c.value else None, c.qualifier) for c in latest),
        sources=_independent(claims),
    )


def _independent(claims: list[_Claim]) -> int:
    """How many independent sources: claims by the same speaker (or outlet) are one source, and so
    are claims whose sentence is a copy of another's (outlets reprinting one wire story)."""
    parent = list(range(len(claims)))

    def find(k: int) -> int:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    first: dict[tuple[str, str], int] = {}
    for k, c in enumerate(claims):
        for key in (("source", c.source.lower()), ("quote", c.copy)):
            if not key[1]:
                continue
            if key in first:
                parent[find(k)] = find(first[key])
            else:
                first[key] = k
    return len({find(k) for k in range(len(claims))})


def _copy_key(quote: str) -> str:
    """A sentence reduced to its words, so a reprint with other quotes or spacing matches."""
    words = re.findall(r"\w+", quote.lower())
    return " ".join(words[:25]) if len(words) >= 6 else ""
