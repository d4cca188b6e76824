"""Event dates for undated articles from the dated reports of the same batch (docs/dates.md).

An article with no publication date and no year in its text ("the attack Friday on the train
station in Kramatorsk", "On May 25, ... shelled Kharkiv") cannot date its figures by itself. Other
articles of the batch often report the same strike with a date. A casualty figure of an undated
article at a town takes the day of a dated casualty report at that town when the undated text
tells the strike by that day and month, or (with no day and month) by that weekday, and exactly
one such day exists in the batch; else it stays undated. The figure records `date.batch-incident`.

Streaming: dated articles pass through at once; undated ones are held to the end of the batch.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date

from geo.dates import event_clues
from geo.model import Precision, TimePrecision
from geo.placing import CASUALTIES


def dated_across(results: Iterable) -> Iterator:
    """The extraction results in, the same out; the undated articles' casualty figures dated
    from the batch where it allows one day only, those articles last."""
    known: dict[str, set[date]] = {}
    held = []
    for result in results:
        figures = getattr(result, "figures", None)
        if figures is None or result.article.published is not None:
            for f in figures or ():
                if _dated_report(f):
                    known.setdefault(f.place.name, set()).add(f.event_date)
            yield result
        else:
            held.append(result)
    for result in held:
        yield _redated(result, known)


def _dated_report(f) -> bool:
    return (f.time_precision is TimePrecision.DAY and f.event_date is not None and f.category in CASUALTIES
            and f.place is not None and f.place.precision is Precision.TOWN)


def _redated(result, known: dict[str, set[date]]):
    if not any(f.event_date is None for f in result.figures):
        return result
    day_months, weekdays = event_clues(result.article.text)
    figures = []
    for f in result.figures:
        days = known.get(f.place.name, set()) if f.place is not None and f.event_date is None \
            and f.category in CASUALTIES else set()
        if day_months:
            fits = {d for d in days if (d.month, d.day) in day_months}
            words = day_months.get
        else:
            fits = {d for d in days if d.weekday() in weekdays}
            words = weekdays.get
        if len(fits) == 1:
            (day,) = fits
            clue = words((day.month, day.day)) if day_months else words(day.weekday())
            f = replace(f, event_date=day, date_end=day, time_precision=TimePrecision.DAY, date_text=clue,
                        rules=(*(r for r in f.rules if not r.startswith("date.")), "date.batch-incident"))
        figures.append(f)
    return replace(result, figures=figures)
