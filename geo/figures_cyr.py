"""Reported figures in Ukrainian and Russian text: how many of what, where, when, on whose word.

The same geo.model.Figure values as the English reader (geo.figures), from the rules in
geo/rules/<language>/figures.toml, dates.toml and attribution.toml. One sentence at a time, as
a list of words: a number (digits, or numeral words in any case and gender, "двадцяти трьох",
"п'ятеро", "1,5 тис.") is a figure only when a category word stands near it, after it first
("5 людей загинули", "троє поранених") then before it ("загинули двоє"); words after it that
make it an age, a date, a measure or a weapon count rule it out. A category word no count
took, beside a person ("загинула жінка"), counts that person. A number with no category word
in a list of counts by place ("п'ятьох у Бахмуті, одного в Покровську", "у Костянтинівці —
один") counts the category named before it (cyr.cat.list_item).

Places follow a written-down policy, as ordered passes (ids in `rules`; docs/cyrillic.md): the
count's own clause (cyr.place.clause); "в області" (*.place.the_oblast); the most precise place
of the sentence (a town before a raion before an oblast; before the number the last, after it
the first: cyr.place.sentence); a country written as where ("в Україні": *.place.country);
else that of the nearest of the three sentences before that names one (cyr.place.previous);
else the headline's (cyr.place.headline); else none. A country named as an actor is no place.
`figures_with_rules` returns the rule ids beside each figure (also in Figure.rules).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable

from geo import rulebook
from geo.cyrillic import APOSTROPHES, fold, within
from geo.dates_cyr import event_date_cyr
from geo.model import Article, Category, Figure, PlaceMention, Precision, Qualifier
from geo.text import Sentence

# ---- rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rules:
    numbers: dict            # folded word -> (value, rule id)
    scales: dict             # folded word -> (multiplier, rule id)
    vague: dict              # folded word -> (low, high, rule id)
    qualifiers: dict         # last folded word -> [(folded words, Qualifier, rule id, not_after)], longest first
    categories: dict         # first folded word -> [(folded words, Category, rule id)], longest first
    people: frozenset
    people_id: str
    singles: frozenset
    single_id: str
    units: frozenset
    labels: frozenset        # a number after one of these is a phone number or a label
    sources: dict            # first folded word -> [(folded words, rule id)], longest first
    skip: frozenset
    skip_stems: tuple        # folded stems of where a post was made, any case form
    pronouns: frozenset      # never a source
    source_ends: frozenset
    signature: frozenset
    signature_id: str
    bodies_context: frozenset
    bodies_id: str
    their: frozenset
    their_id: str
    part_of: tuple             # folded phrases, longest first
    part_of_id: str
    the_oblast: tuple          # folded phrases: "в області", "по области"
    the_oblast_id: str
    excluded: re.Pattern     # on folded text, ending where a place set aside follows: "без урахування"
    excluded_id: str
    country_cues: frozenset    # a word before a country that puts a count in it ("в Україні")
    country_id: str
    each: frozenset            # "по одному у X, Y та Z"
    each_id: str


def _words(phrase: str) -> tuple[str, ...]:
    return tuple(fold(phrase).split())


@lru_cache(maxsize=2)
def _rules(language: str) -> _Rules:
    """Both languages' rules, the article's first (see geo.rulebook.cyrillic)."""
    figs = rulebook.cyrillic(language, "figures")
    attrs = rulebook.cyrillic(language, "attribution")
    categories: dict[str, list] = {}
    for fig in figs:
        for rule in fig["category"]:
            for phrase in rule["words"]:
                words = _words(phrase)
                categories.setdefault(words[0], []).append((words, Category(rule["category"]), rule["id"]))
    for options in categories.values():
        options.sort(key=lambda o: -len(o[0]))
    qualifiers: dict = {}
    for q in sorted(((_words(p), Qualifier(r["qualifier"]), r["id"], frozenset(fold(w) for w in r.get("not_after", ())))
                     for fig in figs for r in fig["qualifier"] for p in r["phrases"]), key=lambda q: -len(q[0])):
        qualifiers.setdefault(q[0][-1], []).append(q)
    sources: dict = {}
    for words, rid in sorted(((_words(p), r["id"]) for attr in attrs for r in attr["source"] for p in r["after"]),
                             key=lambda s: -len(s[0])):
        sources.setdefault(words[0], []).append((words, rid))

    def table(kind: str, value) -> dict:
        out: dict = {}
        for fig in figs:
            for r in fig[kind]:
                for w in r["forms"]:
                    out.setdefault(fold(w), value(r))
        return out

    def words(section: str, source=figs) -> frozenset[str]:
        return frozenset(fold(w) for data in source for w in data[section]["words"])

    return _Rules(
        numbers=table("number", lambda r: (r["value"], r["id"])),
        scales=table("scale", lambda r: (r["value"], r["id"])),
        vague=table("vague", lambda r: (r["low"], r["high"], r["id"])),
        qualifiers=qualifiers, categories=categories,
        people=words("people"), people_id=figs[0]["people"]["id"],
        singles=words("single"), single_id=figs[0]["single"]["id"],
        units=words("not_counts"),
        labels=frozenset(fold(w) for data in figs for w in data["not_counts"].get("before", ())),
        sources=sources, skip=words("skip", attrs), source_ends=words("ends", attrs), pronouns=words("pronouns", attrs),
        skip_stems=tuple(sorted({fold(w) for data in attrs for w in data["skip"].get("channels", ())})),
        signature=words("signature", attrs), signature_id=attrs[0]["signature"]["id"],
        bodies_context=words("bodies_context"), bodies_id=figs[0]["bodies_context"]["id"],
        their=words("their_count"), their_id=figs[0]["their_count"]["id"],
        part_of=tuple(sorted({_words(p) for data in figs for p in data["part_of"]["phrases"]}, key=len, reverse=True)),
        part_of_id=figs[0]["part_of"]["id"],
        the_oblast=tuple(sorted({fold(p) for data in figs for p in data["the_oblast"]["phrases"]})),
        the_oblast_id=figs[0]["the_oblast"]["id"],
        excluded=re.compile(r"(?<!\w)(?:" + "|".join(re.escape(x) for x in sorted(
            {fold(p) for data in figs for p in data["excluded"]["phrases"]}, key=len, reverse=True)) + r")\s+$"),
        excluded_id=figs[0]["excluded"]["id"],
        country_cues=frozenset(fold(w) for data in figs for w in data["country_place"]["before"]),
        country_id=figs[0]["country_place"]["id"],
        each=words("each"), each_id=figs[0]["each"]["id"],
    )


# ---- sentences and words -------------------------------------------------------------------

# Abbreviations that end in a full stop inside a sentence ("м. Київ", "Харківської обл.", "1,5 тис.").
_ABBREVIATIONS = frozenset("м с смт сел обл р вул ім г пос пгт ул просп пр тис млн грн руб ст див т д им н".split())
_END = re.compile(r"[.!?…]+[\"»”)]*(?=\s+[\"«(—–-]?\s*[A-ZА-ЯҐЄІЇ0-9])|\n+")
_TOKEN = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?|[^\W\d_](?:[\w" + APOSTROPHES + r"-]*[^\W\d_])?|[;:—–]")
_DIGITS = re.compile(r"\d")


def sentences(text: str) -> list[Sentence]:
    """Sentences with offsets; a line break always ends one (Telegram posts are lines)."""
    out, begin = [], 0
    for m in _END.finditer(text):
        if m.group()[0] == ".":
            before = re.search(r"(\w+)$", text[max(0, m.start() - 12):m.start()])
            if before and fold(before.group(1)) in _ABBREVIATIONS:
                continue
        _add(out, text, begin, m.end())
        begin = m.end()
    _add(out, text, begin, len(text))
    return out


def _add(out: list, text: str, a: int, b: int) -> None:
    chunk = text[a:b]
    body = chunk.strip()
    if body:
        start = a + len(chunk) - len(chunk.lstrip())
        out.append(Sentence(start, start + len(body), body))


@dataclass(frozen=True)
class _Tok:
    start: int      # offsets within the sentence
    end: int
    text: str
    key: str        # folded; "" for punctuation marks
    digits: bool


@lru_cache(maxsize=64)
def _tokens(s: str) -> tuple[_Tok, ...]:
    """The words, numbers and list marks of a sentence. Kept for the last few sentences: the count
    rules, attribution and the next sentence's look-back each read the same sentence."""
    out = []
    for m in _TOKEN.finditer(s):
        t = m.group()
        digits = bool(_DIGITS.match(t))
        out.append(_Tok(m.start(), m.end(), t, "" if t in ";:—–" else (t if digits else fold(t)), digits))
    return tuple(out)


