"""When a reported figure applies: dates written in the text, resolved against publication.

News copy dates events relative to the day it was published ("on Sunday", "last night"), so
relative words are only resolved when the publication date is known; a figure with no date in
its text falls back to the publication date, marked TimePrecision.ARTICLE so nobody mistakes it
for the day of the event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from geo.model import TimePrecision
from geo.text import alternation, folded

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}

# Month and weekday names as prefix trees ("sep(?:t(?:ember)?)?"): the same words, longer ones
# tried first as before, in a few character tests per position instead of one per name.
_MONTH = r"(?P<month>" + alternation(list(_MONTHS)) + r")\.?"
_MONTH_NAME = "(?:" + alternation(list(_MONTHS)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + alternation(list(_WEEKDAYS)) + ")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"

# Ordered by how exact they are: the first kind that matches in a text wins.
_DAY_PATTERNS = [
    re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?![\d-])"),
    re.compile(r"\b(?:(?:on|since|from)\s+)?(?:" + _WEEKDAY + r",?\s+\(?)?" + _MONTH + r"\s+" + _DAY
               + r"\b" + _YEAR + r"\)?", re.I),
    re.compile(r"\b(?:(?:on|since|from)\s+)?(?:" + _WEEKDAY + r",?\s+\(?)?(?:the\s+)?" + _DAY
               + r"(?:\s+of)?\s+" + _MONTH + r"\b" + _YEAR + r"\)?", re.I),
]
# "From 1 to 31 May 2023" (a UN monthly update): the whole month, not its last day.
_WHOLE_MONTH = re.compile(r"\b(?:(?:from|between)\s+)?(?:the\s+)?1(?:st)?\s*(?:-|–|to|and|until)\s*(?:the\s+)?(?:28|29|30|31)"
                          r"(?:st|th)?\s+(?:of\s+)?" + _MONTH + _YEAR + r"\b", re.I)
_WEEKDAY_ONLY = re.compile(r"\b(?:(?:on|last|this|early|late)\s+)?" + _WEEKDAY
                           + r"(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)
_RELATIVE_DAY = re.compile(
    r"\b(?P<word>yesterday|last\s+night|overnight|today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"(?:over\s+|on\s+|during\s+|in\s+)?the\s+(?:previous|past|preceding)\s+day|the\s+day\s+before|"
    r"a\s+day\s+earlier)\b", re.I)
_DAY_BEFORE = ("yesterday", "last", "over", "on", "during", "in", "the", "a")
_WEEKEND = re.compile(r"\b(?P<word>(?:at|over|during|this|last)\s+the\s+weekend|(?:this|last)\s+weekend)\b",
                      re.I)
_RELATIVE_WEEK = re.compile(r"\b(?P<word>(?:earlier\s+)?this\s+week|last\s+week)\b", re.I)
_RELATIVE_MONTH = re.compile(r"\b(?P<word>(?:earlier\s+)?this\s+month|last\s+month)\b", re.I)
_IN_MONTH = re.compile(r"\b(?:in|during|throughout|early|late|mid-?)\s+(?:early\s+|late\s+)?"
                       + _MONTH + _YEAR + r"\b", re.I)
# "date 2022-09-16" opening an article is its publication date, not an event date.
_DATELINE = re.compile(r"^\s*date\s+(?P<year>\d{4})-(?P<mnum>\d\d)-(?P<day>\d\d)\b", re.I)
# "KHARKIV, March 1 (Reuters) - ..." and "Odessa, 1 April 2022 (Ukrinform) — ...": a wire dateline
# dates the copy, not the events it reports.
_WIRE_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'’ -]{1,40},\s+)?(?:" + _MONTH_NAME + r"\s+[0-3]?\d|[0-3]?\d\s+" + _MONTH_NAME
    + r")(?:,?\s+(?:19|20)\d\d)?\s*(?:\([^)\n]{1,60}\)\s*)?[—–-]\s", re.I)
# The years a report can plausibly carry. A date outside them is a typing error or hostile input
# (and outside what the event table's datetime64[ns] columns can hold): the loader refuses it
# with a reason, and the functions here treat it as unknown rather than compute with it.
FIRST_YEAR, LAST_YEAR = 1900, 2100

_PUBLISHED = re.compile(
    r"\b(?:published|posted|first\s+published)(?:\s+on)?\s*:?\s*(?:"
    + _WEEKDAY_ONLY.pattern.replace("(?P<weekday>", "(?:") + r",?\s+)?(?P<rest>[^\n]{0,40})", re.I)


# Which kinds of date words a text holds, found in one pass over its words, so that only their
# patterns run (a set lookup per word is cheaper than one alternation tried at every position).
_KIND_OF_WORD = {**{w: "month" for w in _MONTHS},
                 **{w: "weekday" for w in _WEEKDAYS},
                 **{w: "relative" for w in ("yesterday night overnight today tonight morning afternoon evening day "
                                            "weekend week month").split()}}
_WORD = re.compile(r"\w+")
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True)
class EventDate:
    """A figure's date, how exact it is, and the words it came from ("" for the fallback)."""

    day: date | None
    precision: TimePrecision
    text: str = ""


def event_date(sentence: str, context: str = "", published: date | None = None) -> EventDate:
    """The date a sentence's claim applies to: from the sentence, else from its context.

    `context` is other text reporting the same claim (the sentence confirming it, a tweet's
    signature line); the publication date is the fallback. A publication date outside
    FIRST_YEAR..LAST_YEAR counts as unknown, and so does a resolved date that falls outside them.
    """
    if not plausible(published):
        published = None
    for text in (sentence, context):
        found = _find(text, published)
        if found is not None and plausible(found.day):
            return found
    return EventDate(published, TimePrecision.ARTICLE, "")


