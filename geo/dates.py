"""When a reported figure applies: dates written in the text, resolved against publication.

News copy dates events relative to the day it was published ("on Sunday", "last night"), so
relative words are only resolved when the publication date is known; a figure with no date in
its text falls back to the publication date, marked TimePrecision.ARTICLE so nobody mistakes it
for the day of the event.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from geo import rulebook
from geo.model import TimePrecision
from geo.text import HeadSearch, WordSearch, alternation, folded, sentences, whole_words

RULES = rulebook.load("en", "dates")


def _words(words) -> str:
    """A list of words or phrases from the rule file as one alternation ("-" or " " inside a
    phrase matches either)."""
    return "(?:" + "|".join(re.escape(w).replace(r"\-", "[- ]").replace(r"\ ", r"\s+")
                            for w in sorted(words, key=len, reverse=True)) + ")"

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
# "As of Monday evening, September 19": a part of the day between the weekday and its date.
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"

# Ordered by how exact they are: the first kind that matches in a text wins.
_DAY_PATTERNS = [
    re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d\d)-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)(?![\d-])"),
    re.compile(r"\b(?:(?:on|since|from)\s+)?(?:" + _WEEKDAY + _PART_OF_DAY + r",?\s+\(?)?" + _MONTH + r"\s+" + _DAY
               + r"\b" + _YEAR + r"\)?", re.I),
    re.compile(r"\b(?:(?:on|since|from)\s+)?(?:" + _WEEKDAY + _PART_OF_DAY + r",?\s+\(?)?(?:the\s+)?" + _DAY
               + r"(?:\s+of)?\s+" + _MONTH + r"\b" + _YEAR + r"\)?", re.I),
]
# "From 1 to 31 May 2023" (a UN monthly update): the whole month, not its last day; "between 10 and
# 12 March", "10-12 March": a range of days.
_DAY_RANGE = re.compile(r"\b(?:(?:from|between)\s+)?(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|–|to|and|until)\s*"
                        r"(?:the\s+)?(?P<last>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + _YEAR + r"\b", re.I)
_WEEKDAY_ONLY = re.compile(r"\b(?:(?:on|last|this|early|late)\s+)?" + _WEEKDAY
                           + r"(?:\s+(?:morning|afternoon|evening|night))?\b", re.I)
_RELATIVE_DAY = re.compile(
    r"\b(?P<word>yesterday|last\s+night|overnight|today|tonight|this\s+(?:morning|afternoon|evening)|"
    r"(?:over\s+|on\s+|during\s+|in\s+)?the\s+(?:previous|past|preceding)\s+day|the\s+day\s+before|"
    r"a\s+day\s+earlier)\b", re.I)
_NIGHT_OF = re.compile(r"\s+(?:into|on|to|before)\s+(?:" + alternation(list(_WEEKDAYS)) + r")\b", re.I)
_DAY_BEFORE = ("yesterday", "last", "over", "on", "during", "in", "the", "a")
_WEEKEND = re.compile(r"\b(?P<word>(?:at|over|during|this|last)\s+the\s+weekend|(?:this|last)\s+weekend)\b",
                      re.I)
_RELATIVE_WEEK = re.compile(r"\b(?P<word>(?:earlier\s+)?this\s+week|last\s+week)\b", re.I)
_RELATIVE_MONTH = re.compile(r"\b(?P<word>(?:earlier\s+)?this\s+month|last\s+month)\b", re.I)
_IN_MONTH = re.compile(r"\b(?:(?:in|during|throughout|early|late|mid)\s+|mid-)(?:early\s+|late\s+)?"
                       + _MONTH + _YEAR + r"\b", re.I)
# "date 2022-09-16" opening an article is its publication date, not an event date.
_DATELINE = re.compile(r"^\s*date\s+(?P<year>\d{4})-(?P<mnum>\d\d)-(?P<day>\d\d)\b", re.I)
# "KHARKIV, March 1 (Reuters) - ..." and "Odessa, 1 April 2022 (Ukrinform) — ...": a wire dateline
# dates the copy, not the events it reports.
_WIRE_DATELINE = re.compile(
    r"^\s*(?:[A-Z][\w.'’ -]{1,40},\s+){0,2}(?:" + _MONTH_NAME + r"\s+[0-3]?\d|[0-3]?\d\s+" + _MONTH_NAME
    + r")(?:,?\s+(?:19|20)\d\d)?\s*(?:\([^)\n]{1,60}\)\s*)?[—–-]\s", re.I)
# The years a report can plausibly carry. A date outside them is a typing error or hostile input
# (and outside what the event table's datetime64[ns] columns can hold): the loader refuses it
# with a reason, and the functions here treat it as unknown rather than compute with it.
FIRST_YEAR, LAST_YEAR = 1900, 2100

_PUBLISHED = re.compile(
    r"\b(?:published|posted|first\s+published|uploaded|updated)(?:\s+on)?\s*:?\s*(?:"
    + _WEEKDAY_ONLY.pattern.replace("(?P<weekday>", "(?:") + r",?\s+)?(?P<rest>[^\n]{0,40})", re.I)


# Which kinds of date words a text holds, found in one pass over its words, so that only their
# patterns run (a set lookup per word is cheaper than one alternation tried at every position).
_KIND_OF_WORD = {**{w: "month" for w in _MONTHS},
                 **{w: "weekday" for w in _WEEKDAYS},
                 **{w: "relative" for w in ("yesterday night overnight today tonight morning afternoon evening day "
                                            "weekend week month").split()}}
# The kind words as whole words, found by skipping ahead to their first letters (geo.text.whole_words):
# the same set as the words of the text that are kind words, without listing every word.
_KIND_WORD = re.compile(whole_words(list(_KIND_OF_WORD)))


def _fold_quotes(words: str) -> str:
    return " ".join(words.lower().replace("’", "'").split())


_HOLIDAYS = {_fold_quotes(p): (h["month"], h["day"]) for h in RULES["holiday"] for p in h["phrases"]}
_HOLIDAY = re.compile(r"\b(?:" + "|".join(re.escape(p).replace("'", "['’]").replace(r"\ ", r"\s+")
                                          for p in sorted(_HOLIDAYS, key=len, reverse=True)) + r")\b", re.I)
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_FOUR_DIGITS = re.compile(r"(?:19|20)\d\d")
# A date on a verb of saying, or on the toll it gives, dates the statement, not the event.
_SAID_ON = re.compile(
    r"\b(?:" + _words(RULES["saying"]["before_date"]).replace("told", r"told(?:\s+[\w-]+){0,2}")
    + r")\s+(?:on\s+|late\s+|early\s+|as\s+of\s+)?$|\bas\s+of\s+(?:the\s+)?(?:(?:morning|evening|afternoon)\s+of\s+)?$",
    re.I)
# "Zelenskyy on Sunday condemned the attack": the date of a statement, told before its verb.
_SAID_AFTER = re.compile(r"\s+(?:also\s+|again\s+)?" + _words(RULES["saying"]["after_date"]) + r"\b", re.I)
_TOLL_ON = re.compile(
    r"\b" + _words(RULES["toll_verbs"]["words"]) + r"\s+"
    r"(?:to|at)\s+[\w,.-]+(?:\s+(?:people|dead|killed|injured|wounded|victims))?\s+(?:on\s+|by\s+|late\s+|early\s+)?$",
    re.I)
_SAID_LATER = re.compile(r",\s+(?:[\w'’.-]+\s+){1,8}?(?:also\s+|officially\s+)?" + _words(RULES["saying"]["after_date"])
                         + r"\b", re.I)
_OPENING = re.compile(r"^\s*(?:(?:at|around|by)\s+(?:noon|midnight|[\d:.]+(?:\s*[ap]\.?m\.?)?)\s*|"
                      r"(?:early|late|in\s+the\s+(?:morning|afternoon|evening))\s+)?$", re.I)
# "39 people were still unaccounted for on Friday morning": the state on the day it was told.
_STILL_ON = re.compile(r"\b(?:still|remain|remains|remained)\b[^.;,]{0,40}?\s(?:on|as\s+of|by)\s+$", re.I)
# A date tied to a noun of the event ("Saturday's missile strike", "the attack on Ternopil, which
# took place on November 19", "the strike on the city on 14 July"): the day of that event.
_EVENT_NOUN = _words(RULES["event_nouns"]["words"])
_TIED_AFTER = re.compile(r"^['’]s\s+(?:[\w-]+\s+){0,2}?" + _EVENT_NOUN + r"\b", re.I)
_TIED_BEFORE = re.compile(
    r"\b" + _EVENT_NOUN + r"\b(?:[^.;:!?,]|,(?=\s+" + _words(RULES["event_nouns"]["linking"]) + r"))"
    r"{0,70}?(?:\s(?:on|of)\s+(?:the\s+)?|\s" + _words(RULES["event_nouns"]["linking"]) + r"\s+)$", re.I)
# "On the night of 9 to 10 October", "overnight from Saturday to Sunday", "Saturday night into
# Sunday": the later day (see `en.date.night-of`).
_NIGHT_WORD = _words(RULES["night"]["words"])
_NIGHT_BEFORE = re.compile(r"\b" + _NIGHT_WORD + r"\b[^.;:!?]*$", re.I)
_WEEKDAY_NAME = "(?:" + alternation(list(_WEEKDAYS)) + ")"
_NIGHT_SPAN = re.compile(
    r"\b" + _NIGHT_WORD + r"\s+(?:of|from|between)\s+(?:the\s+)?(?:"
    r"[0-3]?\d(?:st|nd|rd|th)?\s*(?:-|–|/|to|into|and)\s*(?:the\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
    + _MONTH + _YEAR + r"|" + _MONTH.replace("?P<month>", "?P<month2>") + r"\s+[0-3]?\d\s*(?:-|–|/|to|into|and)\s*"
    r"(?P<day2>[0-3]?\d)\b" + _YEAR.replace("?P<year>", "?P<year2>") + r"|"
    + _WEEKDAY_NAME + r"\s*(?:-|–|/|to|into|and)\s*" + _WEEKDAY + r")\b"
    r"|\b" + _WEEKDAY_NAME + r"\s+night\s+(?:into|to)\s+" + _WEEKDAY.replace("?P<weekday>", "?P<weekday2>") + r"\b",
    re.I)
# Words that date an event from another told just before: "the day before", "two days later".
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_ANCHORED = re.compile(
    r"\b(?P<word>(?:on\s+)?the\s+same\s+(?:day|night|morning|afternoon|evening)|(?:earlier\s+|later\s+)?that\s+(?:same\s+)?"
    r"(?:day|night|morning|afternoon|evening)|the\s+(?:previous|preceding|next|following)\s+day|"
    r"the\s+day\s+(?:before|after)|(?P<came>" + _words(RULES["came_after"]["words"]) + r"\s+(?:just\s+|only\s+)?)?"
    r"(?P<n>a|one|two|three|four|five|six|\d)\s+days?\s+(?P<dir>later|earlier|before|after))\b", re.I)


def _heads(words) -> list[str]:
    """The first word of each word or phrase of a rule list, as heads of a HeadSearch."""
    return sorted({re.split(r"[ -]", w.lower())[0] for w in words})


# The case-blind searches above that re would try at every position of a sentence, found by
# skipping ahead to the words their matches open with (geo.text.HeadSearch; same matches).
_WEEKDAY_SEARCH = HeadSearch(_WEEKDAY_ONLY, [*_WEEKDAYS, *(w + r"\s+[mtwfs]" for w in ("on", "last", "this", "early", "late"))])
_RELATIVE_DAY_SEARCH = HeadSearch(_RELATIVE_DAY, [
    "yesterday", r"last\s+night", "overnight", "today", "tonight", r"this\s+[mae]",
    *(w + r"\s+the\s" for w in ("over", "on", "during", "in")), r"the\s+[pd]", r"a\s+day\s"])
_ANCHORED_SEARCH = HeadSearch(_ANCHORED, [
    r"on\s+the\s+same", r"the\s+[spnfd]", r"that\s+[sdnmae]", r"earlier\s+that", r"later\s+that",
    *(n + r"\s+day" for n in ("a", "one", "two", "three", "four", "five", "six", r"\d")),
    *_heads(RULES["came_after"]["words"])])
_SAID_ON_SEARCH = HeadSearch(_SAID_ON, [*_heads(RULES["saying"]["before_date"]), r"as\s"])
_TOLL_ON_SEARCH = HeadSearch(_TOLL_ON, _heads(RULES["toll_verbs"]["words"]))
_STILL_ON_SEARCH = HeadSearch(_STILL_ON, ["still", "remain"])
_TIED_BEFORE_SEARCH = HeadSearch(_TIED_BEFORE, _heads(RULES["event_nouns"]["words"]))

# An opening line that is only a date: "Saturday 8 October 2022 14:20, UK", "15 September 2022".
_DATE_ONLY_LINE = re.compile(
    r"^\s*(?:(?:" + alternation(list(_WEEKDAYS)) + r"),?\s+)?(?:[0-3]?\d(?:st|nd|rd|th)?\s+" + _MONTH_NAME
    + r"|" + _MONTH_NAME + r"\s+[0-3]?\d(?:st|nd|rd|th)?),?\s+(?:19|20)\d\d(?:,?\s+\d\d?[:.]\d\d(?:\s*[ap]\.?m\.?)?)?"
    r"(?:,?\s+[A-Z]{2,4})?\s*$", re.I)
# "(01.15.2023)", "Chernihiv, 19.04.2024 —", "19/04/2024" in the opening lines.
_NUMERIC_HEAD = re.compile(r"(?:^|[\s(,])(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./](?P<year>(?:19|20)\d\d)(?=$|[\s),.;:—–-])",
                           re.M)


@dataclass(frozen=True)
class EventDate:
    """A figure's date, how exact it is, and the words it came from ("" for the fallback).

    `end` is the last day the words allow when they say more than `precision` does ("at the
    weekend": Saturday and Sunday; "10-12 March"); None means the end that `precision` implies
    (see `span`)."""

    day: date | None
    precision: TimePrecision
    text: str = ""
    end: date | None = None
    # Which kind of words gave it (docs/dates.md): provenance, not part of the value compared.
    rule: str = field(default="", compare=False)


@dataclass(frozen=True)
class Publication:
    """When an article was published as far as its own text tells, and on what basis:
    `text` when it states it (a `date` line, a dateline, "Published:", "uploaded on",
    "(01.15.2023)"), `inferred` when it is worked out (the year of "on Monday, 16 January" from
    the one war year that day was a Monday; the latest date the article mentions, which it
    cannot be older than), `unknown` when there is neither."""

    day: date | None
    basis: str
    text: str = ""
    # The pass that decided (docs/dates.md): provenance, not part of the value compared.
    rule: str = field(default="", compare=False)
    problem: str = ""  # why a date line that is there was not taken, for the loader's notes


def span(day: date | None, precision: TimePrecision, end: date | None = None) -> tuple[date | None, date | None]:
    """The first and last day a date of this precision covers: a week is seven days from its
    first, a month runs to its last day; a day, and the article fallback, are one day."""
    if day is None:
        return None, None
    if end is not None:
        return day, end
    if precision is TimePrecision.WEEK:
        return day, day + timedelta(days=6)
    if precision is TimePrecision.MONTH:
        return day, (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    return day, day


def event_date(sentence: str, context: str = "", published: date | None = None, at: int | None = None) -> EventDate:
    """The date a sentence's claim applies to: from the sentence, else from its context.

    `context` is other text reporting the same claim (the sentence confirming it, a tweet's
    signature line); the publication date is the fallback. A publication date outside
    FIRST_YEAR..LAST_YEAR counts as unknown, and so does a resolved date that falls outside them.
    """
    if not plausible(published):
        published = None
    for text, where in ((sentence, at), (context, None)):
        found = _find(text, published, where)
        if found is not None and plausible(found.day):
            return found
    return EventDate(published, TimePrecision.ARTICLE, "")


def plausible(day: date | None) -> bool:
    """True for no date and for a date within FIRST_YEAR..LAST_YEAR."""
    return day is None or FIRST_YEAR <= day.year <= LAST_YEAR


def is_statement_date(sentence: str, found: EventDate) -> bool:
    """Whether the words of `found` date a statement, not an event: "said on Tuesday", "rose to
    17 on Thursday", "stood at 10 on Monday", "as of Friday"."""
    at = sentence.find(found.text) if found.text else -1
    return at >= 0 and _statement_at(sentence, at, found)


def statement_date(sentence: str, published: date | None) -> EventDate | None:
    """The day a sentence dates its own statement ("..., the mayor said on Tuesday"), if any."""
    for start, found in _found(sentence, published):
        if found.precision is TimePrecision.DAY and _statement_at(sentence, start, found):
            return found
    return None


@lru_cache(maxsize=64)
def anchored(text: str) -> tuple[int, str] | None:
    """Words dating an event from another one told just before ("the day before", "on the same
    day", "two days later"): how many days after that one, and the words. Kept for the last few
    sentences: each figure of a sentence asks, and a run-on sentence of 1,500 figures asked 1,500
    times over 80 KB."""
    low = text.lower()
    if "day" not in low and "night" not in low and "morning" not in low and "afternoon" not in low \
            and "evening" not in low:
        return None
    m = _ANCHORED_SEARCH.search(text)
    if m is None:
        return None
    word = m["word"].lower()
    if m["n"]:
        n = 1 if m["n"].lower() in ("a", "one") else _SMALL.get(m["n"].lower()) or int(m["n"])
        later = m["dir"].lower() in ("later", "after")
        if m["came"] and later:
            return -n, m["word"]  # "The attack came a day after shelling killed 11": the 11 are a day earlier
        return (n if later else -n), m["word"]
    if "same" in word or "that" in word:
        return 0, m["word"]
    return (1 if ("next" in word or "following" in word) else -1), m["word"]


# A live blog's entry header: a line that is only a date, with its year or a time of day
# ("10 July 2023, 09:15", "Sunday 9 July 2023", "15 July, 09:27 AM").
_ENTRY_LINE = re.compile(
    r"^[ \t]*(?:" + _WEEKDAY_NAME + r",?\s+)?(?:" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"|" + _MONTH.replace(
        "?P<month>", "?P<month2>") + r"\s+" + _DAY.replace("?P<day>", "?P<day2>") + r")" + _YEAR
    + r"(?P<time>,?\s+(?:at\s+)?\d\d?[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?[ \t]*$", re.I | re.M)


def entry_days(text: str, published: date | None) -> list[tuple[int, date]]:
    """(offset, day) of the entry headers of a live blog or an updated story: relative words below
    one ("this morning", "today") are told on that day, not on the publication day. Only dates
    with a year, or with a time of day and a publication date to give the year, count; none after
    the publication date."""
    low = text.lower()
    if not any(w in low for w in _LONG_MONTHS):
        return []
    out = []
    for m in _entry_lines(text):
        if not (m["year"] or (m["time"] and published is not None)):
            continue
        month = _MONTHS[(m["month"] or m["month2"]).lower().rstrip(".")]
        number = int(m["day"] or m["day2"])
        day = _safe_date(int(m["year"]), month, number) if m["year"] else _date_of_day_month(month, number, published)
        if day is not None and plausible(day) and (published is None or day <= published + timedelta(days=1)):
            out.append((m.start(), day))
    return out


_LONG_MONTHS = [w for w in _MONTHS if len(w) > 3]


def _entry_lines(text: str):
    """_ENTRY_LINE.finditer(text), tried only at the start of each line, where its ^ can match
    (re would try the multi-line pattern at every position of the article)."""
    end = 0
    start = 0
    while start >= 0:
        if start >= end:
            m = _ENTRY_LINE.match(text, start)
            if m is not None:
                yield m
                end = m.end()
        start = text.find("\n", start)
        if start >= 0:
            start += 1


def day_at(entries: list[tuple[int, date]], offset: int, published: date | None) -> date | None:
    """The day text at `offset` is told on: the last entry header before it, else publication."""
    day = published
    for start, entry in entries:
        if start > offset:
            break
        day = entry
    return day


def _date_of_day_month(month: int, number: int, published: date) -> date | None:
    d = _safe_date(published.year, month, number)
    if d is not None and d > published + timedelta(days=1):
        d = _safe_date(published.year - 1, month, number)
    return d


# ---- publication date: an ordered chain of named passes; the first that decides wins ----------

_DAYS_AFTER = re.compile(r",?\s+(?:just\s+|only\s+)?(?P<n>a|one|two|three|four|five|six|\d)\s+days?\s+after\b", re.I)


def days_after(text: str, found: EventDate) -> int:
    """How many days before `found` the event of its sentence happened, when the date is followed
    by "a day after" ("on Sunday, a day after the building was hit"), else 0."""
    at = text.find(found.text) if found.text else -1
    if at < 0:
        return 0
    m = _DAYS_AFTER.match(text, at + len(found.text))
    if m is None:
        return 0
    n = m["n"].lower()
    return 1 if n in ("a", "one") else _SMALL.get(n) or int(n)


VIOLENCE = WordSearch(_words(RULES["violence"]["words"]))


def event_clues(text: str) -> tuple[dict[tuple[int, int], str], dict[int, str]]:
    """The days and months without a year, and the weekdays, that the text's sentences of violence
    date an event by (not a statement: "climbed to 57 on Sunday" is no clue), each with its words:
    what an undated article says of when its strike was (geo.dates_across)."""
    day_months: dict[tuple[int, int], str] = {}
    weekdays: dict[int, str] = {}
    for sent in sentences(text):
        if not VIOLENCE.found(sent.text):
            continue
        for pattern in _DAY_PATTERNS[1:]:
            for m in pattern.finditer(sent.text):
                if not m["year"] and not _statement_at(sent.text, m.start(), EventDate(None, TimePrecision.DAY, m.group())):
                    day_months.setdefault((_MONTHS[m["month"].lower().rstrip(".")], int(m["day"])), m.group().strip())
        for m in _WEEKDAY_SEARCH.finditer(sent.text):
            if not _statement_at(sent.text, m.start(), EventDate(None, TimePrecision.DAY, m.group())):
                weekdays.setdefault(_WEEKDAYS[m["weekday"].casefold()], m.group().strip())
    return day_months, weekdays


def publication_date(text: str) -> Publication:
    """The publication date an article's text gives, by the first of `PUBLICATION_PASSES` that
    decides: stated in the text (basis `text`), then worked out (basis `inferred`), else unknown.
    A `date` line that is there but cannot be read is passed over and says why in `problem`."""
    problem = _date_line_problem(text)
    for rule, find in PUBLICATION_PASSES:
        found = find(text)
        if found is not None and found.day is not None and plausible(found.day):
            return replace(found, rule=rule, problem=problem)
    return Publication(None, "unknown", problem=problem)


def _date_line_problem(text: str) -> str:
    m = _DATELINE.match(text)
    if m is None:
        return ""
    line = " ".join(m.group().split())
    day = _safe_date(int(m["year"]), int(m["mnum"]), int(m["day"]))
    if day is None:
        return f"the date line '{line}' is not a calendar date; publication date unknown"
    if not plausible(day):
        return f"the date line '{line}' has a year outside {FIRST_YEAR}..{LAST_YEAR}; publication date unknown"
    return ""


def _pub_date_line(text: str) -> Publication | None:
    """A leading `date 2022-09-16` line."""
    m = _DATELINE.match(text)
    day = _safe_date(int(m["year"]), int(m["mnum"]), int(m["day"])) if m else None
    return Publication(day, "text", m.group().strip()) if day else None


def _pub_label(text: str) -> Publication | None:
    """"Published: 16 September 2022" (or posted, updated, uploaded on) near the top or at the end."""
    for part in (text[:2000], text[-1000:] if len(text) > 2000 else ""):
        for m in _PUBLISHED.finditer(part):
            for pattern in _DAY_PATTERNS:
                d = pattern.match(m["rest"])
                if d and d.groupdict().get("year"):
                    day = _date_of(d, None)
                    if day:
                        return Publication(day, "text", m.group()[:m.start("rest") - m.start() + d.end()].strip())
    return None


def _head_lines(text: str) -> list[str]:
    return [line for line in text[:600].splitlines() if line.strip()][:6]


def _pub_dateline(text: str) -> Publication | None:
    """A wire dateline with its year: "KHERSON, 3 February 2024 (Ukrinform) —"."""
    for line in _head_lines(text):
        wire = _WIRE_DATELINE.match(line)
        if wire:
            for pattern in _DAY_PATTERNS[1:]:
                d = pattern.search(wire.group())
                if d and d.groupdict().get("year"):
                    day = _date_of(d, None)
                    if day:
                        return Publication(day, "text", wire.group().strip(" —–-"))
    return None


def _pub_date_only_line(text: str) -> Publication | None:
    """An opening line that is only a date: "Saturday 8 October 2022 14:20, UK"."""
    for line in _head_lines(text):
        if _DATE_ONLY_LINE.match(line):
            for pattern in _DAY_PATTERNS[1:]:
                d = pattern.search(line)
                if d and d.groupdict().get("year"):
                    day = _date_of(d, None)
                    if day:
                        return Publication(day, "text", line.strip())
    return None


def _pub_numeric(text: str) -> Publication | None:
    """A numeric date in the opening lines or the closing ones: "(01.15.2023)", "Chernihiv,
    19.04.2024 —", a signature "08.04.2022, War Day 44"."""
    for part in (text[:600], text[-300:] if len(text) > 600 else ""):
        for m in _NUMERIC_HEAD.finditer(part):
            day = _numeric_date(int(m["a"]), int(m["b"]), int(m["year"]), text)
            if day:
                return Publication(day, "text", m.group().strip(" \n(,"))
    return None


def _pub_dateline_weekday(text: str) -> Publication | None:
    """A wire dateline without its year ("DNIPRO, Ukraine, Jan. 15 (Reuters) –") whose lede names
    the weekday it happens on ("... on Sunday, a day after ..."): the year is the one war year in
    which that day was that weekday (see `fitting_years`)."""
    for line in _head_lines(text):
        wire = _WIRE_DATELINE.match(line)
        if wire is None:
            continue
        d = next((m for m in (p.search(wire.group()) for p in _DAY_PATTERNS[1:]) if m), None)
        if d is None or d["year"]:
            return None
        lede = line[wire.end():].split(". ")[0]
        weekdays = {m["weekday"].casefold() for m in _WEEKDAY_SEARCH.finditer(lede)}
        if len(weekdays) != 1:
            return None
        years = fitting_years(_MONTHS[d["month"].lower().rstrip(".")], int(d["day"]),
                              _WEEKDAYS[weekdays.pop()], year_floor(text))
        if len(years) == 1:
            return Publication(_safe_date(years[0], _MONTHS[d["month"].lower().rstrip(".")], int(d["day"])),
                               "inferred", wire.group().strip(" —–-"))
    return None


def _pub_weekday_year(text: str) -> Publication | None:
    """"on Monday, 16 January", "Monday (Jan 16)": a weekday written with a day and month fits one
    war year at most (after the earliest day the text's own words allow, `year_floor`); the
    article is as recent as the latest day it then dates, counting its other days and months in
    the same year (the one nearest)."""
    floor = year_floor(text)
    fixed: list[tuple[date, str]] = []
    for pattern in _DAY_PATTERNS[1:]:
        for m in pattern.finditer(text):
            if m["year"] or not m["weekday"]:
                continue
            month, day = _MONTHS[m["month"].lower().rstrip(".")], int(m["day"])
            years = fitting_years(month, day, _WEEKDAYS[m["weekday"].casefold()], floor)
            if len(years) == 1:
                fixed.append((date(years[0], month, day), m.group().strip()))
    if not fixed:
        return None
    anchor, words = max(fixed)
    latest = max([anchor] + [d for d in _day_months_near(text, anchor)] + [d for d, _ in _full_dates(text)])
    return Publication(latest, "inferred", words)


def _pub_latest(text: str) -> Publication | None:
    """The latest full date the article writes ("On 11 April 2023"): the article is at least that
    recent (the days every later report refers back to, `reference_days`, are no bound). After a month it names with its year ("in November 2023"), the days and months it
    writes without one are the next ones ("As of September 5" is September 2024)."""
    latest: tuple[date, str] | None = None
    for day, words in _full_dates(text):
        if day not in _REFERENCE_DAYS and (latest is None or day > latest[0]):
            latest = (day, words)
    months = {date(int(m["year"]), _MONTHS[m["month"].lower().rstrip(".")], 1)
              for m in _MONTH_YEAR.finditer(text)} if _FOUR_DIGITS.search(text) else set()
    bound = max(months - _REFERENCE_MONTHS, default=None)
    if bound is not None:
        for day, words in _day_months_after(text, bound):
            if latest is None or day > latest[0]:
                latest = (day, words)
    if latest is None:
        return None
    ahead = _weekdays_ahead(text, latest[0])
    if ahead:
        return Publication(latest[0] + timedelta(days=ahead[0]), "inferred", ahead[1])
    return Publication(latest[0], "inferred", latest[1])


def _weekdays_ahead(text: str, bound: date) -> tuple[int, str] | None:
    """The article is at least as recent as `bound`; a weekday it names that falls within three
    days after it and not within three days before ("reached 30 on Monday" after a photo caption
    dated Sunday, July 10) tells it is that much later: (days, words) of the furthest, else None."""
    best = None
    if not any(w in text.lower() for w in _WEEKDAYS):
        return None
    for m in _WEEKDAY_SEARCH.finditer(text):
        if m.group().lower().startswith("last"):
            continue
        forward = (_WEEKDAYS[m["weekday"].casefold()] - bound.weekday()) % 7
        if 0 < forward <= 3 and best is None or (best is not None and 0 < forward <= 3 and forward > best[0]):
            best = (forward, m.group().strip())
    return best


PUBLICATION_PASSES = (
    ("date.pub-date-line", _pub_date_line),
    ("date.pub-label", _pub_label),
    ("date.pub-dateline", _pub_dateline),
    ("date.pub-date-only-line", _pub_date_only_line),
    ("date.pub-numeric", _pub_numeric),
    ("date.pub-dateline-weekday", _pub_dateline_weekday),
    ("date.pub-weekday-year", _pub_weekday_year),
    ("date.pub-latest-date", _pub_latest),
)

_MONTH_YEAR = re.compile(r"\b(?:(?:in|since|of|from|until|by|early|late|mid)\s+|mid-)(?:early\s+|late\s+)?" + _MONTH
                         + r",?\s+(?P<year>(?:19|20)\d\d)\b", re.I)
_ERA = [(re.compile(r"(?<!\w)" + _words(r["phrases"]) + r"(?!\w)", re.I), r["since"]) for r in RULES["era"]]
FIRST_WAR_YEAR, LAST_WAR_YEAR = RULES["years"]["first"], RULES["years"]["last"]
_REFERENCE_DAYS = frozenset(RULES["reference_days"]["days"])
_REFERENCE_MONTHS = frozenset(d.replace(day=1) for d in _REFERENCE_DAYS)


def year_floor(text: str) -> date:
    """The earliest day the text can be about, by its words: terms that came into use on a day
    (`era` in geo/rules/en/dates.toml: "military administration" is 24 February 2022 or later);
    else the first war year."""
    floor = date(FIRST_WAR_YEAR, 1, 1)
    for pattern, since in _ERA:
        if since > floor and pattern.search(text):
            floor = since
    return floor


def fitting_years(month: int, day: int, weekday: int, floor: date) -> list[int]:
    """The war years (up to LAST_WAR_YEAR) in which `day` `month` falls on `weekday` and not
    before `floor`."""
    out = []
    for year in range(floor.year, LAST_WAR_YEAR + 1):
        d = _safe_date(year, month, day)
        if d is not None and d >= floor and d.weekday() == weekday:
            out.append(year)
    return out


def _day_months(text: str):
    for pattern in _DAY_PATTERNS[1:]:
        for m in pattern.finditer(text):
            if not m["year"]:
                yield _MONTHS[m["month"].lower().rstrip(".")], int(m["day"]), m.group().strip()


def _day_months_near(text: str, anchor: date):
    """The text's days and months without a year, each in the year that puts it nearest `anchor`."""
    for month, day, _ in _day_months(text):
        options = [d for d in (_safe_date(anchor.year + k, month, day) for k in (-1, 0, 1)) if d]
        if options:
            yield min(options, key=lambda d: abs((d - anchor).days))


def _day_months_after(text: str, bound: date):
    """The text's days and months without a year, each the first on or after `bound`."""
    for month, day, words in _day_months(text):
        for year in (bound.year, bound.year + 1):
            d = _safe_date(year, month, day)
            if d is not None and d >= bound:
                yield d, words
                break


def _full_dates(text: str):
    """Every date with a year the text writes out ("On 11 April 2023", "September 15, 2022",
    "2022-09-16"), with its words."""
    if not _FOUR_DIGITS.search(text):
        return
    for pattern in _DAY_PATTERNS:
        for m in pattern.finditer(text):
            if m.groupdict().get("year"):
                day = _date_of(m, None)
                if day:
                    yield day, m.group().strip()


def _numeric_date(a: int, b: int, year: int, text: str) -> date | None:
    """"19.04.2024" or "04.30.2024": day-month unless the first number cannot be a month... the
    other way round; when both readings are possible, the one no earlier than the latest full
    date the text writes out, else day-month (the European order Ukrainian outlets use)."""
    dm, md = _safe_date(year, b, a), _safe_date(year, a, b)
    if dm is None or md is None or dm == md:
        return dm or md
    latest = max((d for d, _ in _full_dates(text)), default=None)
    if latest is not None:
        fits = [d for d in (dm, md) if d >= latest]
        if len(fits) == 1:
            return fits[0]
    return dm


def _find(text: str, published: date | None, at: int | None = None) -> EventDate | None:
    """The first date of the text by how exact its kind is, passing over dates of a statement
    ("said on Tuesday", "rose to 17 on Thursday", "on Sunday condemned") when the text also
    dates the event itself. Given `at` (where a figure stands in the text), the first date of the
    figure's own clause when it has one: "A late June attack killed 19 in Kremenchuk, and one in
    Odesa killed 21 this month"."""
    statement = None
    events: list[tuple[int, EventDate]] = []
    for start, found in _found(text, published):
        if not _statement_at(text, start, found):
            events.append((start, found))
        statement = statement or found
    if events:
        if at is not None:
            lo, hi = _clause(text, at)
            events = [e for e in events if lo <= e[0] < hi] or events
        return next((e for e in events if _tied(text, *e)), events[0])[1]
    return statement


def _tied(text: str, start: int, found: EventDate) -> bool:
    """Whether the date at `start` is tied to a noun of the event ("Saturday's missile strike",
    "the attack on Ternopil, which took place on November 19"): it dates that event before any
    other date of its clause ("At noon on November 21, ... the attack ..., which took place on
    November 19, had increased to 31")."""
    end = start + len(found.text)
    return bool(_TIED_AFTER.match(text[end:end + 60]) or _TIED_BEFORE_SEARCH.search(text[max(0, start - 100):start]))


# Where a sentence's clauses part: "A late June attack killed 19 in Kremenchuk, and one ... killed 21 this month".
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|while|but|whereas|after|before)\b|\band\s+again\b", re.I)


