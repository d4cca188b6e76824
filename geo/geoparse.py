"""Find the places an article names and resolve each to coordinates.

Recognition is one compiled regex over the capitalised words (like geotext), a dictionary
lookup of each, and a longer span ("Nova Kakhovka", "The Hague") only where a multi-word name
can start. Everything about a name that does not depend on where it stands (is it a common
word, which places it can be, does a small place need a cue) is worked out once per spelling
and kept in a per-geocoder lexicon, so an article costs one regex pass plus a few context checks
per known name. A name the gazetteer knows is still only taken as a place when its surroundings
allow: not a common word ("Most", "Police"), not part of a person's name or an outlet ("Charles
Michel", "Kyiv Independent"), not in a URL, @handle or #hashtag. Small places need a cue ("the
village of", "in", a list of places) because a missed village is better than a wrong pin.
Resolution among same-named places is geo.resolve's job; this module reads the cues.
"""
from __future__ import annotations

import re
import weakref
from bisect import bisect_left
from dataclasses import dataclass, replace
from itertools import accumulate
from functools import lru_cache
from typing import Callable, NamedTuple

from geo import landmarks, rulebook
from geo.gazetteer import BORDER_REGIONS, Gazetteer, fold, skeleton
from geo.geocoders import ChainGeocoder, LookupContext, default_geocoder
from geo.model import Candidate, Place, PlaceMention, Precision
from geo.resolve import Choice, Cues, Neighbours, choose, distance_km, fits_anchor, in_region, project
from geo.text import alternation

_MASK = re.compile(r"https?://\S+|www\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|co|uk|ua|ru|io|gov|ly|me)/\S*"
                   r"|[@#][\w]+")
