"""Human review of extracted items: the record, its validation, and the view with reviews on top.

A review never edits an extraction. It is appended to a log (the store keeps it apart from the
extraction rows, so re-extraction never touches it) and the view a user sees is computed: the
machine's rows, then every review of an item applied in log order. Corrections accumulate (a
later `verified` confirms the corrected values); the status is the latest review's. The machine's
own values stay beside the reviewed ones in `machine_*` columns.

A review is tied to an item id (geo.records.item_id: article hash, kind, span). It also carries an
anchor (the article, the span's text and a little context on each side) so that when a new
extractor version moves a span a little, the review is re-attached to the item whose span text is
the same, nearest to where it was. A review that cannot be attached is reported as orphaned, never
dropped.
"""
from __future__ import annotations

import json
import math
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd

from geo.errors import ReviewError
from geo.model import Category, Qualifier
from geo.records import json_value

STATUSES = ("verified", "corrected", "rejected", "unlocatable")
# Reviewers' decisions on incidents (geo.incidents.apply_overrides), kept in the same log:
# "merge" names incident ids to make one; "split" names figure ids to take out into their own.
INCIDENT_ACTIONS = ("merge", "split")
UNREVIEWED = "unreviewed"
FIELDS = ("value", "qualifier", "category", "place", "lat", "lon", "event_date")
MAX_VALUE = 10_000_000
CONTEXT_CHARS = 40
MIN_YEAR, MAX_YEAR = 1900, 2100
REVIEW_COLUMNS = ("status", "reviewed_by", "reviewed_at", "review_reason", "n_reviews")
MACHINE_COLUMNS = tuple(f"machine_{f}" for f in FIELDS)


@dataclass(frozen=True)
class Anchor:
    """Where the reviewed item was: enough to find it again after re-extraction."""

    article_id: str
    kind: str
    start: int
    end: int
    text: str           # the span as written
    before: str = ""    # up to CONTEXT_CHARS of the sentence before the span
    after: str = ""


