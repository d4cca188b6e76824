"""Which place a reported figure is about.

Given the place mentions the geoparser found, the rules here choose one for each figure: its
clause, then the sentences around it in its paragraph, then the headline town or the article's
dominant town, and leave it unplaced rather than guess (a wrong pin misleads a reader more than a
missing one). Figures are recognised in geo.figures; the order of the rules is in docs/figures.md.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import replace
from functools import cached_property
from typing import Protocol

from geo.model import Category, Figure, PlaceMention, Precision
from geo.text import Sentence

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
_PREFERRED_BEFORE = re.compile(
    r"\b(?:in|of|at|near|outside|around|from|into|amid|across|inside)\s+(?:[\w’'-]+\s+){0,3}$", re.I)
_COMPARED_BEFORE = re.compile(
    r"\b(?:like|likened|liken|compared|comparing|similar|such\s+as|reminiscent|recalling|echoing|"
    r"worse\s+than|bigger\s+than)\b[^,;.]*$", re.I)
_PLACE_CLAUSE = re.compile(r"[;:—–()]|\s-\s|,\s+(?:and|but|while|whereas|adding|as|after)\b", re.I)
# "28 killed, the majority in the city of Kherson": where most of a figure happened, not all of it.
_MAJORITY_PLACE = re.compile(
    r"\b(?:(?:the\s+)?(?:majority|bulk)(?:\s+of\s+(?:them|these|those|whom))?|most\s+of\s+(?:them|these|those|whom)|"
    r"mostly|mainly|largely|primarily|chiefly)\s+(?:in|at|from)\s+(?:the\s+)?(?:[\w’'-]+\s+(?:of\s+|and\s+)?){0,3}$", re.I)
_MAJORITY_HINT = re.compile(r"majority|bulk|most|mainly|largely|primarily|chiefly")
# "Kyiv has no means of verifying ...", "Moscow says ...": a capital standing for its government.
_CAPITAL_SPEAKS = re.compile(
    r"\s+(?:has|have|had|says|said|claims|claimed|denies|denied|insists|accuses|accused|blames|blamed|"
    r"reports|reported|admits|admitted|maintains|announced)\b")
_CAPITALS = frozenset("Kyiv Kiev Moscow Washington Minsk London Paris Berlin Brussels Warsaw".split())
_INCLUDING_PLACE = re.compile(r"\bincluding\s+(?:in\s+)?(?:[\w’'-]+\s+(?:and\s+)?){0,3}$", re.I)
_ALSO = re.compile(r"\balso\b", re.I)
_GENERIC_SOURCE_WORDS = frozenset("said officials official ukrainian russian ukraine's russia's".split())
_COUNTRY_BEFORE = re.compile(r"\b(?:in|across|throughout|all\s+over)\s+$", re.I)
# "the UN monitoring mission in Ukraine": the country is part of a body's name, not where it happened.
_BODY_IN = re.compile(r"\b(?:mission|office|embassy|delegation|coordinator|representative)\s+in\s+$", re.I)
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
# "The Mykolaiv region, called Nikolaev by Russian state media": another name for a place, not a place.
_ALIAS_BEFORE = re.compile(r"\b(?:called|known\s+as|renamed|spelled|spelt|name,?)\s+$", re.I)
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
_COMMUNITY_LOCATES = re.compile(r"\b(?-i:[A-Z][\w’'-]+)\s+in\s+the\s+$", re.I)
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
_ELSEWHERE = re.compile(
    r"\belsewhere\b|\bother\s+(?:[\w-]+\s+)?(?:areas|towns|villages|parts|places|settlements|regions|"
    r"territories|cities|communities)\b", re.I)
# A sentence opening on its own place ("In Kozacha Lopan, ...") sets a new scene.
_FRONTED_PLACE = re.compile(r"^\W*(?i:in|at|near|outside)\s+(?:the\s+)?(?:[a-z-]+\s+(?:of\s+)?)?[A-Z]")
# "in Marhanets and Vilne": a figure spread over two towns is pinned at neither.
_COORDINATED = re.compile(r"\s*(?:,\s*)?(?:and|or|&)\s+(?:the\s+(?:villages?|towns?|cities)\s+of\s+)?|,\s+", re.I)
# The figure's own location, right after it: "one in the village of Ostrivske", "killed one man in the
# Zhytomyr district". When the geoparser could not place it, no other town stands in for it.
_OWN_LOCATION = re.compile(
    r"[^.;:—–()]{0,45}?\b(?:in|at)\s+(?:the\s+(?:village|town|city|settlement|hamlet)\s+of\s+)?(?:the\s+)?"
    r"(?=[A-Z])")
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
    number is): a place after a later count is that count's."""

    def __init__(self, text: str, sents: list[Sentence], places: list[PlaceMention], numbers: re.Pattern) -> None:
        self.text, self.sents, self.places, self.numbers = text, sents, places, numbers
        self.place_starts = [p.start for p in places]
        self._features: dict[int, tuple[bool, bool, bool, bool]] = {}

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
        towns = [p for p in self.places if line_start <= p.start < line_end and is_town(p)]
        if not towns or any(p.name != towns[0].name for p in towns):
            return None, 0
        nxt = self.text.find("\n", line_end + 1)
        town = towns[0]
        return replace(town, confidence=round(town.confidence * 0.8, 3),
                       note=(town.note + "; " if town.note else "") + "figure placed by the lede town"), \
            len(self.text) if nxt == -1 else nxt

    @cached_property
    def dominant(self) -> PlaceMention | None:
        return _dominant_place(self.places)

    @cached_property
    def country(self) -> PlaceMention | None:
        """Ukraine as the article names it, for national tolls ("across the country")."""
        return next((p for p in self.places if p.precision is Precision.COUNTRY and p.country == "UA"), None)

    def area_of(self, town: PlaceMention) -> PlaceMention | None:
        """The article's own mention of the oblast a town stands for ("Kursk's governor"), if any."""
        return next((p for p in self.places if is_area(p) and p.admin1 == town.admin1
                     and p.country == town.country), None)

    def names_area_only(self, sent: Sentence) -> bool:
        """Whether a sentence names a hromada that locates a village the geoparser did not place
        ("the village of Odnorobivka in the Zolochiv community"): no town's pin stands for it."""
        lo, hi = bisect_right(self.place_starts, sent.start - 1), bisect_right(self.place_starts, sent.end)
        return any(_COMMUNITY_AFTER.match(self.text, self.places[k].end) and not self.features(k, sent.start)[0]
                   for k in range(lo, hi))

    def places_between(self, start: int, end: int) -> bool:
        k = bisect_right(self.place_starts, start - 1)
        return k < len(self.places) and self.places[k].start < end

    def region_before(self, pos: int) -> PlaceMention | None:
        """The region named last before `pos`, which "the region" refers back to."""
        for k in range(bisect_right(self.place_starts, pos) - 1, -1, -1):
            if is_area(self.places[k]) and not self.features(k, 0)[1]:
                return self.places[k]
        return None

    def features(self, k: int, sent_start: int) -> tuple[bool, bool, bool, bool]:
        """(usable, title region, named in a comparison, preferred) for the k-th place mention."""
        f = self._features.get(k)
        if f is None:
            f = self._features[k] = _place_features(self.text, self.places[k], sent_start)
        return f