def _clause(text: str, at: int) -> tuple[int, int]:
    """The start and end of the clause of `text` holding offset `at`."""
    lo, hi = 0, len(text)
    for m in _CLAUSE_BREAK.finditer(text):
        if m.end() <= at:
            lo = m.end()
        elif m.start() >= at:
            hi = m.start()
            break
    return lo, hi


@lru_cache(maxsize=1024)
def _statement_at(text: str, start: int, found: EventDate) -> bool:
    """Whether the date at `start` dates a statement: a verb of saying or a toll just before it, or
    a verb of saying right after it."""
    if _statement_before(text, start):
        return True
    end = start + len(found.text)
    if not found.text:
        return False
    if _SAID_AFTER.match(text, end) is not None:
        return True
    # "On Monday, officials said 40 people had been killed", "At noon on November 21, the State
    # Emergency Service confirmed that ...": a date opening the sentence, then who said it.
    said = _SAID_LATER.match(text, end) if _OPENING.match(text[:start]) else None
    return said is not None and not VIOLENCE.found(said.group())


def _statement_before(text: str, start: int) -> bool:
    before = text[max(0, start - 60):start]
    low = folded(before)
    return bool(_SAID_ON_SEARCH.search(before, low=low) or _TOLL_ON_SEARCH.search(before, low=low)
                or _STILL_ON_SEARCH.search(before, low=low))