@dataclass(frozen=True)
class Review:
    """One human decision about one item, as appended to the log."""

    item: str                       # the item id it was made on
    status: str
    by: str
    at: str                         # ISO 8601 UTC
    reason: str = ""
    changes: Mapping[str, tuple] = field(default_factory=dict)  # field -> (before, after)
    anchor: Anchor | None = None
    uid: str = ""                   # unique per review: the same review imported twice counts once

    def to_json(self) -> dict:
        """The review-log record: id, status, by, at, reason, changes, plus uid and anchor."""
        return {
            "id": self.item, "status": self.status, "by": self.by, "at": self.at, "reason": self.reason,
            "changes": {k: {"before": b, "after": a} for k, (b, a) in self.changes.items()},
            "uid": self.uid, "anchor": None if self.anchor is None else self.anchor.__dict__,
        }

    @classmethod
    def from_json(cls, record: Mapping) -> "Review":
        """Read a review-log record; ReviewError (naming the problem) if it is not one."""
        try:
            anchor = record.get("anchor")
            changes = record.get("changes") or {}
            review = cls(
                item=str(record["id"]), status=str(record["status"]), by=str(record["by"]),
                at=str(record["at"]), reason=str(record.get("reason") or ""),
                changes={str(k): (v.get("before"), v.get("after")) for k, v in changes.items()},
                anchor=Anchor(**anchor) if anchor else None, uid=str(record.get("uid") or ""),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as e:
            raise ReviewError(f"not a review record ({type(e).__name__}: {e})") from e
        _check_status(review.status, INCIDENT_ACTIONS)
        _check_time(review.at)
        if review.status in INCIDENT_ACTIONS:
            _check_ids(review.changes.get("ids", (None, None))[1])
        else:
            for name, (_, after) in review.changes.items():
                _check_field(name, after)
        if not review.by.strip():
            raise ReviewError("a review needs a reviewer name")
        return review if review.uid else _with_uid(review)

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Attached:
    """The reviews of a view: which item each applies to now, and those that apply to none."""

    by_item: dict[str, list[Review]]
    moved: dict[str, str]           # review uid -> the new item id it was re-attached to
    orphans: list[Review]


def new_review(row: Mapping, status: str, by: str, reason: str = "", changes: Mapping | None = None,
               at: datetime | None = None) -> Review:
    """A validated review of the item `row` (a row of the reviewed view, see `view`).

    `changes` maps field names to new values; `before` values are what the user saw. Refused
    with ReviewError (nothing is written): an unknown status, no reviewer, changes on a status
    other than `corrected`, a correction that changes nothing, a bad value.
    """
    _check_status(status)
    if not by or not by.strip():
        raise ReviewError("a review needs a reviewer name (--by)")
    changes = {k: v for k, v in (changes or {}).items() if v is not None}
    if changes and status != "corrected":
        raise ReviewError(f"changes are only allowed with --status corrected, not {status}")
    if status == "corrected" and not changes:
        raise ReviewError("a correction needs at least one changed field")
    if ("lat" in changes) != ("lon" in changes):
        raise ReviewError("give both --lat and --lon")
    pairs = {}
    for name, after in changes.items():
        after = _check_field(name, after)
        before = json_value(row.get(name))
        pairs[name] = (before, after)
    when = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    return Review(item=str(row["id"]), status=status, by=by.strip(), at=when, reason=reason.strip(),
                  changes=pairs, anchor=anchor_of(row), uid=uuid.uuid4().hex)


def incident_review(action: str, ids: list[str], by: str, reason: str = "", at: datetime | None = None) -> Review:
    """A reviewer's merge of incidents (ids of incidents) or split (ids of figures to take out)."""
    if action not in INCIDENT_ACTIONS:
        raise ReviewError(f"unknown incident action {action!r}; use merge or split")
    if not by or not by.strip():
        raise ReviewError("a review needs a reviewer name (--by)")
    ids = list(dict.fromkeys(ids))
    _check_ids(ids)
    if action == "merge" and len(ids) < 2:
        raise ReviewError("a merge needs two incident ids or more (ID --with OTHER)")
    when = (at or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    return Review(item=ids[0], status=action, by=by.strip(), at=when, reason=reason.strip(),
                  changes={"ids": (None, ids)}, anchor=None, uid=uuid.uuid4().hex)


def overrides(reviews: Iterable[Review]) -> list[tuple[str, list[str]]]:
    """The incident merges and splits of a log, in order, as geo.incidents.apply_overrides takes them."""
    return [(r.status, list(r.changes["ids"][1])) for r in reviews if r.status in INCIDENT_ACTIONS]


def anchor_of(row: Mapping) -> Anchor:
    """The span's text and context, from the row's quote (the sentence) and offsets."""
    quote = str(row.get("quote") or "")
    s0 = row.get("sentence_start")
    start, end = int(row["start"]), int(row["end"])
    if _missing(s0) or not quote:
        return Anchor(str(row["article_id"]), str(row["kind"]), start, end, str(row.get("mention") or ""))
    a, b = start - int(s0), end - int(s0)
    return Anchor(str(row["article_id"]), str(row["kind"]), start, end, quote[a:b],
                  quote[max(0, a - CONTEXT_CHARS):a], quote[b:b + CONTEXT_CHARS])


def attach(frame: pd.DataFrame, reviews: Iterable[Review]) -> Attached:
    """Tie each review to an item of `frame`: by id, else by anchor, else it is an orphan."""
    ids = set(frame["id"])
    by_item: dict[str, list[Review]] = {}
    moved: dict[str, str] = {}
    orphans: list[Review] = []
    candidates = None
    for r in reviews:
        if r.status in INCIDENT_ACTIONS:
            continue
        target = r.item if r.item in ids else None
        if target is None and r.anchor is not None:
            if candidates is None:
                candidates = _spans(frame)
            target = _reattach(r.anchor, candidates.get((r.anchor.article_id, r.anchor.kind), ()))
            if target is not None:
                moved[r.uid] = target
        if target is None:
            orphans.append(r)
        else:
            by_item.setdefault(target, []).append(r)
    return Attached(by_item, moved, orphans)


def view(frame: pd.DataFrame, reviews: Iterable[Review]) -> tuple[pd.DataFrame, Attached]:
    """The frame as users see it: reviews applied on top, machine values kept beside them.

    Adds `status` ("unreviewed" until reviewed), `reviewed_by`, `reviewed_at`, `review_reason`,
    `n_reviews` and `machine_<field>` for every reviewable field.
    """
    out = frame.copy()
    out["machine_value"] = out["value"]
    out["machine_qualifier"] = out["qualifier"]
    out["machine_category"] = out["category"]
    out["machine_place"] = out["place"]
    out["machine_lat"] = out.geometry.y
    out["machine_lon"] = out.geometry.x
    out["machine_event_date"] = out["event_date"]
    out["status"] = UNREVIEWED
    out["reviewed_by"] = ""
    out["reviewed_at"] = ""
    out["review_reason"] = ""
    out["n_reviews"] = 0
    attached = attach(frame, reviews)
    if not attached.by_item:
        return out, attached
    first: dict[str, int] = {}
    for at, item in enumerate(out["id"]):
        first.setdefault(item, at)
    for item, item_reviews in attached.by_item.items():
        _apply(out, first[item], item_reviews)
    return out, attached


def _apply(out: pd.DataFrame, at: int, reviews: list[Review]) -> None:
    from shapely.geometry import Point

    fields: dict[str, object] = {}
    for r in reviews:
        fields.update({k: after for k, (_, after) in r.changes.items()})
    last = reviews[-1]
    idx = out.index[at]
    out.at[idx, "status"] = last.status
    out.at[idx, "reviewed_by"] = last.by
    out.at[idx, "reviewed_at"] = last.at
    out.at[idx, "review_reason"] = last.reason
    out.at[idx, "n_reviews"] = len(reviews)
    for name in ("value", "qualifier", "category", "place"):
        if name in fields:
            out.at[idx, name] = fields[name]
    if "event_date" in fields:
        out.at[idx, "event_date"] = pd.Timestamp(fields["event_date"])
        if "time_precision" in out.columns:
            out.at[idx, "time_precision"] = "day"
    if "lat" in fields and "lon" in fields:
        out.at[idx, "geometry"] = Point(float(fields["lon"]), float(fields["lat"]))
        if "precision" in out.columns and "place" not in fields:
            out.at[idx, "precision"] = "town"
    if last.status == "unlocatable":
        out.at[idx, "geometry"] = Point()


def _spans(frame: pd.DataFrame) -> dict[tuple[str, str], list[tuple[str, int, str, str, str]]]:
    """Per (article, kind): (id, start, span text, text before, text after) of every item."""
    out: dict[tuple[str, str], list] = {}
    for row in frame[["id", "article_id", "kind", "start", "end", "sentence_start", "quote", "mention"]].itertuples(index=False):
        anchor = anchor_of(row._asdict())
        out.setdefault((row.article_id, row.kind), []).append((row.id, anchor.start, anchor.text, anchor.before, anchor.after))
    return out


def _reattach(anchor: Anchor, items) -> str | None:
    """The item with the same span text, preferring the same context, then the nearest position."""
    same = [it for it in items if it[2] == anchor.text and anchor.text]
    if not same:
        return None
    return min(same, key=lambda it: (it[3] != anchor.before, it[4] != anchor.after, abs(it[1] - anchor.start)))[0]


def _check_status(status: str, also: tuple[str, ...] = ()) -> None:
    if status not in STATUSES + also:
        raise ReviewError(f"unknown status {status!r}; use one of {', '.join(STATUSES + also)}")


def _check_ids(ids) -> None:
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i for i in ids):
        raise ReviewError("an incident merge or split names a list of ids")


def _check_time(at: str) -> None:
    try:
        datetime.fromisoformat(at)
    except (TypeError, ValueError) as e:
        raise ReviewError(f"bad review time {at!r} (expected ISO 8601)") from e


def _check_field(name: str, value):
    """The value as stored, or ReviewError saying what is wrong with it."""
    if name not in FIELDS:
        raise ReviewError(f"field {name!r} cannot be corrected; correctable: {', '.join(FIELDS)}")
    if name == "value":
        try:
            number = int(value)
        except (TypeError, ValueError) as e:
            raise ReviewError(f"value must be a whole number, not {value!r}") from e
        if not 0 <= number <= MAX_VALUE or str(value).strip() not in (str(number), f"{number}.0"):
            raise ReviewError(f"value must be a whole number from 0 to {MAX_VALUE:,}, not {value!r}")
        return number
    if name == "qualifier":
        return _choice(value, [q.value for q in Qualifier], name)
    if name == "category":
        return _choice(value, [c.value for c in Category], name)
    if name == "place":
        text = str(value).strip()
        if not text or len(text) > 200:
            raise ReviewError("place must be a name of 1 to 200 characters")
        return text
    if name in ("lat", "lon"):
        try:
            number = float(value)
        except (TypeError, ValueError) as e:
            raise ReviewError(f"{name} must be a number, not {value!r}") from e
        limit = 90 if name == "lat" else 180
        if not math.isfinite(number) or abs(number) > limit:
            raise ReviewError(f"{name} must be between -{limit} and {limit}, not {value!r}")
        return number
    try:
        day = date.fromisoformat(str(value))
    except ValueError as e:
        raise ReviewError(f"event date must be YYYY-MM-DD, not {value!r}") from e
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ReviewError(f"event date must be between {MIN_YEAR} and {MAX_YEAR}, not {value!r}")
    return day.isoformat()


def _choice(value, allowed: list[str], name: str) -> str:
    if value not in allowed:
        raise ReviewError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return str(value)


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _with_uid(review: Review) -> Review:
    """Older records without a uid get one derived from their content, so imports stay idempotent."""
    import hashlib

    digest = hashlib.sha256(json.dumps({**review.to_json(), "uid": ""}, sort_keys=True, ensure_ascii=False).encode())
    return Review(review.item, review.status, review.by, review.at, review.reason, review.changes,
                  review.anchor, digest.hexdigest()[:32])