def place_for(ctx: PlaceContext, i: int, f: FoundFigure, earlier: list[Figure],
               numbered: dict[int, list[int]], who: str | None = None) -> PlaceMention | None:
    """The place a figure is about; see docs/figures.md for the order of the rules."""
    sents, text = ctx.sents, ctx.text
    sent = sents[i]
    if i == 0 and ctx.label is not None:
        return ctx.topic
    same = tuple(g.start for g in earlier if g.sentence_start == sent.start and g.category in CASUALTIES)
    own, title_area, spread = _best_in_sentence(ctx, sent, sent.start + f.start, sent.start + f.end, same)
    across = _ACROSS_REGION.match(sent.text, f.end) if "the region" in sent.text or "the oblast" in sent.text else None
    if across:
        region = ctx.region_before(sent.start + f.end)
        if region is not None:
            return region
    unplaced = _unplaced_location(ctx, sent, f)
    if unplaced is not None:
        return unplaced or None
    if own is not None or spread:
        return own
    fronted = _FRONTED_NAME.match(sent.text) if sent.text[:1] in "IAN" else None
    if fronted and fronted["name"] not in _NOT_A_PLACE_NAME and not ctx.places_between(
            sent.start + fronted.start("name"), sent.start + fronted.end()):
        return None  # the geoparser missed the sentence's own place: no other town stands in
    if f.category in CASUALTIES and f.value >= _NATIONAL_TOLL_MIN and ctx.country is not None \
            and "since" in sent.text and _SINCE_INVASION.search(sent.text) and not _LOCAL_AREA.search(sent.text):
        return ctx.country
    anaphor = _REGION_ANAPHOR.search(sent.text) if "the region" in sent.text or "the oblast" in sent.text else None
    if anaphor:
        region = ctx.region_before(sent.start + anaphor.start())
        if region is not None:
            return region

    remit = title_area if title_area is None or is_area(title_area) else ctx.area_of(title_area)

    def fits(p: PlaceMention | None) -> bool:
        """A place from outside the sentence must lie in the region the sentence's official
        speaks for ("the Poltava regional governor said ..."), if there is one."""
        return p is not None and (title_area is None or (p.admin1 == title_area.admin1 and p.country == title_area.country))

    if f.partitive or f.continues:
        for g in reversed(earlier):
            if g.sentence_start < sents[max(0, i - 4)].start:
                break
            if g.place is not None and (f.continues or g.counted.lower().endswith(f.head)):
                return g.place if fits(g.place) else remit
    for j in range(i - 1, max(-1, i - 3), -1):
        prev = sents[j]
        if not same_paragraph(text, prev, sent):
            break
        placed = [g.place for g in earlier if g.sentence_start == prev.start and g.place is not None]
        if placed:
            best = placed[-1]
        else:
            best, _, spread = _best_in_sentence(ctx, prev, prev.start)
            if spread:
                return best
        if best is not None:
            return best if fits(best) else remit
        if ctx.names_area_only(prev):
            return remit  # "shelled the village of X in the Zolochiv community": the scene is no town's pin
    for j in range(i + 1, min(len(sents), i + 3)):
        nxt = sents[j]
        if not same_paragraph(text, sent, nxt) or j in numbered or _FRONTED_PLACE.match(nxt.text):
            break
        best, _, spread = _best_in_sentence(ctx, nxt, nxt.start)
        if spread:
            return best
        if best is not None:
            return best if fits(best) else remit
    if who and _ALSO.search(sent.text):
        # "The AP journalists also saw two bodies": the same witnesses, still where they were.
        words = _source_words(who)
        for g in reversed(earlier):
            if g.sentence_start < sents[max(0, i - 4)].start:
                break
            if g.place is not None and g.attribution and words & _source_words(g.attribution):
                return g.place if fits(g.place) else remit
    late = ctx.topic
    if late is None:
        scene, scene_end = ctx.scene
        late = scene if scene is not None and scene.end < sent.start < scene_end else ctx.dominant
    if fits(late) and not _ELSEWHERE.search(sent.text):
        return late
    return remit