def _found(text: str, published: date | None):
    """(start, EventDate) of the dates in a text, the more exact kinds first. Memoised: a figure's
    date, its sentence's statement date and the article's dated events each read the same sentence."""
    found = _found_all(text, published)
    return _scan(text, published) if found is None else found


@lru_cache(maxsize=256)
def _found_all(text: str, published: date | None) -> tuple | None:
    try:
        return tuple(_scan(text, published))
    except Exception:  # raised past a date a caller may stop at: left to the lazy scan, as before
        return None


def _scan(text: str, published: date | None):
    if not text:
        return
    low = text.lower()
    kinds = {_KIND_OF_WORD[w] for w in _KIND_WORD.findall(low)}
    if "-" in low and _ISO_DAY.search(low):
        kinds.add("iso")
    if ("christmas" in low or "new year" in low or "independence day" in low) and _HOLIDAY.search(text):
        kinds.add("holiday")
    if not kinds:
        return
    skip = _DATELINE.match(text) or _WIRE_DATELINE.match(text)
    skip_end = skip.end() if skip else 0
    month, relative = "month" in kinds, "relative" in kinds
    night = _night_span(text, published) if "night" in low else None
    if night is not None and night[0] >= skip_end:
        yield night
    rng = _DAY_RANGE.search(text) if month else None
    if rng and rng.start() >= skip_end and 0 < int(rng["day"]) < int(rng["last"]):
        number = _MONTHS[rng["month"].casefold()]
        year = int(rng["year"]) if rng["year"] else None
        if year is None and published is not None:
            year = published.year if number <= published.month else published.year - 1
        first = _safe_date(year, number, int(rng["day"])) if year is not None else None
        last = _safe_date(year, number, int(rng["last"])) if year is not None else None
        night = _NIGHT_BEFORE.search(text, max(0, rng.start() - 80), rng.start()) if first and last else None
        if night is not None and last - first == timedelta(days=1):
            # "after the night attack on a building in Zaporizhzhia on 9-10 October": the later day.
            yield night.start(), EventDate(last, TimePrecision.DAY, text[night.start():rng.end()].strip(),
                                           rule="date.night-of")
        elif first is not None and last is not None:
            if first.day == 1 and last.day >= 28:
                yield rng.start(), EventDate(first, TimePrecision.MONTH, rng.group().strip(), rule="date.day-range")
            else:
                yield rng.start(), EventDate(first, TimePrecision.RANGE, rng.group().strip(), last, "date.day-range")
    for pattern in ([_DAY_PATTERNS[0]] if "iso" in kinds else []) + (_DAY_PATTERNS[1:] if month else []):
        for m in pattern.finditer(text):
            if m.start() < skip_end or m.group().lower().startswith(("since", "from")):
                continue
            d = _date_of(m, published)
            if d is not None:
                rule = "date.full-date" if m.groupdict().get("year") else "date.day-month"
                yield m.start(), EventDate(d, TimePrecision.DAY, m.group().strip(), rule=rule)
    if published is None:
        m = _IN_MONTH.search(text) if month else None
        if m and m["year"]:
            yield m.start(), EventDate(date(int(m["year"]), _MONTHS[m["month"].casefold()], 1),
                                       TimePrecision.MONTH, m.group().strip(), rule="date.in-month")
        return
    for m in (_HOLIDAY.finditer(text) if "holiday" in kinds else ()):
        month, day = _HOLIDAYS[_fold_quotes(m.group())]
        d = _safe_date(published.year, month, day)
        if d is not None and d > published + timedelta(days=1):
            d = _safe_date(published.year - 1, month, day)
        if d is not None:
            yield m.start(), EventDate(d, TimePrecision.DAY, m.group(), rule="date.holiday")
    for m in (_RELATIVE_DAY_SEARCH.finditer(text) if relative else ()):
        word = m["word"].lower()
        if word == "overnight" and "weekday" in kinds and _NIGHT_OF.match(text, m.end()):
            continue  # "overnight into Sunday": the weekday says which night
        # "overnight" in the day's copy is the night just ended: the publication day.
        back = 1 if word.startswith(_DAY_BEFORE) and word != "overnight" else 0
        yield m.start(), EventDate(published - timedelta(days=back), TimePrecision.DAY, m.group(),
                                   rule="date.relative-day")
    for m in (_WEEKDAY_SEARCH.finditer(text) if "weekday" in kinds else ()):
        back = (published.weekday() - _WEEKDAYS[m["weekday"].casefold()]) % 7
        if m.group().lower().startswith("last") and back == 0:
            back = 7
        yield m.start(), EventDate(published - timedelta(days=back), TimePrecision.DAY, m.group(),
                                   rule="date.weekday-anchor")
    m = _WEEKEND.search(text) if relative else None
    if m:
        back = (published.weekday() - 5) % 7
        if m["word"].lower().startswith("last") and back < 2:
            back += 7
        saturday = published - timedelta(days=back)
        yield m.start(), EventDate(saturday, TimePrecision.WEEK, m.group(), saturday + timedelta(days=1),
                                   "date.weekend")
    m = _RELATIVE_WEEK.search(text) if relative else None
    if m:
        monday = published - timedelta(days=published.weekday())
        if m["word"].lower().startswith("last"):
            monday -= timedelta(days=7)
        yield m.start(), EventDate(monday, TimePrecision.WEEK, m.group(), rule="date.relative-week")
    m = _RELATIVE_MONTH.search(text) if relative else None
    if m:
        first = published.replace(day=1)
        if m["word"].lower().startswith("last"):
            first = (first - timedelta(days=1)).replace(day=1)
        yield m.start(), EventDate(first, TimePrecision.MONTH, m.group(), rule="date.relative-month")
    m = _IN_MONTH.search(text) if month else None
    if m:
        month = _MONTHS[m["month"].casefold()]
        year = int(m["year"]) if m["year"] else (
            published.year if month <= published.month else published.year - 1)
        yield m.start(), EventDate(date(year, month, 1), TimePrecision.MONTH, m.group(), rule="date.in-month")


def _night_span(text: str, published: date | None) -> tuple[int, EventDate] | None:
    """(start, the later day) of a night between two days the text names, if any."""
    m = _NIGHT_SPAN.search(text)
    if m is None:
        return None
    weekday = m["weekday"] or m["weekday2"]
    if weekday:
        if published is None:
            return None
        day = published - timedelta(days=(published.weekday() - _WEEKDAYS[weekday.casefold()]) % 7)
    else:
        month = _MONTHS[(m["month"] or m["month2"]).lower().rstrip(".")]
        number, year = int(m["day"] or m["day2"]), m["year"] or m["year2"]
        if year:
            day = _safe_date(int(year), month, number)
        elif published is not None:
            day = _safe_date(published.year, month, number)
            if day is not None and day > published + timedelta(days=1):
                day = _safe_date(published.year - 1, month, number)
        else:
            day = None
    if day is None:
        return None
    return m.start(), EventDate(day, TimePrecision.DAY, m.group().strip(), rule="date.night-of")


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
