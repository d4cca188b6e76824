"""Who reported a figure, as the article words it ("Bucha's mayor, Anatoliy Fedoruk").

A researcher weighs a number by its source, so the speaker is kept verbatim; when the article
states a figure in its own voice (or the speaker is only a pronoun) the answer is None.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from geo import rulebook
from geo.text import alternation, folded, whole_words


_RULES = rulebook.load("en", "attribution")
_VERBS = "|".join(_RULES["reporting_verbs"]["words"])
_NAME = re.compile(r"^(?:(?:Mr|Mrs|Ms|Dr|Gen|Col)\.?\s+)?[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’-]+|de|van|von|al))+$")
_TIME_TAIL = re.compile(r"\s+(?:last\s+night|yesterday|today|earlier|later|also|on\s+\w+day)$", re.I)
_OBJECT_VERBS = "|".join(_RULES["object_verbs"]["words"])
# The verbs as a prefix tree ("s(?:a(?:id|ys)|tate[ds])..."): the same words, tried in a few
# character tests per position instead of one test per verb, since this scan runs on every
# sentence that states a figure.
_VERB = re.compile(r"\b(?:" + alternation(_VERBS.split("|")) + r")\b", re.I)
_VERB_FOLDED = re.compile(whole_words(_VERBS.split("|")))  # the same, on folded() text
_AUXILIARY = re.compile(r"\s*,?\s*(?:(?:have|has|had)\s+(?:also\s+)?|also\s+|later\s+|previously\s+)?$", re.I)
_PASSIVE_WORDS = frozenset(_RULES["passive"]["words"])
_SUBJECT_BOUNDARIES = tuple('.;:!?“”"')  # the speaker starts after the last of these
_SAID_X = re.compile(r"[,”\"’]\s*(?:" + _OBJECT_VERBS + r")\s+(?P<subject>[^,.;:“”\"]{3,90})", re.I)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<subject>[^,.;:“”\"]{2,90})", re.I)
_BY = re.compile(r"\b(?:was|were|has\s+been|have\s+been|had\s+been|been)\s+(?:" + _OBJECT_VERBS
                 + r"|given|released|published)\s+by\s+(?P<subject>[^,.;:“”\"]{2,90})", re.I)
_QUOTE_CLOSE = re.compile(r"[,.!?]?\s*[”\"]\s*,?\s*(?P<rest>.+)$")
_TRAILING = re.compile(
    r"\s+(?:on|at|in\s+a|in\s+an|during|last|yesterday|today|earlier|this|that|who|which|after|before|"
    r"when|while|as|via|to|from)\b.*$|\s+(?:reports?|said|says)$", re.I)
_LEADING = re.compile(r"^(?:and|but|meanwhile|however|also|now|then|so|yet|separately|earlier|later|where)\b,?\s*",
                      re.I)
# "..., killing one man and injuring three, said Ihor Polishchuk": a participle clause, not a speaker.
_PARTICIPLE = re.compile(r"^[a-z]+ing\b")
# "..., there were one dead and one wounded, said the head of ...": an existential clause is what
# was said, never who said it (the speaker follows the verb).
_EXISTENTIAL = re.compile(r"^(?:there|it)\s+(?:is|are|was|were|has|have|had|will)\b", re.I)
_PRONOUNS = frozenset(_RULES["pronouns"]["words"])
_NOT_SOURCES = frozenset(_RULES["not_sources"]["words"])
# "Five people were killed in Kharkiv, said Oleh Syniehubov": before the verb is what was said, a
# clause, not who said it (the speaker follows the verb).
_CLAUSE = re.compile(r"\b(?:was|were|is|are|been)\s+(?:\w+\s+)?\w+ed\b|\b(?:killed|injured|wounded|died|hit|struck)\b",
                     re.I)
_DISCOURSE = re.compile(
    r"^(?:in|on|at|after|before|during|when|while|as|if|meanwhile|however|but|and|also|since|"
    r"although|though|speaking|referring|asked|earlier|later|separately|yesterday|today|last|this)\b",
    re.I)
_TWEET_SIGNATURE = re.compile(
    r"—\s*(?P<author>[^\n—()]{1,80}?)\s*\((?P<handle>@\w{1,30})\)\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2},\s+\d{4})")
# Compiled once here rather than looked up in re's cache on every call.
_DEMONSTRATIVE = re.compile(r"^\s*(?:the|this|that|it|these|those)\b", re.I)
_GENERIC = re.compile(r"^(?:a|an)\s+[a-z]")
_WORD4 = re.compile(r"[a-z]{4,}")
_CLOSING_QUOTE = re.compile(r"[”\"]\s*,?\s*\S")
_LOCATED = re.compile(r"^(?P<who>.+?)\s+(?:in|at)\s+[A-Z]")
# "journalists in Bucha, a small city northwest of the capital, saw": the part after the comma says
# what the place is, so the speaker is who was there; "killed in Kharkiv, the governor said" is not.
_PLACE_APPOSITION = re.compile(r"^(?:a|an|the)\s+(?:[\w'’-]+\s+){0,3}?(?:city|town|village|settlement|suburb|"
                               r"region|oblast|district|port|capital|community|hamlet)\b", re.I)
_LETTER = re.compile(r"[A-Za-z]")
_MEDIA = re.compile(r"^(?:the\s+)?(?:reports?|media|sources?)$", re.I)
_MAX_TWEET = 340  # a tweet is at most 280 characters, plus its pic.twitter.com link


@dataclass(frozen=True)
class TweetSignature:
    """The "— Name (@handle) September 15, 2022" line that closes an embedded tweet."""

    start: int
    end: int
    author: str
    handle: str
    date_text: str


def attribute(sentence: str, context: Sequence[str] = ()) -> str | None:
    """Who said what `sentence` reports, as written, or None for the article's own voice.

    `context` is the sentences that follow in the same paragraph: a quote's closing
    attribution (`...,” Venediktova claimed.`) or a sentence confirming the claim
    ("The development was confirmed by prosecutor general ... on Sunday.").
    """
    found = _in_sentence(sentence)
    if found:
        return found
    opened = sentence.lstrip()
    if opened.startswith(("“", '"')) and not _closes_quote(opened[1:]):
        for follower in context[:4]:
            if _closes_quote(follower):
                m = _QUOTE_CLOSE.search(follower)
                return _in_sentence(m["rest"]) if m else None
    if context:
        m = _BY.search(context[0])
        if m and _DEMONSTRATIVE.match(context[0]):
            return _clean(m["subject"])
    return None


def named_speaker(generic: str, following: str) -> str | None:
    """The named official a generic attribution ("a regional police official") turns out to be
    when the next sentence introduces them ("Mr Serhiy Bolvinov, the chief police investigator
    for Kharkiv region, told ..."): they must share a word of the role."""
    if not _GENERIC.match(generic):
        return None
    named = _in_sentence(following)
    if not named or "," not in named or not named[:1].isupper():
        return None
    role = set(_WORD4.findall(generic.lower())) - {"official", "officials", "source"}
    return named if role & set(_WORD4.findall(named.lower())) else None


def tweet_signature(text: str, offset: int) -> TweetSignature | None:
    """The signature of the embedded tweet containing `offset`, if that offset is in one.

    A tweet is short, so the offset belongs to the first signature that follows it within a
    tweet's length, provided no other signature lies in between.
    """
    m = _TWEET_SIGNATURE.search(text, offset, offset + _MAX_TWEET + 200)
    if m is None:
        return None
    body_start = m.start() - _MAX_TWEET
    if offset < body_start:
        return None
    return TweetSignature(m.start(), m.end(), m["author"].strip(), m["handle"], m["date"])


def _closes_quote(sentence: str) -> bool:
    return bool(_CLOSING_QUOTE.search(sentence.rstrip().rstrip(".")))


def _in_sentence(sentence: str) -> str | None:
    m = _BY.search(sentence) if " by " in sentence else None
    if m:
        return _clean(m["subject"])
    m = _ACCORDING.search(sentence) if "ccording" in sentence else None
    if m:
        return _clean(m["subject"])
    low = folded(sentence)
    for m in (_VERB.finditer(sentence) if low is None else _VERB_FOLDED.finditer(low)):
        before = sentence[max(0, m.start() - 200):m.start()]
        words = before.rsplit(None, 1)
        if words and words[-1].lower() in _PASSIVE_WORDS:
            continue
        before = before[:_AUXILIARY.search(before, max(0, len(before) - 30)).start()]
        boundary = max(map(before.rfind, _SUBJECT_BOUNDARIES))
        subject = _subject(before[boundary + 1:])
        if subject:
            return subject
    m = _SAID_X.search(sentence)
    if m:
        return _clean(m["subject"])
    return None


def _subject(before: str) -> str | None:
    """The speaker at the end of the text before a reporting verb, with its appositives."""
    parts = [p.strip() for p in before.split(",")]
    while parts and not parts[-1]:
        parts.pop()
    if not parts:
        return None
    kept = [_TIME_TAIL.sub("", parts.pop())]
    if len(kept[0].split()) > 9 or _DISCOURSE.match(kept[0]) or _PARTICIPLE.match(kept[0]) or _EXISTENTIAL.match(kept[0]) \
            or _CLAUSE.search(kept[0]):
        return None
    while parts:
        prev = parts[-1]
        if not prev or len(prev.split()) > 8 or _DISCOURSE.match(prev) or not prev[:1].isupper():
            break
        located = _LOCATED.match(prev)
        if located and _PLACE_APPOSITION.match(kept[0]):
            kept = [located["who"]]
            break
        if not (_NAME.match(prev) or _NAME.match(kept[0])):
            break
        kept.insert(0, parts.pop())
    return _clean(", ".join(kept), trim=False)


def _clean(subject: str, trim: bool = True) -> str | None:
    s = _LEADING.sub("", subject.strip())
    if trim:
        s = _TRAILING.sub("", s)
    s = s.strip(" ,’'")
    if not s or s.lower() in _PRONOUNS or s.lower() in _NOT_SOURCES or len(s.split()) > 14:
        return None
    if not _LETTER.search(s) or _MEDIA.match(s):
        return None
    return s
