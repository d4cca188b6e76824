"""The store commands of the CLI: events, counts, review, review-log, review-import.

Each opens the store named by `--store` (embedded file or postgresql:// URL), works through
the store seam and prints JSON Lines on stdout; messages go to stderr. A refused review
(ReviewError) exits 2 and writes nothing.
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace

import pandas as pd

from geo import collection, review_queue
from geo import review as rv
from geo.errors import ReviewError
from geo.records import event_record
from geo.store import ItemQuery, open_store

EXIT_OK = 0


def events(args) -> int:
    """Every figure (with --all every row); a filter is run by the database (geo.store.query)."""
    query = _query(args, kinds=() if args.all else ("figure",))
    narrowed = replace(query, kinds=()) != ItemQuery()
    shown = collection.read_store(args.store, query if narrowed else None).frame
    if not args.all:
        shown = shown[shown["kind"] == "figure"]
    out = sys.stdout
    for row in shown.to_dict("records"):
        out.write(json.dumps(event_record(row), ensure_ascii=False) + "\n")
    return EXIT_OK


def incidents(args) -> int:
    """One JSON line per incident (reviews applied: rejected figures left out, corrections,
    merges and splits on top), first reported first."""
    for incident in collection.read_store(args.store).incidents():
        sys.stdout.write(json.dumps(incident.record(), ensure_ascii=False) + "\n")
    return EXIT_OK


def counts(args) -> int:
    """Figures per place, region, period and category, counted by the database, reviews applied."""
    with open_store(args.store, create=False) as repo:
        table = collection.tally(repo, _query(args), args.by)
    out = sys.stdout
    for row in table.to_dict("records"):
        row["period"] = None if pd.isna(row["period"]) else row["period"].date().isoformat()
        for key in ("figures", "lowest", "highest"):
            row[key] = None if pd.isna(row[key]) else int(row[key])
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return EXIT_OK


def _query(args, kinds: tuple[str, ...] = ()) -> ItemQuery:
    return ItemQuery(start=args.start, end=args.end, places=tuple(args.place or ()), categories=tuple(args.category or ()),
                     kinds=kinds, bbox=args.bbox)


def review(args) -> int:
    if args.status in rv.INCIDENT_ACTIONS:
        return _incident_review(args)
    changes = {"value": args.value, "qualifier": args.qualifier, "category": args.category,
               "event_date": args.event_date, "lat": args.lat, "lon": args.lon}
    with open_store(args.store, create=False) as repo:
        row = collection.read(repo).item(args.id)
        if row is None:
            raise ReviewError(f"unknown id {args.id!r} in {args.store} (ids come from `events` or `extract`)")
        if args.place is not None:
            changes["place"] = args.place
            if args.lat is None and args.lon is None:
                lat, lon = review_queue.place_position(args.place, row)
                changes["lat"], changes["lon"] = lat, lon
        made = rv.new_review(row, args.status, args.by, args.reason, changes)
        repo.add_review(made)
    print(made.dumps())
    print(f"recorded: {made.status} {made.item} by {made.by}", file=sys.stderr)
    return EXIT_OK


def _incident_review(args) -> int:
    """`review ID --status merge --with ID2 ...` (incidents) or `review FIGURE --status split [--with FIGURE2 ...]`."""
    ids = [args.id, *(args.with_ids or [])]
    with open_store(args.store, create=False) as repo:
        made = review_queue.incident_action(collection.read(repo), args.status, ids, args.by, args.reason)
        repo.add_review(made)
    print(made.dumps())
    print(f"recorded: {made.status} {', '.join(ids)} by {made.by}", file=sys.stderr)
    return EXIT_OK


def review_log(args) -> int:
    with open_store(args.store, create=False) as repo:
        reviews = repo.reviews()
        attached = rv.attach(repo.items(), reviews)
    orphans = {r.uid for r in attached.orphans}
    for r in reviews:
        if r.status in rv.INCIDENT_ACTIONS:
            sys.stdout.write(json.dumps(r.to_json() | {"orphaned": False, "attached_to": r.item}, ensure_ascii=False) + "\n")
            continue
        record = r.to_json() | {"orphaned": r.uid in orphans, "attached_to": attached.moved.get(r.uid, None if r.uid in orphans else r.item)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return EXIT_OK


def review_import(args) -> int:
    """All lines are checked first: one bad line and nothing is written."""
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ReviewError(f"cannot read {args.file}: {e}") from e
    reviews = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            reviews.append(rv.Review.from_json(json.loads(line)))
        except (ValueError, ReviewError) as e:
            raise ReviewError(f"{args.file} line {n}: {e}") from e
    with open_store(args.store, create=False) as repo:
        added = sum(repo.add_review(r) for r in reviews)
        orphans = len(rv.attach(repo.items(), reviews).orphans)
    print(f"imported {added} review(s), {len(reviews) - added} already there; {orphans} attach to no item here (orphaned)",
          file=sys.stderr)
    return EXIT_OK
