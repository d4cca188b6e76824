"""Reported figures: how many of what, where, when, and on whose word.

Regex rules over one sentence at a time (geo.text.sentences). A number is a figure only when the
text says what it counts; dates, ages, distances, money, durations and calibres are filtered out,
and a figure whose place cannot be told keeps place=None, because a wrong pin misleads a reader
more than a missing one; which place a figure is about is decided in geo.placing. Decisions are
written up in docs/figures.md.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cached_property, lru_cache
from typing import Callable, NamedTuple

from geo import rulebook
from geo.attribution import attribute, named_speaker, tweet_signature
from geo.dates import (VIOLENCE, EventDate, anchored, day_at, days_after, entry_days, event_date, is_statement_date,
                       span, statement_date)
from geo.document import Document
from geo.model import Article, Category, Figure, PlaceMention, Precision, Qualifier, TimePrecision
from geo.placing import (CASUALTIES, OBJECT_END, PlaceContext, headline_sentence, is_area, is_town, place_for,
                         same_paragraph)
from geo.text import Sentence, WordSearch, alternation, whole_words

# ---- numbers -------------------------------------------------------------------------------

_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Vague amounts become ranges: the reader sees "dozens" as 24..99, never as a precise number.
# The largest number read as a count: more than the world's population, so no report counts
# more. Bigger numbers ("9,223,372,036,854,775,808 people", a 401-digit number) are not figures;
# they are parsed exactly (Decimal, never float) and only up to _MAX_DIGITS digits.
MAX_COUNT = 10_000_000_000
_MAX_DIGITS = len(str(MAX_COUNT))
_VAGUE = {"dozens": (24, 99), "scores": (40, 199), "hundreds": (200, 999),
          "thousands": (2000, 9999), "tens of thousands": (20_000, 99_999), "several": (3, 9),
          "a few": (2, 5)}

_UNIT_WORD = "|".join(sorted(_UNITS, key=len, reverse=True))
_TENS_WORD = "|".join(_TENS)
_WORD_NUMBER = (rf"(?:(?:(?:{_TENS_WORD})(?:[-\s](?:{_UNIT_WORD}))?|{_UNIT_WORD})(?:\s+(?:hundred|thousand|million))?"
                r"|a\s+(?:hundred|thousand|million))(?:\s+and\s+(?:" + _TENS_WORD + "|" + _UNIT_WORD + r"))?")
_DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:\s+(?:million|thousand))?|\d+(?:\.\d+)?(?:\s+(?:million|thousand))?"
# English figure rules (geo/rules/en/figures.toml): qualifiers in the file's order, counted nouns by class.
_RULES = rulebook.load("en", "figures")
_QUALIFIERS = [(Qualifier(rule["qualifier"]), "|".join(rule["patterns"])) for rule in _RULES["qualifier"]]
# The last word of every qualifier phrase: a number whose previous word is none of these has none.
_QUALIFIER_ENDS = frozenset(p.rsplit("\\s+", 1)[-1] for rule in _RULES["qualifier"] for p in rule["patterns"])
if not all(w.isalpha() for w in _QUALIFIER_ENDS):
    raise rulebook.RuleError(f"en/figures.toml: a qualifier pattern must end in a word: {sorted(_QUALIFIER_ENDS)}")
_QUALIFIER_OF = [(q, re.compile(rf"^(?:{p})$", re.I)) for q, p in _QUALIFIERS]
_QUALIFIER_BEFORE = re.compile(r"(?<![\w@#/:$£€%-])(?:" + "|".join(p for _, p in _QUALIFIERS) + r")\s+$", re.I)
_NUMBER_AT = re.compile(
    r"(?P<num>tens\s+of\s+thousands|dozens|scores|hundreds|thousands|several|a\s+dozen|a\s+few|"
    + _DIGIT_NUMBER + "|" + _WORD_NUMBER + r")(?![\w%-]|[.,]\d)", re.I)
# "10-15 people", "10 to 15", "between 10 and 15": a range, value..value_high.
_RANGE_AT = re.compile(
    r"(?P<num>" + _DIGIT_NUMBER + "|" + _WORD_NUMBER + r")\s*(?P<sep>-|–|to|and)\s*(?P<high>"
    + _DIGIT_NUMBER + "|" + _WORD_NUMBER + r")(?![\w%-]|[.,]\d)", re.I)
_BETWEEN_BEFORE = re.compile(r"\bbetween\s+$", re.I)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)


# Where a number may start, scanned once over the lower-cased article: a digit, or a number word
# ("a hundred", "a dozen", "a few" and "tens of thousands" are widened backwards afterwards).
_NUMBER_WORDS = [*_UNITS, *_TENS, "hundred", "hundreds", "thousand", "thousands", "million", "dozen", "dozens",
                 "scores", "several", "few", "tens"]
_CANDIDATE = re.compile(r"\d[\d,.]*|\b(?:" + alternation(_NUMBER_WORDS) + r")\b")
_CANDIDATE_ANY_CASE = re.compile(_CANDIDATE.pattern, re.I)
# The same candidates for the scan of a whole article, as two scans that re runs fast (skipping
# ahead to a digit, or to the first letter of a number word, see geo.text.whole_words).
# The two kinds never overlap, so together they find what _CANDIDATE finds.
_DIGIT_RUN = re.compile(r"\d[\d,.]*")
_NUMBER_WORD = re.compile(whole_words(_NUMBER_WORDS))
_NUMBER_WORD_ANY_CASE = re.compile(_NUMBER_WORD.pattern, re.I)
_WIDEN = re.compile(r"(?:\ba\s+|\btens\s+of\s+)$", re.I)
_NOT_PRECEDED = frozenset("@#/:$£€%-")
_YEAR = re.compile(r"1[89]\d\d|20\d\d")
# "since 2022 mines and explosive remnants have killed 29": a year after a time preposition.
_YEAR_BEFORE = re.compile(r"\b(?:since|in|by|until|till|before|after|from|during|through|early|late|mid)\s*$", re.I)
_CONTINUES = re.compile(r"\b(?:another|a\s+further|an\s+additional|further)\s+$", re.I)
_GENERIC_SPEAKER = re.compile(r"^an?\s")

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
# Units, measures and times after a number: not a count of anything. The plain words are a prefix
# tree (see geo.text.alternation), since this test runs on every number in an article.
_UNIT_WORDS = """year years yr yrs month months week weeks day days hour hours hr hrs minute minutes min mins
second seconds decade decades century centuries night nights mile miles mi km kms kilometre kilometres kilometer
kilometers metre metres meter meters m feet foot ft inch inches cm mm millimetre millimetres millimeter millimeters
square sq acre acres hectare hectares percent am pm a.m p.m o'clock gmt utc bn billion euro euros dollar dollars
pound pounds sterling hryvnia hryvnias rouble roubles ruble rubles usd eur uah kg kilo kilos kilogram kilograms
tonne tonnes ton tons times degree degrees mph storey storeys floor floors calibre caliber""".split()
_NOT_AFTER = re.compile(
    r"^\s*(?:(?:" + alternation(_UNIT_WORDS) + r"|per\s*cent|rounds\s+per)\b|%|:\d|[\s-]\d|(?:st|nd|rd|th)\b|"
    r"(?:of\s+)?" + _MONTH + r"(?![a-z]))", re.I)
# Words that make the number after them a label, an age or a measure ("aged 43", "brigade 93").
_LABEL_WORDS = frozenset(
    "aged age ages no no. nos nos. number page flight route brigade battalion regiment division article "
    "resolution chapter section paragraph platform gate room apartment unit phase level category grade "
    "sector district block building house highway road km kilometre minus plus mark vol vol. version".split()
) | frozenset(m.rstrip(".") for m in (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept september "
    "oct october nov november dec december").split())


def _label_before(before: str) -> bool:
    """Whether the text before a number makes it a label, an age, a price or part of another
    number: "aged 43", "March 31", "$5", "+380", "3 x 5", "10 15"."""
    b = before.rstrip()
    if not b:
        return False
    last = b[-1]
    if last in "$£€₴₽+" or last.isdigit():
        return True
    if last == "-" and len(b) > 1 and b[-2].isdigit():
        return True
    if last in "xX" and b[:-1].rstrip()[-1:].isdigit():
        return True
    words = b.rsplit(None, 2)
    word = words[-1].lower()
    if not word[:1].isalpha():
        return False
    if word in _LABEL_WORDS or word.rstrip(".") in _LABEL_WORDS:
        return True
    return len(words) > 1 and word == "year" and words[-2].lower() == "the"


# ---- what is counted -----------------------------------------------------------------------

_HEADS: dict[str, tuple[str, ...]] = {rule["class"]: tuple(rule["nouns"]) for rule in _RULES["counted"]}
_HEAD_CLASS = {h.replace("\\s+", " ").replace("[-\\s]", "-").replace("\\\\", ""): c
               for c, hs in _HEADS.items() for h in hs}


def _heads_pattern(heads: list[str]) -> str:
    """Counted nouns as one prefix-tree alternation (geo.text.alternation), which the
    number-phrase rule tries at every number; their two bits of regex syntax, a space and a
    space-or-hyphen, pass through the tree as placeholder characters."""
    syntax = {"\\s+": "\x00", "[-\\s]": "\x01"}
    words = []
    for h in heads:
        for regex, placeholder in syntax.items():
            h = h.replace(regex, placeholder)
        words.append(h)
    pattern = alternation(words)
    for regex, placeholder in syntax.items():
        pattern = pattern.replace(placeholder, regex)
    return pattern


_MILITARY = re.compile(r"(?<![\w-])(?:" + _heads_pattern(_HEADS["military"]) + r")\b", re.I)
_HEAD = _heads_pattern([h for hs in _HEADS.values() for h in hs])
# A second noun joined by "and" is part of the thing counted ("towns and villages", "adults and
# children"), a casualty word is not ("20 people and wounded 35 others").
_HEAD2 = _heads_pattern([h for c, hs in _HEADS.items() if c not in ("killed", "injured", "missing") for h in hs])
_HEAD_IN = re.compile(r"\b(?:" + _HEAD + r")\b", re.I)
# A casualty word or a time word ends the number's noun phrase: "21 injured after Russian drones"
# counts the injured, not drones.
_STOP = (r"(?:were|was|is|are|had|have|has|been|of|in|on|at|to|from|by|who|which|that|and|or|with|as|for|all|they|"
         r"them|said|the|after|before|when|while|during|killed|injured|wounded|hurt|died|missing)")
_COUNTED = re.compile(
    r"\s+(?:(?P<of>of\s+)(?P<det>(?:the|his|her|their|its|these|those|our|my)\s+)?)?"
    r"(?P<phrase>(?P<mods>(?:(?!" + _STOP + r"\b)[\"“]?[A-Za-z][\w’'-]*[\"”]?\s+){0,3})"
    r"(?P<head>" + _HEAD + r")\b(?:\s+(?:and|or)\s+(?P<head2>" + _HEAD2 + r")\b)?"
    r"(?:\s+of\s+(?:dead\s+|murdered\s+|killed\s+|slain\s+)?(?:civilians|people|residents|victims)\b)?)",
    re.I)
_BARE_PREDICATE = re.compile(
    r"\s*(?:more\s+)?(?:(?:people|of\s+them)\s+)?(?:(?:were|was|have\s+been|had\s+been|are|have|had)\s+)?(?:also\s+)?"
    r"(?P<verb>killed|died|dead|executed|murdered|drowned|injured|wounded|hurt|missing)\b", re.I)
_PREDICATE = re.compile(
    r"\b(?P<killed>killed|dead|died|die|executed|slain|murdered|perished|lost\s+their\s+lives|"
    r"massacred|shot\s+dead|death|drowned|burned\s+to\s+death)\b|\b(?P<injured>injured|wounded|hurt|injuries)\b|"
    r"\b(?P<missing>missing|unaccounted\s+for)\b|"
    r"\b(?P<hospital>hospitali[sz]ed|(?:remain|remained|remains|are\s+still|were\s+still)\s+in\s+(?:the\s+)?hospitals?)\b|"
    r"\b(?P<buried>buried\s+(?:in|at)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:graves?|cemetery|cemeteries|burial\s+sites?))\b", re.I)
# Weaker signs, looked for only when _PREDICATE finds nothing: "41 people were taken to hospital"
# are injured, "trapped under the rubble" missing. ("In a serious condition" is left out: it
# tells how many of the injured are worst off, a part of a count already given.)
_PREDICATE_LATE = re.compile(
    r"\b(?P<hospital>taken\s+to\s+(?:a\s+|the\s+)?hospitals?|(?:are|were|was|is)\s+(?:still\s+)?in\s+hospital\b|"
    r"treated\s+for\s+(?:their\s+)?(?:injuries|wounds)|(?:sought|seeking|received|needed)\s+medical\s+(?:help|care|"
    r"assistance|attention|treatment))|"
    r"\b(?P<missing>never\s+(?:been\s+)?seen\s+again|disappeared|whereabouts\s+(?:are|is|remain|remains)\s+unknown|"
    r"(?:trapped|buried|remain|remains|believed\s+to\s+be)\s+under\s+(?:the\s+)?(?:rubble|debris|ruins))", re.I)
# Counts that are not casualties but say what happened: people rescued or evacuated, buildings hit.
_RESCUED = re.compile(r"\b(?:rescu(?:ed|ing)|saved|saving|pulled|pulling|unblocked|freed|dug\s+out|brought\s+out\s+alive)\b", re.I)
_EVACUATED = re.compile(r"\b(?:evacuat(?:ed|ing|e)|evacuation\s+of|taken\s+out\s+of|relocated)\b", re.I)
_DAMAGED = re.compile(r"\b(?:damag|destroy|ruin|burn|collaps|struck|hit\b|hitting)", re.I)
_BUILDING_HEADS = frozenset("homes houses buildings apartments apartment blocks schools hospitals".split())
_BODY_KILLED = WordSearch(r"executed|killed|murdered|slain|shot\s+dead|massacred")
_VERB_BEFORE = re.compile(
    r"\b(?:(?P<killed>killed|killing|kills|claimed\s+the\s+lives\s+of|left\s+dead|killings?\s+of|"
    r"shot\s+dead|shooting\s+dead|shot\s+and\s+killed|gunned\s+down|executed|executing|murdered|murdering|"
    r"among\s+(?:the\s+)?(?:dead|killed|victims|fatalities)(?:\s+(?:were|are|was))?)|"
    r"(?P<injured>injured|injuring|wounded|wounding|injures|wounds|"
    r"among\s+(?:the\s+)?(?:injured|wounded)(?:\s+(?:were|are|was))?)|"
    r"(?P<bodies>bodies\s+of|remains\s+of|corpses\s+of))(?:\s+only)?\s*$", re.I)  # "the bodies of only three", "killed only two"
_TOLL_BEFORE = re.compile(
    r"\b(?P<raised>(?:rais|bring|brought|push|tak|took|lift)\w*\s+(?:the\s+)?(?:(?!death\b)[\w'’-]+\s+)?)?"
    r"(?:(?P<killed>death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|victims|fatalities|"
    r"people\s+killed|those\s+killed)|fatalities)|(?P<injured>number\s+of\s+(?:the\s+)?(?:injured|wounded))|"
    r"(?P<bodies>number\s+of\s+(?:the\s+)?bodies)|(?P<graves>number\s+of\s+(?:the\s+)?graves))"
    r"(?P<gap>[^\d.;:!?]{0,45}|[^.;:!?]{0,200}\b(?:risen|rose|rises|climbed|climbs|reached|reaches|"
    r"increased|jumped|stands|stood)\s+(?:to|at)\s+"
    # "raising the death toll from Saturday's strike to 48": the rise comes before the toll.
    r"|(?(raised)[^\d.;:!?]{0,150}\bto\s+|(?!)))$", re.I)
# "killed 16 people and injured 32 on Sept. 6": a bare number ends the object of its verb.
_BARE_OBJECT_END = re.compile(
    r"\s*(?:[,.;)”\"]|(?:more\s+)?people\b|more\s*(?:[,.;]|$)|$|(?:on|in|at|and|as|after|when|over|during|while|across|overnight|"
    r"yesterday|today|since|before|with|according|near|outside|inside)\b)", re.I)
_VERB_BEFORE_ENDS = frozenset(
    "killed killing kills of dead victims fatalities were are was injured injuring wounded wounding injures "
    "wounds dead down executed executing murdered murdering only".split())
_OBJECT_VERB_ENDS = frozenset(
    "examined recovered found exhumed identified removed cleared counted buried collected discovered "
    "retrieved defused neutralised neutralized registered recorded already".split())
_INCLUDING_ENDS = frozenset("including them whom were are was those".split())
_OBJECT_VERB = re.compile(
    r"\b(?:examined|recovered|found|exhumed|identified|removed|cleared|counted|buried|collected|"
    r"discovered|retrieved|defused|neutralised|neutralized|registered|recorded)\s+(?:already\s+)?$", re.I)
# Shells and bombs are explosives when found or cleared, not when fired.
_CLEARED = re.compile(r"\b(?:clear|remov|defus|neutrali|found|discover|unexploded|demin|disposed|destroyed\s+by\s+sappers)", re.I)
# "1,346 civilians had been killed, 40 of them children": a part of the group just counted.
_OF_THEM = re.compile(r"\s+of\s+(?:them|whom)\b(?:\s+(?:(?:were|are|was|is)\s+)?(?P<noun>children|women|minors|men))?", re.I)
_COPULA = re.compile(r"(?:(?:is|was|are|were|been|being)\s+)?", re.I)
_INCLUDING = re.compile(
    r"\b(?:including|among\s+(?:them|those|whom)(?:\s+(?:were|are|was))?|of\s+whom|of\s+them|of\s+those),?\s+$", re.I)
# "Of them, 17 are children", "Of the injured, three ...", "Among the dead were ...": a part of a
# group counted before.
_FRONTED_PART = re.compile(
    r"(?:^|[.;:,]\s*|\band\s+)(?:of|among)\s+(?:them|those|these|whom|the\s+(?P<group>dead|killed|victims|injured|wounded))"
    r"(?:\s+(?:killed|injured|wounded|hurt))?\s*,?\s*(?:(?:were|are|was|is)\s+)?$", re.I)
# "5 were women" after a casualty count: the same part-of-a-group, told with a copula.
_COPULA_PART = re.compile(
    r"\s+(?:were|are)\s+(?:(?:[\w-]+\s+){0,2})?(?P<noun>children|women|men|minors|civilians|girls|boys|teenagers|"
    r"pensioners|servicemen|soldiers|rescuers|medics|police\s+officers)\b", re.I)
_CLAUSE_END = re.compile(r"[;:—–]|\s-\s|[.!?](?:\s|$)")
# An aside between a counted noun and its predicate ("16 people, including seven children, were
# injured"; "Four people — the woman, her son ... — were killed"): skipped to reach the predicate.
_ASIDE = re.compile(
    r"\s*(?:,\s+(?:including|among\s+them|among\s+whom|most\s+of\s+them|mostly)\b[^,;:.!?()—–]{1,80},"
    r"|,\s+(?:aged\s+)?\d{1,3},"
    r"|[—–]\s[^—–\n]{1,200}?\s[—–]|\([^()\n]{1,120}\))\s*(?=(?:were|was|are|is|have|has|had)\b)", re.I)
# "29 people had drowned, 17 of them in Oleshky": the part is counted where the clause says.
_DIGIT_IN = re.compile(r"\d")
_OF_THEM_AT = re.compile(r"\s+(?i:in|at)\s+(?:the\s+)?[A-Z]")
# "Two people were killed in Selydove and one in Kurakhove": a count whose noun and verb are those
# of the casualty figure just before it, at a place of its own.
_ELLIPSIS_BEFORE = re.compile(r"(?:\band|,|\bincluding|\bwhile)\s+$", re.I)
_ELLIPSIS_AFTER = re.compile(
    r"\s+(?:more\s+|others?\s+)?(?:in|at)\s+(?:the\s+(?:city|town|village|settlement|community)\s+of\s+)?[A-Z]")
# "1,240 civilians remain unaccounted for in Kherson region; in Zaporizhzhia region, 730.": the same
# count, with its place put first.
_FRONTED_ELLIPSIS = re.compile(r"(?:[;,]|\band)\s+(?:in|at)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?[\w’'-]+,\s+$", re.I)
# "One of Ukraine's wealthiest men": one picked out of a group, not a count.
_ONE_OF = re.compile(r"\s+of\b", re.I)
# "A video clip of the aftermath showed ... at least one body", "One body could also be briefly seen": what
# a picture shows is no count anyone reports.
_FOOTAGE = re.compile(r"\b(?:video|footage|clip)\b[^.;]{0,80}?\b(?:show|showed|shows|showing|detailing|depicting)\b|"
                      r"\bcould\s+(?:[a-z]+\s+)?be\s+(?:[a-z]+\s+)?seen\b", re.I)
# "Read also: ..." links another story; its numbers are that story's.
_LINK_LINE = re.compile(r"^\W*(?:read|see)\s+(?:also|more)\b|^\W*related\s*:", re.I)

# "A 72-year-old woman was killed", "killing a 58-year-old driver", "A man and a woman were killed":
# one person (or a pair) named with "a", whose fate the same clause states, is a figure of 1 (or 2); so are
# "another woman was injured", "A man and woman died", "killed one person and injured another".
_ONE_PERSON = (r"(?:(?!(?:was|were|who|and|in|on|at|of)\b)[\w’'-]+\s+){0,2}?"
               r"(?:man|woman|boy|girl|child|baby|teenager|driver|resident|civilian|pensioner|volunteer|medic|"
               r"paramedic|policeman|police\s+officer|firefighter|rescuer|farmer|journalist|person|passer-by|"
               r"passerby|worker|nurse|doctor|teacher)")
# "a man and his four-year-old son", "a paramedic, 41, and the driver": the second of a pair.
_RELATIVE = (r"(?:husband|wife|son|daughter|mother|father|brother|sister|grandson|granddaughter|grandmother|"
             r"grandfather)")
_SECOND_PERSON = (r"(?:,\s*\d{1,3},)?\s+and\s+(?:(?:an?|the)\s+" + _ONE_PERSON + r"|(?:his|her|their)\s+"
                  r"(?:[\w-]+\s+){0,2}?(?:" + _RELATIVE + r"|" + _ONE_PERSON + r"))")
# The verbs and "a"/"an" open these two patterns with their word boundary checked behind the
# first letter, so that re can skip ahead to that letter when it scans a whole article.
_SINGLE_OBJECT = re.compile(
    r"(?P<verb>k(?<!\wk)ill(?:ing|ed|s)|i(?<!\wi)njur(?:ing|ed|es)|w(?<!\ww)ound(?:ing|ed|s))\s+"
    r"(?P<phrase>(?:an?|another)\s+" + _ONE_PERSON + r"(?P<pair>" + _SECOND_PERSON + r")?|another(?=\s*(?:[,.;:”\"]|$|"
    r"\s+(?:in|on|at|near|when|as|after|during|while|and)\b)))\b(?!['’-])"
    r"(?!\s+and\s+(?:an?|his|her|their|the|\d|[a-z]+\s+(?:people|others|children)))")
# "killing a woman and injuring her husband": the relative's own fate is a figure of 1.
_RELATIVE_OBJECT = re.compile(
    r"\band\s+(?P<verb>killing|injuring|wounding|killed|injured|wounded)\s+(?P<phrase>(?:his|her|their)\s+"
    r"(?:[\w-]+\s+){0,2}?" + _RELATIVE + r")\b(?!['’-])(?!\s+and\b)")
_SINGLE_SUBJECT = re.compile(
    r"(?P<phrase>[Aa](?<![\w,][Aa])(?:n|nother)?\s+" + _ONE_PERSON + r"(?P<pair>\s+and\s+(?:(?:an?\s+)?" + _ONE_PERSON +
    r"|(?:his|her|their)\s+(?:[\w-]+\s+){0,2}?" + _RELATIVE + r"))?)\b(?!['’-])(?:,\s*(?:aged\s+)?\d{1,3},)?"
    r"\s+(?:(?:was|were|has\s+been|had\s+been|have\s+been)\s+(?:also\s+)?(?P<verb>killed|injured|wounded|hurt|found\s+dead)\b|(?P<died>died)\b(?!\s+(?:of\s+(?:an?\s+)?(?:heart|natural|old|illness|disease|cancer|covid|stroke|his|her|their)|"
    r"(?:later\s+)?(?:in|at)\s+(?:the\s+)?hospital))|"
    r"(?:sustained|suffered|received)\s+(?:[\w-]+\s+){0,2}?(?P<wounds>wounds|injuries)\b)")
_ELIDED_FIRST = re.compile(r"\b[Aa]n?\s+\d{1,3}-year-old\s+and\s+$")
_AND_ONE_MORE = re.compile(r"\s+and\s+an?\s+" + _ONE_PERSON + r"\b(?!['’-])(?!\s+(?:was|who)\b)")
_SINGLE_HINT = re.compile(r"k(?<!\w.)ill|i(?<!\w.)njur|w(?<!\w.)ound|h(?<!\w.)urt|d(?<!\w.)ied|d(?<!\w.)ead")  # \b(?:kill|injur|wound|hurt), skipping ahead

# ---- dates and sources ---------------------------------------------------------------------

_QUOTE_MARK = re.compile(r"[”\"]")
_THE_EVENT = re.compile(
    r"^\W*(?:the|that|this)\s+(?:[\w-]+\s+){0,2}?(?:strike|attack|explosion|blast|shelling|bombardment|raid|"
    r"bombing)\b", re.I)
_ELSEWHERE_OPENS = re.compile(r"^\W*elsewhere\b", re.I)
_WHEN_AFTER = re.compile(r",?\s+when\s+(?:an?|the)\b", re.I)
# A toll told on: the figure counts victims of an event told elsewhere, whatever day it was said.
_UPDATE = WordSearch(
    r"toll|tally|risen|rose|rises|climbed|climbs|increased|increases|jumped|stood\s+at|stands\s+at|"
    r"remained\s+at|still|more\s+bodies|further\s+bodies|died\s+(?:later\s+)?(?:in|at)\s+(?:the\s+)?hospital|"
    r"died\s+of\s+(?:their|his|her)\s+(?:wounds|injuries)|remains?\s+in\s+(?:the\s+)?hospitals?|"
    r"still\s+in\s+(?:the\s+)?hospitals?|in\s+total|bringing\s+the|number\s+of\s+(?:people\s+)?(?:killed|dead|"
    r"injured|wounded|victims)|from\s+(?:the\s+)?(?:rubble|debris|ruins)|under\s+(?:the\s+)?(?:rubble|debris|ruins)")
# "after the attack", "in the strike": the event the article has told of.
# Counts the attack itself makes, like its casualties: "Due to the Russian attack, ... three
# apartment buildings were damaged" is dated by the attack told before.
_HIT_BY_THE_EVENT = (Category.BUILDINGS,)
_THE_EVENT_REF = WordSearch(
    "the|this|that", r"\s+(?:[\w-]+\s+){0,2}?(?:attack|strike|shelling|explosion|blast|bombing|bombardment|raid|barrage)\b")
_CONFIRMS = re.compile(
    r"^(?:the|this|that|it|these|those)\b[^.]{0,60}\b(?:confirmed|announced|reported|stated|said|"
    r"given|released)\b", re.I)


class _Num(NamedTuple):
    """A number phrase in a sentence (offsets relative to it): "at least 20", "between 10 and 15".
    A named tuple, not a dataclass: dozens are made per article and tuples are cheaper to build."""

    start: int           # where the phrase starts, qualifier included
    end: int
    num: str             # the number as written, without qualifier
    qual: str | None
    high: str | None     # the high end of a range as written


class _Found(NamedTuple):
    """A figure found in one sentence, offsets relative to that sentence."""

    start: int
    end: int
    value: int
    value_high: int | None
    qualifier: Qualifier
    category: Category
    counted: str
    head: str            # the counted noun, lower case, for "of the bodies" back-references
    partitive: bool      # "nine of the bodies": a part of a group counted before
    continues: bool = False  # "another 79", "a further 34": the same event as the figure before
    category_rule: str = ""  # the categorisation pass that decided (cat.*, docs/engine.md)


def extract_figures(article: Article, places: list[PlaceMention]) -> list[Figure]:
    """Every reported figure in an article, with its place, date and source. Counts that are no
    reported figure (Category.OTHER: populations, forces, weapons, towns) help read the figures
    around them and are then left out."""
    text = article.text
    lower = text.lower()
    if len(lower) == len(text):
        words = [m.start() for m in _NUMBER_WORD.finditer(lower)]
    else:
        words = [m.start() for m in _NUMBER_WORD_ANY_CASE.finditer(text)]
    hits = sorted([m.start() for m in _DIGIT_RUN.finditer(text)] + words)
    singles = [m.start() for r in (_SINGLE_SUBJECT, _SINGLE_OBJECT) for m in r.finditer(text)]
    if not hits and not singles:
        return []
    doc = Document(text)
    sents, starts = doc.sents, doc.starts
    by_sentence: dict[int, list[int]] = {}
    for h in hits:
        i = bisect_right(starts, h) - 1
        if i >= 0 and h < sents[i].end:
            by_sentence.setdefault(i, []).append(h - sents[i].start)
    for h in singles:
        i = bisect_right(starts, h) - 1
        if i >= 0 and h < sents[i].end:
            by_sentence.setdefault(i, [])
    ctx = PlaceContext(text, sents, places, _CANDIDATE_ANY_CASE)
    entries = entry_days(text, article.published)
    anchors = _Anchors(ctx, doc, article.published, entries)
    out: list[Figure] = []
    for i in sorted(by_sentence):
        sent = sents[i]
        last = out[-1] if out and out[-1].sentence_start >= sents[max(0, i - 3)].start else None
        found = _figures_in_sentence(sent.text, tuple(by_sentence[i]), _inheritable(last))
        if not found:
            continue
        followers = _followers(text, sents, i)
        tweet = tweet_signature(text, sent.start)
        who = attribute(sent.text, [s.text for s in followers])
        if who and i + 1 < len(sents) and _GENERIC_SPEAKER.match(who):
            who = named_speaker(who, sents[i + 1].text) or who
        if who is None and tweet is not None:
            who = tweet.handle
        context = _date_context(text, sent, followers, tweet)
        told = day_at(entries, sent.start, article.published) if entries else article.published
        said = statement_date(sent.text, told)
        reported = said.day if said is not None else told
        update = doc.has(_UPDATE, i)
        for f in found:
            place, place_rules = place_for(ctx, i, f, out, by_sentence, who)
            when, how = _sentence_date(sents, i, context, f.start, told)
            dated, how = _dated(ctx, anchors, i, f, when, how, out, place, update)
            start, end = span(dated.day, dated.precision, dated.end)
            out.append(Figure(
                article=article.id, start=sent.start + f.start, end=sent.start + f.end,
                value=f.value, value_high=f.value_high, qualifier=f.qualifier, category=f.category,
                counted=f.counted, quote=sent.text, sentence_start=sent.start,
                sentence_end=sent.end, place=place, attribution=who, event_date=start,
                time_precision=dated.precision, date_text=dated.text, date_end=end,
                reported=reported if reported is None or start is None or reported >= start else start,
                rules=(f.category_rule, *place_rules, *_date_rules(how, dated))))
    return [f for f in _without_headline_repeats(text, sents, _same_claim_dates(_same_claim_places(out)))
            if f.category is not Category.OTHER]


@lru_cache(maxsize=256)
def _figures_in_sentence(sentence: str, hits: tuple[int, ...],
                         previous: tuple[Category, str] | None = None) -> tuple[_Found, ...]:
    """The figures one sentence states, given where numbers may start in it. `previous` is
    (category, counted) of the figure just before it within three sentences, so that "Forensic
    experts have already examined 140" counts bodies.
    Only that one figure is ever consulted, so the result is memoised on it: a boilerplate line
    repeated from article to article ("... asked its allies for more 155mm artillery shells") is
    read once."""
    if _LINK_LINE.match(sentence) or (("seen" in sentence or "ide" in sentence or "oot" in sentence
                                        or "lip" in sentence) and _FOOTAGE.search(sentence)):
        return ()
    singles = _singles(sentence) if _SINGLE_HINT.search(sentence) else ()
    if singles:
        numbered = _numbered(sentence, hits, previous)
        if numbered:  # "... one in Ostrivske, where a man died when a drone hit his car": one already counted
            singles = [f for f in singles if f.category_rule != "cat.single-person-died"]
        found = [*numbered, *singles]
        return _one_more(sentence, tuple(sorted(found, key=lambda f: f.start)))
    return _one_more(sentence, _numbered(sentence, hits, previous))


def _one_more(sentence: str, found: tuple[_Found, ...]) -> tuple[_Found, ...]:
    """"Four women and a man were taken to hospital", "killed two soldiers and a civilian": the count and
    the one person named after it are one figure of N + 1."""
    if " and a" not in sentence:
        return found
    out: list[_Found] = []
    taken = -1
    for f in found:
        if f.start < taken:
            continue
        m = _AND_ONE_MORE.match(sentence, f.end) if f.category in CASUALTIES and f.value_high is None \
            and f.qualifier is Qualifier.EXACT and f.category_rule != "cat.single-person" else None
        if m is not None:
            f = f._replace(value=f.value + 1, end=m.end(), counted=f.counted + m.group())
            taken = m.end()
        out.append(f)
    return tuple(out)


def _singles(sentence: str) -> list[_Found]:
    """"A 72-year-old woman was killed", "killing a driver": one person (or "a man and a woman")."""
    out = []
    for r in (_SINGLE_SUBJECT, _SINGLE_OBJECT, _RELATIVE_OBJECT):
        if r is _RELATIVE_OBJECT and not out:
            continue  # "and injuring her husband" only after the one it is related to
        for m in r.finditer(sentence):
            verb = (m["verb"] or (m["wounds"] or m["died"] if r is _SINGLE_SUBJECT else None)).lower()
            category = Category.KILLED if verb.startswith(("kill", "died", "found")) else Category.INJURED
            pair = r is not _RELATIVE_OBJECT and m["pair"] is not None
            start = m.start("phrase")
            # "a 44-year-old and a 62-year-old man were injured": the first of the pair is written
            # without the noun the second gives them both
            elided = None if pair or r is _RELATIVE_OBJECT else _ELIDED_FIRST.search(sentence, max(0, start - 30), start)
            if elided is not None:
                pair, start = True, elided.start()
            phrase = re.sub(r"\s+", " ", sentence[start:m.end("phrase")])
            out.append(_Found(start, m.end("phrase"), 2 if pair else 1, None, Qualifier.EXACT,
                              category, phrase, phrase.rsplit(" ", 1)[-1].lower(), False,
                              category_rule="cat.single-person-died" if r is _SINGLE_SUBJECT and m["died"] else "cat.single-person"))
    return out


def _numbered(sentence: str, hits: tuple[int, ...], previous: tuple[Category, str] | None) -> tuple[_Found, ...]:
    """The figures of a sentence that start at a number."""
    nums: list[_Num] = []
    for h in hits:
        if nums and h < nums[-1].end:
            continue
        n = _number_at(sentence, h)
        if n is not None:
            nums.append(n)
    found: list[_Found] = []
    for k, n in enumerate(nums):
        limit = nums[k + 1].start if k + 1 < len(nums) else len(sentence)
        f = _figure_at(sentence, n, limit, (found[-1].category, found[-1].counted) if found else previous)
        if f is None and found and found[-1].category is Category.OTHER and _ELLIPSIS_AFTER.match(sentence, n.end):
            # "11 people were killed in Marhanets, a town of some 45,000 people, and two in Vilne"
            casualty = next((g for g in reversed(found) if g.category in CASUALTIES), None)
            if casualty is not None:
                f = _figure_at(sentence, n, limit, (casualty.category, casualty.counted))
        if f is not None:
            found.append(f)
    return tuple(found)


def _number_at(s: str, pos: int) -> _Num | None:
    """The number phrase starting at a candidate position, with its qualifier and range."""
    if s[pos].isalpha():
        widen = _WIDEN.search(s[max(0, pos - 12):pos])
        if widen:
            pos -= len(widen.group())
    if pos and (s[pos - 1] in _NOT_PRECEDED or s[pos - 1].isalnum() or s[pos - 1] == "_"):
        return None
    if pos > 1 and s[pos - 1] in ".," and s[pos - 2].isdigit():
        return None
    head = s[max(0, pos - 30):pos]
    ahead = s[pos:pos + 40]
    rng = _RANGE_AT.match(s, pos) if ("-" in ahead or "–" in ahead or " to " in ahead or " and " in ahead) else None
    if rng and (rng["sep"].lower() != "and" or _BETWEEN_BEFORE.search(head)) and not _FROM_BEFORE.search(head) \
            and (_value(rng["high"])[0] or 0) > (_value(rng["num"])[0] or 0) > 0:
        start = pos - len(_BETWEEN_BEFORE.search(head).group()) if rng["sep"].lower() == "and" else pos
        return _Num(start, rng.end(), rng["num"], None, rng["high"])
    m = _NUMBER_AT.match(s, pos)
    if m is None:
        return None
    last = head.rsplit(None, 1)[-1].lower() if head.strip() else ""
    q = _QUALIFIER_BEFORE.search(head) if last in _QUALIFIER_ENDS else None
    start = pos - len(q.group()) if q else pos
    return _Num(start, m.end(), m["num"], q.group().strip() if q else None, None)


def _figure_at(s: str, m: _Num, limit: int, previous: tuple[Category, str] | None) -> _Found | None:
    num = m.num
    before = s[max(0, m.start - 40):m.start]
    after = s[m.end:m.end + 40]
    if _NOT_AFTER.match(after) or _label_before(before):
        return None
    value, high = _value(num)
    if not value:
        return None  # "0 dead" says nobody was harmed: nothing to count or pin
    qualifier = _qualifier(m.qual, num)
    if m.high is not None:
        high, qualifier = _value(m.high)[0], Qualifier.ABOUT
    is_year = _YEAR.fullmatch(num) is not None
    c = _COUNTED.match(s, m.end)
    if c and c.end() > limit and c.start("head") >= limit:
        c = None
    if is_year and _YEAR_BEFORE.search(before[-12:]):
        return None
    if c is not None:
        if c["mods"] and (is_year or (_HEAD_CLASS.get(c["head"].lower()) == "military" and _DIGIT_IN.search(c["mods"]))):
            return None  # "2022 attacks"; "7 S-300 missiles": weapon models, counted by nobody here
        category, counted, category_rule = _category_of_phrase(s, m, c, limit, previous)
        head = c["head"].lower()
        partitive = bool(c["det"])
        end = c.end()
        if partitive and (category is Category.OTHER or not _PREDICATE.search(_window(s, c.end(), limit))):
            return None
    else:
        if is_year:
            return None
        category, counted, category_rule = _category_without_noun(s, m, limit, previous)
        if category is None:
            return None
        head, partitive, end = counted.split()[-1].lower() if counted else "", False, m.end
    if num.lower() == "one" and (category is Category.OTHER or _ONE_OF.match(s, m.end)):
        return None
    if value == 1 and high is None and qualifier is Qualifier.MORE_THAN:
        return None  # "more than one body": several, not a count
    phrase = s[m.start:m.end]
    start = m.start + len(_COPULA.match(phrase).group())
    continues = ("other" in before or "urther" in before or "dditional" in before) and bool(_CONTINUES.search(before))
    return _Found(start, end, value, high, qualifier, category, counted, head, partitive, continues, category_rule)


class _Counted:
    """A number with a counted noun ("12 civilians", "the bodies of 17 soldiers") and what the
    categorisation passes read around it; the window after it and its predicate are read only when
    a pass asks."""

    def __init__(self, s: str, m: _Num, c: re.Match, limit: int, previous: tuple[Category, str] | None) -> None:
        self.s, self.m, self.c, self.limit, self.previous = s, m, c, limit, previous
        self.cls = _head_class(c["head"])
        self.counted = c["phrase"].strip()
        self.before = s[max(0, m.start - 120):m.start]
        self.verb = _verb_before(self.before)

    @cached_property
    def window(self) -> str:
        return _window(self.s, self.c.end(), self.limit)

    @cached_property
    def predicate(self) -> re.Match | None:
        return _PREDICATE.search(self.window)


_Categorised = tuple[Category, str]


def _bodies_of(q: _Counted) -> _Categorised | None:
    """"the bodies of 17 Ukrainian soldiers" in a mass grave are bodies, whoever they were."""
    if not (q.verb and q.verb["bodies"] and q.cls != "place"):
        return None
    counted = f"{q.verb.group().strip()} {q.counted}"
    return (Category.KILLED if q.cls == "person" and _BODY_KILLED.found(q.window) else Category.BODIES), counted


def _place_noun(q: _Counted) -> _Categorised | None:
    """Homes hit are buildings; towns counted ("retook 30 towns") are no reported figure."""
    return (_buildings_or_other(q.before, q.window, q.c["head"]), q.counted) if q.cls == "place" else None


def _combatants(q: _Counted) -> _Categorised | None:
    """Combatants count as casualties only when the sentence says what happened to them; `counted`
    ("servicemen") keeps them apart from civilians in every view."""
    if not (q.cls == "military" or _MILITARY.search(q.counted)):
        return None
    if q.verb:
        return (Category.KILLED if q.verb["killed"] else Category.INJURED), q.counted
    if q.predicate:
        return _predicate_category(q.predicate), q.counted
    return Category.OTHER, q.counted


def _casualty_noun(q: _Counted) -> _Categorised | None:
    """"12 dead", "34 wounded", "5 missing", "3 graves": the noun says it ("of the dead were
    injured" is injured)."""
    if q.cls not in ("killed", "injured", "missing", "graves"):
        return None
    if q.cls == "killed" and q.c["det"] and q.predicate and q.predicate["injured"]:
        return Category.INJURED, q.counted
    return Category(q.cls), q.counted


def _explosives_noun(q: _Counted) -> _Categorised | None:
    """Mines, shells and explosive objects; ordnance only when the text says it was cleared."""
    if q.cls == "explosives":
        return Category.EXPLOSIVES, q.counted
    if q.cls == "ordnance":
        cleared = _CLEARED.search(q.before) or _CLEARED.search(q.window)
        return (Category.EXPLOSIVES if cleared else Category.OTHER), q.counted
    return None


def _bodies_noun(q: _Counted) -> _Categorised | None:
    """Bodies, unless the sentence says they were killed there ("12 bodies ... had been executed")."""
    if q.cls != "bodies":
        return None
    return (Category.KILLED if _BODY_KILLED.found(q.window) else Category.BODIES), q.counted


def _verb_before_people(q: _Counted) -> _Categorised | None:
    """People: "killing 12 civilians", "wounded 4 residents"."""
    return ((Category.KILLED if q.verb["killed"] else Category.INJURED), q.counted) if q.verb else None


def _predicate_after(q: _Counted) -> _Categorised | None:
    """People: "12 civilians were killed"."""
    pred = q.predicate if q.cls == "person" else None
    return (_predicate_category(pred), q.counted) if pred else None


def _toll_of(q: _Counted) -> _Categorised | None:
    """"the death toll rose to 28 people"."""
    return (Category.KILLED, q.counted) if _toll_before(q.before) else None


def _including_people(q: _Counted) -> _Categorised | None:
    """"..., including 5 children": a part of the casualty count just before."""
    before, previous = q.before, q.previous
    if _last_word(before).rstrip(",") in _INCLUDING_ENDS and _INCLUDING.search(before, max(0, len(before) - 40)) \
            and previous and previous[0] in CASUALTIES:
        return previous[0], q.counted
    return None


def _late_predicate(q: _Counted) -> _Categorised | None:
    """What happened to them, said further on in the clause."""
    late = _PREDICATE_LATE.search(q.window)
    return (_predicate_category(late), q.counted) if late else None


def _part_of_group(q: _Counted) -> _Categorised | None:
    """"Of them, 17 are children", "Among the dead were 3 children"."""
    part = _part_of(q.before, q.previous)
    return (part, q.counted) if part is not None else None


def _rescued_evacuated_or_other(q: _Counted) -> _Categorised:
    return _rescued_or_evacuated(q.before, q.window), q.counted


# A counted noun's category: the first pass that answers decides. What the noun itself is comes
# first (bodies of, places, combatants, casualty words, explosives, bodies), then for people what
# the sentence says happened to them, nearest first; "other" (a population, people present) is
# what is left and is never a reported figure. The pass's id (cat.<name>) is the figure's first rule.
PHRASE_PASSES: tuple[tuple[str, Callable[[_Counted], _Categorised | None]], ...] = (
    ("bodies-of", _bodies_of),
    ("place-noun", _place_noun),
    ("combatants", _combatants),
    ("casualty-noun", _casualty_noun),
    ("explosives-noun", _explosives_noun),
    ("bodies-noun", _bodies_noun),
    ("verb-before", _verb_before_people),
    ("predicate-after", _predicate_after),
    ("toll-of", _toll_of),
    ("including", _including_people),
    ("late-predicate", _late_predicate),
    ("part-of-group", _part_of_group),
    ("rescued-evacuated-or-other", _rescued_evacuated_or_other),
)
_PHRASE_STEPS = tuple((f"cat.{name}", step) for name, step in PHRASE_PASSES)


def _category_of_phrase(s: str, m: _Num, c: re.Match, limit: int,
                        previous: tuple[Category, str] | None) -> tuple[Category, str, str]:
    q = _Counted(s, m, c, limit, previous)
    for rule, step in _PHRASE_STEPS:
        found = step(q)
        if found is not None:
            return found[0], found[1], rule
    raise AssertionError("the last phrase pass always answers")


def _part_of(before: str, previous: tuple[Category, str] | None) -> Category | None:
    """The category of the group a count is a part of: "Of them, 17 are children", "Of the injured,
    three are in critical condition", "Among the dead were 3 children"; "...; 5 were women"
    continues the casualty count just before."""
    fronted = _FRONTED_PART.search(before[-60:]) if "of" in before[-60:].lower() or "among" in before[-60:].lower() else None
    if fronted:
        group = (fronted["group"] or "").lower()
        if group:
            return Category.INJURED if group in ("injured", "wounded") else Category.KILLED
        if previous and previous[0] in CASUALTIES:
            return previous[0]
    return None


def _rescued_or_evacuated(before: str, window: str) -> Category:
    """People counted with nothing said of their harm: rescued ("pulled 46 survivors"), evacuated,
    or no reported figure at all (OTHER: a population, people present)."""
    verb = before[-45:]
    if _RESCUED.search(verb) or _RESCUED.search(window):
        return Category.RESCUED
    if _EVACUATED.search(verb) or _EVACUATED.search(window):
        return Category.EVACUATED
    return Category.OTHER


def _buildings_or_other(before: str, window: str, head: str) -> Category:
    """Homes, houses or buildings the text says were hit, damaged or destroyed are BUILDINGS;
    towns, villages and other places counted ("retook 30 towns") are no reported figure."""
    words = re.sub(r"[\s-]+", " ", head.lower()).split()
    if not words or words[-1] not in _BUILDING_HEADS:
        return Category.OTHER
    return Category.BUILDINGS if _DAMAGED.search(before[-45:]) or _DAMAGED.search(window) else Category.OTHER


class _Bare:
    """A number with no counted noun after it ("12 were killed", "and one in Kurakhove") and the
    figure just before it, which it often continues."""

    def __init__(self, s: str, m: _Num, limit: int, previous: tuple[Category, str] | None) -> None:
        self.s, self.m, self.limit, self.previous = s, m, limit, previous
        self.before = s[max(0, m.start - 120):m.start]
        self.of_them = _OF_THEM.match(s, m.end)
        self.copula = _COPULA_PART.match(s, m.end)

    @property
    def casualty_before(self) -> bool:
        return bool(self.previous) and self.previous[0] in CASUALTIES


def _bare_predicate(q: _Bare) -> _Categorised | None:
    """"12 killed", "3 missing"."""
    bare = _BARE_PREDICATE.match(q.s, q.m.end)
    if not bare:
        return None
    verb = bare["verb"].lower()
    cat = (Category.KILLED if verb in ("killed", "died", "dead", "executed", "murdered", "drowned")
           else Category.MISSING if verb == "missing" else Category.INJURED)
    return cat, verb


def _of_them_noun(q: _Bare) -> _Categorised | None:
    """"... killed 20 people; 7 of them children"."""
    return (q.previous[0], q.of_them["noun"]) if q.of_them and q.casualty_before and q.of_them["noun"] else None


def _copula_part(q: _Bare) -> _Categorised | None:
    """"Of them, 17 are children"; "The attack killed 51 people; 32 were women"."""
    if not q.copula:
        return None
    part = _part_of(q.before, q.previous)
    if part is not None:
        return part, q.copula["noun"]
    if q.casualty_before and (not q.before.strip() or q.before.rstrip()[-1:] in ";,"):
        return q.previous[0], q.copula["noun"]
    return None


def _of_them_happened(q: _Bare) -> _Categorised | None:
    """"Twenty were injured; 10 of them died", "about 60 residents stayed, and 11 of them are listed
    as missing": what happened to the part decides, whatever the whole was counted for."""
    if not (q.of_them and q.previous):
        return None
    pred = _PREDICATE.search(_window(q.s, q.of_them.end(), q.limit))
    if pred:
        return _predicate_category(pred), q.previous[1]
    return q.previous if q.casualty_before and _OF_THEM_AT.match(q.s, q.of_them.end()) else None


def _ellipsis(q: _Bare) -> _Categorised | None:
    """"Two people were killed in Selydove and one in Kurakhove"."""
    if q.casualty_before and _ELLIPSIS_BEFORE.search(q.before[-14:]) and _ELLIPSIS_AFTER.match(q.s, q.m.end):
        return q.previous
    return None


def _fronted_ellipsis(q: _Bare) -> _Categorised | None:
    """"In Kharkiv, 3 were killed; in Izium, 2": a count after a fronted place continues the one before."""
    s, m, before = q.s, q.m, q.before
    if q.casualty_before and ", " in before[-3:] and _FRONTED_ELLIPSIS.search(before[-70:]) \
            and OBJECT_END.match(s, m.end) and not _CANDIDATE.search(s, m.end, m.end + 2):
        return q.previous
    return None


def _toll_value(q: _Bare) -> _Categorised | None:
    """"the death toll rose to 28": the toll's own words say what it counts."""
    toll = _toll_before(q.s[max(0, q.m.start - 240):q.m.start])
    if not toll or re.search(r"\b(?:by|since|from|in)\s*$", q.before):
        return None
    for name in ("killed", "injured", "bodies", "graves"):
        if toll[name]:
            phrase = re.sub(r"\s+", " ", toll[name])
            return Category(name), phrase.split(" of ")[-1].removeprefix("the ")
    return None


def _verb_object(q: _Bare) -> _Categorised | None:
    """"killing 12.", "wounded 4,": the number is the verb's object."""
    verb = _verb_before(q.before)
    if verb and not verb["bodies"] and _BARE_OBJECT_END.match(q.s, q.m.end):
        return (Category.KILLED if verb["killed"] else Category.INJURED), "people"
    return None


def _object_of_previous(q: _Bare) -> _Categorised | None:
    """"found 40 bodies and exhumed 12": the verb's object counted like the figure before."""
    s, m, before, previous = q.s, q.m, q.before, q.previous
    if _last_word(before) in _OBJECT_VERB_ENDS and _OBJECT_VERB.search(before, max(0, len(before) - 40)) \
            and previous and OBJECT_END.match(s, m.end, m.end + 60) and previous[0] is not Category.OTHER:
        return previous
    return None


# A number with no counted noun: the first pass that answers decides; none answering means the
# number is not a figure. The pass's id (cat.<name>) is the figure's first rule.
BARE_PASSES: tuple[tuple[str, Callable[[_Bare], _Categorised | None]], ...] = (
    ("bare-predicate", _bare_predicate),
    ("of-them-noun", _of_them_noun),
    ("copula-part", _copula_part),
    ("of-them-happened", _of_them_happened),
    ("ellipsis", _ellipsis),
    ("fronted-ellipsis", _fronted_ellipsis),
    ("toll-value", _toll_value),
    ("verb-object", _verb_object),
    ("object-of-previous", _object_of_previous),
)
_BARE_STEPS = tuple((f"cat.{name}", step) for name, step in BARE_PASSES)


def _category_without_noun(s: str, m: _Num, limit: int,
                           previous: tuple[Category, str] | None) -> tuple[Category | None, str, str]:
    q = _Bare(s, m, limit, previous)
    for rule, step in _BARE_STEPS:
        found = step(q)
        if found is not None:
            return found[0], found[1], rule
    return None, "", ""


def _last_word(before: str) -> str:
    words = before[-40:].rsplit(None, 1)
    return words[-1].lower() if words else ""


def _verb_before(before: str) -> re.Match | None:
    """The verb whose object the number is ("killing 12", "among the dead were"), if any."""
    if _last_word(before) not in _VERB_BEFORE_ENDS:
        return None
    return _VERB_BEFORE.search(before, max(0, len(before) - 60))


def _toll_before(before: str) -> re.Match | None:
    """A death toll or "number of victims" the number is the value of, if any."""
    low = before.lower()
    if "toll" not in low and "number" not in low and "fatalities" not in low:
        return None
    return _TOLL_BEFORE.search(before)


@lru_cache(maxsize=512)
def _head_class(written: str) -> str:
    """The class of a counted noun as written ("Explosive  devices" -> "explosives"); memoised."""
    head = re.sub(r"[\s-]+", " ", written.lower())
    return _HEAD_CLASS.get(head) or _HEAD_CLASS.get(head.replace(" ", "-")) or _class_by_pattern(head)


def _class_by_pattern(head: str) -> str:
    for cls, heads in _HEADS.items():
        if any(re.fullmatch(h, head, re.I) for h in heads):
            return cls
    return "person"


def _predicate_category(pred: re.Match) -> Category:
    if pred.re is _PREDICATE_LATE:
        return Category.INJURED if pred["hospital"] else Category.MISSING
    if pred["killed"]:
        return Category.KILLED
    if pred["injured"] or pred["hospital"]:
        return Category.INJURED  # "12 people remain in hospital": the wounded still treated
    if pred["buried"]:
        return Category.BODIES  # "116 people were buried in a mass grave"
    return Category.MISSING


def _window(s: str, start: int, limit: int) -> str:
    """The rest of the clause after a counted noun, up to the next number (past an aside that
    holds one): its predicate."""
    aside = _ASIDE.match(s, start) if s[start:start + 3].lstrip()[:1] in (",", "—", "–", "(") else None
    if aside:
        start, limit = aside.end(), len(s)
    w = s[start:min(limit, start + 110)]
    end = _CLAUSE_END.search(w)
    return w[:end.start()] if end else w


@lru_cache(maxsize=1024)
def _value(num: str) -> tuple[int | None, int | None]:
    """(value, value_high) of a number as written; memoised, since the same numbers recur."""
    n = re.sub(r"\s+", " ", num.lower())
    if n in _VAGUE:
        return _VAGUE[n]
    if n == "a dozen":
        return 12, None
    digits = re.fullmatch(r"([\d,]+(?:\.\d+)?)(?: (million|thousand))?", n)
    if digits:
        written = digits[1].replace(",", "")
        if len(written.partition(".")[0]) > _MAX_DIGITS:
            return None, None  # a 401-digit number: no arithmetic at all on it
        v = Decimal(written) * _SCALES.get(digits[2] or "", 1)
        return _count(int(v.to_integral_value(ROUND_HALF_EVEN)))
    total, current = 0, 0
    for word in re.split(r"[\s-]+", n):
        if word == "and":
            continue
        if word in ("a", "one"):
            current += 1
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in ("thousand", "million"):
            total += max(current, 1) * _SCALES[word]
            current = 0
        else:
            return None, None
    return _count(total + current)


def _count(value: int) -> tuple[int | None, None]:
    """A value as a count, or none when it is bigger than anything a report counts."""
    return (value, None) if value <= MAX_COUNT else (None, None)


@lru_cache(maxsize=256)
def _qualifier(qual: str | None, num: str) -> Qualifier:
    """The qualifier of a number phrase ("at least" -> AT_LEAST); memoised, few phrases recur."""
    if qual:
        found = _qualifier_of(" ".join(qual.lower().split()))
        if found is not None:
            return found
    if num.lower() in _VAGUE or num.lower().startswith("a dozen"):
        return Qualifier.ABOUT
    return Qualifier.EXACT


@lru_cache(maxsize=64)
def _qualifier_of(q: str) -> Qualifier | None:
    for qualifier, pattern in _QUALIFIER_OF:
        if pattern.match(q):
            return qualifier
    return None


def _inheritable(f: Figure | None) -> tuple[Category, str] | None:
    """(category, counted noun) of a figure: "bodies of dead civilians" passes on "bodies"."""
    if f is None:
        return None
    head = _HEAD_IN.search(f.counted)
    return f.category, head.group() if head else f.counted


# ---- context: followers, dates -------------------------------------------------------------

def _followers(text: str, sents: list[Sentence], i: int) -> list[Sentence]:
    """The next few sentences of the same paragraph (where quotes close and claims are confirmed);
    for a paragraph's last sentence, the next one when it confirms the claim."""
    out = []
    for j in range(i + 1, min(len(sents), i + 5)):
        if not same_paragraph(text, sents[i], sents[j]):
            break
        out.append(sents[j])
    if not out and i + 1 < len(sents) and _CONFIRMS.match(sents[i + 1].text):
        out.append(sents[i + 1])
    return out


def _date_context(text: str, sent: Sentence, followers: list[Sentence], tweet) -> str:
    """Other text dating the same claim: a tweet's signature, the closing attribution of a quote,
    or a next sentence confirming it ("The development was confirmed ... on Sunday")."""
    if tweet is not None:
        return text[tweet.start:tweet.end]
    if not followers:
        return ""
    if sent.text.lstrip().startswith(("“", '"')):
        for f in followers:
            close = _QUOTE_MARK.search(f.text)
            if close:
                return f.text[close.start():]
        return ""
    if _CONFIRMS.match(followers[0].text) and not _CANDIDATE.search(followers[0].text.lower()):
        return followers[0].text
    return ""


def _sentence_date(sents: list[Sentence], i: int, context: str, at: int | None,
                   published: date | None) -> tuple[EventDate, str]:
    """The date sentence `i` gives a figure (the one nearest it, `at`, when it has several), with
    the pass that found it: its own words (`date.sentence`), the text confirming it
    (`date.context`), or, when its own date is that of a statement, the event the next sentence
    dates (`date.event-not-statement`)."""
    when = event_date(sents[i].text, "", published, at)
    if at is not None and at > sents[i].text.find(when.text) >= 0:
        shifted = _event_day(sents[i].text, published, when)
        if shifted is not when:
            return shifted, "date.sentence"
    if when.precision is TimePrecision.ARTICLE and context:
        when = event_date("", context, published)
        return when, "date.context" if when.precision is not TimePrecision.ARTICLE else "date.article"
    if when.precision is TimePrecision.DAY and i + 1 < len(sents):
        event = _event_not_statement(sents[i].text, sents[i + 1].text, when, published)
        if event is not when:
            return event, "date.event-not-statement"
    return when, "date.sentence" if when.precision is not TimePrecision.ARTICLE else "date.article"


def _event_not_statement(sentence: str, following: str, when, published):
    """"..., officials said Saturday. The strike late Friday hit ...", "... has risen to 23, the
    service reported on April 29. Rescuers have been clearing the debris since April 28, when a
    missile hit it": a date on the verb of saying dates the statement; the next sentence, when it
    dates the event itself, says when it happened."""
    if not is_statement_date(sentence, when):
        return when
    event = event_date(following, "", published)
    if event.precision is not TimePrecision.DAY or event.day == when.day:
        return when
    at = following.find(event.text)
    if _THE_EVENT.match(following) or _WHEN_AFTER.match(following, at + len(event.text)):
        return event
    return when


def _dated(ctx: PlaceContext, anchors: _Anchors, i: int, f: _Found, when: EventDate, how: str,
           earlier: list[Figure], place: PlaceMention | None, update: bool) -> tuple[EventDate, str]:
    """The date of the event a figure counts and the pass that decided it (docs/dates.md), by an
    ordered chain: words dating it from an event told just before ("The day before, ...", "On the
    same day": `date.anchored-shift`); for an update of a casualty toll ("rose to 17 on Thursday",
    "two more bodies were recovered overnight", "28 remain in hospital", "16 people were missing
    as of this morning"), the event it updates (`date.toll-update-back-reference`); the sentence's
    own date (`how`); for a casualty count of "the attack", the attack the article told of
    (`date.event-reference`); then dates inherited from the text around it (`_inherited_date`);
    last, the article's dated event at the figure's town (`date.town-event`)."""
    published = anchors.published
    shift = anchored(ctx.sents[i].text)
    if shift is not None and (when.precision is TimePrecision.ARTICLE or shift[1] in when.text or when.text in shift[1]):
        before = anchors.before(i, earlier)
        if before is not None:
            return EventDate(before + timedelta(days=shift[0]), TimePrecision.DAY, shift[1]), "date.anchored-shift"
    casualty = f.category in CASUALTIES
    sentence = ctx.sents[i].text
    statement = when.precision is not TimePrecision.ARTICLE and is_statement_date(sentence, when)
    if casualty and (update or statement) and (when.precision is TimePrecision.ARTICLE or statement
                                               or _reporting_day(when, published) or not anchors.doc.has(VIOLENCE, i)):
        event = anchors.event(i, place, broad=True)
        if event is not None and (when.day is None or event.day <= when.day):
            return event, "date.toll-update-back-reference"
    if casualty and update and when.precision is TimePrecision.WEEK:
        # "The death toll from this week's bombardment has risen to 31": the strike the article dates in that week.
        event = anchors.event(i, place, broad=True)
        if event is not None and event.precision is TimePrecision.DAY \
                and when.day <= event.day <= (when.end or when.day + timedelta(days=6)):
            return event, "date.toll-update-back-reference"
    if when.precision is not TimePrecision.ARTICLE:
        return when, how
    lead = next((g for g in earlier if g.category in CASUALTIES), None) if _ELSEWHERE_OPENS.match(sentence) else None
    if casualty and lead is not None and lead.time_precision is TimePrecision.DAY:
        # "A drone attack on Kyiv overnight killed five. Elsewhere, another person was killed in Bila Tserkva":
        # the time of the lead story, told on elsewhere; not a day the sentences after it recall.
        return EventDate(lead.event_date, TimePrecision.DAY, lead.date_text), "date.elsewhere-same-time"
    if (casualty or f.category in _HIT_BY_THE_EVENT) and anchors.doc.has(_THE_EVENT_REF, i):
        # "Twelve people sought medical help after the attack", "In Kharkiv, the barrage injured
        # 40": the attack told before, not the day the sentence before happens to give.
        event = anchors.event(i, place, broad=True, anywhere=True)
        if event is not None:
            return event, "date.event-reference"
    told = anchors.told.sync(earlier)
    day, precision, words, rule = _inherited_date(ctx, i, f, earlier, (when.day, when.precision, when.text), place, told)
    if precision is not TimePrecision.ARTICLE:
        return EventDate(day, precision, words), rule
    if casualty:
        event = anchors.event(i, place, broad=False)
        if event is not None:
            return event, "date.town-event"
        at_town = _one_day_at(told, place)
        if at_town is not None:
            return at_town, "date.town-told"
        if place is None and anchors.one_day is not None:
            # "The 40 dead include three children" a paragraph after the strike: the article dates
            # one strike, and a toll it restates with no day and no place is that strike's.
            return anchors.one_day, "date.article-event"
    return when, "date.article"


def _one_day_at(told: "_Told", place: PlaceMention | None) -> EventDate | None:
    """The day the article's earlier casualty figures at this town all count ("63 were killed when
    rockets hit the barracks in Makiivka on New Year's Day", then paragraphs on "Ukraine's military
    says about 400 were killed"): one strike at the town, which a later toll there restates."""
    if place is None or not is_town(place):
        return None
    days, last = told.town_days.get(place.name), told.town_day_last.get(place.name)
    if not days or len(days) != 1:
        return None
    return EventDate(last.event_date, TimePrecision.DAY, last.date_text)


class _Told:
    """What the figures found so far say, for the rules that look back over them: the last dated
    casualty figure of each town, of each region and of each country, and the days a town's are
    dated to. Kept up to date as figures are added (they come in the order of their sentences),
    so that looking back costs a lookup, not a walk over every earlier figure: a run-on sentence
    of 1,500 figures walked 1,500 times."""

    def __init__(self) -> None:
        self.seen = 0
        self.town_last: dict[str, Figure] = {}              # by place name; any precision but the article's
        self.town_day_last: dict[str, Figure] = {}          # by place name, dated to the day
        self.town_days: dict[str, set] = {}
        self.area_day_last: dict[tuple[str, str], Figure] = {}          # (country, admin1), to the day
        self.area_last: dict[str, dict[str, tuple[int, Figure]]] = {}   # country -> admin1 -> last
        self.country_last: dict[str, tuple[int, Figure]] = {}

    def sync(self, earlier: list[Figure]) -> "_Told":
        for k in range(self.seen, len(earlier)):
            g = earlier[k]
            if g.place is None or g.category not in CASUALTIES or g.time_precision is TimePrecision.ARTICLE:
                continue
            day = g.time_precision is TimePrecision.DAY
            self.town_last[g.place.name] = g
            if day:
                self.town_day_last[g.place.name] = g
                self.town_days.setdefault(g.place.name, set()).add(g.event_date)
            if g.place.precision is Precision.COUNTRY:
                self.country_last[g.place.country] = (k, g)
            elif is_area(g.place):
                self.area_last.setdefault(g.place.country, {})[g.place.admin1] = (k, g)
                if day and "geoparse.raion" not in g.place.rules:  # a raion's figure is no regional total
                    self.area_day_last[(g.place.country, g.place.admin1)] = g
        self.seen = len(earlier)
        return self

    def national_total(self, place: PlaceMention) -> Figure | None:
        """The last dated casualty figure of the place's country, or of one of its other regions."""
        found = [kg for a, kg in self.area_last.get(place.country, {}).items() if a != place.admin1]
        if place.country in self.country_last:
            found.append(self.country_last[place.country])
        return max(found, key=lambda kg: kg[0])[1] if found else None


def _date_rules(how: str, dated: EventDate) -> tuple[str, ...]:
    """The rule ids a figure's date records: the pass that decided it, then the kind of words it
    was read from ("date.weekday-anchor", "date.day-month", ...) when they say more."""
    return (how, dated.rule) if dated.rule and dated.rule != how else (how,)


_OF_THE_END = re.compile(r"\bof(?: the)? $", re.I)


def _same_claim_places(figures: list[Figure]) -> list[Figure]:
    """A casualty count of two or more that nothing places (a quote, "Three civilians have been killed,"
    the governor said; a standfirst) is the claim another sentence places with the same value and
    category, when every such sentence places it at the same place."""
    placed: dict[tuple, set[str]] = {}
    where: dict[tuple, PlaceMention] = {}
    for f in figures:
        at = f.start - f.sentence_start  # "3 of the 5 killed": a back-reference (the words just before, not the sentence)
        whole = _OF_THE_END.search(f.quote, max(0, at - 12), at)
        if f.place is not None and f.category in CASUALTIES and whole is None:
            placed.setdefault((f.value, f.category), set()).add(f.place.name)
            where[(f.value, f.category)] = f.place
    out = list(figures)
    for k, f in enumerate(figures):
        key = (f.value, f.category)
        if f.place is None and f.value >= 2 and "place.none" in f.rules and len(placed.get(key, ())) == 1:
            out[k] = replace(f, place=where[key], rules=tuple(
                "place.same-claim" if r == "place.none" else r for r in f.rules))
    return out


def _same_claim_dates(figures: list[Figure]) -> list[Figure]:
    """A figure dated only by its statement ("... killed two people in Huliaipole, officials said on
    Tuesday") takes the date another sentence gives the same claim (same value, category and place:
    "the two dead in Huliaipole ... were hit on Monday evening"), when that is up to a week earlier."""
    claims: dict[tuple, list[int]] = {}
    for k, f in enumerate(figures):
        if f.time_precision is TimePrecision.DAY:
            claims.setdefault((f.value, f.category, f.place.name if f.place else None), []).append(k)
    out = list(figures)
    for ks in claims.values():
        if len(ks) < 2:
            continue
        said = [k for k in ks if is_statement_date(figures[k].quote, _as_event_date(figures[k]))]
        told = [figures[k] for k in ks if k not in said]
        for k in said:
            f = figures[k]
            event = next((g for g in told if g.event_date <= f.event_date
                          and (f.event_date - g.event_date).days <= 7), None)
            if event is not None:
                out[k] = replace(f, event_date=event.event_date, date_end=event.date_end,
                                 time_precision=event.time_precision, date_text=event.date_text,
                                 rules=(*_without_date_rules(f.rules), "date.same-claim"))
    return out


def _without_date_rules(rules: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(r for r in rules if not r.startswith("date."))


def _as_event_date(f: Figure) -> EventDate:
    return EventDate(f.event_date, f.time_precision, f.date_text)


def _reporting_day(when: EventDate, published: date | None) -> bool:
    """A date that is the day of the report itself ("overnight", "today" in the day's copy)."""
    return when.precision is TimePrecision.DAY and when.day == published


@dataclass(frozen=True)
class _EventIndex:
    """The sentences of an article's dated events (in order): all, those naming no place, and by
    each place they name; `at` gives the event of a sentence."""
    at: dict[int, EventDate]
    named: dict[str, list[int]]
    nameless: list[int]
    every: list[int]


def _nearest(js: list[int], i: int) -> int:
    """Of sentence numbers in order (not empty), the nearest to `i`, before it (or `i`) first."""
    k = bisect_right(js, i)
    return js[k - 1] if k else js[0]


class _Anchors:
    """The events an article dates: sentences with a word of violence (strike, shelling,
    killed, ...) and a date of the event itself (not of a statement), with the places they name.
    Worked out once per article, and only when a figure asks."""

    def __init__(self, ctx: PlaceContext, doc: Document, published: date | None, entries: list = ()) -> None:
        self.ctx, self.doc, self.published, self.entries = ctx, doc, published, entries
        self.told = _Told()

    @cached_property
    def events(self) -> list[tuple[int, EventDate, frozenset[str]]]:
        out = []
        ctx = self.ctx
        for j, sent in enumerate(ctx.sents):
            if not self.doc.has(VIOLENCE, j):
                continue
            found = _event_day(sent.text, day_at(self.entries, sent.start, self.published))
            if found.precision not in (TimePrecision.DAY, TimePrecision.RANGE) or is_statement_date(sent.text, found) \
                    or (anchored(sent.text) is not None and found.rule != "date.day-after-shift"):
                continue
            k = bisect_right(ctx.place_starts, sent.start - 1)
            names = set()
            while k < len(ctx.places) and ctx.places[k].start < sent.end:
                if ctx.places[k].precision is not Precision.COUNTRY:
                    names.add(ctx.places[k].name)
                k += 1
            out.append((j, found, frozenset(names)))
        for k in range(len(out) - 1):
            (j, found, names), (j2, found2, _) = out[k], out[k + 1]
            if found.text.lower() == "overnight" and j2 == j + 1 and found2.precision is TimePrecision.DAY \
                    and found2.day < found.day and same_paragraph(ctx.text, ctx.sents[j], ctx.sents[j2]):
                # "... struck in the overnight attack. He described the strike as a direct hit ... Thursday":
                # the next sentence says which night it was; "overnight" alone is only the latest one.
                out[k] = (j, found2, names)
        return out

    @cached_property
    def one_day(self) -> EventDate | None:
        """The event the article dates when all its dated events fall on one day, else None."""
        days = {found.day for _, found, _ in self.events if found.precision is TimePrecision.DAY}
        if len(days) != 1 or len(days) != len({found.day for _, found, _ in self.events}):
            return None
        return self.events[0][1]

    def event(self, i: int, place: PlaceMention | None, broad: bool, anywhere: bool = False) -> EventDate | None:
        """The dated event a figure of sentence `i` at `place` belongs to: the nearest one (before
        it first) naming its place, or told in the sentence right before or after it, whatever
        places that names ("... in Sloviansk rose to 11 on Saturday." then "Twenty-one people were
        wounded in Friday's attack"); when `broad` (a toll update) or the place is the article's
        topic town, also one naming no place at all ("The missiles struck ... on Friday"); for an
        update with no place (or `anywhere`: "the attack" names the event told), the nearest dated
        event of any place. Read from the events' sentence numbers by bisection: each figure used
        to rank every dated event."""
        topic = self.ctx.topic
        loose = broad or place is None or (topic is not None and topic.name == place.name)
        index = self._index
        near = [j for j in (i - 1, i + 1) if j in index.at]
        if place is not None and place.name in index.named:
            near.append(_nearest(index.named[place.name], i))
        if near:
            return index.at[min(near, key=lambda j: (j > i, abs(j - i)))]
        if loose and index.nameless:
            return index.at[_nearest(index.nameless, i)]
        if ((place is None and broad) or anywhere) and index.every:
            return index.at[_nearest(index.every, i)]
        return None

    @cached_property
    def _index(self) -> "_EventIndex":
        at = {j: found for j, found, _ in self.events}
        named: dict[str, list[int]] = {}
        for j, _, names in self.events:
            for name in names:
                named.setdefault(name, []).append(j)
        return _EventIndex(at, named, [j for j, _, names in self.events if not names], [j for j, _, _ in self.events])

    def before(self, i: int, earlier: list[Figure]) -> date | None:
        """The day of the event told just before sentence `i`: the previous sentence of its
        paragraph when that one dates an event to the day, else the last figure of the previous
        two paragraphs dated to the day, else the last event dated to the day before it."""
        ctx = self.ctx
        if i > 0 and same_paragraph(ctx.text, ctx.sents[i - 1], ctx.sents[i]):
            found = event_date(ctx.sents[i - 1].text, "", self.published)
            if found.precision is TimePrecision.DAY and not is_statement_date(ctx.sents[i - 1].text, found):
                return found.day
        para = _paragraphs_back(ctx.text, ctx.sents[i].start, 2)
        for g in reversed(earlier):
            if g.sentence_start < para:
                break
            if g.time_precision is TimePrecision.DAY and g.sentence_start < ctx.sents[i].start:
                return g.event_date
        told = [found for j, found, _ in self.events if j < i and found.precision is TimePrecision.DAY]
        return told[-1].day if told else None


def _paragraphs_back(text: str, pos: int, n: int) -> int:
    """Where the paragraph `n` paragraphs before the one holding `pos` starts (blank lines
    between paragraphs count as one break)."""
    start = text.rfind("\n", 0, pos) + 1
    for _ in range(n):
        if start <= 0:
            return 0
        end = len(text[:start].rstrip("\n"))
        start = text.rfind("\n", 0, end) + 1
    return start


def _inherited_date(ctx: PlaceContext, i: int, f: _Found, earlier: list[Figure],
                    fallback: tuple, place: PlaceMention | None, told: _Told) -> tuple:
    """A date for a figure whose sentence gives none: the figure it continues ("another 79",
    "a further 34"), else the previous sentence of its paragraph when that one is dated, else a
    dated casualty figure at the same town in this or the previous paragraph (the same event
    told on: "Four people ... were killed when the shell landed" after "killed on Sunday")."""
    if f.continues and earlier and earlier[-1].time_precision is not TimePrecision.ARTICLE:
        g = earlier[-1]
        return g.event_date, g.time_precision, g.date_text, "date.continues"
    published = fallback[0]
    if i > 0 and same_paragraph(ctx.text, ctx.sents[i - 1], ctx.sents[i]):
        found = event_date(ctx.sents[i - 1].text, "", published)
        if found.precision is not TimePrecision.ARTICLE and not is_statement_date(ctx.sents[i - 1].text, found):
            return found.day, found.precision, found.text, "date.previous-sentence"
        same = anchored(ctx.sents[i - 1].text) if found.precision is TimePrecision.ARTICLE else None
        if same is not None and same[0] == 0 and i > 1 and same_paragraph(ctx.text, ctx.sents[i - 2], ctx.sents[i]):
            # "On March 6, sappers demined 16 hectares. On the same day, they inspected ... . Sappers also
            # defused 293 explosive munitions.": the day the "same day" refers back to.
            found = event_date(ctx.sents[i - 2].text, "", published)
            if found.precision is TimePrecision.DAY and not is_statement_date(ctx.sents[i - 2].text, found):
                return found.day, found.precision, found.text, "date.previous-sentence"
    if place is not None and is_town(place) and f.category in CASUALTIES:
        para = ctx.text.rfind("\n", 0, ctx.sents[i].start)
        before = ctx.text.rfind("\n", 0, max(0, para)) if para > 0 else -1
        g = told.town_last.get(place.name)
        if g is not None and g.sentence_start > before:
            return g.event_date, g.time_precision, g.date_text, "date.same-town"
    if place is not None and is_town(place) and f.category in CASUALTIES:
        # "Russian attacks against Donetsk Oblast killed six ... on Oct. 8" and then, town by town,
        # where: the breakdown of a dated regional total takes its date (a raion's figure is no such total).
        para = ctx.text.rfind("\n", 0, ctx.sents[i].start)
        for _ in range(2):
            para = ctx.text.rfind("\n", 0, max(0, para))
        g = told.area_day_last.get((place.country, place.admin1))
        if g is not None and g.sentence_start > para:
            return g.event_date, g.time_precision, g.date_text, "date.regional-total"
    if place is not None and is_area(place) and f.category in CASUALTIES:
        # "From 1 to 31 May, OHCHR recorded 427 casualties in Ukraine" and then, region by region:
        # a breakdown of a dated national (or neighbouring regional) total takes its date. A report
        # may put a paragraph or two of analysis and a "Region breakdown" header in between.
        para = ctx.text.rfind("\n", 0, ctx.sents[i].start)
        for _ in range(4):
            para = ctx.text.rfind("\n", 0, max(0, para))
        g = told.national_total(place)
        if g is not None and g.sentence_start > para:
            return g.event_date, g.time_precision, g.date_text, "date.national-total"
    if place is not None and f.category in CASUALTIES and place.precision is not Precision.COUNTRY:
        # "At 03:15 on 7 March, ... a building was destroyed in Bila Tserkva." and in the next
        # paragraph "17 people were injured": the scene set just before, at the same town or its
        # region, is the event the figure counts.
        dated = _scene_date(ctx, i, place, published)
        if dated is not None:
            return (*dated, "date.scene")
    return (*fallback, "date.article")


def _scene_date(ctx: PlaceContext, i: int, place: PlaceMention, published) -> tuple | None:
    """The day of the nearest sentence in the two paragraphs before figure `i`'s that names its
    place or its region, when that sentence dates an event to the day."""
    text, sents = ctx.text, ctx.sents
    para = text.rfind("\n", 0, sents[i].start)
    if para <= 0:
        return None
    lo = text.rfind("\n", 0, text.rfind("\n", 0, para))
    for j in range(i - 1, -1, -1):
        sent = sents[j]
        if sent.start <= lo:
            break
        if sent.start > para or "\n" in sent.text:
            continue
        k = bisect_right(ctx.place_starts, sent.start - 1)
        named = False
        while k < len(ctx.places) and ctx.places[k].start < sent.end:
            q = ctx.places[k]
            named = named or q.name == place.name or (
                is_area(q) and q.admin1 == place.admin1 and q.country == place.country)
            k += 1
        if not named:
            continue
        found = _event_day(sent.text, published)
        if found.precision is TimePrecision.DAY:
            return found.day, found.precision, found.text
        return None
    return None


def _event_day(sentence: str, published: date | None, found: EventDate | None = None) -> EventDate:
    """The date of the event a sentence tells: its date (`found`, else its first), or the day
    before when the date is followed by "a day after" ("little hope on Sunday, a day after the
    building was hit")."""
    found = found or event_date(sentence, "", published)
    back = days_after(sentence, found) if found.precision is TimePrecision.DAY else 0
    if back:
        return EventDate(found.day - timedelta(days=back), TimePrecision.DAY, found.text, rule="date.day-after-shift")
    return found


def _without_headline_repeats(text: str, sents: list[Sentence], figures: list[Figure]) -> list[Figure]:
    """A headline figure the body repeats (same value and category) is left to the body, which
    says when, where and on whose word; so is a figure in a title line further down (a linked
    story, "- Ukraine war: Dnipro strike death toll rises to 45") that a prose sentence repeats."""
    head = headline_sentence(text, sents)
    titles = {f.sentence_start for f in figures if _title_line(text, f)}
    if head is not None:
        titles.add(head.start)
    if not titles:
        return figures
    body = {(f.value, f.category) for f in figures if f.sentence_start not in titles}
    return [f for f in figures if f.sentence_start not in titles or (f.value, f.category) not in body]


def _title_line(text: str, f: Figure) -> bool:
    """A line of its own without a closing full stop: a headline, a link to another story."""
    return (text[f.sentence_end:f.sentence_end + 1] in ("\n", "")
            and (f.sentence_start == 0 or text[f.sentence_start - 1] == "\n")
            and not f.quote.endswith((".", "!", "?", "”", '"', "'")))