# ---- numbers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Num:
    first: int          # token indexes, inclusive
    last: int
    value: int
    high: int | None
    rules: tuple[str, ...]


def _number_at(s: str, toks: tuple[_Tok, ...], i: int, r: _Rules) -> _Num | None:
    tok = toks[i]
    if tok.digits:
        raw = re.sub(r"[ \u00a0\u202f]", "", tok.text)
        after = s[tok.end:tok.end + 2]
        before = s[max(0, tok.start - 1):tok.start]
        if before in ("№", "#", ".", ":", "/") or after[:1] in (":", "/", "%") or after == "\u00a0%" or after == " %" or (after[:1] in "-–" and after[1:2].isalpha()):
            return None  # a label, a time, a date, a share, "65-річна"
        if "." in raw or "," in raw:
            scale = r.scales.get(toks[i + 1].key) if i + 1 < len(toks) else None
            if scale is None:
                return None  # a decimal counts no people
            value = round(float(raw.replace(",", ".")) * scale[0])
            return _Num(i, i + 1, value, None, ("cyr.num.digits", scale[1]))
        value, last, rules = int(raw), i, ["cyr.num.digits"]
        if i + 1 < len(toks) and toks[i + 1].key in r.scales:
            value *= r.scales[toks[i + 1].key][0]
            last = i + 1
            rules.append(r.scales[toks[i + 1].key][1])
            rest = toks[i + 2] if i + 2 < len(toks) else None
            # "639 тис. 674 од.": the thousands, then the rest written in digits
            if rest is not None and rest.digits and re.fullmatch(r"\d{1,3}", rest.text) and \
                    re.fullmatch(r"\.?\s+", s[toks[last].end:rest.start]) and value >= 1000:
                value += int(rest.text)
                last = i + 2
                rules.append("cyr.num.thousands_and")
        if re.match(r"\s*[-–]\s*\d", s[toks[last].end:]) and last + 1 < len(toks) and toks[last + 1].digits:
            high = _number_at(s, toks, last + 1, r)
            if high is not None and high.value > value:
                return _Num(i, high.last, value, high.value, tuple(rules) + ("cyr.num.range",))
        return _Num(i, last, value, None, tuple(rules))
    if tok.key in r.vague:  # a scale word after a number was taken with the number
        low, high, rid = r.vague[tok.key]
        return _Num(i, i, low, high, (rid,))
    if tok.key not in r.numbers and (tok.key not in r.scales or len(tok.key) <= 3):
        return None  # "тисяча людей" is a thousand; "тис." and "млн" follow a number
    total, current, j, rules = 0, 0, i, []
    while j < len(toks) and (toks[j].key in r.numbers or toks[j].key in r.scales) \
            and (j == i or not _PUNCTUATION.search(s[toks[j - 1].end:toks[j].start])):
        key = toks[j].key
        if key in r.scales and (j > i or key not in r.numbers):  # "два десятка" is 20, "десятка" 10
            total += (current or 1) * r.scales[key][0]
            current = 0
            rules.append(r.scales[key][1])
        else:
            current += r.numbers[key][0]
            rules.append(r.numbers[key][1])
        j += 1
    return _Num(i, j - 1, round(total + current), None, tuple(dict.fromkeys(rules)))


def _not_a_count(s: str, toks: tuple[_Tok, ...], n: _Num, r: _Rules) -> bool:
    """A year, a model designation, or a number followed by a unit, a month, a weapon or a label word."""
    nxt = toks[n.last + 1].key if n.last + 1 < len(toks) else ""
    if nxt in r.units or any(t.key in r.labels for t in toks[max(0, n.first - 2):n.first]):
        return True
    tok = toks[n.first]
    # "ФАБ-500", "С-300", "Х-101", "Су-34": digits joined to letters by a hyphen name a weapon or an aircraft
    if tok.digits and tok.start >= 2 and s[tok.start - 1] in "-–" and s[tok.start - 2].isalpha():
        return True
    if tok.digits and len(tok.text) == 4 and tok.text[:2] in ("19", "20") and nxt not in r.people:
        return True
    # "від 38 до 46 років": the low end of a range of ages or measures
    k = n.last + 2
    return nxt in _RANGE_TO and k + 1 < len(toks) and toks[k].digits and toks[k + 1].key in r.units


_RANGE_TO = frozenset({"до"})
_RANGE_FROM = frozenset({"від", "от", "з", "с", "до"})


def _qualifier(toks: tuple[_Tok, ...], n: _Num, r: _Rules) -> tuple[Qualifier, str | None, int]:
    """The qualifier right before the number, its rule id, and the index of its first word.
    "зросла до 22" is no qualifier but a toll that rose: rule cyr.toll, read further back."""
    for words, qualifier, rid, not_after in r.qualifiers.get(toks[n.first - 1].key, ()) if n.first else ():
        k = n.first - len(words)
        if k >= 0 and tuple(t.key for t in toks[k:n.first]) == words:
            if k > 0 and toks[k - 1].key in not_after:
                return Qualifier.EXACT, "cyr.toll", n.first
            return qualifier, rid, k
    return Qualifier.EXACT, None, n.first


def _category_at(toks: tuple[_Tok, ...], k: int, r: _Rules) -> tuple[Category, str, int] | None:
    """A category phrase starting at word k: (category, rule id, its last word)."""
    for words, category, rid in r.categories.get(toks[k].key, ()):
        if tuple(t.key for t in toks[k:k + len(words)]) == words:
            return category, rid, k + len(words) - 1
    return None