def plausible(day: date | None) -> bool:
    """True for no date and for a date within FIRST_YEAR..LAST_YEAR."""
    return day is None or FIRST_YEAR <= day.year <= LAST_YEAR


def date_from_text(text: str) -> date | None:
    """A publication date the article states itself: a leading `date 2022-09-16` line or a
    "Published: 16 September 2022" dateline near the top."""
    return published_in_text(text)[0]


def published_in_text(text: str) -> tuple[date | None, str]:
    """`date_from_text`, and why a date line that is there was not taken ("" otherwise), so the
    loader can say so instead of silently dating the article unknown."""
    m = _DATELINE.match(text)
    if m:
        line = " ".join(m.group().split())
        d = _safe_date(int(m["year"]), int(m["mnum"]), int(m["day"]))
        if d is None:
            return None, f"the date line '{line}' is not a calendar date; publication date unknown"
        if not plausible(d):
            return None, (f"the date line '{line}' has a year outside {FIRST_YEAR}..{LAST_YEAR}; "
                          "publication date unknown")
        return d, ""
    for m in _PUBLISHED.finditer(text[:2000]):
        for pattern in _DAY_PATTERNS:
            d = pattern.match(m["rest"])
            if d and d.groupdict().get("year"):
                return _date_of(d, None), ""
    return None, ""


def _find(text: str, published: date | None) -> EventDate | None:
    if not text:
        return None
    low = text.lower()
    kinds = {_KIND_OF_WORD[w] for w in _KIND_OF_WORD.keys() & _WORD.findall(low)}
    if "-" in low and _ISO_DAY.search(low):
        kinds.add("iso")
    if not kinds:
        return None
    skip = _DATELINE.match(text) or _WIRE_DATELINE.match(text)
    skip_end = skip.end() if skip else 0
    month, relative = "month" in kinds, "relative" in kinds
    whole = _WHOLE_MONTH.search(text) if month else None
    if whole and whole.start() >= skip_end:
        number = _MONTHS[whole["month"].casefold()]
        year = int(whole["year"]) if whole["year"] else None
        if year is None and published is not None:
            year = published.year if number <= published.month else published.year - 1
        if year is not None:
            return EventDate(date(year, number, 1), TimePrecision.MONTH, whole.group().strip())
    for pattern in ([_DAY_PATTERNS[0]] if "iso" in kinds else []) + (_DAY_PATTERNS[1:] if month else []):
        for m in pattern.finditer(text):
            if m.start() < skip_end or m.group().lower().startswith(("since", "from")):
                continue
            d = _date_of(m, published)
            if d is not None:
                return EventDate(d, TimePrecision.DAY, m.group().strip())
    if published is None:
        m = _IN_MONTH.search(text) if month else None
        if m and m["year"]:
            return EventDate(date(int(m["year"]), _MONTHS[m["month"].casefold()], 1),
                             TimePrecision.MONTH, m.group().strip())
        return None
    m = _RELATIVE_DAY.search(text) if relative else None
    if m:
        word = m["word"].lower()
        # "overnight" in the day's copy is the night just ended: the publication day.
        back = 1 if word.startswith(_DAY_BEFORE) and word != "overnight" else 0
        return EventDate(published - timedelta(days=back), TimePrecision.DAY, m.group())
    m = _WEEKDAY_ONLY.search(text, _weekday_search_start(text)) if "weekday" in kinds else None
    if m:
        back = (published.weekday() - _WEEKDAYS[m["weekday"].casefold()]) % 7
        if m.group().lower().startswith("last") and back == 0:
            back = 7
        return EventDate(published - timedelta(days=back), TimePrecision.DAY, m.group())
    m = _WEEKEND.search(text) if relative else None
    if m:
        back = (published.weekday() - 5) % 7
        if m["word"].lower().startswith("last") and back < 2:
            back += 7
        return EventDate(published - timedelta(days=back), TimePrecision.WEEK, m.group())
    m = _RELATIVE_WEEK.search(text) if relative else None
    if m:
        monday = published - timedelta(days=published.weekday())
        if m["word"].lower().startswith("last"):
            monday -= timedelta(days=7)
        return EventDate(monday, TimePrecision.WEEK, m.group())
    m = _RELATIVE_MONTH.search(text) if relative else None
    if m:
        first = published.replace(day=1)
        if m["word"].lower().startswith("last"):
            first = (first - timedelta(days=1)).replace(day=1)
        return EventDate(first, TimePrecision.MONTH, m.group())
    m = _IN_MONTH.search(text) if month else None
    if m:
        month = _MONTHS[m["month"].casefold()]
        year = int(m["year"]) if m["year"] else (
            published.year if month <= published.month else published.year - 1)
        return EventDate(date(year, month, 1), TimePrecision.MONTH, m.group())
    return None


def _weekday_search_start(text: str) -> int:
    """Where _WEEKDAY_ONLY can first match in a text that names a weekday: at the first weekday
    name, or at the word ("on", "last", ...) and white space before it; searching from there
    finds the same match without trying every position of a long sentence."""
    low = folded(text)
    if low is None:
        return 0
    first = min(i for i in map(low.find, _WEEKDAYS) if i >= 0)
    while first and low[first - 1].isspace():
        first -= 1
    return max(0, first - len("early"))


def _date_of(m: re.Match, published: date | None) -> date | None:
    groups = m.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower().rstrip(".")]
    day = int(groups["day"])
    if groups.get("year"):
        return _safe_date(int(groups["year"]), month, day)
    if published is None:
        return None
    d = _safe_date(published.year, month, day)
    if d is not None and d > published + timedelta(days=1):
        d = _safe_date(published.year - 1, month, day)
    return d


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
