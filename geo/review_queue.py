"""The review queue: which figures a reviewer should look at first, and how each is shown.

Least certain first. How uncertain a figure is comes from a small table of weights (below), each
named, so the order can be explained: "region-level place, date from the publication day".
"""
from __future__ import annotations

import json

import pandas as pd

from geo.errors import ReviewError
from geo.reader import Highlight, article_html
from geo.review import UNREVIEWED, Review, incident_review

# (column, value) -> weight added to a figure's uncertainty; place confidence adds (1 - confidence).
UNCERTAINTY = {
    ("precision", "country"): 0.6,
    ("precision", "region"): 0.4,
    ("precision", "near"): 0.2,
    ("precision", ""): 0.8,           # no place at all
    ("time_precision", "article"): 0.3,
    ("time_precision", "month"): 0.2,
    ("time_precision", "week"): 0.1,
    ("qualifier", "estimated"): 0.2,
    ("qualifier", "about"): 0.1,
    ("qualifier", "up_to"): 0.1,
    ("category", "other"): 0.3,
}


def uncertainty(frame: pd.DataFrame) -> pd.Series:
    """A figure's uncertainty score (higher = look first), vectorised over the frame."""
    score = 1.0 - frame["place_confidence"].fillna(0.0)
    for (column, value), weight in UNCERTAINTY.items():
        score = score + (frame[column].fillna("") == value) * weight
    return score


def queue(frame: pd.DataFrame) -> pd.DataFrame:
    """Unreviewed figures, least certain first (ties: by article, then position)."""
    figures = frame[(frame["kind"] == "figure") & (frame["status"] == UNREVIEWED)]
    ordered = figures.assign(_u=uncertainty(figures)).sort_values(["_u", "article_file", "start"],
                                                                   ascending=[False, True, True], kind="stable")
    return ordered.drop(columns="_u")


def sentence_html(row) -> str:
    """The figure's sentence with the figure and its place mention marked (text escaped)."""
    quote = str(row["quote"] or "")
    base = row["sentence_start"]
    if pd.isna(base):
        return article_html(quote, [])
    base = int(base)
    marks = [Highlight(int(row["start"]) - base, int(row["end"]) - base, "figure", f"{row['category']}")]
    mention = str(row.get("mention") or "")
    if mention:
        at = quote.find(mention)
        if at >= 0 and not (at < marks[0].end and marks[0].start < at + len(mention)):
            marks.append(Highlight(at, at + len(mention), "place", str(row.get("place") or "")))
    return article_html(quote, [m for m in marks if 0 <= m.start < m.end <= len(quote)])


def candidates(row) -> list[dict]:
    """The mention's candidate places (name, lat, lon, score), best first; [] when none were kept."""
    raw = row.get("candidates", "") if hasattr(row, "get") else ""
    try:
        found = json.loads(raw) if raw else []
    except ValueError:
        return []
    return [c for c in found if isinstance(c, dict) and c.get("name")]


def place_position(name: str, row) -> tuple[float, float]:
    """Coordinates for a corrected place: one of the mention's candidates, else the gazetteer
    (Ukrainian places first, then towns, then the most populous); ReviewError if the name is unknown."""
    from geo.gazetteer import Gazetteer, fold

    for cand in candidates(row):
        if fold(cand["name"]) == fold(name) and cand.get("lat") is not None:
            return float(cand["lat"]), float(cand["lon"])
    matches = [p for p, _ in Gazetteer.default().matches(name) if p.lat is not None]
    if not matches:
        raise ReviewError(f"unknown place {name!r}: give --lat and --lon, or a name the gazetteer knows")
    best = max(matches, key=lambda p: (p.country == "UA", p.kind == "town", p.population))
    return best.lat, best.lon


def incident_action(seen, action: str, ids: list[str], by: str, reason: str = "") -> Review:
    """A reviewer's merge (incident ids) or split (figure ids to take out), checked against what the
    collection `seen` (geo.collection.Collection) holds now: the CLI and the dashboard record the same."""
    known = {i.id for i in seen.incidents()} if action == "merge" else set(seen.frame["id"])
    unknown = [i for i in ids if i not in known]
    if unknown:
        what = "incident" if action == "merge" else "figure"
        raise ReviewError(f"unknown {what} id(s) {', '.join(unknown)} (ids come from `incidents` or `events`)")
    return incident_review(action, ids, by, reason)