_AFTER_WINDOW = 4  # words after a count, prepositions not counted
_PREPOSITIONS = frozenset({"в", "у", "во", "на", "за", "протягом", "впродовж", "упродовж", "течение", "по"})
_VERB_FIRST_WINDOW = 3  # "убили обстрелами четырех ..., ранили еще восемь"
_UNIT = "unit"
_BEFORE_WINDOW = 6
_TOLL_WINDOW = 15


def _category(s: str, toks: tuple[_Tok, ...], n: _Num, qual_first: int, r: _Rules, numbers: set[int],
              ignore: set[int], toll: bool = False):
    """The category a number counts: a phrase after it within four words (not past another
    number or a semicolon; ages and measures, `ignore`, are stepped over), else before it within
    six (a toll, "кількість загиблих ... зросла до 13", within fifteen); with the words counted.
    A label right before the number wins ("Загиблих — 7, поранених — 19"), and so does a
    category word right before it when the one after is past a comma ("загинули двоє людей,
    постраждали п'ятеро": rule cyr.cat.verb_first). A unit noun after the number before any
    category ("двох багатоповерхових будинків виявлено тіла") makes it no count: _UNIT."""
    k = qual_first - 1
    if k >= 1 and toks[k].text in ("—", "–", ":"):
        for start in (k - 1, k - 2):
            found = _category_at(toks, start, r) if start >= 0 else None
            if found and found[2] == k - 1:
                return found[0], found[1], " ".join(t.text for t in toks[start:k]), None, start
    adjacent = None
    for start in range(qual_first - 1, max(-1, qual_first - 1 - _VERB_FIRST_WINDOW), -1):
        if start in numbers or toks[start].key == "" or _PUNCTUATION.search(s[toks[start].end:toks[start + 1].start]):
            break
        found = _category_at(toks, start, r)
        if found and found[2] < qual_first:
            adjacent = (found[0], "cyr.cat.verb_first", " ".join(t.text for t in toks[start:found[2] + 1]), None, start)
            break
    counted = ""
    budget, k = _AFTER_WINDOW + 1, n.last
    while budget > 0 and k + 1 < len(toks):
        k += 1
        if k in ignore:
            continue
        inserted = _part_of_at(toks, k, r) if "," in s[toks[k - 1].end:toks[k].start] else 0
        if inserted:
            stop = k
            while stop + 1 < len(toks) and "," not in s[toks[stop].end:toks[stop + 1].start]:
                stop += 1
            if numbers & set(range(k, stop + 1)):
                k = stop
                continue
        if toks[k].key in _PREPOSITIONS:
            continue  # "14 людей в області протягом доби дістали поранення"
        budget -= 1
        if k == n.last + 1 and toks[k].text in ("—", "–"):
            continue  # "ще троє — поранені"
        if k in numbers or toks[k].key == "":
            break
        if toks[k].key in r.units and not counted:
            return _UNIT
        if toks[k].key in r.people and not counted:
            counted = toks[k].text
        found = _category_at(toks, k, r)
        if found:
            # past a comma or "і", a category after the count is another clause's, unless it is the
            # same ("медичну допомогу отримали двоє осіб, поранених на території ..."): then it says more
            if adjacent and found[0] is not adjacent[0] and ("," in s[toks[n.last].end:toks[k].start]
                                                             or any(t.key in _AND for t in toks[n.last + 1:k])):
                return adjacent
            return found[0], found[1], counted or " ".join(t.text for t in toks[k:found[2] + 1]), found[2], k
    for k in range(qual_first - 1, max(-1, qual_first - 1 - (_TOLL_WINDOW if toll else _BEFORE_WINDOW)), -1):
        if k in numbers or toks[k].key == "":
            break
        found = _category_at(toks, k, r)
        if found:
            return found[0], found[1], counted or " ".join(t.text for t in toks[k:found[2] + 1]), None, k
    return None


# ---- attribution ---------------------------------------------------------------------------

_CLAUSE_END = re.compile(r"[,.;:!?()«»\"—–]|\s(?:що|что|і|и|та|а)\s")
_MAX_SOURCE_WORDS = 12


_PUNCTUATION = re.compile(r"[,.;:!?()«»\"—–]")
_THAT = frozenset({"що", "что"})


_DASH_SOURCE = re.compile(r"\s[—–]\s*([^\W\d_][^.!?—–,;:]{0,60}?)\s*[.!]?$")


def _attribution(sentence: str, r: _Rules, places: frozenset[str] = frozenset()) -> tuple[str, str] | None:
    """(who, rule id) from "повідомив голова ОВА Олег Синєгубов", "за даними ДСНС", or, when
    reported speech follows the verb ("Голова ОВА повідомив, що ..."), the subject before it;
    or a source after a dash closing the sentence ("..., 5 травмовано — Нацполіція."), unless
    that is one of the `places` the article names ("один – Покровська": an item of a list)."""
    dash = _DASH_SOURCE.search(sentence)
    if dash and dash.group(1)[0].isupper() and len(dash.group(1).split()) <= 4 and dash.group(1) not in places:
        return dash.group(1), "cyr.attr.dash"
    toks = _tokens(sentence)
    keys = [t.key for t in toks]
    for k in range(len(toks)):
        for words, rid in r.sources.get(keys[k], ()):
            if tuple(keys[k:k + len(words)]) != words:
                continue
            end = toks[k + len(words) - 1].end
            j = k + len(words)
            while j < len(toks) and (keys[j] in r.skip or keys[j].startswith(r.skip_stems)):
                j += 1
            gap = sentence[end:toks[j].start] if j < len(toks) else sentence[end:]
            if j < len(toks) and keys[j] not in _THAT and not _PUNCTUATION.search(gap):
                tail = sentence[toks[j].start:]
                cut = _CLAUSE_END.search(tail)
                words_ = tail[:cut.start() if cut else len(tail)].split()[:_MAX_SOURCE_WORDS]
                end_at = next((n for n, w in enumerate(words_) if n and fold(w) in r.source_ends), len(words_))
                who = " ".join(words_[:end_at])
                if who and fold(who) not in r.pronouns:
                    return who, rid
            if j < len(toks) and keys[j] in _THAT or gap.strip().startswith(":"):
                head = sentence[:toks[k].start].rstrip(" ,—–")
                clause = re.split(r"[.;:!?]|,\s", head)[-1].strip()
                # "Напомним, глава Крыма Сергей Аксенов рассказывал, что ...": a title, then a name
                named = clause and (clause[0].isupper() or any(w[:1].isupper() for w in clause.split()[1:]))
                if named and len(clause.split()) <= _MAX_SOURCE_WORDS:
                    return clause, rid + ".subject"
    return None


_SIGNATURE_MAX = 120


