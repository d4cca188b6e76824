"""Event dates for undated articles from the dated reports of the same collection (docs/dates.md).

An article with no publication date and no year in its text ("the attack Friday on the train
station in Kramatorsk", "On May 25, ... shelled Kharkiv") cannot date its figures by itself. Other
articles often report the same strike with a date: those of the same batch, and those already in
the store. A casualty figure of an undated article at a town takes the day of a dated casualty
report at that town when the undated text tells the strike by that day and month, or (with no
day and month) by that weekday, and exactly one such day exists; else it stays undated. A dated
report gives its event day, or, when its text dates no event (precision `article`), the days up
to ARTICLE_DAYS before its publication (as geo.incidents reads it). The figure records
`date.batch-incident`, and its `date_text` names the clue and the report the day came from.

Pure: `Known` is built from figures or event rows, `dated_across` maps extraction results and
`redated_rows` an undated article's event rows; reading the store is the caller's (geo.build).
Streaming: dated articles pass through at once; undated ones are held to the end of the batch.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import pandas as pd

from geo.dates import event_clues
from geo.model import Precision, TimePrecision
from geo.placing import CASUALTIES

RULE = "date.batch-incident"
# A report whose text dates nothing: the strike was at most this many days before publication (the
# window geo.incidents gives such a claim; not imported, so the extractor version stays off it).
ARTICLE_DAYS = 3
CASUALTY_NAMES = tuple(c.value for c in CASUALTIES)


@dataclass
class Known:
    """The days dated casualty reports give each town: town -> day -> the report's article files."""

    days: dict[str, dict[date, set[str]]] = field(default_factory=dict)

    def add(self, town: str, category: str, precision: str, day: date | None, published: date | None,
            source: str) -> None:
        """One figure of a dated article: a day-precise casualty count at a town gives its day; one
        whose text dates nothing (`article`) gives the days up to ARTICLE_DAYS before publication."""
        if not town or category not in CASUALTY_NAMES or published is None:
            return
        if precision == TimePrecision.DAY.value and day is not None:
            spread = [day]
        elif precision == TimePrecision.ARTICLE.value:
            spread = [published - timedelta(days=k) for k in range(ARTICLE_DAYS + 1)]
        else:
            return
        for d in spread:
            self.days.setdefault(town, {}).setdefault(d, set()).add(source)

    def add_figures(self, article, figures) -> None:
        for f in figures:
            if f.place is not None and f.place.precision is Precision.TOWN:
                self.add(f.place.name, f.category.value, f.time_precision.value, f.event_date, article.published,
                         article.file)

    def add_rows(self, rows: pd.DataFrame) -> None:
        """The figure rows of an event table (geo.events columns); undated articles' rows add nothing."""
        if rows is None or rows.empty:
            return
        mine = rows[_reports(rows)]
        for town, category, precision, day, published, source in zip(
                mine["place"], mine["category"], mine["time_precision"], mine["event_date"], mine["published"],
                mine["article_file"]):
            self.add(town, category, precision, _day(day), _day(published), source)

    def fitting(self, town: str, clues) -> tuple[date, str] | None:
        """(day, words naming it and its source) when exactly one known day at `town` fits the
        undated text's clues (days and months, else weekdays), else None."""
        day_months, weekdays = clues
        days = self.days.get(town, {})
        if day_months:
            fits = [d for d in days if (d.month, d.day) in day_months]
        else:
            fits = [d for d in days if d.weekday() in weekdays]
        if len(fits) != 1:
            return None
        (day,) = fits
        words = day_months[(day.month, day.day)] if day_months else weekdays[day.weekday()]
        return day, f"{words} (day of {min(days[day])})"


def dated_across(results: Iterable, known: Known | None = None) -> Iterator:
    """The extraction results in, the same out; the undated articles' casualty figures dated
    from the batch (and from `known`, the reports already in the store) where it allows one day
    only, those articles last."""
    known = known if known is not None else Known()
    held = []
    for result in results:
        figures = getattr(result, "figures", None)
        if figures is None or result.article.published is not None:
            known.add_figures(result.article, figures or ())
            yield result
        else:
            held.append(result)
    for result in held:
        yield _redated(result, known)


def _redated(result, known: Known):
    if not any(_undated(f) for f in result.figures):
        return result
    clues = event_clues(result.article.text)
    figures = []
    for f in result.figures:
        found = known.fitting(f.place.name, clues) if _undated(f) else None
        if found is not None:
            day, words = found
            f = replace(f, event_date=day, date_end=day, time_precision=TimePrecision.DAY, date_text=words,
                        rules=(*(r for r in f.rules if not r.startswith("date.")), RULE))
        figures.append(f)
    return replace(result, figures=figures)


def _undated(f) -> bool:
    return (f.event_date is None and f.category in CASUALTIES and f.place is not None
            and f.place.precision is Precision.TOWN)


def _rows_to_date(rows: pd.DataFrame) -> pd.Index:
    if rows is None or rows.empty:
        return pd.Index([])
    return rows.index[(rows["kind"] == "figure") & rows["event_date"].isna() & rows["published"].isna()
                      & (rows["precision"] == Precision.TOWN.value) & rows["category"].isin(CASUALTY_NAMES)]


def towns_to_date(rows: pd.DataFrame) -> set[str]:
    """The towns of an article's event rows whose casualty figures have no date: what `redated_rows`
    may date (empty for a dated article)."""
    return set(rows.loc[_rows_to_date(rows), "place"]) if rows is not None else set()


def reporting_towns(rows: pd.DataFrame) -> set[str]:
    """The towns a dated article's casualty figures give days for (see `Known.add_rows`)."""
    if rows is None or rows.empty:
        return set()
    return set(rows.loc[_reports(rows), "place"])


def _reports(rows: pd.DataFrame) -> pd.Series:
    """The rows that are casualty figures at a town in a dated article: what can give a day."""
    return ((rows["kind"] == "figure") & (rows["precision"] == Precision.TOWN.value)
            & rows["category"].isin(CASUALTY_NAMES) & rows["published"].notna())


def articles_to_date(rows: pd.DataFrame) -> set[str]:
    """The articles (ids) of event rows that have casualty figures at a town left undated."""
    return set(rows.loc[_rows_to_date(rows), "article_id"]) if rows is not None else set()


def redated_rows(rows: pd.DataFrame, text: str, known: Known) -> pd.DataFrame:
    """An undated article's event rows (geo.events columns) with its casualty figures at a town
    dated as `dated_across` dates them; ids, quotes, places and attributions unchanged, so reviews
    of these rows still apply. Returns `rows` itself when nothing changes."""
    todo = _rows_to_date(rows)
    if not len(todo):
        return rows
    clues = event_clues(text)
    out = rows.copy()
    changed = False
    for k in todo:
        found = known.fitting(out.at[k, "place"], clues)
        if found is None:
            continue
        day, words = found
        stamp = pd.Timestamp(day)
        out.loc[k, ["event_date", "date_start", "date_end"]] = stamp
        out.at[k, "time_precision"] = TimePrecision.DAY.value
        out.at[k, "date_text"] = words
        out.at[k, "rules"] = " ".join([r for r in out.at[k, "rules"].split() if not r.startswith("date.")] + [RULE])
        changed = True
    return out if changed else rows


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
