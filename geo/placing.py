"""Which place a reported figure is about.

Given the place mentions the geoparser found, the rules here choose one for each figure: its
clause, then the sentences around it in its paragraph, then the headline town or the article's
dominant town, and leave it unplaced rather than guess (a wrong pin misleads a reader more than a
missing one). Figures are recognised in geo.figures; the order of the rules is in docs/figures.md.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from functools import cached_property
from typing import Callable, Protocol

from geo.model import Category, Figure, PlaceMention, Precision
from geo.text import Sentence, WordSearch

# The categories that count people harmed; the place rules treat their figures as events.
CASUALTIES = (Category.KILLED, Category.INJURED, Category.MISSING, Category.BODIES)
# What may close a figure's phrase: punctuation or the end (geo.figures reads a bare object by it too).
OBJECT_END = re.compile(r"\s*(?:[,.;)”\"]|$)")

# ---- places --------------------------------------------------------------------------------

_COMPARED_WORDS = ("lik", "compar", "similar", "such", "reminiscent", "recalling", "echoing", "than")
_COMPARED_HINT = re.compile("|".join(_COMPARED_WORDS))  # one scan instead of one per word
# "In Shchurove, 2 bodies were found": a sentence set at a place of its own, by name.
_FRONTED_NAME = re.compile(
    r"^\W*(?:In|At|Near|Outside)\s+(?:the\s+(?:village|town|city|settlement|hamlet)\s+of\s+)?"
    r"(?P<name>[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+)?,")
_PREFERRED_BEFORE = WordSearch("in|of|at|near|outside|around|from|into|amid|across|inside", r"\s+(?:[\w’'-]+\s+){0,3}$")
_COMPARED_BEFORE = re.compile(
    r"\b(?:like|likened|liken|compared|comparing|similar|such\s+as|reminiscent|recalling|echoing|"
    r"worse\s+than|bigger\s+than)\b[^,;.]*$", re.I)
_PLACE_CLAUSE = re.compile(r"[;:—–()]|\s-\s|,\s+(?:and|but|while|whereas|adding|as|after)\b", re.I)
# "28 killed, the majority in the city of Kherson": where most of a figure happened, not all of it.
_MAJORITY_PLACE = re.compile(
    r"\b(?:(?:the\s+)?(?:majority|bulk)(?:\s+of\s+(?:them|these|those|whom))?|most\s+of\s+(?:them|these|those|whom)|"
    r"the\s+most|mostly|mainly|largely|primarily|chiefly)\s+(?:in|at|from)\s+(?:the\s+)?(?:[\w’'-]+\s+(?:of\s+|and\s+)?){0,3}$", re.I)
_MAJORITY_HINT = re.compile(r"majority|bulk|most|mainly|largely|primarily|chiefly")
# "Kyiv has no means of verifying ...", "Moscow says ...": a capital standing for its government (so is
# a foreign capital after "from" or "by": "the latest barrage from Moscow").
_CAPITAL_SPEAKS = re.compile(
    r"\s+(?:has|have|had|says|said|claims|claimed|denies|denied|insists|accuses|accused|blames|blamed|"
    r"reports|reported|admits|admitted|maintains|announced)\b")
_CAPITALS = frozenset("Kyiv Kiev Moscow Washington Minsk London Paris Berlin Brussels Warsaw".split())
_INCLUDING_PLACE = re.compile(r"\bincluding\s+(?:in\s+)?(?:[\w’'-]+\s+(?:and\s+)?){0,3}$", re.I)
_ALSO = re.compile(r"\balso\b", re.I)
_GENERIC_SOURCE_WORDS = frozenset("said officials official ukrainian russian ukraine's russia's".split())
_COUNTRY_BEFORE = re.compile(r"\b(?:in|across|throughout|all\s+over)\s+$", re.I)
# "the UN monitoring mission in Ukraine": the country is part of a body's name, not where it happened.
# So is "elsewhere in Ukraine": somewhere else in the country, said of a place the clause names.
_BODY_IN = re.compile(r"\b(?:mission|office|embassy|delegation|coordinator|representative|elsewhere)\s+in\s+$", re.I)
# A region named as part of an official's title is the speaker's remit, not where a figure happened.
_TITLE_AFTER = re.compile(
    r"(?:al|'s|’s)?\s+(?:(?:acting|regional|region's|oblast's|oblast|region|military|civil|civilian|civil-military|"
    r"state|police)\s+)*(?:gov(?:ernor|\.)|administration|head|chief|police|council|prosecutor|authorit|official)",
    re.I)
# "Kursk's acting governor": a governor speaks for the oblast, not for the city it is named after.
_TOWN_TITLE_AFTER = re.compile(
    r"(?:['’]s\s+(?:acting\s+)?(?:regional\s+)?|\s+(?:regional|oblast)\s+(?:military\s+)?|\s+(?:acting\s+)?(?=governor))"
    r"(?:governor|administration)\b", re.I)
_TITLE_BEFORE = re.compile(
    r"\b(?:governor|head|chief|administration|police|prosecutors?|council|authorities|officials?|"
    r"investigator)\s+(?:of|for)\s+(?:the\s+)?(?:Ukraine['’]s\s+|Russia['’]s\s+)?$", re.I)
_HEADLINE_COLON = re.compile(r"([^:\n]{2,40}):\s")
# "In Mykolaiv, east of Odesa": a place named only to locate another is ranked last.
_LOCATOR_BEFORE = re.compile(
    r"\b(?:(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?|km|kilomet(?:re|er)s|miles)\s+"
    r"(?:of|from)\s+(?:the\s+)?$|\b(?-i:[A-Z][\w’'-]+),?\s+near\s+(?:the\s+)?$", re.I)
# A landmark (geo.landmarks) is the scene of a figure only where the text puts something at it ("killed
# at the Zaporizhzhia nuclear power plant", "wounded on Snake Island", "died near the Kakhovka dam");
# named otherwise it is what happened ("after the destruction of the Kakhovka dam", "across the river
# from the ... plant", "the defenders of Azovstal") and ranks last, like a place named to locate another.
_LANDMARK_SCENE = re.compile(r"\b(?:in|at|on|near|outside|around|inside|off)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}$", re.I)
# "died ... since the Kakhovka dam was destroyed", "after the destruction of the dam": a landmark in a
# time clause says when, not where: no figure's place.
_LANDMARK_TIME = re.compile(r"\b(?:since|after|before|until|following|prior\s+to)\s+(?:the\s+)?"
                            r"(?:[\w’'-]+\s+(?:of\s+)?(?:the\s+)?){0,3}$", re.I)
# "The Mykolaiv region, called Nikolaev by Russian state media": another name for a place, not a place.
_ALIAS_BEFORE = WordSearch(r"called|known\s+as|renamed|spelled|spelt|name,?", r"\s+$")
# "were injured and taken to hospitals in Kharkiv": where the wounded were taken, not where they were hurt.
_HOSPITAL_BEFORE = re.compile(
    r"\b(?:hospitali[sz]ed|(?:taken|rushed|brought|transported|evacuated|airlifted|admitted|treated)\s+"
    r"(?:to\s+)?(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:hospitals?|clinics?|medical\s+facilit(?:y|ies))|"
    r"(?:remain|remains|remained|still)\s+in\s+(?:the\s+)?hospitals?)\s+in\s+(?:the\s+)?"
    r"(?:[\w’'-]+(?:,|\s+and)?\s+){0,3}$", re.I)

# "the Dniprovskyi district of the city", "the Saltivka neighbourhood", "the Zhytomyr district": a city
# district or a rural district named after its town; neither is the town's pin.
_DISTRICT_AFTER = re.compile(r"\s+(?i:district|raion|neighbou?rhood|microdistrict)\b")
# "the village of Odnorobivka in the Zolochiv community": a hromada named after its town locates the
# village; it is an area, not the town's pin.
_COMMUNITY_AFTER = re.compile(r"\s+(?i:(?:territorial\s+)?community|hromada)\b")
_COMMUNITY_LOCATES = re.compile(r"\b(?-i:[A-Z][\w’'-]+)\s+(?:in\s+the|of(?:\s+the)?)\s+$", re.I)  # "X in the Y community", "X of Y community"
# "not counting Mariupol and Volnovakha": a place left out of the figure.
_EXCLUDED_BEFORE = re.compile(
    r"\b(?:not\s+counting|excluding|except(?:\s+for|\s+in)?|apart\s+from|aside\s+from|besides)\s+"
    r"(?:[\w’'-]+,?\s+(?:and\s+)?){0,4}$", re.I)
_EXCLUSION_HINT = re.compile(r"count|exclud|except|apart|aside|besides")  # one scan before the pattern
# "said Ihor Polishchuk, the mayor of the city in Volyn Oblast": the speaker's description.
_SPEAKER_BEFORE = re.compile(r"\bsaid\s+(?:[A-Z][\w’'.-]*\s+){1,4}?[A-Z][\w’'-]*,\s+[^.;:!?\"“”]*$")
# "in 15 oblasts, from Volyn in the north-west to Zaporizhzhia in the south": the ends of a span.
_SPAN_BEFORE = re.compile(
    r"\b(?:oblasts|regions|cities|towns|areas|country),?\s+(?:stretching\s+|ranging\s+)?from\s+"
    r"(?:[^,;.]{0,60}\bto\s+)?(?:the\s+)?$", re.I)
# "across the country", "nationwide": a national toll, placed at the country.
_NATIONAL = re.compile(
    r"\b(?:(?:across|throughout|all\s+over|around|in)\s+the\s+(?:country|nation)(?!['’]s|\s+of\b)|nationwide|country-?wide|"
    r"in\s+(?:\d+|[a-z]+(?:-[a-z]+)?)\s+(?:of\s+(?:the\s+)?(?:country's|Ukraine's)\s+(?:\d+\s+|[a-z]+\s+)?)?"
    r"(?:oblasts|regions))\b", re.I)
# "The UN has verified more than 12,000 civilian deaths since February 2022": a toll of the whole war,
# in a sentence that names no place and no local area, is the country's.
_SINCE_INVASION = re.compile(
    r"\bsince\s+(?:(?:the\s+)?(?:24\s+)?feb(?:ruary|\.)?\s+(?:24,?\s+)?2022|(?:the\s+)?(?:start|beginning|outbreak)\s+of\s+"
    r"the\s+(?:full[-\s]scale\s+)?(?:russian\s+)?(?:invasion|war)|the\s+(?:full[-\s]scale\s+)?(?:russian\s+)?invasion)\b", re.I)
_LOCAL_AREA = re.compile(r"\b(?:city|town|village|region|oblast|district|community|area|front)\b", re.I)
_NATIONAL_TOLL_MIN = 1000
# "In the Russian-occupied part of the region": the region last named.
_REGION_ANAPHOR = re.compile(
    r"\b(?:in|of|across|throughout|around)\s+(?:[\w-]+\s+){0,3}?the\s+(?:region|oblast)\b(?!['’]s|\s+(?:governor|"
    r"administration|head|police|military|council|authorit))", re.I)
# "injured six others across the region": a figure spread over the region last named.
_ACROSS_REGION = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:across|throughout|all\s+over)\s+the\s+(?:region|oblast)\b", re.I)
# "29 people had drowned, 17 of them in Oleshky": the place of a part is not the whole's.
_PART_BEFORE_PLACE = re.compile(
    r"(?:\bof\s+(?:them|whom)|\bincluding(?:\s+[\w-]+){0,2}?)\s+(?:in|at)\s+(?:the\s+(?:[\w-]+\s+)?of\s+)?$", re.I)
# "other areas recaptured in September", "elsewhere": not the town the article is about.
# So are "in recently liberated settlements", "in the territories liberated in the fall" (many places) and
# "over two years of the full-scale war" (the whole country's count).
_ELSEWHERE = re.compile(
    r"\belsewhere\b|\bother\s+(?:[\w-]+\s+)?(?:areas|towns|villages|parts|places|settlements|regions|"
    r"territories|cities|communities)\b|\b(?:liberated|de-?occupied|recaptured|freed)\s+(?:[\w-]+\s+)?(?:areas|"
    r"towns|villages|settlements|territories|regions|communities|lands)\b|\b(?:areas|towns|villages|settlements|"
    r"territories)\s+(?:liberated|de-?occupied|recaptured|freed)\b|\byears\s+of\s+(?:the\s+)?(?:full[-\s]scale\s+)?"
    r"(?:war|invasion)\b", re.I)
# A sentence opening on its own place ("In Kozacha Lopan, ...") sets a new scene.
_FRONTED_PLACE = re.compile(r"^\W*(?i:in|at|near|outside)\s+(?:the\s+)?(?:[a-z-]+\s+(?:of\s+)?)?[A-Z]")
# "in Marhanets and Vilne": a figure spread over two towns is pinned at neither.
_COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|or|&)\s+(?:the\s+(?:villages?|towns?|cities)\s+of\s+)?|,\s+", re.I)
# The figure's own location, right after it: "one in the village of Ostrivske", "killed one man in the
# Zhytomyr district". When the geoparser could not place it, no other town stands in for it.
_OWN_LOCATION = re.compile(
    r"[^.;:—–()]{0,45}?\b(?:in|at)\s+(?:the\s+(?:village|town|city|settlement|hamlet)\s+of\s+)?(?:the\s+)?"
    r"(?=[A-Z])")
# "..., while a 61-year-old woman was killed by shelling in the northeast.": a location of its own that names no
# place; the place of another clause is not the figure's.
# A dateline opening a line: "Lviv, Ukraine, Dec 22 (EFE).-", "KOSTIANTYNIVKA, Ukraine (Reuters) -", "ISTANBUL (AA) -".
_DATELINE = re.compile(r"(?:,\s+Ukraine)?(?:,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\(|[-–—]\s)")
_OWN_COMPASS = re.compile(
    r"[^.;:—–(),]{0,45}?\b(?:in|across)\s+the\s+(?:country['’]s\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
    r"(?:\s+(?:of\s+the\s+country|part\s+of\s+the\s+country))?\s*(?=[,.;]|$)", re.I)
_OWN_NAME = re.compile(r"[A-Z][\w’'-]+(?=[,.;]|\s+(?:and|near|where|on|in|when|after|as|north|south|east|west)\b|$)")
_NOT_A_PLACE_NAME = frozenset(
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Telegram Facebook".split())


class FoundFigure(Protocol):
    """What the place rules read of a figure found in a sentence (offsets relative to it)."""

    start: int
    end: int
    value: int
    category: Category
    head: str
    partitive: bool
    continues: bool


class PlaceContext:
    """What the place rules need to know about the whole article, each worked out once and only
    when a figure needs it. `numbers` finds where a number may start (geo.figures says what a
    number is): a place after a later count is that count's.

    Every look-up a figure makes is answered from an index built once per article or sentence
    (places by sentence, clause marks, line breaks, the figures placed so far), never by scanning
    the text or the figures again, so an article costs time in proportion to its length."""

    def __init__(self, text: str, sents: list[Sentence], places: list[PlaceMention], numbers: re.Pattern) -> None:
        self.text, self.sents, self.places, self.numbers = text, sents, places, numbers
        self.place_starts = [p.start for p in places]
        self.sent_starts = [s.start for s in sents]
        self._features: dict[int, tuple[bool, bool, bool, bool]] = {}
        self._sentences: dict[int, _SentencePlaces] = {}
        self._alone: dict[int, tuple[PlaceMention | None, PlaceMention | None, bool, tuple[str, ...]]] = {}
        self._area_only: dict[int, bool] = {}
        self._areas_of: dict[tuple[str, str], PlaceMention | None] = {}
        self._untitled: dict[int, int] = {}
        self._sentence_areas: dict[int, tuple[list[PlaceMention], dict[tuple[str, str], PlaceMention]]] = {}
        self.figures = FiguresSoFar()

    @cached_property
    def headline(self) -> tuple[PlaceMention | None, str | None]:
        return _topic_place(self.text, self.sents, self.places)

    @property
    def topic(self) -> PlaceMention | None:
        return self.headline[0]

    @property
    def label(self) -> str | None:
        """The headline's "Place:" label when it names the topic town."""
        return self.headline[1]

    @cached_property
    def scene(self) -> tuple[PlaceMention | None, int]:
        """The one town the opening prose paragraph names ("the enemy attacked the city of
        Lozova"), lent to the figures of the paragraph after it, and where that paragraph ends."""
        head = headline_sentence(self.text, self.sents)
        if head is None:
            return None, 0
        block_end = _lede_span(self.text, self.sents, head)[0]
        first = next((s for s in self.sents if s.start >= block_end and len(s.text) >= 80), None)
        if first is None:
            return None, 0
        line_start = self.text.rfind("\n", 0, first.start) + 1
        line_end = self.text.find("\n", first.end)
        line_end = len(self.text) if line_end == -1 else line_end
        towns = [p for p in self.places if line_start <= p.start < line_end and is_town(p)
                 and not _is_dateline(self.text, p)]
        if not towns or any(p.name != towns[0].name for p in towns):
            return None, 0
        nxt = self.text.find("\n", line_end + 1)
        town = towns[0]
        return replace(town, confidence=round(town.confidence * 0.8, 3),
                       note=(town.note + "; " if town.note else "") + "figure placed by the lede town"), \
            len(self.text) if nxt == -1 else nxt

    @cached_property
    def headline_region(self) -> PlaceMention | None:
        """The one region a headline names when it names no town ("Sappers demined 115 hectares in
        Kharkiv region over week"), when the opening paragraph names it too: lent like a headline town."""
        head = headline_sentence(self.text, self.sents)
        if head is None:
            return None
        block_end, lede_end = _lede_span(self.text, self.sents, head)
        in_head = [p for p in self.places if p.start < block_end]
        if not in_head or any(not is_area(p) or "geoparse.raion" in p.rules for p in in_head) \
                or any(p.name != in_head[0].name for p in in_head):
            return None
        region = in_head[0]
        if not any(block_end < p.start < lede_end and p.name == region.name for p in self.places):
            return None
        return replace(region, confidence=round(region.confidence * 0.8, 3),
                       note=(region.note + "; " if region.note else "") + "figure placed by the headline region")

    @cached_property
    def dominant(self) -> PlaceMention | None:
        return _dominant_place(self.places)

    @cached_property
    def country(self) -> PlaceMention | None:
        """Ukraine as the article names it, for national tolls ("across the country")."""
        return next((p for p in self.places if p.precision is Precision.COUNTRY and p.country == "UA"), None)

    @cached_property
    def line_breaks(self) -> list[int]:
        """Where the article's line breaks are, so paragraph look-ups are a bisection."""
        return [m.start() for m in re.finditer("\n", self.text)]

    def line_break_before(self, end: int) -> int:
        """`text.rfind("\\n", 0, end)`, negative `end` counting from the end as str.rfind does."""
        if end < 0:
            end = max(0, end + len(self.text))
        k = bisect_left(self.line_breaks, end) - 1
        return self.line_breaks[k] if k >= 0 else -1

    def same_paragraph(self, a: Sentence, b: Sentence) -> bool:
        lo, hi = (a, b) if a.start < b.start else (b, a)
        k = bisect_left(self.line_breaks, lo.end)
        return k == len(self.line_breaks) or self.line_breaks[k] >= hi.start

    def sentence_of(self, pos: int) -> int:
        """The index of the sentence a character offset falls in (or the last one before it)."""
        return bisect_right(self.sent_starts, pos) - 1

    def area_of(self, town: PlaceMention) -> PlaceMention | None:
        """The article's own mention of the oblast a town stands for ("Kursk's governor"), if any."""
        key = (town.admin1, town.country)
        if key not in self._areas_of:
            self._areas_of[key] = next((p for p in self.places if is_area(p) and p.admin1 == town.admin1
                                        and p.country == town.country), None)
        return self._areas_of[key]

    def names_area_only(self, sent: Sentence) -> bool:
        """Whether a sentence names a hromada that locates a village the geoparser did not place
        ("the village of Odnorobivka in the Zolochiv community"): no town's pin stands for it."""
        found = self._area_only.get(sent.start)
        if found is None:
            lo, hi = bisect_right(self.place_starts, sent.start - 1), bisect_right(self.place_starts, sent.end)
            found = self._area_only[sent.start] = any(
                _COMMUNITY_AFTER.match(self.text, self.places[k].end) and not self.features(k)[0] for k in range(lo, hi))
        return found

    def places_between(self, start: int, end: int) -> bool:
        k = bisect_right(self.place_starts, start - 1)
        return k < len(self.places) and self.places[k].start < end

    @cached_property
    def _areas(self) -> list[int]:
        """Oblasts, which "the region" and "the oblast" refer back to; a raion is not one."""
        return [k for k, p in enumerate(self.places) if is_area(p) and "geoparse.raion" not in p.rules]

    def region_before(self, pos: int) -> PlaceMention | None:
        """The region named last before `pos` (and not as an official's title), which "the
        region" refers back to."""
        areas = self._areas
        t = bisect_right(areas, bisect_right(self.place_starts, pos) - 1) - 1
        walked = []
        while t >= 0 and t not in self._untitled:
            if not self.features(areas[t])[1]:
                self._untitled[t] = t
                break
            walked.append(t)
            t -= 1
        found = self._untitled.get(t, -1) if t >= 0 else -1
        for w in walked:
            self._untitled[w] = found
        return self.places[areas[found]] if found >= 0 else None

    def features(self, k: int) -> tuple[bool, bool, bool, bool]:
        """(usable, title region, named in a comparison, preferred) for the k-th place mention,
        read from the words before it within its own sentence."""
        f = self._features.get(k)
        if f is None:
            p = self.places[k]
            i = self.sentence_of(p.start)
            f = self._features[k] = _place_features(self.text, p, self.sents[i].start if i >= 0 else 0)
        return f

    def areas_in(self, sent: Sentence) -> tuple[list[PlaceMention], dict[tuple[str, str], PlaceMention]]:
        """The usable regions a sentence names, in order, and the first of each oblast."""
        found = self._sentence_areas.get(sent.start)
        if found is None:
            lo, hi = bisect_left(self.place_starts, sent.start), bisect_left(self.place_starts, sent.end)
            areas = [self.places[k] for k in range(lo, hi) if is_area(self.places[k]) and self.features(k)[0]]
            first: dict[tuple[str, str], PlaceMention] = {}
            for q in areas:
                first.setdefault((q.country, q.admin1), q)
            found = self._sentence_areas[sent.start] = (areas, first)
        return found

    @cached_property
    def _naming(self) -> tuple[dict[str, list[int]], dict[tuple[str, str], list[int]]]:
        by_name: dict[str, list[int]] = {}
        by_area: dict[tuple[str, str], list[int]] = {}
        for q in self.places:
            i = self.sentence_of(q.start)
            if i < 0 or q.start >= self.sents[i].end:
                continue
            by_name.setdefault(q.name, []).append(i)
            if is_area(q):
                by_area.setdefault((q.country, q.admin1), []).append(i)
        return by_name, by_area

    def last_sentence_naming(self, place: PlaceMention, j: int) -> int:
        """The last sentence up to the j-th that names `place`, or a region of its oblast; or -1."""
        by_name, by_area = self._naming
        found = -1
        for at in (by_name.get(place.name, ()), by_area.get((place.country, place.admin1), ())):
            t = bisect_right(at, j) - 1
            if t >= 0:
                found = max(found, at[t])
        return found

    def sentence(self, sent: Sentence) -> _SentencePlaces:
        found = self._sentences.get(sent.start)
        if found is None:
            found = self._sentences[sent.start] = _SentencePlaces(self, sent)
        return found

    def best_alone(self, sent: Sentence) -> tuple[PlaceMention | None, PlaceMention | None, bool, tuple[str, ...]]:
        """_best_in_sentence for a sentence read from its start (a neighbour of a figure's)."""
        found = self._alone.get(sent.start)
        if found is None:
            found = self._alone[sent.start] = _best_in_sentence(self, sent, sent.start)
        return found