def _signature(text: str, r: _Rules) -> tuple[str, str] | None:
    """The post's signature line, when its last line is one (see attribution.toml)."""
    line = text.rstrip().rsplit("\n", 1)[-1].strip()
    if not line or len(line) > _SIGNATURE_MAX or _DIGITS.search(line) or line.endswith(("?", "!")) \
            or any(t.key in r.numbers for t in _tokens(line)):  # "- у Херсоні – одна людина.": a list's last item
        return None
    keys = {t.key for t in _tokens(line)}
    if not (keys & r.signature or line.startswith(("—", "–", "-"))):
        return None
    said = _attribution(line, r)
    if said is not None:
        return said
    who = line.lstrip("—–- ").split(":", 1)[-1].strip().rstrip(".")
    return (who, r.signature_id) if who and text.rstrip() != line else None


# ---- placing -------------------------------------------------------------------------------


# Within one sentence: a town itself, then a raion or hromada (pinned near its centre), then an oblast.
_RANK = {Precision.TOWN: 0, Precision.NEAR: 1}


def _rank(p: PlaceMention) -> int:
    """A village the gazetteer lacks, pinned at its oblast or raion, is still a village."""
    if p.source == "region-fallback" and p.name != p.region:
        return 0
    return _RANK.get(p.precision, 2)


def _best(mentions: list[PlaceMention], at: int | None = None) -> PlaceMention | None:
    """The most precise place of a sentence: before the number the last one, after it the first
    ("с. Кіндрашівка Куп'янського району — загинула жінка" is the village, not the raion)."""
    for rank in (0, 1):
        before = [p for p in mentions if _rank(p) == rank and (at is None or p.start < at)]
        if before:
            return before[-1]
        after = [p for p in mentions if _rank(p) == rank and at is not None and p.start >= at]
        if after:
            return after[0]
    return mentions[0] if mentions else None


def _names_a_country(places: list[PlaceMention], starts: list[int], sent: Sentence) -> bool:
    return any(p.precision is Precision.COUNTRY
               for p in places[bisect_left(starts, sent.start):bisect_left(starts, sent.end)])


_ORIGIN = re.compile(r"(?<!\w)(?:з|із|зі|из|изо|від|от)\s+$", re.IGNORECASE)
# A landmark (geo.landmarks) named as a reference point ("територію, наближену до Запорізької АЕС",
# "приближенную к Запорожской АЭС") or in a time clause ("після підриву Каховської ГЕС", "после
# подрыва Каховской ГЭС") says where something else is, or when: no figure's place.
_LANDMARK_ASIDE = re.compile(r"(?<!\w)(?:(?:к|ко|до|з|із|зі|из|изо|від|от|навпроти|напротив)\s+|(?:після|после)\s+(?:\w+\s+){0,2})$",
                             re.IGNORECASE)


class _Placing:
    """One count being placed: what the passes of PLACE_PASSES read, each worked out once, when
    first asked for. `clause` is the count's own part of the sentence (text offsets): between the
    counts before and after it and the commas, colons and semicolons around it. A total over a long
    period ("з початку року в республіці загинули 98") borrows no place from the sentences before
    (`borrow`)."""

    def __init__(self, text: str, places: list[PlaceMention], starts: list[int], sents: list[Sentence], i: int,
                 at: int, end: int, speaker: tuple[int, int] | None, title: tuple[int, int], r: _Rules,
                 clause: tuple[int, int], borrow: bool, excluded: frozenset[int]):
        self.text, self.places, self.starts, self.sents, self.i = text, places, starts, sents, i
        self.at, self.end, self.speaker, self.title, self.r = at, end, speaker, title, r
        self.clause, self.borrow, self.excluded = clause, borrow, excluded

    def within(self, sent: Sentence) -> list[PlaceMention]:
        """The places of a sentence that can be a count's. A country is no figure's place here
        ("Росія вдарила по Україні"): too coarse to pin, and often the attacker; nor is an
        administration ("голова Полтавської ОВА"), nor anything inside the attribution: they say who spoke."""
        speaker, excluded = self.speaker, self.excluded
        return [p for p in self.places[bisect_left(self.starts, sent.start):bisect_left(self.starts, sent.end)]
                if not (speaker and speaker[0] <= p.start < speaker[1]) and p.precision is not Precision.COUNTRY
                and not any(r.endswith("administration") for r in p.rules) and id(p) not in excluded
                and not (p.source == "landmark" and _LANDMARK_ASIDE.search(self.text, max(0, p.start - 40), p.start))]

    @cached_property
    def set_aside(self) -> tuple[str, ...]:
        """The id of the rule that set a place of the count's sentence aside ("без урахування
        Маріуполя"), when one did: recorded beside the pass that then decided."""
        sent = self.sents[self.i]
        own = self.places[bisect_left(self.starts, sent.start):bisect_left(self.starts, sent.end)]
        return (self.r.excluded_id,) if any(id(p) in self.excluded for p in own) else ()

    def country(self, sent: Sentence) -> PlaceMention | None:
        """A country where the text puts the count in it ("в Україні", "на території України")."""
        for p in self.places[bisect_left(self.starts, sent.start):bisect_left(self.starts, sent.end)]:
            before = fold(self.text[max(0, p.start - 20):p.start]).split()
            if p.precision is Precision.COUNTRY and before and before[-1] in self.r.country_cues:
                return p
        return None

    @cached_property
    def named(self) -> list[PlaceMention]:
        return self.within(self.sents[self.i])

    @cached_property
    def mine(self) -> list[PlaceMention]:
        """The places of the count's own clause."""
        return [p for p in self.named if self.clause[0] <= p.start < self.clause[1]]

    @cached_property
    def here(self) -> PlaceMention | None:
        return _best(self.named, self.at)

    @cached_property
    def heads(self) -> range:
        """The headline's sentences before this one (a timestamp line may stand above the headline,
        which may hold several: "Погибли два человека. Последствия ракетного удара по Белгороду")."""
        return range(self.title[0], min(self.i, self.title[1]))

    def after_clause(self, gap: re.Pattern) -> list[PlaceMention]:
        """The first place right after the count, in its clause, when only `gap` stands between."""
        places, starts = self.places, self.starts
        return [p for p in places[bisect_left(starts, self.end):bisect_left(starts, self.clause[1])]
                if gap.fullmatch(self.text, self.end, p.start)][:1]

    def earlier(self, k: int) -> list[PlaceMention]:
        """The places of sentence k where things happened, not where people or things came from
        ("40 добровольців із Києва")."""
        return [p for p in self.within(self.sents[k]) if not _ORIGIN.search(self.text, max(0, p.start - 6), p.start)]

    def looking_back(self) -> range:
        """The three sentences before, nearest first (none when the count borrows no place)."""
        return range(self.i - 1, max(-1, self.i - 4) if self.borrow else self.i - 1, -1)


_Placed = tuple[PlaceMention | None, str]


def _listed_after_colon(q: _Placing) -> _Placed | None:
    """"вбили 2 жителів Донецької області: у Костянтинівці": the one town listed after the colon
    is where, when the clause holds only some of the sentence's places; several ("у Бахмуті,
    Кліщіївці та Авдіївці") leave the count at the oblast (the next pass)."""
    mine, named, text, clause = q.mine, q.named, q.text, q.clause
    if not mine or len(mine) == len(named) or text[clause[1]:clause[1] + 1] != ":":
        return None
    listed = [p for p in _listed_after(text, q.places, q.starts, clause[1] + 1, q.sents[q.i].end) if p in named]
    if len(listed) == 1 and _rank(listed[0]) < _rank(_best(mine, q.at)):
        return listed[0], "cyr.place.clause"
    return None