# Where a URL, handle or hashtag may be: only the white-space-delimited chunks around these are masked.
_MASK_MARKS = ("/", "@", "#", "www.")
_NON_SPACE = re.compile(r"\S*")
# A capitalised word where a word starts (not inside "pro-Kyiv" or "don't"), with its possessive.
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-ZÀ-ÖØ-ÞĀ-ž](?:[\w'’ʼ-]*[^\W_])?)"
# Where it starts inside a word ("pro-Kyiv", "iPhone") is checked in Python, for known words only.
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ž](?:(?<=[A-Z])\.(?:[A-Z]\.)+|(?:[\w'’ʼ-]*[^\W_])?)")
_MORE_WORDS = re.compile(r"(?: " + _WORD + r"){1,3}")
_NEXT_WORD = re.compile(r" ((?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’ʼ-]*[^\W_])?)")
# A whole word ("region", "region's", not "region-wide"), as the old tokenizer saw words.
_WORD_END = r"(?:['’ʼ]s(?![\w'’ʼ-]*[^\W_])|(?![\w'’ʼ-]*[^\W_]))"
_REGION_AFTER = re.compile(r"\s+(?:regions?|oblasts?|provinces?)" + _WORD_END, re.I)
# "the neighbouring region of Kirovohrad", "the Oblast of Sumy": the region, not its centre.
_REGION_OF = re.compile(r"\b(?:regions?|oblasts?|provinces?) of (?:the )?$", re.I)
_REGION_WORDS = frozenset("region regions oblast oblasts province provinces".split())
_REGIONAL_AFTER = re.compile(r" regional" + _WORD_END, re.I)
# "not the city of Kamianske in Dnipropetrovsk region", "not to be confused with Lyman in Kharkiv
# region": a namesake named only to say the event was not there.
_NEGATED_BEFORE = re.compile(r"\b(?:not\s+(?:in\s+)?(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?"
                             r"|not\s+to\s+be\s+confused\s+with\s+(?:the\s+)?(?:(?:city|town|village)\s+of\s+)?)$")
# "the Kursk incursion", "the Kharkiv counteroffensive": a campaign across a region, not in its centre.
# "Kursk Governor Alexei Smirnov": a governor heads the region.
_CAMPAIGN_AFTER = re.compile(r" (?:incursions?|offensive|counter-?offensive|operation|raid|[Gg]overnor)" + _WORD_END)
# "the incursion into Kursk", "the offensive into Kharkiv": a campaign into the region, as above.
_CAMPAIGN_INTO = re.compile(r"\b(?:incursions?|offensive|counter-?offensive|invasion|raids?|push)\s+into\s+(?:the\s+)?$", re.I)
# "France 24 with AFP", "Ukraine 24 said": a place's name and a number that counts nothing (no
# noun or month follows) is an outlet's name.
_BRAND_NUMBER = re.compile(r" \d{1,3}(?:['’ʼ]s)?(?:\s*$|\s*[.,;:)/|]| (?:with|reported|reports|said|says|TV|News)\b)", re.M)
# "Moscow's forces", "Kyiv's troops": a city named for the state that rules from it, not a place.
_STATE_POSSESSIVE = re.compile(r"['’ʼ]s\s+(?:forces|troops|army|soldiers|invasion|regime|allies)\b")
# "Krasnokutsk was also shelled overnight": what befell it says a small place is a place.
_BEFELL_AFTER = re.compile(r" (?:was|were|has\s+been|had\s+been)\s+(?:also\s+|again\s+)?(?:shelled|struck|bombed|"
                           r"hit|attacked|targeted|liberated|recaptured|captured|occupied|evacuated)\b")
_REGION_ITEM = re.compile(r"(?:,\s*|,?\s+and\s+)(?:the\s+)?[A-Z][\w'’-]+")
_LIST_OF_REGIONS = re.compile(r"(?:" + _REGION_ITEM.pattern + r")+\s+(?:regions|oblasts|provinces)\b")
_SETTLEMENT_OF = re.compile(r"\b(?:villages?|towns?|city|settlements?|hamlets?|suburb|outskirts|districts?)\s+of\s+(?:the\s+)?$",
                            re.I)
_SETTLEMENT_AFTER = re.compile(r",?\s+(?:a|the)\s+(?:\w+\s+){0,2}?(?:village|town|city|settlement|hamlet|suburb)\b", re.I)
# "the village of Hroza": the name after "of" is found first, then the settlement word before it.
_OF_NAME = re.compile(r"of\s+([A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?)")
_SETTLEMENT_BEFORE = re.compile(r"\b(?:village|town|settlement|hamlet)(s?)\s+$")  # so "of" starts a word
# ISW style: "attacked northeast of Kupiansk near Synkivka and Petropavlivka", "in western
# Zaporizhia Oblast near Robotyne": what follows "near" there is a front-line settlement.
_FRONT_LINE_NEAR = re.compile(r"(?:\b(?:north|south|east|west)(?:east|west)?\s+of\s+(?:the\s+)?[A-Z][\w'’ʼ-]+(?:\s+City)?"
                              r"|\b(?:Oblast|[Rr]egion))\s+near\s+([A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?)")
_FRONT_LINE_BEFORE = re.compile(r"\b(north|south|east|west|northeast|northwest|southeast|southwest)"
                                r"\s+of\s+(?:the\s+)?([A-Z][\w'’ʼ-]+)(?:\s+City)?\s+near\s+"
                                r"(?:[A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?(?:,\s*|,?\s+and\s+))*$")
# "the villages of Starovirivka, Zelene and Kurylivka": every name of the list is a settlement.
_INCLUDING = re.compile(r"\b(?:villages|towns|settlements|hamlets)\b[^.;!?\n]{0,60}?,?\s+including\s+"
                        r"([A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?)")
_LIST_NEXT = re.compile(r"(?:,\s*|,?\s+and\s+|,?\s+or\s+)([A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?)")
# "Hroza, a village in ...": the tail is found first, then the name just before it.
_APPOS_TAIL = re.compile(r",\s+an?\s+(?:small\s+|tiny\s+|frontline\s+|front-line\s+)?(?:village|town|settlement|hamlet)\s+"
                         r"(?:in\b|on\s+the\s+(?:banks?\s+of\s+the\s+)?[A-Z][\w'’ʼ-]+\s+[Rr]iver\b)")
_NAME_BEFORE = re.compile(r"\b[A-Z][\w'’ʼ-]+(?:[ -][A-Z][\w'’ʼ-]+)?$")
# A capitalised word that opens a sentence is not part of the name after it ("In Vilkhivka, a
# village in ...").
_LEADING_WORD = re.compile(r"(?:In|At|On|From|Near|Outside|Around|Across|Inside|Into|Of|To|And|But|Then|"
                           r"The|Meanwhile|Later|Also|While|After|Before|Since|Like)\s+(?=[A-Z])")
_LIST_GAP = re.compile(r",\s*|,?\s+and\s+|,?\s+or\s+")
_POSSESSIVE = re.compile(r"['’ʼ]s?$")
# Where a sentence (or a headline, caption or boilerplate line) ends, for cue windows: cues never
# cross terminal punctuation or a line break.
_BREAK = re.compile(r"[.!?…\n]")
# "Novgorod, in north-west Russia", "Odessa, Ukraine": the country the town is in.
_COUNTRY_GAP = re.compile(r"^,\s+(?:in\s+)?(?:(?:the\s+)?(?:north|south|east|west|central)[\w-]*\s+)?$")
# "two killed in Shebekino district, one in Bryansk region": a count starts a new clause.
_REGION_GAP = re.compile(r"^[\s,]*(?:(?:(?!(?:and|but|while|whereas|where|one|two|three|four|five|another|others?)\b)[a-z][\w-]*[\s,]+){0,6}?in\s+(?:the\s+)?)?"
                         r"(?:Country['’]s\s+(?:[a-z][\w-]*\s+){0,2})?(?:the\s+)?$")
_COMPASS = r"(north[\s-]?east|north[\s-]?west|south[\s-]?east|south[\s-]?west|north|south|east|west)(?:ern)?"
_UNIT = r"(miles?|mi|km|kilometres?|kilometers?)"
_ANCHOR_TAIL = r"(?:\s+(?:the\s+)?(?:Ukrainian\s+)?(?:capital(?:\s+city)?(?:\s+of)?|city\s+of))?\s*(?:the\s+)?$"
_DISTANCE_CUE = re.compile(r"^[^.;!?]{0,60}?\b(\d+(?:\.\d+)?)\s*-?\s*" + _UNIT + r"\s+(?:to\s+the\s+)?" + _COMPASS
                           + r"\s+of" + _ANCHOR_TAIL, re.I)
_BEARING_CUE = re.compile(r"^[^.;!?]{0,60}?\b(?:to\s+the\s+|just\s+)?" + _COMPASS + r"\s+of" + _ANCHOR_TAIL, re.I)
# "at Havryshivka, outside the city", "Synkivka, a village near Kupiansk", "Robotyne, 10 km south of
# Orikhiv": a name followed by where it lies. Without a settlement word the name must follow a
# place cue ("in", "at", "shelled") and end like a Ukrainian place name, so "at Ukrenergo, near
# the city" stays out.
_WHERE_TAIL = re.compile(r",\s+(an?\s+(?:small\s+|tiny\s+|frontline\s+|front-line\s+)?(?:village|town|settlement|hamlet)\s+)?"
                         r"(?:just\s+|about\s+|some\s+)?(?:outside|near|on\s+the\s+outskirts\s+of|"
                         r"(?:\d+(?:\.\d+)?\s*-?\s*(?:km|kilometres|kilometers|miles)\s+(?:to\s+the\s+)?)?"
                         + _COMPASS + r"\s+of)\s+(?:the\s+(?:city|town|capital)\b|[A-Z])")
_TOPONYM_END = re.compile(r"(?:ivka|ivske|ske|sk|ove|eve|ive|yne|ine|ka|ky|ia|ya|iv|ne|ychi|tsi)$")
_NEAR_CUE = re.compile(r"^[^.;!?]{0,60}?\b(?:near|outside|close\s+to|next\s+to|outskirts\s+of|suburbs?\s+of)"
                       + _ANCHOR_TAIL, re.I)
_CUE_TEXT_MAX = 130  # the cue patterns above cannot match a longer gap
_THE_CITY = re.compile(r"^([^.;!?]{0,60}?\b)the\s+(?:city|town)\b", re.I)
_CAPITAL_ALONE = re.compile(r"\b(?:the\s+)(?:Ukrainian\s+)?capital(?:\s+city)?\W*$", re.I)
_BEARINGS = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225,
             "west": 270, "northwest": 315}
_MILES = {"mile": 1.609344, "miles": 1.609344, "mi": 1.609344}

# English word lists (geo/rules/en/places.toml, each list a rule with an id).
_WORDS = rulebook.load("en", "places")
_STOP = frozenset(fold(w) for w in _WORDS["common_words"]["words"])
_FIRST_NAMES = frozenset(fold(w) for w in _WORDS["first_names"]["words"])
_TITLES = frozenset(fold(w) for w in _WORDS["titles"]["words"])
# "the Chuhuiv History and Local Lore Museum", "the Poltava Regional Clinical Hospital": a named
# building in the town, so the town is pinned.
_FACILITY_NAMED = re.compile(r"(?: (?:[A-Z][a-z]+|and|of|&)){0,5}? (?:Museum|Hospital|Lyceum|Library|Gymnasium|"
                             r"Cathedral|Monastery|Church)\b")
_GENERIC_FOLLOW = frozenset(fold(w) for w in _WORDS["generic_follow"]["words"])
_ALLOWED_BEFORE = frozenset(fold(w) for w in _WORDS["allowed_before"]["words"])
_PREPOSITIONS = frozenset(_WORDS["prepositions"]["words"])
_HELD = ("-occupied", "-held", "-controlled")
# A lower-case word after the name that makes it the name of something else, often elsewhere.
_NOT_THE_TOWN_AFTER = frozenset(_WORDS["not_the_town_after"]["words"])
# Power plants take the name of a town or oblast and often stand elsewhere (the Zaporizhzhia
# plant is in Enerhodar): "X power plant" is not a pin at X.
_POWER_PLANT = re.compile(r" power\s+(?:plant|station)", re.I)
# Rivers that share a town's name: "the Dnipro" (with the article, unless followed by a noun the
# city's name qualifies, as in "the Dnipro city council") is the river.
_RIVERS = frozenset(fold(w) for w in _WORDS["rivers"]["words"])
# After "the Dnipro", only a noun the city's name qualifies keeps it the city.
_CITY_USE = re.compile(r"\s+(?:city|oblast|region|regional|mayor|governor|council|administration|authorities|"
                       r"officials|residents|strike|strikes|attack|attacks|apartment|hospital|airport|station|"
                       r"metro|suburbs?|outskirts|garrison|offensive|counteroffensive|tragedy)\b", re.I)
# Words before a place name that make it an outlet's or a club's name ("Suspilne Zaporizhzhia",
# "Dynamo Kyiv"), also at the start of a line, where a capitalised word before is usually allowed.
_ORG_BEFORE = frozenset(fold(w) for w in _WORDS["org_before"]["words"])
_NOT_THE_TOWN_BEFORE = re.compile(r"\b(?:Sea|Gulf|Bay|River|Lake|Battle|Siege|Regiment|Battalion|Brigade|Street)"
                                  r"\s+of\s+(?:the\s+)?$")
# "Moscow, Idaho", "Odessa, Texas": a town named after a US state is in that state.
_US_STATE_AFTER = re.compile(r",\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)(?![\w-])")
# City districts ("the Dniprovskyi district of Kyiv", "Kharkiv's Kyivskyi district") share their
# names with districts of other cities and villages elsewhere: they are placed within their city.
_DISTRICT_AFTER = re.compile(r" (?:district|neighbou?rhood|microdistrict)s?\b", re.IGNORECASE)
_RAION_AFTER = re.compile(r" raions?\b", re.IGNORECASE)
_RAION_WORD_BEFORE = re.compile(r"(?:district|raion)s?$", re.IGNORECASE)
# "the Sviatoshynskyi and Solomianskyi districts", "the Obukhiv and Fastiv districts": the first
# name of a plural list is a district (or raion) like the last.
_DISTRICT_ITEM = re.compile(r"(?:,\s*|,?\s+and\s+)[A-Z][\w'’ʼ-]+")
_DISTRICT_LIST_AFTER = re.compile(r"(?:" + _DISTRICT_ITEM.pattern + r")+ (?:(districts|neighbou?rhoods)|raions)\b")
_LIST_OPENING = re.compile(r"(?:[A-Z][\w'’ʼ-]+(?:,\s*|,?\s+and\s+))+$")
# Raions are named after their centres, towns of this size or more ("the Nikopol district"); across
# the border, districts are named after towns of the border regions this size or more ("the Sudzha
# district of the Kursk region", Sudzha has 6,000 people).
_RAION_CENTRE = 10_000
_BORDER_RAION_CENTRE = 2_000
_DISTRICT_ADJECTIVE = re.compile(r"(?:sk[yi][iy]?|ck[yi]i|n[yi][iy]|yi)$")
_DISTRICT_CITY = re.compile(r" of (?:the (city)|([A-Z][\w'’ʼ-]+(?: [A-Z][\w'’ʼ-]+)?))")
_CITY_POSSESSIVE = re.compile(r"(?:([A-Z][\w'’ʼ-]+(?: [A-Z][\w'’ʼ-]+)?)|\b[Tt]he\s+(city))['’ʼ]s\s+(?:the\s+)?$")
# A district the gazetteer lacks, said to be one of a city: "the Korabelnyi district of Kherson".
_UNKNOWN_DISTRICT = re.compile(r"\b([A-Z][\w'’ʼ-]+(?:sk[yi][iy]?|n[yi][iy]|yi)) (?:district|neighbou?rhood) of "
                               r"(?:the (city)|([A-Z][\w'’ʼ-]+(?: [A-Z][\w'’ʼ-]+)?))")
# Endings of Ukrainian and Russian surnames that villages share ("Shevchenko said ...").
_SURNAME = re.compile(r"(?:enko|ova|eva|skaya|ovich|evich)$")
_ACRONYMS = frozenset({"uk", "us", "usa", "u k", "u s", "u s a"})
_ACRONYM_BEFORE = re.compile(r"(?<![\w'’ʼ-])(?:[A-Z]\.){2,}$")
_WORD_REVERSED = re.compile(r"[\w'’ʼ-]*")  # a word's characters, matched backwards on reversed text


class _Entry(NamedTuple):
    """What a spelling can be, worked out once: everything but the context of one occurrence."""

    region: Place | None                         # the oblast "<name> region" would name
    candidates: tuple[tuple[Place, float], ...]  # plausible places, with spelling quality
    source: str
    rejected: bool      # a common word, a first name, or no plausible place: never a place
    countryish: bool    # a country or a region: accepted after any capitalised word
    needs_cue: bool     # only small places: accepted only with a cue around them
    has_town: bool
    shouting: bool      # all capitals and small ("IVANIVKA, Ukraine"): only if named in the article too


class _Span(NamedTuple):
    """A recognised name before resolution."""

    start: int
    end: int
    mention: str
    kind: str                       # "place", "region", "unknown" (a stated settlement we lack) or "landmark"
    candidates: tuple[tuple[Place, float], ...] = ()
    source: str = "gazetteer"
    town: bool = True               # whether it may be a town, so its cues are worth reading
    weak: bool = False              # a small place named without a cue: kept only if the article backs it
    within: str = ""                # where the text puts it: a district's city ("the city": the
                                    # article's main town), a US town's state ("Moscow, Idaho")
    rules: tuple[str, ...] = ()     # ids of the rules that recognised it (docs/engine.md)


_KNOWN, _OPENS = 1, 2


class _TextIndex:
    """What the recogniser and the cue readers look up in one text again and again, found once:
    where lists of names end, where sentences and lines break. A look-up is then a dictionary
    read or a bisection, however long the text (a list of 10,000 towns is walked once, not once
    per town)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lists: dict[tuple[re.Pattern, int], int] = {}
        self._marks: dict[str, list[int]] = {}

    def list_then(self, full: re.Pattern, item: re.Pattern, pos: int) -> re.Match | None:
        """`full.match(text, pos)` for a pattern `full` made of `item` repeated, then a tail
        ("Kharkiv, Sumy and Poltava regions"): the tail follows the list's last item or nothing,
        so the match is read from there. Each list is walked once for all the names in it."""
        last = self._lists.get((item, pos))
        if last is None:
            starts, ends, k = [], [], pos
            while (m := item.match(self.text, k)) is not None:
                starts.append(m.start())
                ends.append(m.end())
                k = m.end()
                known = self._lists.get((item, k))
                if known is not None:
                    last = known if known >= 0 else starts[-1]
                    break
            else:
                last = starts[-1] if starts else -1
            self._lists[(item, pos)] = last
            for t, e in enumerate(ends):
                self._lists.setdefault((item, e), last if t + 1 < len(ends) or last != starts[-1] else -1)
        return full.match(self.text, last) if last >= 0 else None

    def _positions(self, chars: str) -> list[int]:
        found = self._marks.get(chars)
        if found is None:
            found = self._marks[chars] = [m.start() for m in re.finditer("[" + re.escape(chars) + "]", self.text)]
        return found

    def next_break(self, pos: int) -> int:
        """Where the sentence holding `pos` ends for the cue readers (_BREAK), or the text's end."""
        at = self._positions(".!?…\n")
        k = bisect_left(at, pos)
        return at[k] if k < len(at) else len(self.text)

    def sentence_start(self, pos: int) -> int:
        """Just after the last ".", "!", "?" or line break before `pos`."""
        at = self._positions(".!?\n")
        k = bisect_left(at, pos) - 1
        return at[k] + 1 if k >= 0 else 0

    def line(self, pos: int) -> tuple[int, int]:
        """The start and end of the line holding `pos`."""
        at = self._positions("\n")
        k = bisect_left(at, pos)
        return (at[k - 1] + 1 if k > 0 else 0), (at[k] if k < len(at) else len(self.text))


_INDEXED: list[_TextIndex] = []


def _list_then(full: re.Pattern, item: re.Pattern, text: str, pos: int) -> re.Match | None:
    """_TextIndex.list_then, where a list follows `pos`; where none does (the usual case), None."""
    return _indexed(text).list_then(full, item, pos) if item.match(text, pos) is not None else None


def _indexed(text: str) -> _TextIndex:
    """The index of a text, kept for the last few texts read (by identity: one article at a time)."""
    if _INDEXED and _INDEXED[0].text is text:
        return _INDEXED[0]
    for ix in _INDEXED:
        if ix.text is text:
            return ix
    ix = _TextIndex(text)
    _INDEXED.insert(0, ix)
    del _INDEXED[4:]
    return ix


class _Lexicon:
    """The names one geocoder can place, with their context-free verdicts, memoised per spelling.

    Providers are assumed to answer a name the same way for their lifetime (overrides are read
    once, online answers are cached on disk); online lookups with an oblast are never memoised."""

    _LIMIT = 200_000

    def __init__(self, gazetteer: Gazetteer, geocoder):
        self.gazetteer = gazetteer
        self.geocoder = geocoder
        self.extra = {fold(n) for n in geocoder.names()} if hasattr(geocoder, "names") else set()
        self.firsts = gazetteer.first_words(_plausible) | {k.split(" ", 1)[0] for k in self.extra if " " in k}
        self.capital = max(gazetteer.candidates("Kyiv"), key=lambda p: p.population)
        self._known: dict[str, bool] = {}
        self.entries: dict[str, _Entry] = {}
        self.verdicts: dict[str, int] = {}  # capitalised word as written -> first()
        self._decisions: dict[tuple, _Decision | None] = {}
        self._oblast_names: dict[str, str] = {}
        self._candidates: dict[int, tuple[_Decision, tuple[Candidate, ...]]] = {}
        self._in_region: dict[tuple[str, str, str], int] = {}
        self._border: dict[tuple[str, str], bool] = {}

    def known(self, name: str) -> bool:
        """Whether the spelling is a name any provider knows offline."""
        hit = self._known.get(name)
        if hit is None:
            if len(self._known) > self._LIMIT:
                self._known.clear()
            key = fold(name)
            hit = key in self.extra or self.gazetteer.has_key(key) or self.gazetteer.has_key(skeleton(name))
            self._known[name] = hit
        return hit

    def first(self, raw: str) -> int:
        """For a capitalised word as written (possessive and all): _KNOWN if it is a name once the
        possessive is stripped, _OPENS if a multi-word name can start with it, else 0."""
        verdict = self.verdicts.get(raw)
        if verdict is None:
            if len(self.verdicts) > self._LIMIT:
                self.verdicts.clear()
            verdict = 0
            if raw[0].isupper():
                word = _strip_possessive(raw)
                if self.known(word):
                    entry = self.entry(word)
                    # A word that is never a place alone ("Police", "March") needs no context.
                    verdict = 0 if entry.rejected and entry.region is None else _KNOWN
                if fold(word) in self.firsts or skeleton(word) in self.firsts:
                    verdict |= _OPENS
            self.verdicts[raw] = verdict
        return verdict

    def entry(self, name: str) -> _Entry:
        entry = self.entries.get(name)
        if entry is None:
            if len(self.entries) > self._LIMIT:
                self.entries.clear()
            entry = self.entries[name] = self._make_entry(name)
        return entry

    def _make_entry(self, name: str) -> _Entry:
        key = fold(name)
        region = self.gazetteer.region(name)
        if key in _STOP or key in _FIRST_NAMES:
            return _Entry(region, (), "", True, False, False, False, False)
        candidates, source = _lookup(name, self.gazetteer, self.geocoder)
        if source == "override":
            return _Entry(region, tuple(candidates), source, False, True, False, True, False)
        kept = tuple((p, q) for p, q in candidates if _plausible(p))
        places = [p for p, _ in kept]
        countryish = any(p.kind in ("country", "region") for p in places)
        surname = bool(_SURNAME.search(key))
        big = countryish or (any(_big(p) for p in places) and not surname)
        shouting = name.isupper() and key not in _ACRONYMS and not any(
            p.kind == "country" or (p.country == "UA" and p.population >= 100_000) for p in places)
        needs_cue = not big and not (any(p.population >= 100_000 for p in places) and not surname)
        return _Entry(region, kept, source, not kept, countryish, needs_cue or shouting,
                      any(p.kind == "town" for p in places), shouting)

    def has_border_town(self, span: _Span) -> bool:
        """Whether a mention's candidates include a small town of a border region across from Ukraine."""
        key = (span.mention, span.within)
        hit = self._border.get(key)
        if hit is None:
            if len(self._border) > self._LIMIT:
                self._border.clear()
            hit = self._border[key] = any(_border_town(p) for p, _ in span.candidates)
        return hit

    def in_region_count(self, span: _Span, region: Place) -> int:
        """How many of a mention's candidates lie in `region`."""
        key = (span.mention, span.within, len(span.candidates), region.country, region.admin1)
        count = self._in_region.get(key)
        if count is None:
            count = self._in_region[key] = sum(1 for p, _ in span.candidates if not p.admin1 or in_region(p, region))
        return count

    def candidates(self, decided: _Decision) -> tuple[Candidate, ...]:
        """The candidates a mention so decided keeps, made once per decision (by identity: the
        entry holds the decision, so its id cannot be reused while cached)."""
        found = self._candidates.get(id(decided))
        if found is None or found[0] is not decided:
            if len(self._candidates) > 4096:  # it holds the decisions: keep few
                self._candidates.clear()
            found = self._candidates[id(decided)] = (decided, _candidates(decided.choice, self))
        return found[1]

    def oblast_name(self, admin1: str) -> str:
        """The English name of a Ukrainian oblast by its GeoNames code ("07" -> "Kharkiv Oblast")."""
        name = self._oblast_names.get(admin1)
        if name is None:
            oblast = self.gazetteer.region_by_code(admin1)
            name = self._oblast_names[admin1] = oblast.name if oblast else ""
        return name

    def decision(self, span: _Span, cue: Cues | None = None) -> _Decision | None:
        """The decision for a known name with these cues and no neighbours: the same wherever
        it is written so."""
        # The candidate count tells a border town kept by its region from the same name without it.
        key = ((span.kind, span.mention, span.within, len(span.candidates)) if cue is None or cue is _NO_CUES
               else (span.kind, span.mention, span.within, len(span.candidates), cue))
        decided = self._decisions.get(key, self)
        if decided is self:
            if len(self._decisions) > self._LIMIT:
                self._decisions.clear()
            decided = self._decisions[key] = _decide(span, cue or _NO_CUES, (), self.gazetteer, self.geocoder)
        return decided


_LEXICONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _lexicon(gazetteer: Gazetteer, geocoder) -> _Lexicon:
    try:
        lexicon = _LEXICONS.get(geocoder)
    except TypeError:  # a provider that cannot be weakly referenced is simply not memoised
        return _Lexicon(gazetteer, geocoder)
    if lexicon is None or lexicon.gazetteer is not gazetteer:
        lexicon = _LEXICONS[geocoder] = _Lexicon(gazetteer, geocoder)
    return lexicon


@lru_cache(maxsize=1)
def _offline_chain() -> ChainGeocoder:
    return default_geocoder(online=False)


def find_places(text: str, article_id: str = "", geocoder=None) -> list[PlaceMention]:
    """Every place mention in `text`, sorted by start, resolved with precision and a note.

    `geocoder` is any geo.geocoders provider or chain; None means overrides then the gazetteer."""
    lexicon = _lexicon(Gazetteer.default(), geocoder or _offline_chain())
    masked = _masked(text)
    spans = _with_landmarks(masked, _in_named_regions(masked, _recognise(masked, lexicon), lexicon))
    return _resolve(text, spans, article_id, lexicon)


def _with_landmarks(text: str, spans: list[_Span]) -> list[_Span]:
    """The landmarks named (geo.landmarks: "Snake Island", "the Kakhovka dam"), each in place of
    the names it overlaps ("Kakhovka" of "Kakhovka dam" is not the town)."""
    found = landmarks.find(text, ("en",))
    if not found:
        return spans
    kept = [s for s in spans if not any(landmarks.overlaps(f, s.start, s.end) for f in found)]
    kept += [_Span(f.start, f.end, text[f.start:f.end], "landmark", ((f.landmark.place, 1.0),), "landmark", False,
                   rules=(f.landmark.id,)) for f in found]
    return sorted(kept, key=lambda s: s.start)


def _masked(text: str) -> str:
    """The text with URLs, @handles and #hashtags blanked out, offsets unchanged."""
    hints = []
    for mark in _MASK_MARKS:  # str.find is many times faster than a regex character class here
        at = text.find(mark)
        while at >= 0:
            hints.append(at)
            at = text.find(mark, at + 1)
    hints.sort()
    pieces, done, scanned = [], 0, 0
    # The chunk starts after the last space, line break or tab before the hint (the text before
    # the previous hint has been searched already, so each stretch is searched once), and never
    # before the previous chunk's end: chunks that overlapped (after a no-break space) were
    # written twice, and every offset after them moved.
    seps = " \n\t" if "\t" in text else " \n"
    gap, searched = -1, 0
    for hint in hints:
        if hint < scanned:
            continue
        gap = max(gap, *(text.rfind(c, searched, hint) for c in seps))
        searched = hint
        start = max(gap + 1, scanned)
        end = scanned = _NON_SPACE.match(text, hint).end()
        chunk = text[start:end]
        blanked = _MASK.sub(_blank, chunk)
        if blanked != chunk:
            pieces += [text[done:start], blanked]
            done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _blank(m: re.Match) -> str:
    return " " * len(m.group())


def _lookup(name: str, gazetteer: Gazetteer, geocoder, context: LookupContext | None = None
            ) -> tuple[list[tuple[Place, float]], str]:
    """Candidates from the geocoder chain; spelling quality from the gazetteer when it answered."""
    if isinstance(geocoder, ChainGeocoder):
        places, source = geocoder.lookup_sourced(name, context)
    else:
        places, source = geocoder.lookup(name, context), getattr(geocoder, "source", "gazetteer")
    if source == "gazetteer":
        quality = {p: q for p, q in gazetteer.matches(name)}
        return [(p, quality.get(p, 1.0)) for p in places], source
    return [(p, 1.0) for p in places], source


def _strip_possessive(word: str) -> str:
    if len(word) > 2 and word[-1] == "s" and word[-2] in "'’ʼ" and "." not in word:
        return word[:-2]
    return word


def _recognise(text: str, lexicon: _Lexicon) -> list[_Span]:
    """One pass over the capitalised words: the longest known name at each, then its context."""
    spans: list[_Span] = []
    weak: list[_Span] = []
    consumed = 0
    verdict_of, first = lexicon.verdicts.get, lexicon.first
    for m in _CAPITALISED.finditer(text):
        raw = m.group()
        verdict = verdict_of(raw)
        if not verdict:  # most capitalised words are known not to be names: one test for them
            if verdict is not None:
                continue
            verdict = first(raw)
            if not verdict:
                continue
        start = m.start()
        if start < consumed or (start and _inside_word(text, start)):
            continue
        if verdict == _KNOWN:  # one known word, and no longer name starts with it
            name = _strip_possessive(raw)
            end, consumed = start + len(name), m.end()
            span = _classify(text, start, end, name, name is not raw, spans, lexicon)
        else:
            span, consumed = _longer_name(text, m, verdict, spans, lexicon)
        if span is not None:
            (weak if span.weak else spans).append(span)
            consumed = max(consumed, span.end)
    if weak:
        spans += _backed(weak, spans)
        spans.sort(key=lambda s: s.start)
    _add_stated_settlements(text, spans)
    _add_unknown_districts(text, spans, lexicon)
    _add_adjective_raions(text, spans, lexicon)
    return sorted(spans, key=lambda s: s.start)


def _inside_word(text: str, start: int) -> bool:
    """Whether a capital at `start` continues a word ("iPhone", "pro-Kyiv", "O'Brien")."""
    before = text[start - 1]
    if before.isalnum() or before == "_":
        return True
    return before in "-'’ʼ" and start > 1 and (text[start - 2].isalnum() or text[start - 2] == "_")


def _longer_name(text: str, m: re.Match, verdict: int, spans: list[_Span], lexicon: _Lexicon
                 ) -> tuple[_Span | None, int]:
    """The longest known name of up to four words starting at the capitalised word `m` ("Nova
    Kakhovka", "The Hague"), classified, and where the words it took end."""
    raw, start = m.group(), m.start()
    word = _strip_possessive(raw)
    more = _MORE_WORDS.match(text, m.end()) if word is raw and text[m.end():m.end() + 1] == " " else None
    if more is None:  # the usual case, one word ("The" of "The Hague" before "The ministry")
        if verdict & _KNOWN:
            end = start + len(word)
            return _classify(text, start, end, text[start:end], word is not raw, spans, lexicon), start + len(raw)
        return None, start
    raws, words = [raw], [word]
    for w in more.group()[1:].split(" "):
        raws.append(w)
        words.append(_strip_possessive(w))
        if words[-1] is not w:
            break
    for k in range(len(words) - 1, -1, -1):
        word_start = start + sum(len(w) for w in raws[:k]) + k
        end = word_start + len(words[k])
        if (k == 0 and verdict & _KNOWN) or (k > 0 and lexicon.known(text[start:end])):
            span = _classify(text, start, end, text[start:end], words[k] is not raws[k], spans, lexicon)
            return span, word_start + len(raws[k])
    return None, start


# Endings that only Ukrainian place names have (Motyzhyn's neighbours: Lypove, Hirske, Babyne,
# Zuivka): a unique name with one is not an English word, a first name or a surname.
_UKRAINIAN_END = re.compile(r"(?:ivka|yivka|ivske|ivtsi|ychi|ove|eve|yne|ske|horod|hrad|pil)$")
# "Novyi Bykiv", "Velyka Dymerka": a Ukrainian adjective opening a two-word name.
_UKRAINIAN_START = re.compile(r"(?:nov[ay]i?|nove|star[ay]i?|stare|velyk[ay]i?|velyke|mal[ay]i?|male|verkhn|nyzhn)\w* ")


def _backed(weak: list[_Span], spans: list[_Span]) -> list[_Span]:
    """The small places named without a cue that the article backs: named with a cue elsewhere
    in it, or, in an article about Ukraine, spelled as only a Ukrainian place name is ("Lypove
    residents buried their dead", "Novyi Bykiv.") and the only place of that name or one in an
    oblast the article names."""
    cued = {fold(s.mention) for s in spans if s.kind == "place"}
    about_ukraine = any(s.candidates and s.candidates[0][0].country == "UA" for s in spans)
    oblasts = {s.candidates[0][0].admin1 for s in spans if s.kind == "region" and s.candidates[0][0].country == "UA"}
    kept = []
    for span in weak:
        folded = fold(span.mention)
        ukrainian = _UKRAINIAN_END.search(folded) or _UKRAINIAN_START.match(folded)
        if folded in cued or (
                about_ukraine and not span.mention.isupper() and ukrainian
                and (len(span.candidates) == 1 or any(p.admin1 in oblasts for p, _ in span.candidates))
                and all(p.country == "UA" and q >= 0.7 for p, q in span.candidates)):
            rule = "geoparse.named-with-cue-elsewhere" if folded in cued else "geoparse.ukrainian-spelling"
            kept.append(span._replace(weak=False, rules=(rule, *span.rules[1:])))
    return kept


class _Name:
    """One occurrence of a known name and the words around it, as the recognition passes read it;
    the word before is looked up only when a pass asks for it."""

    __slots__ = ("text", "start", "end", "name", "possessive", "spans", "lexicon", "entry", "after", "_before")

    def __init__(self, text, start, end, name, possessive, spans, lexicon) -> None:
        self.text, self.start, self.end, self.name = text, start, end, name
        self.possessive, self.spans, self.lexicon = possessive, spans, lexicon
        self.entry = lexicon.entries.get(name) or lexicon.entry(name)
        self.after = text[end:end + 1]
        self._before = None

    @property
    def before(self) -> tuple[int, str, str]:
        """(where it starts, the word before, the gap): only across white space ("Mr Fedoruk", "in Kyiv")."""
        if self._before is None:
            text, start = self.text, self.start
            self._before = _word_before(text, start) if text[start - 1:start].isspace() else (-1, "", "")
        return self._before

    def place(self, rules: tuple[str, ...] = (), **kw) -> _Span:
        e = self.entry
        return _Span(self.start, self.end, self.name, "place", e.candidates, e.source, e.has_town, rules=rules, **kw)


_NOT_A_PLACE = False  # a pass's verdict that ends the chain with no span


def _region_name(n: _Name) -> _Span | None:
    """"Sumy region", "the Kursk incursion", "the region of Sumy": the region, not its centre."""
    entry, text, end = n.entry, n.text, n.end
    if entry.region is None:
        return None
    # The words after matter only when some follow; the words before decide at a sentence's end too
    # ("Ukraine's central region of Poltava.").
    followed = n.after.isspace() or n.after == ","
    region = _REGION_AFTER.match(text, end) if followed and not n.possessive else None
    if region:
        return _Span(n.start, region.end(), text[n.start:region.end()], "region", ((entry.region, 1.0),), town=False,
                     rules=("geoparse.region-word",))
    rule = ("geoparse.region-regional" if followed and not n.possessive and _REGIONAL_AFTER.match(text, end) else
            "geoparse.region-campaign" if followed and not n.possessive and _CAMPAIGN_AFTER.match(text, end) else
            "geoparse.region-list" if followed and _list_then(_LIST_OF_REGIONS, _REGION_ITEM, text, end) else
            "geoparse.region-of" if _REGION_OF.search(text, max(0, n.start - 20), n.start) else
            "geoparse.region-into" if _CAMPAIGN_INTO.search(text, max(0, n.start - 40), n.start) else None)
    if rule is None:
        return None
    return _Span(n.start, end, n.name, "region", ((entry.region, 1.0),), town=False, rules=(rule,))


def _us_state(n: _Name) -> _Span | bool | None:
    """"Moscow, Idaho": the town of that US state, or nothing when we lack it."""
    state = _US_STATE_AFTER.match(n.text, n.end) if n.after == "," else None
    if state is None:
        return None
    towns = n.lexicon.gazetteer.in_us_state(n.name, state.group(1))
    if towns:
        return _Span(n.start, n.end, n.name, "place", tuple((p, 1.0) for p in towns), "gazetteer",
                     within=state.group(1), rules=("geoparse.us-state",))
    return _NOT_A_PLACE if towns is not None and not n.lexicon.known(state.group(1)) else None


def _rejected_name(n: _Name) -> bool | None:
    """A name data/places.csv rejects."""
    return _NOT_A_PLACE if n.entry.rejected else None


def _brand_or_state(n: _Name) -> bool | None:
    """"Kyiv 2", "Washington's decision": a product or a government, not the town."""
    text, end = n.text, n.end
    brand = n.after == " " and text[end + 1:end + 2].isdecimal() and _BRAND_NUMBER.match(text, end)
    if brand or (n.possessive and not n.entry.countryish and _STATE_POSSESSIVE.match(text, end)):
        return _NOT_A_PLACE
    return None


def _negated(n: _Name) -> bool | None:
    """"not Kyiv but ...": the text says it is not the place."""
    text, start = n.text, n.start
    if text.find("not ", start - 40 if start > 40 else 0, start) >= 0 and _NEGATED_BEFORE.search(text, max(0, start - 40), start):
        return _NOT_A_PLACE
    return None


def _override(n: _Name) -> _Span | None:
    """A place from data/places.csv: taken as it stands."""
    return n.place(("geoparse.override",)) if n.entry.source == "override" else None


def _person_or_title(n: _Name) -> bool | None:
    """"Mr Fedoruk", "Olena Kyiv", "Governor Sumy": a name after a title, organisation or first name."""
    prev_start, prev, gap = n.before
    if not prev or gap != " ":
        return None
    prev_key = fold(prev)
    if prev_key in _TITLES or prev_key in _ORG_BEFORE:
        return _NOT_A_PLACE
    if prev[0].isupper():
        if prev_key in _FIRST_NAMES:
            return _NOT_A_PLACE
        if (not n.entry.countryish and prev_key not in _ALLOWED_BEFORE and not _sentence_initial(n.text, prev_start)
                and not prev.lower().endswith(_HELD)):
            return _NOT_A_PLACE
    return None


def _named_thing_after(n: _Name) -> bool | None:
    """"Kyiv Post", "Zaporizhzhia nuclear plant", "Irkutsk region" (a region we lack): not the town."""
    if n.after != " " or n.possessive:
        return None
    text, end, entry = n.text, n.end, n.entry
    nxt = _NEXT_WORD.match(text, end)
    if nxt is None:
        return None
    following = _strip_possessive(nxt.group(1))
    if following.lower() in _NOT_THE_TOWN_AFTER or _POWER_PLANT.match(text, end):
        return _NOT_A_PLACE
    # "Russia's Irkutsk region": a region the table lacks is not its centre city.
    if following.lower() in _REGION_WORDS and entry.region is None and not entry.countryish:
        return _NOT_A_PLACE
    if (following[0].isupper() and fold(following) not in _GENERIC_FOLLOW
            and (not following.isupper() or n.name.isupper() or len(following) > 2) and not _FACILITY_NAMED.match(text, end)):
        return _NOT_A_PLACE
    return None


def _named_thing_before(n: _Name) -> bool | None:
    """"the Battle of Kyiv", "Port of Spain" (the Port of Odesa is in Odesa): not the town."""
    text, start = n.text, n.start
    if "of" in text[max(0, start - 12):start] and (
            _NOT_THE_TOWN_BEFORE.search(text, max(0, start - 30), start)
            or (n.entry.countryish and text.endswith("Port of ", 0, start))):
        return _NOT_A_PLACE
    return None


def _river(n: _Name) -> bool | None:
    """"the Dnipro" is the river unless the words after make it the city."""
    if n.before[1].lower() == "the" and fold(n.name) in _RIVERS and not _CITY_USE.match(n.text, n.end):
        return _NOT_A_PLACE
    return None


def _raion_word(n: _Name) -> _Span | None:
    """"Kakhovka raion": the raion around the town (a place, when no town heads one)."""
    if n.after == " " and not n.possessive and _RAION_AFTER.match(n.text, n.end):
        return _raion_span(n.start, n.end, n.name, n.entry) or n.place()
    return None


def _district_word(n: _Name) -> _Span | None:
    """"the Dniprovskyi district of Kyiv", "the Izium district": a city district or a raion."""
    district = _DISTRICT_AFTER.match(n.text, n.end) if n.after == " " and not n.possessive else None
    if district is None:
        return None
    return _district_span(n.text, n.start, n.end, n.name, n.entry, n.lexicon, district.end())


def _district_list(n: _Name) -> _Span | None:
    """"the Sviatoshynskyi and Solomianskyi districts", "the Obukhiv and Fastiv raions": the first
    name of a plural list is what the last is."""
    if n.possessive or not (n.after == "," or n.after == " "):
        return None
    listed = _list_then(_DISTRICT_LIST_AFTER, _DISTRICT_ITEM, n.text, n.end)
    if listed is None:
        return None
    if listed.group(1) is None:
        return _raion_span(n.start, n.end, n.name, n.entry) or n.place()
    return _district_span(n.text, n.start, n.end, n.name, n.entry, n.lexicon, listed.end())


def _plain_name(n: _Name) -> _Span:
    """The name as a place; a small one named without a cue is weak (kept only if the article
    backs it), a name in capitals only as a dateline; "the city of X" only a namesake big enough."""
    entry, text, start = n.entry, n.text, n.start
    _, prev, gap = n.before
    weak = entry.shouting or (entry.needs_cue and not _cued(text, prev, gap, start, n.end, n.spans))
    rules = ("geoparse.settlement-cue",) if entry.needs_cue and not weak else ("geoparse.name",)
    if weak and entry.shouting and _dateline(text, start, n.end, entry):
        weak, rules = False, ("geoparse.dateline",)
    candidates = entry.candidates
    if len(candidates) > 1 and text.endswith("city of ", 0, start):
        # "not the city of Kamianske in Dnipropetrovsk region": a city, not a village of the name.
        cities = tuple(c for c in candidates if c[0].population >= _RAION_CENTRE)
        candidates, rules = cities or candidates, rules + ("geoparse.city-of",) * bool(cities)
    return _Span(start, n.end, n.name, "place", candidates, entry.source, entry.has_town, weak, rules=rules)


# Whether a known name is a place, and what kind: the first pass with a verdict decides (a span,
# or _NOT_A_PLACE); a pass that says nothing (None) hands on. The order is the policy: what the
# name itself is called ("Sumy region", "Moscow, Idaho") first, then what rules it out (data,
# products, negation, people, organisations, rivers), then districts and raions, then the name
# as a place. The span's rule ids (docs/engine.md) say which pass decided.
RECOGNITION_PASSES: tuple[tuple[str, Callable[[_Name], _Span | bool | None]], ...] = (
    ("region-name", _region_name),
    ("us-state", _us_state),
    ("rejected-name", _rejected_name),
    ("brand-or-state", _brand_or_state),
    ("negated", _negated),
    ("override", _override),
    ("person-or-title", _person_or_title),
    ("named-thing-after", _named_thing_after),
    ("named-thing-before", _named_thing_before),
    ("river", _river),
    ("raion-word", _raion_word),
    ("district-word", _district_word),
    ("district-list", _district_list),
    ("plain-name", _plain_name),
)
_RECOGNITION_STEPS = tuple(step for _, step in RECOGNITION_PASSES)


def _classify(text, start, end, name, possessive, spans, lexicon) -> _Span | None:
    """The span for a known name at text[start:end], if its surroundings allow it to be a place."""
    n = _Name(text, start, end, name, possessive, spans, lexicon)
    for step in _RECOGNITION_STEPS:
        verdict = step(n)
        if verdict is not None:
            return verdict or None
    return None


# "Associated Press writer Jane Doe in Lviv contributed.": where a reporter sat, not where
# anything happened, so no neighbour for the article's other names.
_CREDIT = re.compile(r"\bcontributed\b|\bcontributing\b|\breporting by\b", re.IGNORECASE)


def _credit_line(text: str, start: int) -> bool:
    """Whether the line holding text[start] is a contributor's credit."""
    line_start, line_end = _indexed(text).line(start)
    return line_end - line_start < 300 and _CREDIT.search(text, line_start, line_end) is not None


# A dateline opens a line: "FASTIV - ...", "BORYSPIL, Ukraine (AP) --", "IRPIN (Reuters) -".
_DATELINE_AFTER = re.compile(r"(?: [-\u2013\u2014] |, Ukraine\b| \()")


def _dateline(text, start, end, entry) -> bool:
    """Whether a name in capitals is a line's dateline naming a Ukrainian town of 10,000+: a
    dateline names where the report was filed, a town, never a word shouted in a heading."""
    return ((start == 0 or text[start - 1] == "\n") and _DATELINE_AFTER.match(text, end) is not None
            and any(p.country == "UA" and p.kind == "town" and p.population >= _RAION_CENTRE
                    for p, _ in entry.candidates))


def _district_span(text, start, end, name, entry, lexicon, words_end) -> _Span | None:
    """X in "X district" as a city district, when X is a district's adjectival name
    or the text says whose district it is; its city is read from "of <City>" or "<City>'s"
    ("the city" for "of the city"; "" when none is named: then only a district of that name
    in the article's main town is taken)."""
    of = _DISTRICT_CITY.match(text, words_end)
    opening = _LIST_OPENING.search(text, max(0, start - 60), start)  # the later names of a list
    owned_from = opening.start() if opening else start
    owner = _CITY_POSSESSIVE.search(text, max(0, owned_from - 40), owned_from)
    # A noun-named district of an oblast is a raion named after its town ("the Izium district
    # of Kharkiv Oblast"): only the city's own ("of the city", "Kharkiv's") are city districts.
    # Towns with adjectival names ("the Novhorod-Siverskyi district", "the Khmelnytskyi district")
    # head raions too: a compound name or an oblast centre's is never a city district's.
    if not ((of and of.group(1)) or owner) and (not _DISTRICT_ADJECTIVE.search(fold(name))
                                                 or "-" in name or entry.region is not None):
        # A neighbourhood ("the Saltivka neighbourhood") is a town's part, never a raion.
        raion = _RAION_WORD_BEFORE.search(text, max(0, words_end - 12), words_end)  # the words just read, not the text before
        return _raion_span(start, end, name, entry) if raion else None
    city = (of.group(2) or "the city") if of else (owner.group(1) or "the city") if owner else ""
    if city and city != "the city" and not lexicon.known(city):
        return None
    return _Span(start, end, name, "district", entry.candidates, entry.source, False, within=city,
                 rules=("geoparse.city-district",))


def _raion_span(start, end, name, entry) -> _Span | None:
    """X in "the X district" / "X raion" when X is a town big enough to head a raion: the raion is
    an area of a thousand square kilometres or more around the town, so it is not pinned at the
    town; the town still serves as a neighbour for resolving the article's other names."""
    towns = tuple((p, q) for p, q in entry.candidates
                  if p.kind == "town" and p.country == "UA" and p.population >= _RAION_CENTRE)
    if not towns:  # "the Shebekino district": a district of a border region across from Ukraine
        towns = tuple((p, q) for p, q in entry.candidates if _border_town(p) and p.population >= _BORDER_RAION_CENTRE)
        if towns:
            return _Span(start, end, name, "raion", towns, entry.source, False, rules=("geoparse.raion-across-border",))
    return _Span(start, end, name, "raion", towns, entry.source, False) if towns else None


def _word_before(text: str, pos: int) -> tuple[int, str, str]:
    """The word before `pos` as the tokenizer would see it (possessive stripped), where it starts,
    and the text between it and `pos`; (-1, "", "") when there is none."""
    gap = text[pos - 1:pos]
    if gap == " " or gap == "\n":  # the common case, a plain word and one space: "in Kyiv", "said.\nIn Kyiv"
        space = text.rfind(" ", max(0, pos - 30), pos - 1)
        if space >= 0:
            word = text[space + 1:pos - 1]
            if word.isalpha():
                return space + 1, word, gap
            line = word.rfind("\n")
            if line >= 0 and word[line + 1:].isalpha():
                return space + line + 2, word[line + 1:], gap
    k = pos
    while k > 0 and not text[k - 1].isalnum():
        k -= 1
    end = k
    if text[end:end + 1] == "." and _ACRONYM_BEFORE.search(text, max(0, end - 12), end + 1):  # "U.N."
        k = _ACRONYM_BEFORE.search(text, max(0, end - 12), end + 1).start()
        return k, text[k:end + 1], text[end + 1:pos]
    k -= _WORD_REVERSED.match(text[max(0, k - 40):k][::-1]).end()
    while k < end and not text[k].isalpha():
        k += 1
    if k >= end:
        return -1, "", ""
    word = _strip_possessive(text[k:end])
    return k, word, text[k + len(word):pos]


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"“‘'([":
        k -= 1
    return k < 0 or text[k] in ".!?\n:"


def _add_unknown_districts(text: str, spans: list[_Span], lexicon: _Lexicon) -> None:
    """City districts the gazetteer lacks, said to be a city's ("the Korabelnyi district of
    Kherson"): placed at the city."""
    if "istrict of" not in text and "ood of" not in text:
        return
    taken = sorted((s.start, s.end) for s in spans)
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))  # the furthest end of the spans so far
    for m in _UNKNOWN_DISTRICT.finditer(text):
        city = m.group(3) or "the city"
        end = m.end(1)
        k = bisect_left(starts, end) - 1  # the spans starting before the district's end
        if (k >= 0 and reach[k] > m.start()) or (city != "the city" and not lexicon.known(city)):
            continue
        spans.append(_Span(m.start(), end, text[m.start():end], "district", town=False, within=city,
                           rules=("geoparse.city-district-unknown",)))


# "the Oleshkyn district", "Bakhmutskyi raion", "the Kupianskyi and Iziumskyi districts": a raion
# named by its adjective, which the gazetteer lacks (geo/rules/en/places.toml raion_adjective).
_ADJECTIVE_DISTRICT = re.compile(r"([A-Z][\w'’ʼ-]+) (?i:(districts|raions)|district|raion)\b")
_LIST_WORD = re.compile(r"[A-Z][\w'’ʼ-]+")
_NEIGHBOURHOOD_KM = 15.0  # a "town" this near a town three times its size, in its region, is a city's part
_CITY_WITH_DISTRICTS = 100_000


def _add_adjective_raions(text: str, spans: list[_Span], lexicon: _Lexicon) -> None:
    """Raions the text names by an adjective the gazetteer lacks ("the Oleshkyn district" ->
    Oleshky Raion), also in a plural list; not a city's district ("of the city", "Kryvyi Rih's",
    "of Kherson"), unless that name is an oblast's and the raion lies in it ("Kharkiv's
    Kupianskyi district"), nor after a city named in the same sentence when the raion would lie
    outside the city's oblast ("In Zaporizhzhia city, ... the Komunarskyi district" is not
    Alchevsk's, once Kommunarsk)."""
    if "istrict" not in text and "aion" not in text and "ISTRICT" not in text and "AION" not in text:
        return
    adjectives = _raion_adjectives(lexicon.gazetteer)
    taken = sorted((s.start, s.end) for s in spans)
    starts = [a for a, _ in taken]
    reach = list(accumulate((b for _, b in taken), max))
    for m in _ADJECTIVE_DISTRICT.finditer(text):
        words = [(m.start(1), m.group(1))]
        if m.group(2):  # a plural: the names listed before are raions too
            opening = _LIST_OPENING.search(text, max(0, m.start() - 200), m.start())
            if opening:
                words = [(w.start(), w.group()) for w in _LIST_WORD.finditer(text, opening.start(), m.start())] + words
        for start, word in words:
            word = word.rstrip("-")
            found = adjectives.get(skeleton(word))
            end = start + len(word)
            k = bisect_left(starts, end) - 1
            if (found is None or (k >= 0 and reach[k] > start) or not _owner_allows(text, start, m.end(), found, lexicon)
                    or _city_in_sentence(text, start, spans, found)):
                continue
            towns = tuple((p, 1.0) for p, _ in found)
            spans.append(_Span(start, end, word, "raion", towns, "gazetteer", False,
                               rules=("geoparse.raion-adjective", *dict.fromkeys(r for _, r in found))))


def _owner_allows(text: str, start: int, words_end: int, found, lexicon: _Lexicon) -> bool:
    """Whether a raion adjective is not said to be a city's district: no "of the city", "the
    city's", "of <Town>", "<Town>'s", unless <Town> is an oblast's name (or "<Town> Oblast") and
    the raion centre lies in that oblast."""
    of = _DISTRICT_CITY.match(text, words_end)
    opening = _LIST_OPENING.search(text, max(0, start - 200), start)
    owned_from = opening.start() if opening else start
    owner = _CITY_POSSESSIVE.search(text, max(0, owned_from - 40), owned_from)
    if (of and of.group(1)) or (owner and owner.group(2)):
        return False
    name = (of.group(2) if of else None) or (owner.group(1) if owner else None)
    if name is None:
        return True
    after = _NEXT_WORD.match(text, of.end()) if of else None
    words = name.split()
    if words[-1].lower() in _REGION_WORDS or (after and after.group(1).lower() in _REGION_WORDS):
        return True
    region = lexicon.gazetteer.region(words[0])
    return region is not None and any(in_region(p, region) for p, _ in found)


def _city_in_sentence(text: str, start: int, spans: list[_Span], found) -> bool:
    """Whether a city of 100,000+ is named earlier in the sentence and the raion would lie outside
    its oblast: the adjective then names one of the city's districts."""
    opened = _indexed(text).sentence_start(start)
    for span in spans:
        if span.kind == "place" and opened <= span.start < start and span.candidates:
            city = max((p for p, _ in span.candidates), key=lambda p: p.population)
            if (city.kind == "town" and city.population >= _CITY_WITH_DISTRICTS
                    and not any(p.country == city.country and p.admin1 == city.admin1 for p, _ in found)):
                return True
    return False


@lru_cache(maxsize=2)
def _raion_adjectives(gazetteer: Gazetteer) -> dict[str, tuple[tuple[Place, str], ...]]:
    """Skeleton of a raion adjective -> (centre town, rule id), made from every spelling of every
    raion centre by the raion_adjective rules (a Ukrainian town's before any across the border)."""
    words = rulebook.load("en", "places")
    rules = words["raion_adjective"]
    exceptions = words["raion_adjective_exceptions"]
    big = [p for p in gazetteer.places if p.kind == "town" and p.population >= 3 * _RAION_CENTRE
           and p.country in ("UA", "RU", "BY")]

    def centre(p: Place) -> bool:
        return p.kind == "town" and (
            (p.country == "UA" and p.population >= _RAION_CENTRE)
            or (_border_town(p) and p.population >= _BORDER_RAION_CENTRE))

    @lru_cache(maxsize=None)
    def neighbourhood(p: Place) -> bool:
        """A city's part (Saltivka, Holosiiv), or a city that is a region of its own (Kyiv): no raion centre."""
        region = gazetteer.region_of(p)
        return (region is not None and fold(region.name) == fold(p.name)) or any(
            q.population >= 3 * p.population and q.country == p.country and q.admin1 == p.admin1
            and distance_km(p.lat, p.lon, q.lat, q.lon) <= _NEIGHBOURHOOD_KM for q in big)

    found: dict[str, dict[Place, str]] = {}
    # A town's own name first, so a rule id says how its usual spelling makes the adjective.
    spellings = sorted(gazetteer.spellings(centre), key=lambda kp: kp[0] != fold(kp[1].name))
    for key, place in spellings:
        if " " in key:
            continue
        rule = next((r for r in rules if key.endswith(tuple(r["ends"])) and len(key) > r["strip"] + 2), None)
        if rule is not None:
            stem = key[:len(key) - rule["strip"]]
            for add in rule["add"]:
                found.setdefault(skeleton(stem + add), {}).setdefault(place, rule["id"])
    for town, adjectives in exceptions["adjectives"].items():
        for place in gazetteer.candidates(town):
            if centre(place):
                for adjective in adjectives:
                    found.setdefault(skeleton(adjective), {}).setdefault(place, exceptions["id"])
    table = {}
    for adjective, places in found.items():
        kept = [(p, r) for p, r in places.items() if not neighbourhood(p)]
        ukrainian = [(p, r) for p, r in kept if p.country == "UA"]
        if ukrainian or kept:
            table[adjective] = tuple(ukrainian or kept)
    return table


def _add_stated_settlements(text: str, spans: list[_Span]) -> None:
    """Names the gazetteer lacks that the text says are settlements ("the village of Hroza",
    "Hroza, a village in ..."); once said, later bare "Hroza"s are the village too."""
    known = {s.start for s in spans}
    stated = set()
    found = []
    for m in _OF_NAME.finditer(text):
        said = _SETTLEMENT_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if said:
            found.append((m.start(1), m.group(1), "geoparse.settlement-of"))
            more = _LIST_NEXT.match(text, m.end()) if said.group(1) else None
            while more:
                found.append((more.start(1), more.group(1), "geoparse.settlement-of"))
                more = _LIST_NEXT.match(text, more.end())
    for m in _FRONT_LINE_NEAR.finditer(text) if " near " in text else ():
        more = m
        while more:
            if _TOPONYM_END.search(more.group(1)):
                found.append((more.start(1), more.group(1), "geoparse.settlement-front-line"))
            more = _LIST_NEXT.match(text, more.end())
    for m in _INCLUDING.finditer(text) if "including" in text else ():
        found.append((m.start(1), m.group(1), "geoparse.settlement-including"))
        more = _LIST_NEXT.match(text, m.end())
        while more:
            found.append((more.start(1), more.group(1), "geoparse.settlement-including"))
            more = _LIST_NEXT.match(text, more.end())
    for m in _APPOS_TAIL.finditer(text):
        name = _NAME_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if name:
            found.append((name.start(), name.group(), "geoparse.settlement-apposition"))
    for m in _WHERE_TAIL.finditer(text):
        name = _NAME_BEFORE.search(text, max(0, m.start() - 80), m.start())
        if name and (m.group(1) or (_TOPONYM_END.search(name.group())
                                    and _word_before(text, name.start())[1].lower() in _PREPOSITIONS)):
            found.append((name.start(), name.group(), "geoparse.settlement-where"))
    for start, written, rule in found:
        lead = _LEADING_WORD.match(written)
        if lead:
            start, written = start + lead.end(), written[lead.end():]
        name = _POSSESSIVE.sub("", written)
        if start not in known and fold(name) not in _STOP and fold(name) not in _FIRST_NAMES:
            spans.append(_Span(start, start + len(name), name, "unknown", rules=(rule,)))
            known.add(start)
            stated.add(name)
    if stated:
        # Every stated name wherever it recurs, in one pass (a zero-width look-ahead finds names
        # that start inside another's; a prefix tree tries them in a few steps at each place);
        # where two match at one place, the longer.
        recurs = re.compile(r"(?<![\w@#])(?=(" + alternation(sorted(stated)) + r")(?![\w-]))")
        for m in recurs.finditer(text):
            if m.start() not in known:
                spans.append(_Span(m.start(), m.end(1), m.group(1), "unknown", rules=("geoparse.settlement-again",)))
                known.add(m.start())


def _plausible(place: Place) -> bool:
    """Foreign towns under 100,000 are not worth the false positives they bring, except in the
    border regions across from Ukraine (kept only in articles that name their region)."""
    return (place.country == "UA" or place.kind != "town" or place.population >= 100_000
            or (place.country, place.admin1) in BORDER_REGIONS)


def _border_town(place: Place) -> bool:
    return (place.country != "UA" and place.population < 100_000 and place.kind == "town"
            and (place.country, place.admin1) in BORDER_REGIONS)


# "the Russian town of Sudzha", "Russia's border village of Tyotkino": the text says the country.
_COUNTRY_TOWN_BEFORE = re.compile(r"\b(?:(Russian|Belarusian)\s+(?:border\s+)?|(Russia|Belarus)['’]s\s+(?:border\s+)?)"
                                  r"(?:town|city|village|settlement)\s+of\s+$")
_COUNTRY_CODES = {"russian": "RU", "russia": "RU", "belarusian": "BY", "belarus": "BY"}


def _in_named_regions(text: str, spans: list[_Span], lexicon: _Lexicon) -> list[_Span]:
    """Small towns of Russia's and Belarus's border regions are candidates only in an article that
    names their region ("in the Kursk region ... the town of Sudzha") or where the text says the
    country ("the Russian town of Sudzha"): elsewhere such a name is more likely a Ukrainian
    village the gazetteer lacks, or no place at all."""
    named = {(s.candidates[0][0].country, s.candidates[0][0].admin1) for s in spans
             if s.kind == "region" and s.candidates[0][0].country != "UA"}
    kept = []
    for span in spans:
        if span.kind in ("place", "district") and lexicon.has_border_town(span):
            said = _COUNTRY_TOWN_BEFORE.search(text, max(0, span.start - 40), span.start)
            country = _COUNTRY_CODES[(said.group(1) or said.group(2)).lower()] if said else ""
            candidates = tuple((p, q) for p, q in span.candidates
                               if not _border_town(p) or (p.country, p.admin1) in named or p.country == country)
            if not candidates:
                continue
            if country and any(_border_town(p) and p.country == country and (p.country, p.admin1) not in named
                               for p, _ in candidates):
                candidates = tuple((p, q) for p, q in candidates if p.country == country)
                span = span._replace(rules=(*span.rules, "geoparse.country-town"))
            span = span._replace(candidates=candidates)
        kept.append(span)
    return kept


def _big(place: Place) -> bool:
    if place.country == "UA":
        return place.population >= 10_000
    return place.population >= 1_000_000


def _cued(text, prev, gap_before, start, end, spans) -> bool:
    """Whether the words around a small place's name say it is a place."""
    if prev and gap_before.isspace() and prev.lower() in _PREPOSITIONS:
        return True
    if prev == "the" and _FACILITY_AFTER.match(text, end) and _word_before(
            text, start - len(gap_before) - 3)[1].lower() in _PREPOSITIONS:
        return True
    if prev == "the" and _FACILITY_NAMED.match(text, end):  # "the Ivankiv History and Local Lore Museum"
        return True
    if "of" in text[max(0, start - 12):start] and _SETTLEMENT_OF.search(text[max(0, start - 40):start]):
        return True
    if _SETTLEMENT_AFTER.match(text, end, end + 60):
        return True
    if _BEFELL_AFTER.match(text, end, end + 40) and not _SURNAME.search(fold(text[start:end])):
        return True
    if spans and start - spans[-1].end <= 6 and _LIST_GAP.fullmatch(text, spans[-1].end, start):
        return True
    return False


# "near the Ozerne air base", "at the Starokostiantyniv airfield": a base or a station named
# after the village it stands in; "in the Esman community" (hromada): the villages governed from it.
_FACILITY_AFTER = re.compile(r" (?:air\s?base|airfield|aerodrome|airport|railway\s+station|station|depot"
                             r"|(?:territorial\s+)?(?:community|hromada))\b")

_NO_CUES = Cues()


def _cues(text: str, span: _Span, later: list[_Span], capital: Place, main: _Span | None = None,
          earlier: list[_Span] = ()) -> Cues:
    """Read region, distance, bearing and nearness cues from the words after a mention.

    The anchor is the place named next in the sentence, "the capital" (Kyiv), or "the city" /
    "the town": `main`, the town the article has named most so far."""
    # where the sentence ends: near, found by a short search; far (a run-on list), by the index
    brk = _BREAK.search(text, span.end, span.end + 400)
    sentence_end = brk.start() if brk else _indexed(text).next_break(span.end)
    following = later[0] if later and later[0].start < sentence_end else None
    region, country = None, ""
    gap, gap_start = "", span.end
    for other in later:
        if other.start >= sentence_end:
            break
        gap += text[gap_start:other.start]
        if other.kind == "region":
            # "near Kyiv, hits sites in Kharkiv, Lviv and Zaporizhzhia regions": a list of regions
            # does not say which one a place is in.
            if _REGION_GAP.match(gap) and not _list_then(_LIST_OF_REGIONS, _REGION_ITEM, text, other.end):
                region = other.candidates[0][0]
            break
        if other.kind == "raion":
            # "the village of Shevchenkove, in the Mykolaiv district": in the raion around that
            # town, so in its oblast and (raions are ~50 km across) near it.
            if _REGION_GAP.match(gap) and not country:
                town = _likeliest(other.candidates)
                return Cues(region or _oblast_of(town), town, f"the {other.mention} district",
                            rules=_OBLAST_CUE * bool(region) + ("geoparse.cue-raion",))
            break
        if not (other.candidates and other.candidates[0][0].kind == "country"):
            break
        code = other.candidates[0][0].country
        if (not gap_start - span.end and _COUNTRY_GAP.match(gap)
                and any(p.country != code for p, _ in span.candidates)):  # only a cue that tells namesakes apart
            country = code
        gap, gap_start = gap + "Country", other.end  # "in Ukraine's northeastern Kharkiv region"
    oblast = _OBLAST_CUE * bool(region)
    if country:
        return Cues(region=region, country=country, rules=oblast + ("geoparse.cue-country",))
    stop = following.end if following is not None else sentence_end
    if following is not None and following.kind == "place":
        anchor_text = text[span.end:following.start]
        if len(anchor_text) > _CUE_TEXT_MAX:
            return _front_line(text, span, earlier, region)
        anchor = _likeliest(following.candidates)
        label, named = following.mention, ()
    else:
        window = text[span.end:stop]
        cut = _CAPITAL_ALONE.search(window) if "apital" in window else None
        said = (_THE_CITY.match(window) if cut is None and main is not None
                and ("city" in window or "town" in window) else None)
        if cut is not None:
            anchor_text = window[:cut.start()] + "the "
            anchor, label, named = capital, "the capital", ("geoparse.anchor-capital",)
        elif said is not None:
            anchor_text = said.group(1)
            anchor = _likeliest(main.candidates)
            label, named = f"the city ({main.mention})", ("geoparse.anchor-main-town",)
        else:
            return _front_line(text, span, earlier, region)
    if (anchor.kind != "town" or _NEW_PHRASE.search(anchor_text)
            or (_FRONT_LINE_GAP.match(anchor_text) and _FRONT_LINE_OF.search(text, max(0, span.start - 30), span.start))):
        return _front_line(text, span, earlier, region)
    m = _DISTANCE_CUE.match(anchor_text)
    if m:
        km = float(m.group(1)) * _MILES.get(m.group(2).lower(), 1.0)
        return Cues(region, anchor, label, km, _bearing(m.group(3)), rules=oblast + named + ("geoparse.cue-distance",))
    m = _BEARING_CUE.match(anchor_text)
    if m:
        return Cues(region, anchor, label, None, _bearing(m.group(1)), rules=oblast + named + ("geoparse.cue-bearing",))
    if _NEAR_CUE.match(anchor_text):
        return Cues(region, anchor, label, rules=oblast + named + ("geoparse.cue-near",))
    return _front_line(text, span, earlier, region)


_OBLAST_CUE = ("geoparse.cue-oblast",)


# "near Terny and Torske and south of Kreminna": after "and" a new place phrase starts, so it does
# not say where the name before it lies.
_NEW_PHRASE = re.compile(r"\b(?:and|or|but|while|whereas)\s+(?:(?:just|further|farther)\s+)?"
                         r"(?:(?:\d+(?:\.\d+)?\s*-?\s*\w+\s+)?(?:north|south|east|west)|near|outside)", re.I)


# "southwest of Marinka near Pobieda": the name after "near" is near Marinka, not Marinka near it.
_FRONT_LINE_GAP = re.compile(r"(?:\s+City)?\s+near\s+$")
_FRONT_LINE_OF = re.compile(r"\b(?:north|south|east|west)\w*\s+of\s+(?:the\s+)?$")


def _front_line(text: str, span: _Span, earlier: list[_Span], region: Place | None) -> Cues:
    """"attacked northeast of Kupiansk near Synkivka and Petropavlivka": the names after "near"
    lie in that direction from the town named before it (ISW style)."""
    before = max(0, span.start - 160)
    m = (_FRONT_LINE_BEFORE.search(text, before, span.start)
         if earlier and text.find(" near", before, span.start) >= 0 else None)
    if m is not None:
        anchor = next((s for s in earlier if s.start == m.start(2) and s.kind == "place"), None)
        if anchor is not None:
            town = _likeliest(anchor.candidates)
            if town.kind == "town":
                return Cues(region, town, anchor.mention, None, _bearing(m.group(1)),
                            rules=_OBLAST_CUE * bool(region) + ("geoparse.cue-front-line",))
    if region is not None:
        return Cues(region=region, rules=_OBLAST_CUE)
    if earlier and span.kind == "place" and len(span.candidates) > 1:
        opening = _opening_region(text, span, earlier)
        if opening is not None and any(in_region(p, opening) for p, _ in span.candidates):
            return Cues(region=opening, rules=("geoparse.cue-opening-oblast",))
    return _NO_CUES


_OPENING = re.compile(r"(?:^|[.!?\n])[\s\-–•*]*In\s+(?:the\s+)?$")


def _opening_region(text: str, span: _Span, earlier: list[_Span]) -> Place | None:
    """"In Zaporizhzhia region, a strike near Vasylivka ...": a sentence that opens with a region
    places the namesake it names there, when it has one there."""
    for other in reversed(earlier):
        if other.kind == "region" and _OPENING.search(text, max(0, other.start - 12), other.start):
            between = text[other.end:span.start]
            return other.candidates[0][0] if not _BREAK.search(between) else None
    return None


def _oblast_of(town: Place) -> Place | None:
    return Gazetteer.default().region_by_code(town.admin1) if town.country == "UA" else None


def _likeliest(candidates: tuple[tuple[Place, float], ...]) -> Place:
    """An anchor's place before resolution: the largest of those spelled as written, so a bigger
    town that merely has the name among its other names ("Slavyansk" for Nikopol) is not taken."""
    return max(candidates, key=lambda c: (c[1], c[0].population))[0]


def _bearing(word: str) -> float:
    return float(_BEARINGS[re.sub(r"[\s-]", "", word.lower())])


def _resolve(text: str, spans: list[_Span], article_id: str, lexicon: _Lexicon) -> list[PlaceMention]:
    """Two passes: resolve each mention on its own cues, then re-decide the ambiguous ones
    with the confidently placed towns of the article as neighbours. A name repeated with the
    same cues is decided once per pass."""
    gazetteer, geocoder = lexicon.gazetteer, lexicon.geocoder
    keys = [fold(s.mention) for s in spans]
    cues: list[Cues] = []
    first: list[_Decision | None] = []
    memo: dict[tuple, _Decision | None] = {}
    unknown: dict[str, _Decision] = {}
    named: dict[str, int] = {}
    main, main_key = None, ""  # "the city": the town the article has named most so far
    city, city_key = None, ""  # the same, ties going to the first named: whose districts are meant
    ambiguous, cued = [], []
    oblasts = tuple({id(s.candidates[0][0]): s.candidates[0][0] for s in spans
                     if s.kind == "region" and s.candidates[0][0].country == "UA"}.values())
    article_region = _article_region(spans, oblasts)
    # Regions across the border count like oblasts when choosing among namesakes ("In the Bryansk
    # region, ... in Klimovo" is the Russian town, not the Crimean village).
    named_regions = oblasts + tuple({id(s.candidates[0][0]): s.candidates[0][0] for s in spans
                                     if s.kind == "region" and s.candidates[0][0].country != "UA"}.values())
    earlier = _EarlierInSentence(text, spans)
    for n, span in enumerate(spans):
        cue = (_cues(text, span, spans[n + 1:n + 4], lexicon.capital, main, spans[max(0, n - 6):n]) if span.town
               else _NO_CUES)
        cues.append(cue)
        key = keys[n]
        if span.kind == "place" and len(span.candidates) > 1:
            ambiguous.append(n)
        if span.kind == "place" and span.town:
            named[key] = named.get(key, 0) + 1
            if main is None or named[key] >= named[main_key]:
                main, main_key = span, key
            if city is None or named[key] > named[city_key]:
                city, city_key = span, key
        if span.kind == "district":
            first.append(_district(span, _city_of_sentence(earlier, n) or city, lexicon))
            continue
        if span.kind == "raion":
            first.append(lexicon.decision(span._replace(kind="place")))
            continue
        if span.kind == "landmark":
            first.append(_landmark_decision(span))
            continue
        if cue is _NO_CUES and span.kind != "unknown":
            first.append(lexicon.decision(span))
            continue
        cued.append(n)
        if span.kind == "unknown":  # asks the geocoders (perhaps online): once per article
            widened = False
            if cue.region is None and cue.anchor is None:
                region, widened = _settlement_region(earlier, n, article_region)
                read = "geoparse.cue-article-oblast" if widened else "geoparse.cue-sentence-oblast"
                cue = cues[-1] = Cues(region=region, rules=(read,)) if region is not None else cue
            said = (span.mention, cue)
            if said not in memo:
                memo[said] = _decide(span, cue, (), gazetteer, geocoder)
            decided = memo[said]
            if widened and decided is not None and decided.source == "region-fallback":
                decided = _Decision(Choice(decided.choice.place, 0.5,
                                           f"{span.mention} is not in the gazetteer; the text calls it a settlement "
                                           f"and names no oblast but {cue.region.name}: placed at its centre"),
                                    decided.source, decided.precision, decided.name, decided.rules)
        else:
            decided = lexicon.decision(span, cue)
        first.append(decided)
        # A name the gazetteer lacks is placed once, from the occurrence whose cues say most.
        if span.kind == "unknown" and decided is not None and (
                key not in unknown or _PLACEMENT_RANK[decided.source] < _PLACEMENT_RANK[unknown[key].source]):
            unknown[key] = decided
    if unknown:
        first = [unknown.get(k, d) if s.kind == "unknown" else d for s, k, d in zip(spans, keys, first)]
    anchors = {id(r.choice.place): r.choice.place for r, s in zip(first, spans)
               if r is not None and r.choice.confidence >= 0.85 and s.kind in ("place", "raion")
               and r.choice.place.kind == "town" and not _credit_line(text, s.start)}
    final = first
    if (anchors or named_regions) and ambiguous:
        final, again = list(first), {}
        towns = Neighbours(anchors.values())
        for n in ambiguous:
            span, cue = spans[n], cues[n]
            key = (span.mention, span.within, len(span.candidates), id(cue.region), id(cue.anchor), cue.distance_km,
                   cue.bearing, cue.country, cue.rules)
            if key not in again:
                neighbours = towns.excluding(id(p) for p, _ in span.candidates)
                # Neighbours cannot choose among candidates the region cue left one or none of.
                settled = cue.region is not None and lexicon.in_region_count(span, cue.region) <= 1
                again[key] = (_decide(span, cue, neighbours, gazetteer, geocoder, named_regions)
                              if (neighbours or named_regions) and not settled else first[n])
            final[n] = again[key]
    if "ommunity" in text or "romada" in text:
        final = _in_communities(text, spans, keys, final)
    placed = _placed_with_cues([(spans[n], keys[n], cues[n], final[n]) for n in cued]) if cued else {}
    strays = _strays(text, spans, keys, cues, final, placed, gazetteer)
    # A name the article uses as a city district ("Kyivskyi is in Kharkiv") stays that district.
    districts = {k: d for s, k, d in zip(spans, keys, final) if s.kind == "district" and d is not None}
    mentions = []
    for span, key, cue, decided in zip(spans, keys, cues, final):
        if key in districts and span.kind == "place" and cue.region is None and not cue.country:
            decided = replace(districts[key], rules=(*districts[key].rules, "geoparse.same-district"))
        elif key in placed and span.kind == "place" and cue.region is None and cue.anchor is None and not cue.country:
            decided = _as_placed(decided, placed[key])
        elif key in strays and span.kind == "place":
            decided = strays[key]
        if decided is not None:
            mention = _mention(article_id, span, decided, lexicon, lexicon.candidates(decided))
            mentions.append(_as_raion(mention, decided.choice.place, lexicon) if span.kind == "raion" else mention)
    return mentions


def _landmark_decision(span: _Span) -> _Decision:
    """A landmark is where the landmark file puts it: no namesakes, no cues to read."""
    lm = landmarks.by_id(span.rules[0])
    return _Decision(Choice(lm.place, 1.0, landmarks.note(lm, span.mention)), "landmark", lm.precision, lm.name)


def _as_raion(mention: PlaceMention, centre: Place, lexicon: _Lexicon) -> PlaceMention:
    """"the Izium district": the raion around the town, as the Ukrainian reader names it (Izium Raion),
    an area (REGION precision) drawn at its centre town, never the town itself. A district across
    the border ("the Sudzha district") is named so too, in its region (Kursk Oblast)."""
    region = mention.region
    if not region and centre.country != "UA":
        found = lexicon.gazetteer.region_of(centre)
        region = found.name if found else ""
    return replace(mention, name=f"{mention.name} Raion", precision=Precision.REGION, geonameid=None, region=region,
                   note=f"the raion named after {mention.name}, an area drawn at its centre; {mention.note}",
                   rules=(*mention.rules, "geoparse.raion"))


# "the village of Kozache in the Velykyi Burluk community": a hromada is governed from the town it
# is named after, and its villages lie within some 20 km of it.
_IN_THE_GAP = re.compile(r"\s+in\s+the\s+")
_COMMUNITY_AFTER = re.compile(r"\s+(?:(?:territorial|urban|rural|village|settlement)\s+)?(?:community|hromada)\b")


def _in_communities(text: str, spans: list[_Span], keys: list, final: list) -> list:
    """A village the gazetteer lacks, said to be in a hromada named after a town the article
    places: NEAR that town (as resolved, so the hromada's own oblast), rather than at an oblast's
    centre or nowhere."""
    placed = {}
    for n in range(len(spans) - 1):
        span, town = spans[n], spans[n + 1]
        decided, centre = final[n], final[n + 1]
        if (span.kind == "unknown" and town.kind == "place" and centre is not None
                and centre.choice.place.kind == "town" and centre.precision == Precision.TOWN
                and (decided is None or decided.source == "region-fallback")
                and _IN_THE_GAP.fullmatch(text, span.end, town.start) and _COMMUNITY_AFTER.match(text, town.end)
                and (decided is None or in_region(centre.choice.place, decided.choice.place))):
            place = centre.choice.place
            placed[keys[n]] = _Decision(Choice(place, 0.5, f"{span.mention} is not in the gazetteer; placed at "
                                                            f"{place.name}, the centre of the {town.mention} community "
                                                            "(hromada) the text puts it in"),
                                        "gazetteer", Precision.NEAR, span.mention, ("geoparse.hromada-centre",))
    if not placed:
        return final
    return [placed.get(k, d) if s.kind == "unknown" else d for s, k, d in zip(spans, keys, final)]


# Villages of one list lie close together; a namesake this close to a listed sibling may be it.
_LIST_KM = 60.0


def _oblast(place: Place, gazetteer: Gazetteer) -> Place | None:
    return gazetteer.region_by_code(place.admin1) if place.country == "UA" and place.admin1 else None


def _strays(text, spans, keys, cues, final, placed, gazetteer: Gazetteer) -> dict[str, _Decision]:
    """Villages listed with settlements the text places in an oblast ("the villages of
    Starovirivka, Borysivka and Pylna" in a Kharkiv report): a listed village whose gazetteer
    namesakes all lie outside that oblast, and far from a listed town, is another village of that
    name, there."""
    strays: dict[str, _Decision] = {}
    for n, (span, key, cue, decided) in enumerate(zip(spans, keys, cues, final)):
        if (key in strays or key in placed or span.kind != "place" or decided is None or cue.region is not None
                or cue.anchor is not None or cue.country):
            continue
        place = decided.choice.place
        if place.kind != "town" or place.country != "UA" or place.population >= _VILLAGE:
            continue
        for m in (n - 1, n + 1):
            if not 0 <= m < len(spans) or spans[m].kind not in ("unknown", "place") or final[m] is None:
                continue
            sibling, a, b = final[m], *((spans[m], span) if m < n else (span, spans[m]))
            at = sibling.choice.place
            region = (at if sibling.source == "region-fallback" and at.kind == "region" else
                      _oblast(at, gazetteer) if at.kind == "town" and sibling.choice.confidence >= 0.85 else None)
            if (region is not None and region.country == "UA"
                    and b.start - a.end <= 6 and _LIST_GAP.fullmatch(text, a.end, b.start)
                    and not any(in_region(p, region) or (at.kind == "town" and distance_km(
                        p.lat, p.lon, at.lat, at.lon) <= _LIST_KM) for p, _ in span.candidates)):
                strays[key] = _Decision(Choice(region, 0.5, f"no {span.mention} in {region.name} in the gazetteer; "
                                                            f"listed with {spans[m].mention}, which the text places "
                                                            f"there: placed at the centre of {region.name}",
                                                  decided.choice.ranked),
                                        "region-fallback", Precision.REGION, span.mention, ("geoparse.listed-oblast",))
                break
    return strays


def _article_region(spans: list[_Span], oblasts: tuple[Place, ...]) -> Place | None:
    """The region a settlement the text does not place is taken to be in: the one Ukrainian oblast
    the article names (or names far more than all others), unless it names a region across the border as often (a Kursk incursion
    report that mentions Sumy Oblast once); then that region, if it is the only one."""
    counts: dict[int, int] = {}
    regions: dict[int, Place] = {}
    for s in spans:
        if s.kind == "region":
            place = s.candidates[0][0]
            counts[id(place)] = counts.get(id(place), 0) + 1
            regions[id(place)] = place
    foreign = [k for k, p in regions.items() if p.country != "UA"]
    if len(oblasts) == 1 and counts[id(oblasts[0])] > sum(counts[k] for k in foreign):
        return oblasts[0]
    if not oblasts and len(foreign) == 1:
        return regions[foreign[0]]
    if len(foreign) == 1 and len(oblasts) == 1 and counts[foreign[0]] > counts[id(oblasts[0])]:
        return regions[foreign[0]]
    # An article about one oblast that names others in passing ("... as in the Sumy and Poltava
    # regions"): its own oblast, when named at least three times and twice as often as all others.
    top = max(oblasts, key=lambda p: counts[id(p)], default=None)
    if top is not None and counts[id(top)] >= 3 and counts[id(top)] >= 2 * (sum(counts.values()) - counts[id(top)]):
        return top
    return None


class _EarlierInSentence:
    """For each recognised name, what the names before it in its sentence are (the last region,
    the last town big enough to be "the city", whether a foreign country is named), by prefix
    arrays over the names (made when first asked: few articles ask), so asking costs the same
    however long the sentence is."""

    def __init__(self, text: str, spans: list[_Span]) -> None:
        self.text, self.spans = text, spans
        self.starts: list[int] = []

    def _arrays(self) -> None:
        self.starts = [s.start for s in self.spans]
        self.last_region, self.last_city, self.foreign = [], [], [0]
        region = city = -1
        for m, other in enumerate(self.spans):
            self.last_region.append(region)
            self.last_city.append(city)
            if other.kind == "region":
                region = m
            if other.kind == "place" and any(p.kind == "town" and p.population >= _RAION_CENTRE for p, _ in other.candidates):
                city = m
            self.foreign.append(self.foreign[-1] + bool(
                other.candidates and other.candidates[0][0].kind == "country" and other.candidates[0][0].country != "UA"))

    def first(self, n: int) -> int:
        """The index of the first name in the sentence of the n-th, as the look-back stops: at the
        last name before it that ends before its sentence starts."""
        if not self.starts:
            self._arrays()
        sentence_start = _indexed(self.text).sentence_start(self.spans[n].start)
        m = min(n, bisect_left(self.starts, sentence_start)) - 1
        while m >= 0 and self.spans[m].end > sentence_start:
            m -= 1
        return m + 1


def _settlement_region(earlier: _EarlierInSentence, n: int, article_region: Place | None
                       ) -> tuple[Place | None, bool]:
    """Where a settlement the text names without saying where lies: in the region named earlier in
    its sentence ("In Russia's Kursk region, ... the town of Sudzha"), else, when the sentence names
    no foreign country, in the article's region (True: the article's, not the sentence's)."""
    first = earlier.first(n)  # and the arrays made
    region = earlier.last_region[n]
    if region >= first:
        return earlier.spans[region].candidates[0][0], False
    if earlier.foreign[n] > earlier.foreign[first] or article_region is None:
        return None, False
    return article_region, True


def _city_of_sentence(earlier: _EarlierInSentence, n: int) -> _Span | None:
    """"In Kharkiv, ... the city's Kyivskyi district": the town named last before a district
    in its own sentence is "the city" it belongs to, whatever town the article names most."""
    first = earlier.first(n)  # and the arrays made
    city = earlier.last_city[n]
    return earlier.spans[city] if city >= first else None


# A city's districts lie within this distance of its GeoNames point (Kyiv's farthest, ~15 km).
_DISTRICT_KM = 20.0


def _district(span: _Span, main: _Span | None, lexicon: _Lexicon) -> _Decision | None:
    """A city district: the gazetteer's district of that name within its city, else the city."""
    if span.within and span.within != "the city":
        towns = [p for p, _ in _lookup(span.within, lexicon.gazetteer, lexicon.geocoder)[0] if p.kind == "town"]
    else:
        towns = [p for p, _ in main.candidates if p.kind == "town"] if main is not None else []
    if not towns:
        return lexicon.decision(span._replace(kind="place")) if span.candidates else None
    city = max(towns, key=lambda p: p.population)
    inside = [(p, q) for p, q in span.candidates
              if p.kind == "town" and distance_km(city.lat, city.lon, p.lat, p.lon) <= _DISTRICT_KM]
    if inside:
        choice = choose(inside)
        note = f"{choice.note}; a district of {city.name}" + (
            ", as the text says" if span.within else ", the town the article is about")
        return _Decision(Choice(choice.place, choice.confidence, note, choice.ranked), span.source, Precision.TOWN,
                         f"{span.mention} district", ("geoparse.district-of-city", *choice.rules))
    if not span.within:
        return None  # "the Kupianskyi district" in a Kharkiv story may be a raion far from the city
    return _Decision(Choice(city, 0.8, f"the {span.mention} district of {city.name}: placed at the city"),
                     "gazetteer", Precision.TOWN, city.name, ("geoparse.district-at-city",))


def _placed_with_cues(cued: list[tuple[_Span, str, Cues, _Decision | None]]) -> dict[str, _Decision]:
    """Names the article places with a region or an anchor cue, where every such cue agrees."""
    placed: dict[str, _Decision | None] = {}
    for span, key, cue, decided in cued:
        if (span.kind == "place" and not span.within and decided is not None
                and (cue.region is not None or cue.anchor is not None or cue.country)):
            if key not in placed:
                placed[key] = decided
            elif placed[key] is not None and placed[key].choice.place is not decided.choice.place:
                placed[key] = None  # two places under one name in one article: leave each to its own cues
    return {k: d for k, d in placed.items() if d is not None}


def _as_placed(decided: _Decision | None, sibling: _Decision) -> _Decision | None:
    """One sense per discourse: a name named without cues (a headline, a dateline) is the place
    the article means where it says where it is ("the village of Ivanivka in the Kherson region")."""
    if decided is not None and decided.choice.place is sibling.choice.place and decided.choice.confidence >= 0.9:
        return decided
    choice = sibling.choice
    note = f"{choice.note}; as the article places {sibling.name} where it says where it is"
    return _Decision(Choice(choice.place, min(choice.confidence, 0.9), note, choice.ranked), sibling.source,
                     sibling.precision, sibling.name, (*sibling.rules, "geoparse.one-sense"))


_PLACEMENT_RANK = {"override": 0, "online": 1, "gazetteer": 2, "region-fallback": 3}


@dataclass(frozen=True)
class _Decision:
    choice: Choice
    source: str
    precision: Precision
    name: str
    rules: tuple[str, ...] = ()  # the cues read and the rules that placed it (docs/engine.md)


# Villages are where a name most often has a namesake elsewhere; a village that cannot be where
# the text says it is, is another village of that name, one the gazetteer lacks.
_VILLAGE = 10_000
_PRECISION = {"region": Precision.REGION, "country": Precision.COUNTRY, "town": Precision.TOWN}


def _decide(span: _Span, cue: Cues, neighbours: Neighbours | tuple[Place, ...], gazetteer: Gazetteer, geocoder,
            oblasts: tuple[Place, ...] = ()) -> _Decision | None:
    if span.kind == "region":
        place = span.candidates[0][0]
        return _Decision(Choice(place, 1.0, "oblast named in the text"), "gazetteer", Precision.REGION, place.name)
    read = cue.rules
    candidates, source = list(span.candidates), span.source
    if span.kind == "unknown":  # a foreign region ("Russia's Kursk region") looks in its country
        country = cue.region.country if cue.region else "UA"
        context = LookupContext(country, cue.region.admin1 if cue.region else "")
        found, source = _lookup(span.mention, gazetteer, geocoder, context)
        candidates = [(p, q) for p, q in found if p.country == country and p.kind == "town"]
    if cue.country and all(p.kind == "town" for p, _ in candidates):
        candidates = [(p, q) for p, q in candidates if p.country == cue.country] or candidates
    if cue.region is not None and all(p.kind == "town" for p, _ in candidates):
        candidates = [(p, q) for p, q in candidates if not p.admin1 or in_region(p, cue.region)]
        if not candidates:
            note = (f"{span.mention} is not in the gazetteer" if span.kind == "unknown"
                    else f"no {span.mention} in {cue.region.name} in the gazetteer")
            return _Decision(Choice(cue.region, 0.6, f"{note}; placed at the centre of {cue.region.name}, "
                                                     "where the text says it is"),
                             "region-fallback", Precision.REGION, span.mention, (*read, "geoparse.oblast-centre"))
    missing = f"{span.mention} is not in the gazetteer"
    if (candidates and cue.anchor is not None and all(p.kind == "town" and p.population < _VILLAGE for p, _ in candidates)
            and not any(fits_anchor(p, cue) for p, _ in candidates)):
        candidates = []  # "Hrakove, 30 km west of Kupiansk" is not the Hriakove 150 km away
        missing = f"no {span.mention} where the text puts it in the gazetteer"
    if not candidates:
        if cue.anchor is None:
            return None
        if cue.distance_km is not None:
            return _projected(span, cue, gazetteer, missing)
        return _Decision(Choice(cue.anchor, 0.5, f"{missing}; placed at {cue.anchor.name}, which the text says "
                                                 "it is near"),
                         "gazetteer", Precision.NEAR, span.mention, (*read, "geoparse.at-anchor"))
    choice = choose(candidates, cue, neighbours, oblasts=oblasts)
    return _Decision(choice, source, _PRECISION.get(choice.place.kind, Precision.TOWN), choice.place.name,
                     tuple(dict.fromkeys((*read, *choice.rules))))


# A stated "N km <direction> of X" is rounded and often by road, and the direction is one of eight:
# the point it gives can be off by a third of the distance. Up to this far that is still "near".
_PROJECT_MAX_KM = 25.0
_SAME_OBLAST_WITHIN_KM = 15.0


def _projected(span: _Span, cue: Cues, gazetteer: Gazetteer, missing: str) -> _Decision | None:
    """A settlement the gazetteer lacks, placed from "N km <direction> of X": at the projected
    point (NEAR) when it is close, else at the oblast around that point (REGION), if the
    gazetteer has a town close to it that says which oblast that is."""
    lat, lon = project(cue.anchor.lat, cue.anchor.lon, cue.distance_km, cue.bearing)
    said = f"{cue.distance_km:.0f} km from {cue.anchor_label or cue.anchor.name} as stated"
    # The oblast is only told when the town nearest the point is close and in the anchor's oblast:
    # near an oblast border the point alone cannot say which side it is on.
    town = gazetteer.nearest(lat, lon, cue.anchor.country)
    admin1 = (cue.anchor.admin1 if town is not None and town.admin1 == cue.anchor.admin1
              and distance_km(lat, lon, town.lat, town.lon) <= _SAME_OBLAST_WITHIN_KM else "")
    if cue.distance_km <= _PROJECT_MAX_KM:
        point = Place(span.mention, lat, lon, cue.anchor.country, admin1)
        return _Decision(Choice(point, 0.4, f"{missing}; estimated at the point {said}"),
                         "gazetteer", Precision.NEAR, span.mention, (*cue.rules, "geoparse.projected-point"))
    oblast = gazetteer.region_by_code(admin1) if admin1 and cue.anchor.country == "UA" else None
    if oblast is None:
        return None
    return _Decision(Choice(oblast, 0.5, f"{missing}; placed at the centre of {oblast.name}, where the point "
                                         f"{said} lies"),
                     "region-fallback", Precision.REGION, span.mention, (*cue.rules, "geoparse.projected-oblast"))


def _mention(article_id: str, span: _Span, decided: _Decision, lexicon: _Lexicon,
             candidates: tuple[Candidate, ...]) -> PlaceMention:
    place = decided.choice.place
    region = lexicon.oblast_name(place.admin1) if place.country == "UA" and place.admin1 else ""
    # Positional arguments, in PlaceMention's field order: a third faster than keywords.
    return PlaceMention(article_id, span.start, span.end, span.mention, decided.name, place.lat, place.lon,
                        decided.precision,
                        place.geonameid if decided.precision in (Precision.TOWN, Precision.COUNTRY) else None,
                        place.country, place.admin1, region, decided.choice.confidence, decided.source,
                        decided.choice.note, candidates, span.rules + decided.rules)


_CANDIDATES = 5


def _candidates(choice: Choice, lexicon: _Lexicon) -> tuple[Candidate, ...]:
    """The place chosen, then the likeliest others the resolver ranked, with their scores."""
    chosen = choice.place
    ranked = [(chosen, next((score for p, score in choice.ranked if p is chosen), None))]
    ranked += [(p, score) for p, score in choice.ranked if p is not chosen]
    return tuple(Candidate(p.name, p.geonameid, p.lat, p.lon, p.country, p.admin1,
                           lexicon.oblast_name(p.admin1) if p.country == "UA" and p.admin1 else "", score)
                 for p, score in ranked[:_CANDIDATES])