class FiguresSoFar:
    """The figures an article has placed so far, indexed for the look-backs of the place rules
    (the same sentence's casualties, the last placed figure of a sentence, of a counted noun, of a
    source). `earlier` only grows while an article is read, so each figure is indexed once."""

    _SUFFIX_MAX = 32  # counted nouns ("explosive devices") are shorter: longer heads are looked up by scan

    def __init__(self) -> None:
        self._list: list[Figure] = []
        self._seen = 0
        self._first_casualty: dict[int, int] = {}
        self._last_placed_in: dict[int, PlaceMention] = {}
        self._placed: list[int] = []
        self._by_suffix: dict[str, int] = {}  # filled on demand, up to _suffixed of _placed
        self._suffixed = 0
        self._by_word: dict[str, int] = {}
        self._worded = 0

    def sync(self, earlier: list[Figure]) -> None:
        if earlier is not self._list or len(earlier) < self._seen:
            self.__init__()
            self._list = earlier
        for n in range(self._seen, len(earlier)):
            g = earlier[n]
            if g.category in CASUALTIES:
                self._first_casualty.setdefault(g.sentence_start, g.start)
            if g.place is not None:
                self._last_placed_in[g.sentence_start] = g.place
                self._placed.append(n)
        self._seen = len(earlier)

    def first_casualty(self, sent_start: int) -> int | None:
        """Where the sentence's first casualty figure so far starts."""
        return self._first_casualty.get(sent_start)

    def last_place_in(self, sent_start: int) -> PlaceMention | None:
        """The place of the sentence's last placed figure."""
        return self._last_placed_in.get(sent_start)

    def _from(self, n: int, lim: int) -> Figure | None:
        g = self._list[n] if n >= 0 else None
        return g if g is not None and g.sentence_start >= lim else None

    def last_placed(self, lim: int, head: str | None = None) -> Figure | None:
        """The last placed figure in a sentence starting at `lim` or later; with `head`, the last
        whose counted noun ends so ("nine of the bodies" after "20 civilian bodies")."""
        if head is None:
            return self._from(self._placed[-1] if self._placed else -1, lim)
        if len(head) <= self._SUFFIX_MAX:
            for n in self._placed[self._suffixed:]:
                counted = self._list[n].counted.lower()
                for k in range(max(0, len(counted) - self._SUFFIX_MAX), len(counted) + 1):
                    self._by_suffix[counted[k:]] = n
            self._suffixed = len(self._placed)
            return self._from(self._by_suffix.get(head, -1), lim)
        for n in reversed(self._placed):
            g = self._list[n]
            if g.sentence_start < lim:
                break
            if g.counted.lower().endswith(head):
                return g
        return None

    def last_said_by(self, words: set[str], lim: int) -> Figure | None:
        """The last placed figure in a sentence starting at `lim` or later whose source shares a word."""
        for n in self._placed[self._worded:]:
            g = self._list[n]
            for w in _source_words(g.attribution) if g.attribution else ():
                self._by_word[w] = n
        self._worded = len(self._placed)
        return self._from(max((self._by_word.get(w, -1) for w in words), default=-1), lim)