def _own_clause(q: _Placing) -> _Placed | None:
    """"п'ятьох у Бахмуті, одного в Покровську": a count in a list is where its own item says: the
    place right after it ("троє осіб, поранених на території Луганської області": said outright),
    else the most precise of its clause."""
    mine, named = q.mine, q.named
    follows, stated = q.after_clause(_ITEM_GAP), q.after_clause(_STATED_GAP)
    if (follows and follows[0] in named and _rank(follows[0]) <= _rank(_best(mine, q.at))) or (stated and stated[0] in named):
        mine = follows or stated
    if mine and (len(mine) < len(named) or mine in (follows, stated)):
        best = _best(mine, q.at)
        return best, "cyr.place.sentence" if best is _best(named, q.at) else "cyr.place.clause"
    return None


def _list_total(q: _Placing) -> _Placed | None:
    """"загинули троє людей: двоє – у Костянтинівці, одна – в Ізюмі": a total over the towns listed
    after it is their oblast's when the article names it, else no one town's."""
    if q.mine or q.text[q.clause[1]:q.clause[1] + 1] != ":":
        return None
    after = [p for p in q.named if p.start > q.clause[1] and _rank(p) == 0]
    if len({p.name for p in after}) <= 1:
        return None
    regions = {(p.country, p.admin1) for p in after}
    oblast = next((p for p in reversed(q.places[:bisect_left(q.starts, q.at)]) if p.precision is Precision.REGION
                   and _rank(p) == 2 and {(p.country, p.admin1)} == regions), None)
    return oblast, "cyr.place.list_total"