def _source_words(who: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", who.lower()) if w not in _GENERIC_SOURCE_WORDS}


def _unplaced_location(ctx: PlaceContext, sent: Sentence, f: FoundFigure) -> PlaceMention | bool | None:
    """For a figure whose own location ("in the village of Ostrivske", "in the Zhytomyr district")
    the geoparser gave no usable town: the region of the sentence that holds it, or False (no
    place); None when the figure's own location is a usable place or there is none."""
    ahead = sent.text[f.end:f.end + 60]
    m = _OWN_LOCATION.match(sent.text, f.end) if " in " in ahead or " at " in ahead else None
    if m is None:
        return None
    at = sent.start + m.end()
    k = bisect_right(ctx.place_starts, at) - 1
    if k >= 0 and ctx.places[k].start == at:
        p = ctx.places[k]
        if not _DISTRICT_AFTER.match(ctx.text, p.end):
            return None
        areas = [q for j, q in enumerate(ctx.places) if sent.start <= q.start < sent.end and is_area(q)
                 and q.admin1 == p.admin1 and q.country == p.country and ctx.features(j, sent.start)[0]]
        return areas[0] if areas else False
    name = _OWN_NAME.match(sent.text, m.end())
    if name is None or name.group() in _NOT_A_PLACE_NAME:
        return None
    areas = [q for j, q in enumerate(ctx.places) if sent.start <= q.start < at and is_area(q)
             and ctx.features(j, sent.start)[0]]
    return areas[-1] if areas else False


def _best_in_sentence(ctx: PlaceContext, sent: Sentence, anchor: int, end: int | None = None,
                      earlier: tuple[int, ...] = ()) -> tuple[PlaceMention | None, PlaceMention | None, bool]:
    """The place in a sentence a figure at `anchor` (ending at `end`) is about, the region of an
    official's title named in it ("the Donetsk regional governor"), which is a speaker, not a place,
    and whether the figure is spread over several towns ("in Marhanets and Vilne": then the
    place is their region named in the sentence, or None). `earlier` are the starts of the
    sentence's casualty figures before this one: a place between one of them and this figure is that
    figure's ("two men were killed in Lyptsi and one woman was wounded in Okhrimivka")."""
    text = ctx.text
    lo = bisect_right(ctx.place_starts, sent.start - 1)
    hi = bisect_right(ctx.place_starts, sent.end)
    ranked = []
    title_area = None
    # "103 casualties were recorded (28 killed and 75 injured)": a breakdown in brackets belongs to
    # the clause around the brackets.
    opened = text.rfind("(", sent.start, anchor)
    closed = text.find(")", anchor, sent.end) if opened != -1 and ")" not in text[opened:anchor] else -1
    for k in range(lo, hi):
        p = ctx.places[k]
        if p.end > sent.end:
            continue
        usable, title, compared, preferred = ctx.features(k, sent.start)
        if title:
            title_area = title_area or p
        if not usable:
            continue
        between = text[min(anchor, p.end):max(anchor, p.start)]
        if closed != -1 and (p.end <= opened or p.start > closed):
            between = between.replace("(" if p.end <= opened else ")", " ", 1)
        if end is not None and p.start > end and ("of " in between or "including" in between) \
                and _PART_BEFORE_PLACE.search(text, end, p.start) and ctx.numbers.search(text, end, p.start):
            continue  # the place of a part counted after the figure ("17 of them in Oleshky")
        if "(" in sent.text and _bracketed_aside(text, sent, p, anchor):
            compared = True  # "(not to be confused with villages in the Mykolaiv region)"
        other_clause = bool(_PLACE_CLAUSE.search(between)) or (
            p.end <= anchor and any(e < p.start for e in earlier)
            and not (between.strip() == "," and end is not None and OBJECT_END.match(text, end)))
        ranked.append(((compared, other_clause, not preferred, abs(p.start - anchor)), p))
    low = sent.text.lower()
    if ctx.country is not None and ("country" in low or "nation" in low or "oblasts" in low or "regions" in low):
        for m in _NATIONAL.finditer(sent.text):
            a, b = sent.start + m.start(), sent.start + m.end()
            between = text[min(anchor, b):max(anchor, a)]
            ranked.append(((False, bool(_PLACE_CLAUSE.search(between)), False, abs(a - anchor)), ctx.country))
    if not ranked:
        return None, title_area, False
    rank, best = min(ranked, key=lambda r: r[0])
    if is_town(best):
        towns = [p for r, p in ranked if r[:2] == rank[:2] and is_town(p) and p.name != best.name]
        joined = [p for p in towns if _joined(text, best, p)]
        if joined:
            # "in Lyman, Sviatohirsk and nearby villages", "since the liberation of the north of Donetsk
            # region": the region the sentence names, when it holds every town of the list.
            areas = [p for _, p in ranked if is_area(p) and p.admin1 == best.admin1 and p.country == best.country
                     and all(q.admin1 == p.admin1 and q.country == p.country for q in joined)]
            return (areas[0] if areas else None), title_area, True
    if is_area(best) and any(r[:2] == rank[:2] and is_area(p) and p.admin1 != best.admin1
                             and _joined(text, best, p) for r, p in ranked):
        # "in Kherson, Dnipropetrovsk and Zaporizhzhia oblasts": a total over several regions is none of them.
        return None, title_area, True
    if is_area(best):
        # "in the town of Kostiantynivka in Donetsk Oblast killed 16": the town, not its oblast.
        # The town must come first, with its region as the locator; "in the Donetsk region, ...
        # including in Chasiv Yar and Toretsk" is a figure for the region.
        inside = [(r, p) for r, p in ranked if r[:2] == rank[:2] and not is_area(p)
                  and p.precision is not Precision.COUNTRY and p.country == best.country
                  and p.admin1 == best.admin1 and p.admin1
                  and (p.end <= best.start <= p.end + 60 or (p.start > best.end and (
                      not r[2] or text[best.end:p.start].strip() == ",")))]
        if inside:
            best = min(inside, key=lambda r: r[0])[1]
    return best, title_area, False


def _bracketed_aside(text: str, sent: Sentence, p: PlaceMention, anchor: int) -> bool:
    """Whether a place is named inside brackets that do not hold the figure: an aside."""
    opened = text.rfind("(", sent.start, p.start)
    if opened == -1 or ")" in text[opened:p.start]:
        return False
    closed = text.find(")", p.end, sent.end)
    return closed != -1 and not opened < anchor < closed


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
    if _ALIAS_BEFORE.search(before[-30:]) or _DISTRICT_AFTER.match(text, p.end) \
            or (_COMMUNITY_AFTER.match(text, p.end) and _COMMUNITY_LOCATES.search(before[-40:])) \
            or ("hospital" in low[-60:] and _HOSPITAL_BEFORE.search(before[-60:])) \
            or (_EXCLUSION_HINT.search(low) and _EXCLUDED_BEFORE.search(before[-70:])) \
            or ("from" in low and _SPAN_BEFORE.search(before)):
        return False, False, False, False
    if p.mention in _CAPITALS and _CAPITAL_SPEAKS.match(text, p.end):
        return False, False, False, False
    if "said" in before and _SPEAKER_BEFORE.search(before):
        return False, is_area(p), False, False
    if is_area(p) and (_TITLE_AFTER.match(text, p.end) or _TITLE_BEFORE.search(before[-50:])):
        return False, True, False, False
    if is_town(p) and _TOWN_TITLE_AFTER.match(text, p.end):
        return False, True, False, False
    preferred = bool(_PREFERRED_BEFORE.search(before[-40:])) or text[p.end:p.end + 2] in ("'s", "’s")
    # "killed four, including in Kupiansk and Lozova": a part of the figure's area, ranked last.
    part = ("including" in before[-40:] and bool(_INCLUDING_PLACE.search(before[-40:]))) or (
        bool(_MAJORITY_HINT.search(low[-50:])) and bool(_MAJORITY_PLACE.search(before[-50:])))
    locator = bool(_LOCATOR_BEFORE.search(before[-30:]))
    return True, False, _compared(before) or part or locator, preferred


def is_area(p: PlaceMention) -> bool:
    """An oblast or other region, not a town placed in its oblast for want of coordinates."""
    return p.precision is Precision.REGION and p.source != "region-fallback"


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