# Where a clause mark (_PLACE_CLAUSE) can start: one of its characters, a space before a dash, a comma.
_MARK_AT = re.compile(r"[;:—–(),]|\s(?=-)")
_PART_WORD = re.compile(r"\b(?:of|including)", re.I)
_PART_TOKENS = 8  # _PART_BEFORE_PLACE spans at most seven words ("including X Y in the Z of")
_RUN = re.compile(r"\S+")
# Up to this many places, a figure's place is ranked among all of its sentence's; beyond, among
# the nearest of each kind in each stretch of the sentence (the same answer, in logarithmic time).
_RANK_ALL = 16
_SHORT = 256  # a stretch of text this short is searched as it is


class _SentencePlaces:
    """One sentence's usable places, clause marks and brackets, indexed once for all the figures
    that look at it, so that ranking its places for a figure never re-reads the text between them."""

    def __init__(self, ctx: PlaceContext, sent: Sentence) -> None:
        text = self.text = ctx.text
        self.ctx, self.sent = ctx, sent
        lo, hi = bisect_right(ctx.place_starts, sent.start - 1), bisect_right(ctx.place_starts, sent.end)
        self.title_area = None
        places, compared, preferred = [], [], []
        for k in range(lo, hi):
            p = ctx.places[k]
            if p.end > sent.end:
                continue
            usable, title, comp, pref = ctx.features(k)
            if title and self.title_area is None:
                self.title_area = p
            if usable:
                places.append(p)
                compared.append(comp)
                preferred.append(pref)
        self.places, self.compared, self.preferred = places, compared, preferred
        self.starts = [p.start for p in places]
        self.ends = [p.end for p in places]
        self.disjoint = all(e <= s for e, s in zip(self.ends, self.starts[1:]))
        self.opens = _occurrences(text, "(", sent) if "(" in sent.text else []
        self.closes = _occurrences(text, ")", sent) if ")" in sent.text else []
        # "of them in", "including in": only where the sentence has the words can a place be a part's
        self.parts = "of" in sent.text or "including" in sent.text
        self.nationals: list[tuple[int, int]] = []
        if ctx.country is not None:
            low = sent.text.lower()
            if "country" in low or "nation" in low or "oblasts" in low or "regions" in low:
                self.nationals = [(sent.start + m.start(), sent.start + m.end()) for m in _NATIONAL.finditer(sent.text)]
        self.names_the_region = "the region" in sent.text or "the oblast" in sent.text
        self._memo: dict[str, object] = {}
        self._mark_starts: list[int] | None = None
        self._parts: dict[int, tuple[int, int]] = {}
        self._enclosures: dict[int, tuple[int, int] | None] = {}
        self._classes: dict[tuple | None, dict[tuple, list[int]]] = {}
        self._areas: dict[tuple[str, str], list[int]] | None = None

    # ---- what the sentence says as a whole (worked out once, when a figure asks) -------------
    # Plain memos rather than cached_property, which takes a lock on first use: these objects are
    # made by the thousand.

    def _said(self, name: str, pattern: re.Pattern, search: bool = True):
        found = self._memo.get(name, self)
        if found is self:
            found = self._memo[name] = pattern.search(self.sent.text) if search else None
        return found

    def region_anaphor(self) -> re.Match | None:
        """"In the Russian-occupied part of the region": the region last named."""
        return self._said("anaphor", _REGION_ANAPHOR, self.names_the_region)

    def whole_war_toll(self) -> bool:
        text = self.sent.text
        return bool(self._said("since", _SINCE_INVASION, "since" in text)) and not self._said("local", _LOCAL_AREA)

    def also(self) -> bool:
        return bool(self._said("also", _ALSO))

    def elsewhere(self) -> bool:
        return bool(self._said("elsewhere", _ELSEWHERE))

    # ---- clause marks ------------------------------------------------------------------------

    def _marks(self) -> None:
        """The starts and ends of the sentence's clause marks (_PLACE_CLAUSE), at every start, and
        for each the smallest end of it and the marks after it."""
        text, sent = self.text, self.sent
        starts, ends = [], []
        for m in _MARK_AT.finditer(text, sent.start, sent.end):
            c = _PLACE_CLAUSE.match(text, m.start())
            if c:
                starts.append(c.start())
                ends.append(c.end())
        least = list(ends)
        for i in range(len(least) - 2, -1, -1):
            least[i] = min(least[i], least[i + 1])
        self._mark_starts, self._mark_ends, self._mark_min_end = starts, ends, least

    @property
    def mark_starts(self) -> list[int]:
        if self._mark_starts is None:
            self._marks()
        return self._mark_starts

    @property
    def mark_ends(self) -> list[int]:
        if self._mark_starts is None:
            self._marks()
        return self._mark_ends

    def occurrences(self, word: str) -> list[int]:
        """Where `word` ("of ", "including") starts in the sentence."""
        found = self._memo.get(word)
        if found is None:
            found = self._memo[word] = _occurrences(self.text, word, self.sent)
        return found

    def first_mark_end(self, lo: int) -> int:
        """The smallest end of a clause mark starting at `lo` or later (a sentinel past the end if none)."""
        starts = self.mark_starts
        i = bisect_left(starts, lo)
        return self._mark_min_end[i] if i < len(starts) else _NEVER

    def last_mark_start(self, hi: int, below: int | None = None) -> int:
        """The largest start of a clause mark that ends by `hi` (and starts before `below`), or -1."""
        i = bisect_left(self.mark_starts, hi if below is None else min(hi, below)) - 1
        while i >= 0 and self.mark_ends[i] > hi:
            i -= 1
        return self.mark_starts[i] if i >= 0 else -1

    def clause_between(self, lo: int, hi: int, replaced: int = -1) -> bool:
        """`_PLACE_CLAUSE.search(text[lo:hi])`, with the character at `replaced` (a bracket, or -1)
        read as a space: whether the text between a figure and a place crosses a clause."""
        if hi <= lo:
            return False
        text = self.text
        if hi < len(text) and (text[hi - 1].isalnum() or text[hi - 1] == "_") and (text[hi].isalnum() or text[hi] == "_"):
            # a word cut at the end ("..., as|ked"): the slice itself decides, as it did
            between = text[lo:hi]
            if lo <= replaced < hi:
                between = between[:replaced - lo] + " " + between[replaced - lo + 1:]
            return bool(_PLACE_CLAUSE.search(between))
        if not lo <= replaced < hi:
            return self.first_mark_end(lo) <= hi
        i, j = bisect_left(self.mark_starts, lo), bisect_left(self.mark_starts, replaced)
        if j > i or self.first_mark_end(replaced + 1) <= hi:
            return True  # marks before a bracket end before it: no longer mark holds one
        return bool(_mark_through(text, replaced, lo, hi))

    # ---- places ------------------------------------------------------------------------------

    def enclosure(self, j: int) -> tuple[int, int] | None:
        """The brackets around the j-th place (the last "(" before it with no ")" in between, and
        the first ")" after it), or None: a place named in brackets that do not hold the figure is an
        aside ("(not to be confused with villages in the Mykolaiv region)")."""
        if j in self._enclosures:
            return self._enclosures[j]
        p, found = self.places[j], None
        o = bisect_left(self.opens, p.start) - 1
        if o >= 0:
            opened = self.opens[o]
            c = bisect_left(self.closes, opened)
            if not (c < len(self.closes) and self.closes[c] < p.start):
                c = bisect_left(self.closes, p.end)
                found = (opened, self.closes[c]) if c < len(self.closes) else None
        self._enclosures[j] = found
        return found

    def _part(self, j: int) -> tuple[int, int]:
        found = self._parts.get(j)
        if found is None:
            text, p = self.text, self.places[j]
            # where the last _PART_TOKENS runs of non-space before the place begin (or the sentence)
            lo = max(self.sent.start, p.start - 240)
            runs = [m.start() for m in _RUN.finditer(text, lo, p.start)]
            whole = bool(runs) and (runs[0] > lo or lo == self.sent.start or text[lo - 1].isspace())
            if len(runs) > _PART_TOKENS or (len(runs) == _PART_TOKENS and whole):
                k = runs[-_PART_TOKENS]
            elif lo == self.sent.start:
                k = lo
            else:  # words longer than the stretch read: walk back run by run
                k, count = p.start, 0
                while k > self.sent.start and count < _PART_TOKENS:
                    while k > self.sent.start and text[k - 1].isspace():
                        k -= 1
                    while k > self.sent.start and not text[k - 1].isspace():
                        k -= 1
                    count += 1
            start = -1
            for m in reversed(list(_PART_WORD.finditer(text, k, p.start))):
                if _PART_BEFORE_PLACE.match(text, m.start(), p.start):
                    start = m.start()
                    break
            found = self._parts[j] = (start, k)
        return found

    def part_start(self, j: int) -> int:
        """The latest start of a _PART_BEFORE_PLACE match ("17 of them in") ending at the j-th
        place, or -1: the pattern spans a few words, so only those before the place are tried."""
        return self._part(j)[0]

    def part_window(self, j: int) -> int:
        """Where the words part_start tries begin: no match ending at the place starts earlier."""
        return self._part(j)[1]

    def classes(self, oblast: tuple[str, str] | None = None) -> dict[tuple, list[int]]:
        """Local place indexes by (bracketed, compared, not preferred, partable): places of one
        class that lie in one stretch of a figure's sentence rank by distance alone. With
        `oblast`, only the towns of that oblast introduced as a location (a region's own town)."""
        found = self._classes.get(oblast)
        if found is None:
            found = self._classes[oblast] = {}
            for j, p in enumerate(self.places):
                if oblast is not None and (is_area(p) or p.precision is Precision.COUNTRY or not self.preferred[j]
                                           or (p.country, p.admin1) != oblast):
                    continue
                key = (self.enclosure(j) is not None, self.compared[j], not self.preferred[j],
                       self.parts and self.part_start(j) >= 0)
                found.setdefault(key, []).append(j)
        return found

    def areas(self, country: str, admin1: str) -> list[int]:
        """Local indexes of the sentence's usable regions of one oblast."""
        if self._areas is None:
            self._areas = {}
            for j, p in enumerate(self.places):
                if is_area(p):
                    self._areas.setdefault((p.country, p.admin1), []).append(j)
        return self._areas.get((country, admin1), [])

    def has(self, at: list[int], lo: int, hi: int, length: int) -> bool:
        """Whether one of the occurrences starting at `at` lies within [lo, hi)."""
        i = bisect_left(at, lo)
        return i < len(at) and at[i] + length <= hi


