"""Event dates written in Ukrainian or Russian ("2 квітня 2022 року", "вчора", "в ночь на 5 марта",
"протягом минулої доби", "у неділю"), from the rules in geo/rules/<language>/dates.toml.

Returns geo.dates.EventDate, as the English reader does, with the id of the rule that decided it
in `rule`. Relative words count back from the publication date; without one they give nothing.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from geo import rulebook
from geo.cyrillic import fold, fold_text
from geo.dates import EventDate
from geo.model import TimePrecision


class Dated(NamedTuple):
    when: EventDate
    rule: str


@lru_cache(maxsize=2)
def _rules(language: str) -> dict:
    """Both languages' date rules, the article's first (see geo.rulebook.cyrillic)."""
    files = rulebook.cyrillic(language, "dates")
    data = files[0]
    months = {fold(w): i + 1 for d in files for i, w in enumerate(d["months"]["words"])}
    month_alt = "|".join(sorted(months, key=len, reverse=True))
    night = "|".join(re.escape(fold(p)) for p in sorted((p for d in files for p in d["night"]["phrases"]),
                                                         key=len, reverse=True))
    relative = [(fold(p), r["days_back"], r["id"]) for d in files for r in d["relative"] for p in r["phrases"]]
    relative.sort(key=lambda r: -len(r[0]))
    weekdays = {fold(w): i for d in files for i, forms in enumerate(d["weekdays"]["words"]) for w in forms}
    periods = sorted((fold(p) for d in files for p in d["period"]["phrases"]), key=len, reverse=True)
    year_words = sorted((fold(w) for d in files for w in d["period"]["year_words"]), key=len, reverse=True)
    births = "|".join(re.escape(fold(w)) for d in files for w in d["period"]["not_before"])
    months_in = {fold(w): i + 1 for d in files for i, w in enumerate(d["month_in"]["words"])}
    weeks = sorted((fold(p) for d in files for p in d["week"]["phrases"]), key=len, reverse=True)
    since = sorted((fold(p) for d in files for p in d["since_start"]["phrases"]), key=len, reverse=True)
    return {
        "explicit": re.compile(rf"(?:(?P<night>{night})\s+)?\b(?P<day>[0-3]?\d)\s+(?P<month>{month_alt})\b"
                               rf"(?:\s+(?P<year>(?:19|20)\d\d))?"),
        "months": months, "month_id": data["months"]["id"], "night_id": data["night"]["id"],
        "relative": [(re.compile(rf"(?<!\w){re.escape(p)}(?!\w)"), back, rid) for p, back, rid in relative],
        "weekday": re.compile(r"(?<!\w)(?:у|в|во)\s+(" + "|".join(sorted(weekdays, key=len, reverse=True)) + r")(?!\w)"),
        "weekdays": weekdays, "weekday_id": data["weekdays"]["id"],
        "period": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in periods)
                             + r"|(?:19|20)\d\d\s+(?:" + "|".join(re.escape(w) for w in year_words)
                             + r")(?!\w)(?!\s+(?:" + births + r")))"),
        "period_id": data["period"]["id"],
        "month_in": re.compile(r"(?<!\w)(?:у|в|во)\s+(" + "|".join(sorted(months_in, key=len, reverse=True))
                               + r")(?:\s+((?:19|20)\d\d))?(?!\w)"),
        "months_in": months_in, "month_in_id": data["month_in"]["id"],
        "week": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in weeks) + r")(?!\w)"),
        "week_id": data["week"]["id"],
        "since": re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in since) + r")(?!\w)"),
        "since_id": data["since_start"]["id"],
    }


def event_date_cyr(sentence: str, contexts: tuple[str, ...], published: date | None, language: str) -> Dated:
    """The date a sentence's figure applies to: from the sentence, else from each context in
    turn, else the publication date (TimePrecision.ARTICLE, rule "")."""
    rules = _rules(language)
    found = _find(sentence, published, rules)
    if found is not None:
        return found
    folded = fold_text(sentence)[0]
    if rules["period"].search(folded):
        return Dated(EventDate(published, TimePrecision.ARTICLE, ""), rules["period_id"])
    if rules["since"].search(folded):
        return Dated(EventDate(published, TimePrecision.ARTICLE, ""), rules["since_id"])
    for text in contexts:
        found = _find(text, published, rules)
        if found is not None:
            return found
    return Dated(EventDate(published, TimePrecision.ARTICLE, ""), "")


def _find(text: str, published: date | None, rules: dict) -> Dated | None:
    folded, at = fold_text(text)
    written = lambda m: text[at[m.start()]:at[m.end() - 1] + 1].strip()  # noqa: E731
    m = rules["explicit"].search(folded)
    if m:
        month = rules["months"][m.group("month")]
        day = int(m.group("day"))
        year = int(m.group("year")) if m.group("year") else _year_for(month, day, published)
        try:
            when = date(year, month, day) if year else None
        except ValueError:
            when = None
        if when is not None:
            rid = rules["night_id"] if m.group("night") else rules["month_id"]
            return Dated(EventDate(when, TimePrecision.DAY, written(m)), rid)
    if published is None:
        return None
    for pattern, back, rid in rules["relative"]:
        r = pattern.search(folded)
        if r:
            return Dated(EventDate(published - timedelta(days=back), TimePrecision.DAY, written(r)), rid)
    w = rules["weekday"].search(folded)
    if w:
        wd = rules["weekdays"][w.group(1)]
        back = (published.weekday() - wd) % 7
        return Dated(EventDate(published - timedelta(days=back), TimePrecision.DAY, written(w)), rules["weekday_id"])
    w = rules["week"].search(folded)
    if w:
        return Dated(EventDate(published - timedelta(days=6), TimePrecision.WEEK, written(w), published), rules["week_id"])
    m = rules["month_in"].search(folded)
    if m:
        month = rules["months_in"][m.group(1)]
        year = int(m.group(2)) if m.group(2) else (published.year if month <= published.month else published.year - 1)
        first = date(year, month, 1)
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
        return Dated(EventDate(first, TimePrecision.MONTH, written(m), last), rules["month_in_id"])
    return None


def _year_for(month: int, day: int, published: date | None) -> int | None:
    """A date without a year is the latest such date on or before publication."""
    if published is None:
        return None
    try:
        return published.year if date(published.year, month, day) <= published else published.year - 1
    except ValueError:
        return published.year