def _the_oblast(q: _Placing) -> _Placed | None:
    """"Ще 14 людей в області дістали поранення": the oblast the article names, the last before
    the count, else its first."""
    if q.mine:
        return None
    said = fold(q.text[q.clause[0]:q.clause[1]])
    if not any(re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", said) for phrase in q.r.the_oblast):
        return None
    oblasts = [p for p in q.places if p.precision is Precision.REGION and _rank(p) == 2 and p.country in ("UA", "RU")]
    oblast = next((p for p in reversed(oblasts) if p.start < q.at), None) or next(iter(oblasts), None)
    return (oblast, q.r.the_oblast_id) if oblast is not None else None


def _headline_of_placeless(q: _Placing) -> _Placed | None:
    """"Погибли два человека. Последствия удара по Белгороду": a sentence of the headline with no
    place takes the headline's other sentence's."""
    if q.here is not None or not q.title[0] <= q.i < q.title[1]:
        return None
    other = next((p for k in range(*q.title) if k != q.i for p in q.within(q.sents[k])), None)
    return (other, "cyr.place.headline") if other is not None else None


def _country(q: _Placing) -> _Placed | None:
    """"в Україні загинули понад 10 тисяч": the country, not one place in it; a country named
    otherwise (an actor, "війна проти України") leaves the count without a place, unless one of the
    sentences before or the headline wrote it as where ("втрати ... після початку Росією війни
    проти України ... 9083 загиблих" under "Війна в Україні ...")."""
    if q.here is not None:
        return None
    whole = q.country(q.sents[q.i])
    if whole is not None:
        return whole, q.r.country_id
    if not _names_a_country(q.places, q.starts, q.sents[q.i]):
        return None
    for k in [*range(q.i - 1, max(-1, q.i - 4), -1), *q.heads]:
        whole = q.country(q.sents[k])
        if whole is not None:
            return whole, "cyr.place.previous_country"
    return None, "cyr.place.country_wide"


def _sentence(q: _Placing) -> _Placed | None:
    """The most precise place of the sentence (a town before a raion before an oblast)."""
    return (q.here, "cyr.place.sentence") if q.here is not None else None


def _previous(q: _Placing) -> _Placed | None:
    """The nearest of the three sentences before that names a place. A count after a sentence of
    several towns ("вбили двох у Дружківці та одну в Костянтинівці. Ще п'ятеро поранено") is for
    all of them, so their oblast's, when the article named it; a town and the raion around it,
    joined ("атаку на Нежин и Нежинский район"), are several places."""
    for j in q.looking_back():
        named = q.earlier(j)
        earlier = _best(named)
        if earlier is None:
            continue
        towns = {(p.name, p.admin1) for p in named if _rank(p) == 0}
        joined = {(b.name, b.admin1) for a, b in zip(named, named[1:]) if _rank(a) < 2 and _rank(b) < 2
                  and a.name != b.name and _JOINED.fullmatch(q.text, a.end, b.start)}
        towns |= joined | {(p.name, p.admin1) for p in named if _rank(p) < 2 and joined}
        if len(towns) > 1 and len({a for _, a in towns}) == 1:
            oblast = next((p for p in reversed(q.places[:bisect_left(q.starts, q.sents[q.i].start)])
                           if p.precision is Precision.REGION and p.admin1 in {a for _, a in towns} and _rank(p) == 2
                           and not any(r.endswith("administration") for r in p.rules)), None)
            if oblast is not None:
                return oblast, "cyr.place.previous_towns_oblast"
        return earlier, "cyr.place.previous"
    return None


def _previous_country(q: _Placing) -> _Placed | None:
    """No place before: a country written as where ("Цивільні втрати в Україні ... Загалом
    зафіксовано 8 тисяч загиблих"), the nearest first."""
    for j in q.looking_back():
        whole = q.country(q.sents[j])
        if whole is not None:
            return whole, "cyr.place.previous_country"
    return None


def _headline(q: _Placing) -> _Placed | None:
    """The headline's first place, else a country it writes as where (not for the headline itself,
    nor for a count that borrows no place)."""
    if q.i == 0 or not q.borrow:
        return None
    named = [p for k in q.heads for p in q.within(q.sents[k])]
    if named:
        return named[0], "cyr.place.headline"
    whole = next((c for k in q.heads if (c := q.country(q.sents[k])) is not None), None)
    return (whole, "cyr.place.headline") if whole is not None else None


def _nowhere(q: _Placing) -> _Placed:
    return None, ""


# The placing policy, in order: the first pass that answers decides (docs/cyrillic.md). An answer
# of (None, id) is a decision too: the count has no one place.
PLACE_PASSES: tuple[tuple[str, Callable[[_Placing], _Placed | None]], ...] = (
    ("listed-after-colon", _listed_after_colon),
    ("own-clause", _own_clause),
    ("list-total", _list_total),
    ("the-oblast", _the_oblast),
    ("headline-of-placeless", _headline_of_placeless),
    ("country", _country),
    ("sentence", _sentence),
    ("previous", _previous),
    ("previous-country", _previous_country),
    ("headline", _headline),
    ("nowhere", _nowhere),
)


def _place(text: str, places: list[PlaceMention], starts: list[int], sents: list[Sentence], i: int, at: int, end: int,
           speaker: tuple[int, int] | None, title: tuple[int, int], r: _Rules, clause: tuple[int, int],
           borrow: bool = True, excluded: frozenset[int] = frozenset()) -> tuple[PlaceMention | None, tuple[str, ...]]:
    """The figure's place and the ids of the rules that chose it: the answer of the first pass of
    PLACE_PASSES that gives one, after the rule that set places aside, if one did."""
    q = _Placing(text, places, starts, sents, i, at, end, speaker, title, r, clause, borrow, excluded)
    for _, step in PLACE_PASSES:
        placed = step(q)
        if placed is not None:
            return placed[0], tuple(x for x in (*q.set_aside, placed[1]) if x)
    raise AssertionError("the last pass always answers")


def _set_aside(text: str, places: list[PlaceMention], r: _Rules) -> frozenset[int]:
    """The places (their ids) written as left out of what is counted: right after "без урахування",
    "кроме", and the rest of a list that opens so ("без урахування Маріуполя та Волновахи")."""
    out: set[int] = set()
    for k, p in enumerate(places):
        if r.excluded.search(fold(text[max(0, p.start - 30):p.start]) + " ") or (
                k and id(places[k - 1]) in out and _SET_ASIDE_GAP.fullmatch(text, places[k - 1].end, p.start)):
            out.add(id(p))
    return frozenset(out)


# The next item of a list set aside: a comma or "та/і/и" alone ("Маріуполя, Волновахи та Бахмута");
# ", у Харківській області" after "Окрім Харкова" is where the count is.
_SET_ASIDE_GAP = re.compile(r"\s*,\s*|\s+(?:та|і|й|и|а також|а также)\s+", re.IGNORECASE)


_JOINED = re.compile(r"\s*(?:,|и|і|та|й)\s+", re.IGNORECASE)
_STATED_GAP = re.compile(r"\s+(?:на|по)\s+(?:території|территории)\s+", re.IGNORECASE)
_BULLETS = ("-", "–", "—", "•", "*", "·")
_ITEM_GAP = re.compile(r"\s*(?:[—–-]\s*)?(?:(?:у|в|во|на)\s+)?", re.IGNORECASE)
_CLAUSE_MARK = re.compile(r"[,;:()]")


def _clauses(s: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each count's own part of the sentence (offsets in it): from the count before it or the
    last comma, colon or semicolon before it, to the count after it or the next such mark."""
    out = []
    for start, end in spans:
        lo = max((e for st, e in spans if e <= start), default=0)
        hi = min((st for st, e in spans if st >= end and (st, e) != (start, end)), default=len(s))
        marks = [m.end() for m in _CLAUSE_MARK.finditer(s, lo, start)]
        after = _CLAUSE_MARK.search(s, end, hi) if end < hi else None
        out.append((marks[-1] if marks else lo, after.start() if after else max(hi, end)))
    return out


# ---- the extractor -------------------------------------------------------------------------


def figures_with_rules(article: Article, places: list[PlaceMention], language: str = "uk",
                       ranges: list[tuple[int, int]] | None = None) -> list[tuple[Figure, tuple[str, ...]]]:
    """Every figure of the article's Cyrillic text (all of it, or only `ranges`), each with the
    ids of the rules that decided its number, qualifier, category, place, date and source."""
    r = _rules(language)
    text = article.text
    sents = [s for s in sentences(text) if ranges is None or within(s.start, ranges)]
    starts = [p.start for p in places]  # places come sorted by start
    signed = _signature(text, r) if sents else None
    title = _title(text, sents)
    towns = frozenset(p.mention for p in places if not any(x.endswith("administration") for x in p.rules))
    excluded = _set_aside(text, places, r)
    out: list[tuple[Figure, tuple[str, ...]]] = []
    head = None  # the category of a line ending in a colon ("Внаслідок обстрілів загинули:"), for its list
    for i, sent in enumerate(sents):
        named = places[bisect_left(starts, sent.start):bisect_left(starts, sent.end)]
        last = out[-1][0].category if out and i and out[-1][0].sentence_start == sents[i - 1].start else None
        if i and sents[i - 1].text.endswith(":"):
            head = _named_before(_tokens(sents[i - 1].text), len(_tokens(sents[i - 1].text)), r)
        elif not (sent.text.startswith(_BULLETS) or sent.text[:1].islower()):
            head = None
        found = _in_sentence(sent.text, r, _uncounted(sents[i - 1].text, r) if i else None, last,
                             frozenset((p.start - sent.start, p.end - sent.start) for p in named), head or last)
        if not found:
            continue
        # The date's context: the two sentences before, then the headline ("Харківщина: наслідки
        # обстрілів за минулу добу" dates every line of the post under it).
        contexts = (" ".join(s.text for s in sents[max(0, i - 2):i]),) + ((sents[0].text,) if i > 2 else ())
        dated = event_date_cyr(sent.text, contexts, article.published, language)
        source = _attribution(sent.text, r, towns)
        for nxt in sents[i + 1:i + 3]:
            # The same paragraph only (a new line is a new item of a post), unless the line is
            # about all before it ("Про це повідомив ...", "Об этом сообщил ...").
            if source is None:
                said = _attribution(nxt.text, r, towns)
                if said and ("\n" not in text[sent.end:nxt.start] or said[1].endswith("according_to")):
                    source = said
        if source is None and i > 0 and "\n" not in text[sents[i - 1].end:sent.start]:
            source = _attribution(sents[i - 1].text, r, towns)
        if source is None:
            source = signed
        speaker = None
        if source is not None and source[0] in sent.text:
            at = sent.start + sent.text.index(source[0])
            speaker = (at, at + len(source[0]))
        clauses = _clauses(sent.text, [(f[0], f[1]) for f in found])
        for (start, end, value, high, qualifier, category, counted, rules), clause in zip(found, clauses):
            place, place_rules = _place(text, places, starts, sents, i, sent.start + start, sent.start + end, speaker, title,
                                        r, (sent.start + clause[0], sent.start + clause[1]),
                                        borrow=not dated.rule.endswith(".date.period"), excluded=excluded)
            targets = [(place, place_rules, end)]
            if fold(sent.text[:start]).split()[-1:] in ([w] for w in r.each):
                # "по одному у Торецьку, Вугледарі та Калинівці": as many figures as places listed.
                listed = _listed_after(text, places, starts, sent.start + end, sent.end)
                if len(listed) > 1:
                    targets = [(p, (r.each_id,), p.end - sent.start) for p in listed]
            for place, place_rules, end in targets:
                out.append(_figure(article, sent, start, end, value, high, qualifier, category, counted,
                                   rules, place, place_rules, dated, source))
    return _without_headline_repeats(text, sents, out)


def _figure(article: Article, sent: Sentence, start: int, end: int, value: int, high: int | None,
            qualifier: Qualifier, category: Category, counted: str, rules: tuple[str, ...],
            place: PlaceMention | None, place_rules: tuple[str, ...], dated, source: tuple[str, str] | None
            ) -> tuple[Figure, tuple[str, ...]]:
    when = dated.when
    ids = rules + place_rules + tuple(x for x in (dated.rule, source[1] if source else "") if x)
    return Figure(
        article=article.id, start=sent.start + start, end=sent.start + end, value=value, value_high=high,
        qualifier=qualifier, category=category, counted=counted, quote=sent.text,
        sentence_start=sent.start, sentence_end=sent.end, place=place,
        attribution=source[0] if source else None, event_date=when.day,
        time_precision=when.precision, date_text=when.text, date_end=when.end, rules=ids), ids


_LIST_GAP = re.compile(r"[\s,—–-]*(?:(?:та|і|й|и|а також)\s+)?(?:(?:у|в|во|на)\s+)?", re.IGNORECASE)


def _listed_after(text: str, places: list[PlaceMention], starts: list[int], pos: int, stop: int) -> list[PlaceMention]:
    """The places listed right after offset `pos` ("у Торецьку, Вугледарі та Калинівці")."""
    out: list[PlaceMention] = []
    k = bisect_left(starts, pos)
    while k < len(places) and places[k].start < stop:
        if not _LIST_GAP.fullmatch(text[out[-1].end if out else pos:places[k].start]):
            break
        out.append(places[k])
        k += 1
    return out


def _title(text: str, sents: list[Sentence]) -> tuple[int, int]:
    """The headline's sentences (first, past the last): the first line with letters, which may
    hold several sentences ("Погибли два человека. Последствия ракетного удара по Белгороду")."""
    first = next((k for k, s in enumerate(sents[:3]) if any(c.isalpha() for c in s.text)), 0)
    if not sents:
        return 0, 0
    end = text.find("\n", sents[first].start)
    end = sents[first].end if end < 0 else max(end, sents[first].end)
    last = first
    while last < len(sents) and sents[last].end <= end:
        last += 1
    return first, last


def _without_headline_repeats(text: str, sents: list[Sentence],
                              found: list[tuple[Figure, tuple[str, ...]]]) -> list[tuple[Figure, tuple[str, ...]]]:
    """A headline's figure that the body states again (same value and category) is dropped:
    one claim, not two (as geo.figures does for English)."""
    if not sents or "\n" not in text[sents[0].start:sents[0].end + 1]:
        return found  # a first line of several sentences is a lead, not a headline
    title_end = sents[0].end
    body = [f for f, _ in found if f.start >= title_end]
    return [(f, rules) for f, rules in found
            if f.start >= title_end or not any(_repeats(f, b) for b in body)]


def _repeats(head: Figure, body: Figure) -> bool:
    """The body states the headline's figure again: same value and category, and a place that
    is the same, unknown on one side, or in the same oblast ("В Курске погиб один человек" is no
    repeat of "мирный житель погиб ... в посёлке Малиновка" of another region)."""
    if (head.value, head.category) != (body.value, body.category):
        return False
    a, b = head.place, body.place
    return a is None or b is None or a.name == b.name or (a.country, a.admin1) == (b.country, b.admin1)


def extract_figures_cyr(article: Article, places: list[PlaceMention], language: str = "uk",
                        ranges: list[tuple[int, int]] | None = None) -> list[Figure]:
    """The figures alone, as geo.figures.extract_figures gives them for English."""
    return [f for f, _ in figures_with_rules(article, places, language, ranges)]


def _in_sentence(s: str, r: _Rules, before: Category | None = None, last: Category | None = None,
                 place_spans: frozenset[tuple[int, int]] = frozenset(), carried: Category | None = None) -> list[tuple]:
    """The figures of one sentence; `before` is a category the sentence before named without a
    number, for "Их пятеро" (rule *.cat.their_count); `last` the category of its last figure,
    for "Серед них двоє дітей" (rule *.cat.part_of); `place_spans` where the sentence's places
    are, for the items of a list ("п'ятьох у Бахмуті, одного в Покровську": cyr.cat.list_item), whose
    category is the one named last before them in the sentence, else `carried`: that of the line
    above ending in a colon, or of the sentence before ("Ще троє — у Бериславі")."""
    toks = _tokens(s)
    nums: list[_Num] = []
    k = 0
    while k < len(toks):
        n = _number_at(s, toks, k, r)
        if n is not None:
            nums.append(n)
            k = n.last + 1
        else:
            k += 1
    ignore: set[int] = set()  # ages and measures, with their units and "від ... до"
    counts = []
    for n in nums:
        if _not_a_count(s, toks, n, r):
            ignore.update(range(n.first, n.last + 2))
            if n.first > 0 and toks[n.first - 1].key in _RANGE_FROM:
                ignore.add(n.first - 1)
        else:
            counts.append(n)
    nums = counts
    number_tokens = {j for n in nums for j in range(n.first, n.last + 1)}
    out = []
    used: set[int] = set()  # category words a count took
    previous = None
    for n in nums:
        qualifier, qual_rule, qual_first = _qualifier(toks, n, r)
        if n.high is not None and qualifier is Qualifier.EXACT and qual_first > 0 and toks[qual_first - 1].key in ("від", "от"):
            qual_first -= 1
        found = _category(s, toks, n, qual_first, r, number_tokens - set(range(n.first, n.last + 1)),
                          ignore, toll=qual_rule == "cyr.toll")
        if found == _UNIT:
            continue
        rules = n.rules + ((qual_rule,) if qual_rule else ())
        if found is None:
            nxt = toks[n.last + 1].key if n.last + 1 < len(toks) else ""
            part = (previous or last) if _part_of(toks, qual_first, r) else None
            if before is not None and any(t.key in r.their for t in toks[max(0, qual_first - 2):qual_first]):
                category, counted, rules = before, toks[n.first].text, rules + (r.their_id,)
            elif part is not None:
                category, rules = part, rules + (r.part_of_id,)
                counted = toks[n.last + 1].text if nxt in r.people else toks[n.first].text
            elif (named := _named_before(toks, qual_first, r) or carried) is not None and _list_item(toks, n, place_spans):
                # "загинули: у Бериславі – двоє людей, у Херсоні – одна": the category named last before
                category, counted, rules = named, toks[n.first].text, rules + ("cyr.cat.list_item",)
            elif previous is None or nxt not in r.people:
                continue
            else:
                category, counted, rules = previous, toks[n.last + 1].text, rules + ("cyr.cat.inherit",)
            end_tok = max(n.last, min(n.last + 1, len(toks) - 1) if nxt in r.people else n.last)
        else:
            category, rid, counted, cat_last, cat_first = found
            used.add(cat_first)
            rules = rules + (rid,)
            if category is Category.KILLED and _bodies_context(s, toks, min(qual_first, cat_first),
                                                              max(n.last, cat_last or cat_first), r):
                category, rules = Category.BODIES, rules + (r.bodies_id,)
            end_tok = n.last if cat_last is None else cat_last
            if counted and fold(counted.split()[0]) in r.people:
                rules = rules + (r.people_id,)
                end_tok = max(end_tok, n.last + 1)
                if category is Category.GRAVES:  # "поховали в братській могилі 280 людей": people, so bodies
                    category, rules = Category.BODIES, rules + ("cyr.cat.people_in_graves",)
        previous = category
        start = toks[qual_first].start
        out.append((start, toks[end_tok].end, n.value, n.high, qualifier, category, counted, rules))
    return sorted(out + _singles(toks, r, used, number_tokens), key=lambda f: f[0])


_AND = frozenset({"та", "і", "й", "и", "також"})


def _bodies_context(s: str, toks: tuple[_Tok, ...], first: int, last: int, r: _Rules) -> bool:
    """A recovery, exhumation, burial or identification word in the clause of a killed count,
    within six words before it or four after (see bodies_context in figures.toml)."""
    lo = first
    while lo > 0 and first - lo < _BEFORE_WINDOW and "," not in s[toks[lo - 1].end:toks[lo].start] and toks[lo - 1].key:
        lo -= 1
    hi = last
    while hi + 1 < len(toks) and hi - last < _AFTER_WINDOW and "," not in s[toks[hi].end:toks[hi + 1].start] and toks[hi + 1].key:
        hi += 1
    return any(t.key in r.bodies_context for t in toks[lo:hi + 1])


_ITEM_PREPOSITIONS = frozenset({"у", "в", "во", "на"})


def _list_item(toks: tuple[_Tok, ...], n: _Num, place_spans: frozenset[tuple[int, int]]) -> bool:
    """Whether a number is an item of a list of counts by place: a place follows it, past a dash
    and a preposition ("3 — у Бахмуті", "один – Горняка", "одного в Покровську"), or stands right
    before it and a dash ("у Костянтинівці — один")."""
    j = n.last + 1
    if j < len(toks) and toks[j].text in ("—", "–"):
        j += 1
    if j < len(toks) and toks[j].key in _ITEM_PREPOSITIONS:
        j += 1
    if j < len(toks) and any(toks[j].start == a for a, _ in place_spans):
        return True
    k = n.first - 1
    return k >= 1 and toks[k].text in ("—", "–") and any(toks[k - 1].end == b for _, b in place_spans)


def _named_before(toks: tuple[_Tok, ...], k: int, r: _Rules) -> Category | None:
    """The category named last before word k in the sentence ("Поранення отримали: у Харкові — 5")."""
    for j in range(k - 1, -1, -1):
        found = _category_at(toks, j, r)
        if found and found[2] < k:
            return found[0]
    return None


def _part_of_at(toks: tuple[_Tok, ...], k: int, r: _Rules) -> int:
    """The length of a "з них", "в том числе" ... phrase starting at word k, else 0."""
    return next((len(w) for w in r.part_of if tuple(t.key for t in toks[k:k + len(w)]) == w), 0)


def _part_of(toks: tuple[_Tok, ...], k: int, r: _Rules) -> bool:
    """Whether "з них", "серед них", "зокрема" ... ends right before word k, or one word before
    ("з них – одна дитина"; not "з них опізнано лише 185", a count of something else)."""
    for words in r.part_of:
        for end in (k, k - 1) if k > 0 and toks[k - 1].key == "" else (k,):
            start = end - len(words)
            if start >= 0 and tuple(t.key for t in toks[start:end]) == words:
                return True
    return False


def _uncounted(s: str, r: _Rules) -> Category | None:
    """The category a sentence names without counting it ("Увеличилось количество погибших в Днепре")."""
    if _DIGITS.search(s):
        return None
    toks = _tokens(s)
    if any(t.key in r.numbers for t in toks):
        return None
    for k in range(len(toks)):
        found = _category_at(toks, k, r)
        if found:
            return found[0]
    return None


_AGE = ("річн", "летн")
_AMONG = frozenset({"серед", "среди", "числі", "числе"})


def _age_at(toks: tuple[_Tok, ...], j: int) -> bool:
    """Whether word j is an age ("42" or "річна" of "42-річна")."""
    if toks[j].digits:
        return j + 1 < len(toks) and toks[j + 1].key.startswith(_AGE)
    return j > 0 and toks[j - 1].digits and toks[j].key.startswith(_AGE)


def _aged_people(toks: tuple[_Tok, ...], j: int, r: _Rules) -> tuple[int, int] | None:
    """"65-летний и 70-летний мужчины", "43-річна та 12-річний": as many people as ages joined by
    "і", "та", "и" or commas, before a word for people; (count, index of that word)."""
    count = 0
    while j + 1 < len(toks) and toks[j].digits and toks[j + 1].key.startswith(_AGE):
        count, j = count + 1, j + 2
        if j < len(toks) and toks[j].key in _AND:
            j += 1
    if count < 2 or j >= len(toks) or not (toks[j].key in r.people or toks[j].key in r.singles):
        return None
    return count, j


def _singles(toks: tuple[_Tok, ...], r: _Rules, used: set[int], numbers: set[int]) -> list[tuple]:
    """"загинула жінка", "поранено чоловіка", "тіло чоловіка": one person, by a category word no
    count took ("погиб мирный житель, еще двое ранены")."""
    out = []
    covered = -1  # the last word of the category phrase before ("смертельних поранень" is one)
    for k, tok in enumerate(toks):
        found = _category_at(toks, k, r) if k not in used and k > covered else None
        if not found:
            continue
        category, rid, last = found
        covered = last
        if category in (Category.EXPLOSIVES, Category.GRAVES) or (k > 0 and toks[k - 1].key in _AMONG):
            continue  # a person is no explosive; "серед загиблих є 14-річний хлопчик" is one of a count
        aged = _aged_people(toks, last + 1, r)
        if aged is not None:  # "пострадали 46-летний и 43-летний мужчины": two people by their ages
            count, b = aged
            out.append((toks[k].start, toks[b].end, count, None, Qualifier.EXACT, category, toks[b].text,
                        (r.single_id, rid, "cyr.num.ages")))
            continue
        # "загинула жінка", "загинув 45-річний чоловік", "жінку поранено"
        # (an age is stepped over: "зазнала поранень їхня 42-річна сусідка")
        near = [j for j in range(last + 1, min(len(toks), last + 6)) if toks[j].key and not _age_at(toks, j)][:3] + [k - 1]
        for j in near:
            if 0 <= j < len(toks) and toks[j].key in r.singles and not numbers & set(range(min(k, j), max(last, j) + 1)):
                a, b = min(k, j), max(last, j)
                count, more = 1, j + 1
                # "поранено 43-річну жінку та 12-річного хлопця": each person named counts.
                while more < len(toks) and more - b <= 4 and toks[more].key and more not in numbers:
                    if toks[more].key in r.singles and any(t.key in _AND for t in toks[b + 1:more]):
                        count, b = count + 1, more
                    elif toks[more].key in r.singles:
                        b = more  # "мирный житель": one person in two words
                    elif _category_at(toks, more, r):
                        break
                    more += 1
                out.append((toks[a].start, toks[b].end, count, None, Qualifier.EXACT, category, toks[j].text,
                            (r.single_id, rid)))
                break
    return out