_NEVER = 1 << 62


def _occurrences(text: str, word: str, sent: Sentence) -> list[int]:
    out = []
    k = text.find(word, sent.start, sent.end)
    while k != -1:
        out.append(k)
        k = text.find(word, k + 1, sent.end)
    return out


def _mark_through(text: str, q: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """(start, end) of each clause mark in text[lo:hi] that holds position `q` once the bracket
    there reads as a space ("Kharkiv -(two killed)" -> "Kharkiv - two killed"): the marks a space
    can make are " - " and ", and" (and the other words of _PLACE_CLAUSE)."""
    c = q - 1
    while c >= lo and text[c].isspace():
        c -= 1
    first = c if c >= lo and text[c] == "," else q - 2
    first = max(lo, min(first, q - 2))
    e = q + 1
    while e < hi and text[e].isspace():
        e += 1
    stop = min(hi, e + 16)
    window = text[first:q] + " " + text[q + 1:stop]
    found = []
    for s in (c, q - 2, q):
        if s < first:
            continue
        m = _PLACE_CLAUSE.match(window, s - first)
        if m and m.start() <= q - first < m.end():
            found.append((first + m.start(), first + m.end()))
    return found


_GAP_CHAR = re.compile(r"[^\s,]")


def _comma_only(text: str, lo: int, hi: int, replaced: int = -1) -> bool:
    """`text[lo:hi].strip() == ","` (the bracket at `replaced` read as a space), without copying
    a long stretch only to find a word in it."""
    k = lo
    while (m := _GAP_CHAR.search(text, k, hi)) is not None:
        if m.start() != replaced:
            return False
        k = m.start() + 1
    return text.count(",", lo, hi) == 1


class _Ranking:
    """The rank of each of a sentence's places for one figure, as _best_in_sentence orders them:
    (named in a comparison, in another clause, not introduced as a location, distance)."""

    def __init__(self, ix: _SentencePlaces, anchor: int, end: int | None, first_earlier: int | None) -> None:
        self.ix, self.anchor, self.end, self.first_earlier = ix, anchor, end, first_earlier
        text = ix.text
        # "103 casualties were recorded (28 killed and 75 injured)": a breakdown in brackets belongs to
        # the clause around the brackets.
        o = bisect_left(ix.opens, anchor) - 1
        self.opened = ix.opens[o] if o >= 0 else -1
        self.closed = -1
        if self.opened != -1:
            c = bisect_left(ix.closes, self.opened)
            if not (c < len(ix.closes) and ix.closes[c] < anchor):
                c = bisect_left(ix.closes, anchor)
                self.closed = ix.closes[c] if c < len(ix.closes) else -1
        self.object_end = end is not None and bool(OBJECT_END.match(text, end))
        self.jr = bisect_left(ix.starts, anchor)  # the first place at or after the figure
        self._keys: dict[int, tuple | None] = {}

    def key(self, j: int) -> tuple | None:
        """The j-th place's rank, or None when it is the place of a part counted after the figure."""
        if j in self._keys:
            return self._keys[j]
        ix, a, end = self.ix, self.anchor, self.end
        text, p = ix.text, ix.places[j]
        lo, hi = min(a, p.end), max(a, p.start)
        replaced = -1
        if self.closed != -1:
            if p.end <= self.opened:
                replaced = ix.opens[bisect_left(ix.opens, lo)]
            elif p.start > self.closed:
                replaced = self.closed
        # A short stretch is read as it is; a long one only through the sentence's indexes.
        between = None
        if hi - lo <= _SHORT:
            between = text[lo:hi]
            if replaced >= 0:
                between = between.replace(text[replaced], " ", 1)
        found = None
        if not (end is not None and p.start > end and ix.parts and ix.part_start(j) >= end
                and (("of " in between or "including" in between) if between is not None else (
                    ix.has(ix.occurrences("of "), lo, hi, 3) or ix.has(ix.occurrences("including"), lo, hi, 9)
                    or (replaced >= lo + 2 and text[replaced - 2:replaced] == "of")))
                and ix.ctx.numbers.search(text, end, p.start)):
            compared = ix.compared[j]
            if not compared and ix.opens:
                enclosure = ix.enclosure(j)
                compared = enclosure is not None and not enclosure[0] < a < enclosure[1]
            if between is not None:
                other_clause = bool(_PLACE_CLAUSE.search(between)) or (
                    p.end <= a and self.first_earlier is not None and self.first_earlier < p.start
                    and not (between.strip() == "," and self.object_end))
            else:
                other_clause = ix.clause_between(lo, hi, replaced) or (
                    p.end <= a and self.first_earlier is not None and self.first_earlier < p.start
                    and not (self.object_end and _comma_only(text, lo, hi, replaced)))
            found = (compared, other_clause, not ix.preferred[j], abs(p.start - a))
        self._keys[j] = found
        return found

    def national(self, t: int) -> tuple:
        a, b = self.ix.nationals[t]
        anchor = self.anchor
        lo, hi = min(anchor, b), max(anchor, a)
        clause = (bool(_PLACE_CLAUSE.search(self.ix.text, lo, hi)) if hi - lo <= _SHORT
                  else self.ix.clause_between(lo, hi))
        return (False, clause, False, abs(a - anchor))

    def ranked(self) -> list[tuple[tuple, int]]:
        """(rank, order) of the places that can be a figure's: every place of a short sentence;
        in a long one, the nearest of each class in each stretch where ranks do not change, which
        holds the best, then what the rules after the best look at (see `around`)."""
        ix = self.ix
        n = len(ix.places)
        if n <= _RANK_ALL or not self._zoned():
            order = range(n)
        else:
            order = sorted(self._nearest(ix.classes()) | ({self.jr - 1} if self.jr > 0 else set()))
        out = [(k, j) for j in order if (k := self.key(j)) is not None]
        nationals = ix.nationals
        if len(nationals) <= _RANK_ALL:
            picks = range(len(nationals))
        else:
            t = bisect_left(nationals, (self.anchor, -1))  # the first after the figure, the last two before
            picks = sorted({t - 2, t - 1, t} & set(range(len(nationals))))
        out += [(self.national(t), n + t) for t in picks]
        return out

    def around(self, best_order: int, rank: tuple, ranked: list[tuple[tuple, int]]) -> list[tuple[tuple, int]]:
        """`ranked` and every place the rules after the choice of the best may read: its neighbours
        (a list of towns or regions), the first region of its oblast, and the places a region's
        own town may be (just before it, or after it in the same stretch)."""
        ix = self.ix
        n = len(ix.places)
        if n <= _RANK_ALL or not self._zoned() or best_order >= n:
            return ranked
        best = ix.places[best_order]
        more = set()
        right = bisect_left(ix.starts, best.end)
        if right < n:
            more.add(right)
        left = bisect_right(ix.ends, best.start) - 1
        if left >= 0:
            more.add(left)
        for j in ix.areas(best.country, best.admin1):
            if self.key(j) is not None:
                more.add(j)
                break
        if is_area(best):
            more.update(range(bisect_left(ix.ends, best.start - 60), bisect_right(ix.ends, best.start)))
            more.update(j for j in self._nearest(ix.classes((best.country, best.admin1)), after=best.end)
                        if ix.starts[j] > best.end)
        have = {j for _, j in ranked}
        out = ranked + [(k, j) for j in more - have if (k := self.key(j)) is not None]
        return sorted(out, key=lambda r: r[1])

    def _zoned(self) -> bool:
        """Whether ranks are constant on the stretches _nearest cuts the sentence into: the places
        do not overlap, and no word runs through the figure's start."""
        ix, a = self.ix, self.anchor
        text = ix.text
        return ix.disjoint and not (0 < a < len(text) and (text[a - 1].isalnum() or text[a - 1] == "_")
                                    and (text[a].isalnum() or text[a] == "_"))

    def _nearest(self, classes: dict[tuple, list[int]], after: int | None = None) -> set[int]:
        """The place of each class nearest to the figure in each stretch of the sentence where
        neither the clause (marks, brackets, earlier casualties) nor the bracket rule changes."""
        ix, a, end = self.ix, self.anchor, self.end
        n = len(ix.places)
        cuts = {0, n, self.jr}

        def by_start(x: int) -> None:  # places starting before x | at or after it
            cuts.add(bisect_left(ix.starts, x))

        def by_end(x: int) -> None:  # places ending by x | after it
            cuts.add(bisect_right(ix.ends, x))

        by_start(ix.first_mark_end(a))
        by_end(ix.last_mark_start(a))
        o = bisect_left(ix.opens, a)
        if o < len(ix.opens):
            by_start(ix.opens[o])
        c = bisect_left(ix.closes, a) - 1
        if c >= 0:
            by_end(ix.closes[c])
        if self.closed != -1:
            by_start(self.closed + 1)
            by_start(self._after_brackets())
            by_end(self.opened)
            by_end(self._before_brackets())
        if end is not None:
            by_start(end + 1)
        if self.first_earlier is not None:
            by_start(self.first_earlier + 1)
        if after is not None:
            by_start(after + 1)
        cuts = sorted(cuts)
        found = set()
        for lo, hi in zip(cuts, cuts[1:]):
            if lo >= hi:
                continue
            for (_, _, _, partable), members in classes.items():
                if lo >= self.jr:
                    t = bisect_left(members, lo)
                    while t < len(members) and members[t] < hi:
                        j = members[t]
                        if not partable or self.key(j) is not None:
                            found.add(j)
                            break
                        if ix.part_window(j) >= end:
                            break  # and so are all later ones: each follows a part counted after the figure
                        t += 1
                else:
                    t = bisect_left(members, hi) - 1
                    if t >= 0 and members[t] >= lo:
                        found.add(members[t])
        return found

    def _after_brackets(self) -> int:
        """For places after the figure's closing bracket (read as a space): where the first clause
        mark after the figure ends."""
        ix, a, closed = self.ix, self.anchor, self.closed
        if bisect_left(ix.mark_starts, closed) > bisect_left(ix.mark_starts, a):
            return closed + 1
        ends = [e for _, e in _mark_through(ix.text, closed, a, ix.sent.end)]
        return min([ix.first_mark_end(closed + 1), *ends])

    def _before_brackets(self) -> int:
        """For places before the figure's opening bracket (read as a space, when it is the first
        in between): where the last clause mark before the figure starts."""
        ix, a, opened = self.ix, self.anchor, self.opened
        if ix.first_mark_end(opened + 1) <= a:
            return opened
        o = bisect_left(ix.opens, opened) - 1
        starts = [s for s, _ in _mark_through(ix.text, opened, ix.sent.start, a)]
        return max([ix.opens[o] if o >= 0 else -1, ix.last_mark_start(opened, opened), *starts])


Placed = tuple[PlaceMention | None, tuple[str, ...]]


def place_for(ctx: PlaceContext, i: int, f: FoundFigure, earlier: list[Figure],
              numbered: dict[int, list[int]], who: str | None = None) -> Placed:
    """The place a figure is about, and the ids of the rules that chose it (docs/engine.md): the
    answer of the first pass of PLACE_PASSES that gives one. See docs/figures.md for why this order."""
    q = _Placing(ctx, i, f, earlier, numbered, who)
    for _, step in PLACE_PASSES:
        placed = step(q)
        if placed is not None:
            return placed
    raise AssertionError("the last pass always answers")


class _Placing:
    """One figure being placed: what the passes read, each worked out once, when first asked for."""

    def __init__(self, ctx: PlaceContext, i: int, f: FoundFigure, earlier: list[Figure],
                 numbered: dict[int, list[int]], who: str | None):
        self.ctx, self.i, self.f, self.earlier, self.numbered, self.who = ctx, i, f, earlier, numbered, who
        self.sent = ctx.sents[i]

    @cached_property
    def own(self) -> tuple:
        """(the sentence's own place, the area its official speaks for, spread, the ranking's rule ids)."""
        ctx, sent, f = self.ctx, self.sent, self.f
        ctx.figures.sync(self.earlier)
        return _best_in_sentence(ctx, sent, sent.start + f.start, sent.start + f.end,
                                 ctx.figures.first_casualty(sent.start))

    @cached_property
    def words(self):
        return self.ctx.sentence(self.sent)

    @cached_property
    def remit(self) -> PlaceMention | None:
        """The region the sentence's official speaks for, if any."""
        title_area = self.own[1]
        return title_area if title_area is None or is_area(title_area) else self.ctx.area_of(title_area)

    @cached_property
    def recent(self) -> int:
        return self.ctx.sents[max(0, self.i - 4)].start

    def fits(self, p: PlaceMention | None, *rules: str) -> Placed:
        """A place from outside the sentence must lie in the region the sentence's official
        speaks for ("the Poltava regional governor said ..."), if there is one; else that region."""
        title_area = self.own[1]
        if p is not None and (title_area is None or (p.admin1 == title_area.admin1 and p.country == title_area.country)):
            return p, rules
        return self.remit, (*rules, "place.speaker-remit" if self.remit is not None else "place.none")


# ---- the passes, in order: each answers (place, rule ids) or None to pass the figure on ----------

def _headline_label(q: _Placing) -> Placed | None:
    if q.i == 0 and q.ctx.label is not None:
        return q.ctx.topic, ("place.headline-label",)
    return None


def _across_region(q: _Placing) -> Placed | None:
    q.own  # the sentence's places are ranked before anything else is read, as they always were
    across = _ACROSS_REGION.match(q.sent.text, q.f.end) if q.words.names_the_region else None
    region = q.ctx.region_before(q.sent.start + q.f.end) if across else None
    return (region, ("place.across-region",)) if region is not None else None


def _own_location(q: _Placing) -> Placed | None:
    unplaced = _unplaced_location(q.ctx, q.sent, q.f)
    if unplaced is None:
        return None
    return (unplaced, ("place.own-location-oblast",)) if unplaced else (None, ("place.own-location-unknown",))


def _own_sentence(q: _Placing) -> Placed | None:
    own, _, spread, own_rules = q.own
    return (own, own_rules) if own is not None or spread else None


def _fronted_unknown(q: _Placing) -> Placed | None:
    """The geoparser missed the sentence's own place ("In Shchurove, ..."): no other town stands in."""
    text = q.sent.text
    fronted = _FRONTED_NAME.match(text) if text[:1] in "IAN" else None
    if fronted and fronted["name"] not in _NOT_A_PLACE_NAME and not q.ctx.places_between(
            q.sent.start + fronted.start("name"), q.sent.start + fronted.end()):
        return None, ("place.fronted-unknown",)
    return None


def _whole_war_toll(q: _Placing) -> Placed | None:
    f, ctx = q.f, q.ctx
    if f.category in CASUALTIES and f.value >= _NATIONAL_TOLL_MIN and ctx.country is not None \
            and q.words.whole_war_toll():
        return ctx.country, ("place.whole-war-toll",)
    return None


def _region_anaphor(q: _Placing) -> Placed | None:
    """"The region" is the region last named; in a sentence whose official's title names a region
    before it ("The head of the Donetsk region said ... of the region"), that one; when only titles
    named a region ("Donetsk governor ..." then "throughout the region"), the last of them."""
    anaphor = q.words.region_anaphor()
    if anaphor is None:
        return None
    at = q.sent.start + anaphor.start()
    title = q.own[1]
    if title is not None and title.start < at and q.remit is not None:
        return q.remit, ("place.region-anaphor", "place.region-anaphor-title")
    region = q.ctx.region_before(at)
    if region is not None:
        return region, ("place.region-anaphor",)
    areas = q.ctx._areas
    t = bisect_right(areas, bisect_right(q.ctx.place_starts, at) - 1) - 1
    return (q.ctx.places[areas[t]], ("place.region-anaphor", "place.region-anaphor-title")) if t >= 0 else None


def _continues_or_part(q: _Placing) -> Placed | None:
    f = q.f
    if f.partitive or f.continues:
        g = q.ctx.figures.last_placed(q.recent, None if f.continues else f.head)
        if g is not None:
            return q.fits(g.place, "place.continues" if f.continues else "place.part-of")
    return None


def _previous_sentences(q: _Placing) -> Placed | None:
    ctx, sent, sents = q.ctx, q.sent, q.ctx.sents
    for j in range(q.i - 1, max(-1, q.i - 3), -1):
        prev = sents[j]
        if not ctx.same_paragraph(prev, sent) and not (j == q.i - 1 and _line_by_line(ctx, q.i)
                                                       and not q.words.elsewhere()):
            break
        best, rules = ctx.figures.last_place_in(prev.start), ("place.previous-figure",)
        if best is None:
            best, _, spread, inner = ctx.best_alone(prev)
            if best is not None and _is_dateline(ctx.text, best):
                break  # "Lviv, Ukraine, Dec 22 (EFE).- ...": where the report was filed, lent to no other sentence
            rules = ("place.previous-sentence", *inner)
            if spread:
                return best, rules
        if best is not None:
            return q.fits(best, *rules)
        if ctx.names_area_only(prev):
            # "shelled the village of X in the Zolochiv community": the scene is no town's pin
            return q.remit, ("place.previous-area-only", "place.speaker-remit" if q.remit is not None else "place.none")
    return None


def _is_dateline(text: str, p: PlaceMention) -> bool:
    return (p.start == 0 or text[p.start - 1] == "\n") and _DATELINE.match(text, p.end) is not None


def _line_by_line(ctx: PlaceContext, i: int) -> bool:
    """A paragraph of one sentence after a short one (copy written a sentence or two a line: "... in Kherson
    Oblast. The attacks damaged 13 houses." then "One person was killed."): it reads on from the line before,
    unless the headline names the article's town (that is lent first, as before)."""
    sents = ctx.sents
    if i < 2 or ctx.topic is not None or (i + 1 < len(sents) and ctx.same_paragraph(sents[i], sents[i + 1])):
        return False
    return not ctx.same_paragraph(sents[i - 3], sents[i - 1]) if i >= 3 else True


def _next_sentences(q: _Placing) -> Placed | None:
    ctx, sent, sents = q.ctx, q.sent, q.ctx.sents
    for j in range(q.i + 1, min(len(sents), q.i + 3)):
        nxt = sents[j]
        if not ctx.same_paragraph(sent, nxt) or j in q.numbered or _FRONTED_PLACE.match(nxt.text):
            break
        best, _, spread, inner = ctx.best_alone(nxt)
        if spread:
            return best, ("place.next-sentence", *inner)
        if best is not None:
            return q.fits(best, "place.next-sentence", *inner)
    return None


def _same_witnesses(q: _Placing) -> Placed | None:
    """"The AP journalists also saw two bodies": the same witnesses, still where they were."""
    if q.who and q.words.also():
        g = q.ctx.figures.last_said_by(_source_words(q.who), q.recent)
        if g is not None:
            return q.fits(g.place, "place.same-witnesses")
    return None


def _article_town(q: _Placing) -> Placed | None:
    ctx = q.ctx
    late, rule = ctx.topic, "place.headline-town"
    if late is None:
        scene, scene_end = ctx.scene
        late, rule = ((scene, "place.lede-town") if scene is not None and scene.end < q.sent.start < scene_end
                      else (ctx.dominant, "place.dominant-town"))
        if late is None:
            late, rule = ctx.headline_region, "place.headline-region"
    if late is not None and not q.words.elsewhere():
        return q.fits(late, rule)
    return None


def _no_place(q: _Placing) -> Placed:
    return q.remit, ("place.speaker-remit",) if q.remit is not None else ("place.none",)


# The order is the conflict policy: the first pass that answers decides, and the passes run from
# the figure's own words outwards (its headline label, its clause and sentence, then the
# sentences before and after it in its paragraph, then the article's town), so a nearer, more
# specific cue always beats a farther one. Each pass records the ids of the rules that decided
# (docs/engine.md lists them under its name); `python -m geo.evaluate --rules` counts them.
PLACE_PASSES: tuple[tuple[str, Callable[[_Placing], Placed | None]], ...] = (
    ("headline-label", _headline_label),
    ("across-region", _across_region),
    ("own-location", _own_location),
    ("own-sentence", _own_sentence),
    ("fronted-unknown", _fronted_unknown),
    ("whole-war-toll", _whole_war_toll),
    ("region-anaphor", _region_anaphor),
    ("continues-or-part", _continues_or_part),
    ("previous-sentences", _previous_sentences),
    ("next-sentences", _next_sentences),
    ("same-witnesses", _same_witnesses),
    ("article-town", _article_town),
    ("no-place", _no_place),
)


def _source_words(who: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", who.lower()) if w not in _GENERIC_SOURCE_WORDS}


def _unplaced_location(ctx: PlaceContext, sent: Sentence, f: FoundFigure) -> PlaceMention | bool | None:
    """For a figure whose own location ("in the village of Ostrivske", "in the Zhytomyr district")
    the geoparser gave no usable town: the region of the sentence that holds it, or False (no
    place); None when the figure's own location is a usable place or there is none."""
    ahead = sent.text[f.end:f.end + 60]
    m = _OWN_LOCATION.match(sent.text, f.end) if " in " in ahead or " at " in ahead else None
    if m is None:
        return False if " the " in ahead and _OWN_COMPASS.match(sent.text, f.end) else None
    at = sent.start + m.end()
    k = bisect_right(ctx.place_starts, at) - 1
    areas, first = ctx.areas_in(sent)
    if k >= 0 and ctx.places[k].start == at:
        p = ctx.places[k]
        if not _DISTRICT_AFTER.match(ctx.text, p.end) or "geoparse.raion" in p.rules:
            return None
        return first.get((p.country, p.admin1), False)
    name = _OWN_NAME.match(sent.text, m.end())
    if name is None or name.group() in _NOT_A_PLACE_NAME:
        return None
    t = bisect_left(areas, at, key=lambda q: q.start) - 1
    return areas[t] if t >= 0 else False


def _best_in_sentence(ctx: PlaceContext, sent: Sentence, anchor: int, end: int | None = None,
                      first_earlier: int | None = None
                      ) -> tuple[PlaceMention | None, PlaceMention | None, bool, tuple[str, ...]]:
    """The place in a sentence a figure at `anchor` (ending at `end`) is about, the region of an
    official's title named in it ("the Donetsk regional governor"), which is a speaker, not a place,
    and whether the figure is spread over several towns ("in Marhanets and Vilne": then the
    place is their region named in the sentence, or None). `first_earlier` is the start of the
    sentence's first casualty figure before this one: a place between it and this figure is an
    earlier figure's ("two men were killed in Lyptsi and one woman was wounded in Okhrimivka").
    Last, the ids of the rules that decided (docs/engine.md)."""
    text = ctx.text
    ix = ctx.sentence(sent)
    title_area = ix.title_area
    ranking = _Ranking(ix, anchor, end, first_earlier)
    scored = ranking.ranked()
    if not scored:
        return None, title_area, False, ()
    rank, order = min(scored)
    scored = ranking.around(order, rank, scored)
    ranked = [(r, ix.places[o] if o < len(ix.places) else ctx.country) for r, o in scored]
    best = ix.places[order] if order < len(ix.places) else ctx.country
    rules = ("place.national",) if order >= len(ix.places) else (
        "place.other-clause" if rank[1] else "place.same-clause", *("place.compared",) * rank[0],
        *("place.not-introduced",) * rank[2])
    if is_town(best):
        towns = [p for r, p in ranked if r[:2] == rank[:2] and is_town(p) and p.name != best.name]
        joined = [p for p in towns if _joined(text, best, p)]
        if joined:
            # "in Lyman, Sviatohirsk and nearby villages", "since the liberation of the north of Donetsk
            # region": the region the sentence names, when it holds every town of the list.
            areas = [p for _, p in ranked if is_area(p) and p.admin1 == best.admin1 and p.country == best.country
                     and all(q.admin1 == p.admin1 and q.country == p.country for q in joined)]
            return ((areas[0], title_area, True, ("place.listed-towns-oblast",)) if areas
                    else (None, title_area, True, ("place.listed-towns",)))
    if is_area(best) and any(r[:2] == rank[:2] and is_area(p) and p.admin1 != best.admin1
                             and _joined(text, best, p) for r, p in ranked):
        # "in Kherson, Dnipropetrovsk and Zaporizhzhia oblasts": a total over several regions is none of them.
        return None, title_area, True, ("place.listed-oblasts",)
    if is_area(best):
        # "in the town of Kostiantynivka in Donetsk Oblast killed 16": the town, not its oblast.
        # The town must come first, with its region as the locator; "in the Donetsk region, ...
        # including in Chasiv Yar and Toretsk" is a figure for the region. A raion is finer than its
        # oblast too: "in the Kursk region's Sudzha district", "the Shebekino district of Belgorod region".
        inside = [(r, p) for r, p in ranked if r[:2] == rank[:2] and (not is_area(p) or is_raion(p) and not is_raion(best))
                  and p.precision is not Precision.COUNTRY and p.country == best.country
                  and p.admin1 == best.admin1 and p.admin1
                  and (p.end <= best.start <= p.end + 60 or (p.start > best.end and (
                      not r[2] or _comma_only(text, best.end, p.start))))]
        if inside:
            best = min(inside, key=lambda r: r[0])[1]
            rules = (*rules, "place.raion-of-oblast" if is_raion(best) else "place.town-of-oblast")
    return best, title_area, False, rules


def _joined(text: str, a: PlaceMention, b: PlaceMention) -> bool:
    """Whether two towns are named together as one location ("Marhanets and Vilne")."""
    lo, hi = (a, b) if a.start < b.start else (b, a)
    gap = _COORDINATED.fullmatch(text, lo.end, hi.start)
    if gap is None:
        return False
    # "Kupiansk, Kharkiv": a bare comma joins a list only when an "and" closes it.
    return gap.group().strip() != "," or bool(re.match(r"\s*(?:,\s*)?and\s", text[hi.end:hi.end + 8]))


def _place_features(text: str, p: PlaceMention, sent_start: int) -> tuple[bool, bool, bool, bool]:
    """What a place mention's own words say about it: whether it can be a figure's place at all
    (a country only as "in Ukraine"), whether it is an official's title region, whether it is named
    in a comparison, and whether it is introduced as a location ("in X", "of X", "X's")."""
    before = text[max(sent_start, p.start - 80):p.start]
    if p.precision is Precision.COUNTRY and (not _COUNTRY_BEFORE.search(before[-20:])
                                             or _BODY_IN.search(before[-30:])
                                             or text[p.end:p.end + 2] in ("'s", "’s")):
        return False, False, False, False  # "Ukraine's far west" locates a place named with it
    low = before.lower()
    if _ALIAS_BEFORE.found(before[-30:]) or (_DISTRICT_AFTER.match(text, p.end) and "geoparse.raion" not in p.rules) \
            or (_COMMUNITY_AFTER.match(text, p.end) and _COMMUNITY_LOCATES.search(before[-40:])) \
            or ("hospital" in low[-60:] and _HOSPITAL_BEFORE.search(before[-60:])) \
            or (_EXCLUSION_HINT.search(low) and _EXCLUDED_BEFORE.search(before[-70:])) \
            or ("from" in low and _SPAN_BEFORE.search(before)):
        return False, False, False, False
    if p.source == "landmark" and _LANDMARK_TIME.search(before[-60:]):
        return False, False, False, False
    if p.mention in _CAPITALS and (_CAPITAL_SPEAKS.match(text, p.end)
                                   or (p.country != "UA" and before.endswith(("from ", "by ")))):
        return False, False, False, False  # "a barrage from Moscow", "no comment from Moscow": its government
    if "said" in before and _SPEAKER_BEFORE.search(before):
        return False, is_area(p), False, False
    if is_area(p) and (_TITLE_AFTER.match(text, p.end) or _TITLE_BEFORE.search(before[-50:])):
        return False, True, False, False
    if is_town(p) and _TOWN_TITLE_AFTER.match(text, p.end):
        return False, True, False, False
    preferred = _PREFERRED_BEFORE.found(before[-40:]) or text[p.end:p.end + 2] in ("'s", "’s")
    # "killed four, including in Kupiansk and Lozova": a part of the figure's area, ranked last.
    part = ("including" in before[-40:] and bool(_INCLUDING_PLACE.search(before[-40:]))) or (
        bool(_MAJORITY_HINT.search(low[-50:])) and bool(_MAJORITY_PLACE.search(before[-50:])))
    locator = bool(_LOCATOR_BEFORE.search(before[-30:])) or (
        p.source == "landmark" and not _LANDMARK_SCENE.search(before[-40:]))
    return True, False, _compared(before) or part or locator, preferred


def is_area(p: PlaceMention) -> bool:
    """An oblast or other region, not a town placed in its oblast for want of coordinates."""
    return p.precision is Precision.REGION and p.source != "region-fallback"


def is_raion(p: PlaceMention) -> bool:
    """A raion ("the Nikopol district", "the Sudzha district"): an area inside an oblast."""
    return "geoparse.raion" in p.rules


def is_town(p: PlaceMention) -> bool:
    return p.precision in (Precision.TOWN, Precision.NEAR) or (
        p.precision is Precision.REGION and p.source == "region-fallback")


def _topic_place(text: str, sents: list[Sentence], places: list[PlaceMention]
                 ) -> tuple[PlaceMention | None, str | None]:
    """The town an article's headline is about: the place before a headline's colon ("Olenivka:
    Kyiv and Moscow trade blame ...", found wherever the article names it), or the first headline
    town the opening paragraph names too.
    Lent, at lower confidence, to figures whose paragraph names no place."""
    head = headline_sentence(text, sents)
    if head is None:
        return None, None
    colon = _HEADLINE_COLON.match(text, head.start)
    label = colon.group(1).strip() if colon else ""
    block_end, lede_end = _lede_span(text, sents, head)
    in_head = [p for p in places if p.start < block_end and is_town(p)]
    chosen = next((p for p in places if label in (p.mention, p.name) and is_town(p)), None) if label else None
    if chosen is not None and chosen.region.startswith(label) and any(
            p.start > head.start + len(label) and p.name != chosen.name and p.admin1 == chosen.admin1 for p in in_head):
        # "Zaporizhzhia: Russian strike on Vilniansk ...": a label named like its oblast, over a
        # headline about a town of that oblast, is the region's name, not the topic town.
        chosen = None
    if chosen is None:
        lede = [p for p in places if block_end < p.start < lede_end and is_town(p)]
        if in_head:
            chosen = next((p for p in in_head if p.name in {q.name for q in lede}), None)
        elif lede and not any(p.start < block_end for p in places):
            # A headline naming no place the geoparser found ("... Strike On Sumy Hospital Kills
            # Nine"): the lede's first town, when the article names it again.
            chosen = lede[0] if sum(p.name == lede[0].name for p in places) >= 3 else None
    if chosen is None:
        return None, None
    from_label = label if label in (chosen.mention, chosen.name) else None
    return replace(chosen, confidence=round(chosen.confidence * 0.8, 3),
                   note=(chosen.note + "; " if chosen.note else "") + "figure placed by the headline town"), from_label


def headline_sentence(text: str, sents: list[Sentence]) -> Sentence | None:
    """The first line when it reads as a headline: a line of its own, without a full stop."""
    if not sents:
        return None
    first = sents[0]
    line_end = text.find("\n", first.start)
    if (line_end != -1 and first.end < line_end) or first.text.endswith((".", "!", "?", "”", '"')):
        return None
    if len(first.text) > 200 or first.text.lower().startswith("date "):
        return None
    return first


def _lede_span(text: str, sents: list[Sentence], head: Sentence) -> tuple[int, int]:
    """Where the headline block ends (the headline and a standfirst under it: lines of their own
    without a full stop, "About 90 people were sheltering in ... Bilohorivka, regional governor
    says") and where the lede ends: the first two body lines long enough to be prose."""
    block_end, lede_end, prose = head.end, head.end, 0
    for s in sents[1:12]:
        line_start = text.rfind("\n", 0, s.start) + 1
        line_end = text.find("\n", s.end)
        line_end = len(text) if line_end == -1 else line_end
        if prose == 0 and line_start == s.start and line_end == s.end and len(s.text) >= 40 \
                and not s.text.endswith((".", "!", "?", "”", '"')) and not s.text.startswith("By "):
            block_end = s.end
        elif len(s.text) >= 80 and line_end != lede_end:
            prose, lede_end = prose + 1, line_end
            if prose == 2:
                break
    return block_end, lede_end


def same_paragraph(text: str, a: Sentence, b: Sentence) -> bool:
    lo, hi = (a, b) if a.start < b.start else (b, a)
    return "\n" not in text[lo.end:hi.start]


def _compared(before: str) -> bool:
    """Whether a place is named in a comparison ("a scene likened to Bucha")."""
    return bool(_COMPARED_HINT.search(before.lower())) and bool(_COMPARED_BEFORE.search(before))


def _dominant_place(places: list[PlaceMention]) -> PlaceMention | None:
    """The town an article is overwhelmingly about (most mentions, at least 3, half of all town
    mentions and twice the runner-up), or None."""
    towns = [p for p in places if p.precision in (Precision.TOWN, Precision.NEAR) and p.name]
    counts = Counter(p.name for p in towns).most_common(2)
    if not counts:
        return None
    name, n = counts[0]
    runner_up = counts[1][1] if len(counts) > 1 else 0
    if n >= 3 and 2 * n >= len(towns) and n >= 2 * runner_up:
        return next(p for p in towns if p.name == name)
    return None
