"""Places named in Ukrainian and Russian text, resolved to the Latin gazetteer's places.

One pass over the words: a capitalised Cyrillic word (and up to two after it) is looked up in
geo.cyrillic_gazetteer's form index, where every case of every name is a key ("Бучі",
"Харкові", "Новій Каховці"), so matching is a dictionary lookup per word. An adjective before
a head noun names an oblast, raion or hromada ("Харківської області", "Ізюмського району",
"Бучанської міської громади"). A word the index lacks is lemmatised by pymorphy3, keeping
every parse whose lemma is a gazetteer name, and last its stem is tried. As in English, a
place under 100,000 people needs a cue (a preposition or settlement word before it, a list
of places it stands in): a missed village is better than a wrong pin. Namesakes are told
apart by geo.resolve from the oblast or raion written after the name, the oblasts the article
names and its other places. Each mention's note says what it was written as, its KMU
romanisation and the rules that decided it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from geo import landmarks, rulebook
from geo.cyrillic import Token, fold, has_cyrillic, is_capitalised, romanise, tokens, within
from geo.cyrillic_gazetteer import CyrillicGazetteer, Hit, adjective_stem, adjective_stems
from geo.model import Place, PlaceMention, Precision
from geo.resolve import Cues, choose, fits_anchor, in_region

# Towns this size need no cue. Lower than English's 100,000, because a capitalised Cyrillic word
# inside a sentence is nearly always a name, and GeoNames counts some oblast centres low (Kherson: 66,000).
_BIG = 50_000
_MAX_FILLERS = 3        # "Бучанської міської територіальної громади"
_QUALITY = {"lemma": 0.7, "stem": 0.6}


@dataclass
class _Span:
    start: int
    end: int
    kind: str                      # "town", "oblast", "raion", "hromada"
    hits: list[Hit]
    rules: list[str] = field(default_factory=list)
    quality: float = 1.0
    cue: Place | None = None       # the oblast written after a town ("Олександрівка Харківської області")
    anchor: Place | None = None    # the raion centre written after it ("... Ізюмського району")
    anchors: tuple = ()            # every centre of that raion's or hromada's name (namesakes)
    first_token: int = 0
    last_token: int = 0
    phrase: bool = False           # an adjective and its head noun ("Харківської міської ради"): cue enough
    lemma: str = ""                # the nominative of a village the gazetteer lacks (kind "unknown")
    village: bool = False          # written after a settlement word ("села Каменское"): no city


@lru_cache(maxsize=2)
def _lexicon(language: str) -> dict:
    """Both languages' place rules (geo/rules/*/places.toml), the article's first, as lookup tables."""
    files = rulebook.cyrillic(language, "places")
    heads: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {}
    for data in files:
        for head in data["head"]:
            requires = tuple(fold(w) for w in head.get("requires", ()))
            for form in head["forms"]:
                options = heads.setdefault(fold(form), [])
                if (head["kind"], head["id"], requires) not in options:
                    options.append((head["kind"], head["id"], requires))

    def words(section: str) -> frozenset[str]:
        return frozenset(fold(w) for data in files for w in data[section]["words"])

    countries = rulebook.cyrillic(language, "countries")
    regions = rulebook.cyrillic(language, "regions")
    return {
        "abbreviations": frozenset(
            [fold(a) for data in countries for forms in data["abbreviations"].values() if isinstance(forms, list)
             for a in forms]
            + [fold(a) for data in regions for region in data["region"] for a in region.get("abbreviations", ())]),
        "heads": heads,
        "fillers": tuple(sorted(words("fillers"))),
        "cues": words("cues"), "cue_id": files[0]["cues"]["id"],
        "lists": words("lists"), "list_id": files[0]["lists"]["id"],
        "stop": words("stop"),
        "first_names": words("first_names"),
        "settlement": words("settlement"), "settlement_id": files[0]["settlement"]["id"],
        "unknown_list_id": files[0]["unknown_list"]["id"],
        "count_item_id": files[0]["unknown_count_item"]["id"] if "unknown_count_item" in files[0] else files[1]["unknown_count_item"]["id"],
        "count_item_endings": tuple(fold(e) for data in files for e in data.get("unknown_count_item", {}).get("endings", ())),
        "counts": frozenset(fold(w) for data in rulebook.cyrillic(language, "figures") for n in data["number"]
                            for w in n["forms"]),
        "unknown_endings": tuple(fold(e) for data in files for e in data["unknown_list"].get("endings", ())),
        "districts": tuple((adjective_stem(fold(d)), fold(c["city"]), c["id"])
                           for data in files for c in data.get("city_district", ()) for d in c["districts"]),
    }


def _head_kind(key: str, lex: dict, fillers: list[str]) -> tuple[str, str] | None:
    """(kind, rule id) of a head noun ("району", "районах" after a list of adjectives), the first
    whose required filler stands before it ("обласної ... адміністрації" is the oblast's)."""
    for kind, rid, requires in lex["heads"].get(key, ()):
        if not requires or any(f.startswith(requires) for f in fillers):
            return kind, rid
    return None


def find_places_cyr(text: str, article_id: str = "", language: str = "uk",
                    ranges: list[tuple[int, int]] | None = None) -> list[PlaceMention]:
    """Every place named in the Cyrillic parts of `text` (all of it, or only `ranges`), sorted by start."""
    gaz = CyrillicGazetteer.default()
    lex = _lexicon(language)
    toks = tokens(text)
    if ranges is not None:
        toks = [t for t in toks if within(t.start, ranges)]
    keys = [fold(t.text) for t in toks]
    spans = _recognise(text, toks, keys, gaz, lex, language)
    # An oblast the article names anywhere cues its villages anywhere ("Лиман ... на Донеччині"),
    # and a city it names makes its districts the city's.
    named = frozenset(p.admin1 for s in spans if s.kind == "oblast" for h in s.hits if (p := gaz.place(h.target)) is not None)
    cities = _cities_named(spans, gaz, lex)
    if named or cities:
        spans = _recognise(text, toks, keys, gaz, lex, language, named, cities)
    return _with_landmarks(text, _resolve(text, spans, article_id, gaz, language), article_id, ranges)


def _with_landmarks(text: str, places: list[PlaceMention], article_id: str,
                    ranges: list[tuple[int, int]] | None) -> list[PlaceMention]:
    """The landmarks named (geo.landmarks: "на острові Зміїному", "Каховской ГЭС"), each in
    place of the names it overlaps ("Каховської" of "Каховської ГЕС" is not the town)."""
    found = landmarks.find(text, ("uk", "ru"), ranges)
    if not found:
        return places
    kept = [p for p in places if not any(landmarks.overlaps(f, p.start, p.end) for f in found)]
    kept += [landmarks.mention(text, f, article_id) for f in found]
    return sorted(kept, key=lambda p: p.start)


def _cities_named(spans: list[_Span], gaz: CyrillicGazetteer, lex: dict) -> dict[str, list[Hit]]:
    """The cities with districts (city_district in places.toml) among the towns taken, by folded
    nominative: their districts are the city's ("у Дарницькому районі" of an article on Kyiv)."""
    taken = {p.geonameid for s in spans if s.kind == "town" for h in s.hits if (p := gaz.place(h.target)) is not None}
    found: dict[str, list[Hit]] = {}
    for _, city, _ in lex["districts"]:
        hits = [(h, p) for h in gaz.lookup(city) if (p := gaz.place(h.target)) is not None]
        if hits:
            biggest = max(p.population for _, p in hits)
            own = [h for h, p in hits if p.population == biggest]
            if any(gaz.place(h.target).geonameid in taken for h in own):
                found[city] = own
    return found


def _gap(text: str, a: Token, b: Token) -> str:
    return text[a.end:b.start]


def _recognise(text: str, toks: list[Token], keys: list[str], gaz: CyrillicGazetteer, lex: dict,
               language: str, named_in_article: frozenset[str] = frozenset(),
               cities: dict[str, list[Hit]] | None = None) -> list[_Span]:
    spans: list[_Span] = []
    named: set[str] = set(named_in_article)  # admin1 codes of the oblasts the article names
    taken: set[int] = set()  # geonameids of the towns taken so far: a name taken once is taken again
    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if (not (is_capitalised(tok.text) and has_cyrillic(tok.text))
                or tok.text.isupper() and len(tok.text) > 1 and keys[i] not in lex["abbreviations"]):
            i += 1  # not a name; an abbreviation in capitals only when it is a country's ("РФ", "США")
            continue
        # Each pass gives spans, [] for "consumed, no place here" (a front sector, a city
        # district), or None for "not mine": only None lets the next pass try.
        found = _adjective_phrase(text, toks, keys, i, gaz, lex, cities or {})
        if found is None:
            found = _name(text, toks, keys, i, gaz)
        if found is None and len(keys[i]) >= 4:
            found = _fallback(toks, keys, i, gaz, language)
        kept = []
        for span in found or ():
            if span.kind == "town" and not span.phrase and not _accept(text, toks, keys, span, spans, lex, named, taken):
                continue
            kept.append(span)
            spans.append(span)
            if span.kind == "oblast":
                named.update(p.admin1 for h in span.hits if (p := gaz.place(h.target)) is not None)
            elif span.kind == "town":
                taken.update(p.geonameid for h in span.hits if (p := gaz.place(h.target)) is not None)
        if not kept and found != []:
            unknown = _unknown(text, toks, keys, i, spans, lex, gaz, language)
            if unknown is not None:
                spans.append(unknown)
                i = unknown.last_token + 1
                continue
        i = found[-1].last_token + 1 if found else i + 1
    return spans


def _adjective_phrase(text, toks, keys, i, gaz, lex, cities: dict | None = None) -> list[_Span] | None:
    """"Харківської області", "Ізюмського району", "Ізюмському та Куп'янському районах",
    "Бучанської міської громади": adjectives, fillers, then the head noun that says what they name."""
    adjectives = [i]
    j = i + 1
    while j < len(toks) and j - i < 8:  # a list of adjectives before a plural head
        gap = _gap(text, toks[j - 1], toks[j])
        if gap.strip(" ,") == "" and keys[j] in lex["lists"] and j + 1 < len(toks) and is_capitalised(toks[j + 1].text):
            adjectives.append(j + 1)
            j += 2
        elif gap == ", " and is_capitalised(toks[j].text) and (gaz.town_adjective(keys[j]) or gaz.oblast_adjective(keys[j])):
            adjectives.append(j)
            j += 1
        else:
            break
    fillers: list[str] = []
    while (j < len(toks) and len(fillers) < _MAX_FILLERS and keys[j].startswith(lex["fillers"])
           and _gap(text, toks[j - 1], toks[j]) == " "):
        fillers.append(keys[j])
        j += 1
    if j >= len(toks) or _gap(text, toks[j - 1], toks[j]).strip(" ") not in ("", "."):
        return None
    head = _head_kind(keys[j], lex, fillers)
    if head is None:
        return None
    kind, head_rule = head
    if kind == "none":  # "на Покровському напрямку", "Азовським морем": a front sector or a sea, not a place to pin
        return []
    if kind == "raion" and cities and len(adjectives) == 1 and not _city_district(text, toks, keys, j, gaz):
        stems = set(adjective_stems(keys[i]))
        for stem, city, rid in lex["districts"]:
            if stem in stems and city in cities:  # a district of a city the text names: the city
                return [_Span(toks[i].start, toks[j].end, "town", cities[city], [head_rule, rid],
                              first_token=i, last_token=j, phrase=True)]
    out = []
    for k in adjectives:
        hits = gaz.oblast_adjective(keys[k]) if kind == "oblast" else gaz.town_adjective(keys[k])
        if not hits:
            if k == i:
                return None  # "Нікополь, Марганецька та ... громади": the first word is a name, not one of the adjectives
            continue
        if kind != "oblast" and _city_district(text, toks, keys, j, gaz):
            return None
        end_tok = toks[j] if k == adjectives[-1] else toks[k]
        out.append(_Span(toks[k].start, end_tok.end, kind, hits, [head_rule, hits[0].rule],
                         first_token=k, last_token=j if k == adjectives[-1] else k, phrase=True))
    if not out:
        return None
    out[-1].last_token = j
    return out


def _city_district(text, toks, keys, head, gaz) -> bool:
    """"Шевченківському районі Києва", "районі міста": a city's district, not a raion."""
    if head + 1 >= len(toks) or _gap(text, toks[head], toks[head + 1]) != " ":
        return False
    nxt = keys[head + 1]
    if nxt in ("міста", "м", "города", "г"):
        return True
    if not is_capitalised(toks[head + 1].text):
        return False
    return any(h.target.kind == "town" and (p := gaz.place(h.target)) is not None and p.population >= _BIG
               for h in gaz.lookup(nxt))


def _name(text, toks, keys, i, gaz) -> list[_Span] | None:
    """The longest name of one to three words starting at word i ("Нової Каховки", "Бучі")."""
    for size in (3, 2):
        if i + size > len(toks) or keys[i] not in gaz.first_words:
            continue
        parts = toks[i:i + size]
        if any(_gap(text, a, b) not in (" ", "-") for a, b in zip(parts, parts[1:])):
            continue
        hits = gaz.lookup(" ".join(keys[i:i + size]))
        if hits and keys[i + size - 1].startswith("район") and _city_district(text, toks, keys, i + size - 1, gaz):
            return []  # "Дніпровський район Херсона": a district of the city named next, not a place of its own
        if hits:
            return [_Span(toks[i].start, toks[i + size - 1].end, _kind(hits), hits, [hits[0].rule],
                          first_token=i, last_token=i + size - 1)]
    hits = gaz.lookup(keys[i])
    if hits and i + 1 < len(toks) and keys[i + 1].startswith("район") and _city_district(text, toks, keys, i + 1, gaz):
        return []  # "в Днепровском районе Киева": the city's district, not a town the adjective also names
    if hits:
        return [_Span(toks[i].start, toks[i].end, _kind(hits), hits, [hits[0].rule], first_token=i, last_token=i)]
    return None


def _kind(hits: list[Hit]) -> str:
    kinds = {h.target.kind for h in hits}
    if "oblast" in kinds:
        return "oblast"
    return "country" if kinds == {"country"} else "raion" if kinds == {"area"} else "town"


def _fallback(toks, keys, i, gaz, language) -> list[_Span] | None:
    """A word the form index lacks: every lemma pymorphy3 gives it, then its stem."""
    from geo.morphology import lemmas
    tok = toks[i]
    langs = (language,) if language in ("uk", "ru") else ("uk", "ru")
    for lang in langs:
        targets = [t for lemma in lemmas(tok.text, lang) for t in gaz.by_lemma(lemma)]
        if targets:
            hits = [Hit(t, f"{lang}.morph.lemma") for t in targets]
            return [_Span(tok.start, tok.end, _kind(hits), hits, [hits[0].rule], _QUALITY["lemma"], first_token=i, last_token=i)]
    key = keys[i]
    if _common_word(tok.text, langs):
        return None  # "Голова", "Загинули": a word the dictionary knows is not cut down to a village's stem
    endings = _case_endings()
    for cut in (1, 2, 3):
        if len(key) - cut >= 4 and key[-cut:] in endings:  # "…ові", "…ою": only a case ending is cut off
            targets = [t for t in gaz.by_stem(key[:-cut]) if (p := gaz.place(t)) is not None and p.country == "UA"]
            if targets:
                hits = [Hit(t, "stem") for t in targets]
                return [_Span(tok.start, tok.end, _kind(hits), hits, ["stem"], _QUALITY["stem"], first_token=i, last_token=i)]
    return None


@lru_cache(maxsize=1)
def _case_endings() -> frozenset[str]:
    """Every ending the declension rules add, folded."""
    return frozenset(fold(e) for lang in ("uk", "ru") for rule in rulebook.load(lang, "declension")["rule"]
                     for endings in rule["forms"].values() for e in endings if e)


@lru_cache(maxsize=100_000)
def _common_word(word: str, langs: tuple[str, ...]) -> bool:
    """Whether a dictionary knows the word as something other than a name (kept per word, as
    morphology.lemmas is: a dictionary lookup that every capitalised word may ask for)."""
    from geo.morphology import analyzer
    low = word.lower()
    for lang in langs:
        morph = analyzer(lang)
        if morph.word_is_known(low) and any(
                not ({"Name", "Surn", "Patr", "Geox", "Orgn"} & set(str(p.tag).replace(" ", ",").split(",")))
                for p in morph.parse(low)):
            return True
    return False


def _unknown(text, toks, keys, i, spans: list[_Span], lex: dict, gaz: CyrillicGazetteer, language: str) -> _Span | None:
    """A village the gazetteer lacks, named after a settlement word ("с. Липівка", "в селе
    Глушковка"), continuing a list of places ("..., Бургунка, Зміївка") or after a preposition
    with its hromada or raion written next ("У Львівці Олександрівської громади"): a span of
    kind "unknown" with its nominative, which _resolve pins at the raion or oblast. In a list,
    not a first name."""
    tok = toks[i]
    if i == 0 or len(keys[i]) < 3 or tok.text.isupper() or keys[i] in lex["first_names"]:
        return None
    prev, gap = keys[i - 1], _gap(text, toks[i - 1], toks[i])
    if "\n" in gap:
        return None
    lang = _word_language(tok.text, language)
    if prev in lex["settlement"] and gap.strip(" .") == "":
        rule = lex["settlement_id"]
    elif (spans and spans[-1].kind in ("town", "unknown") and not spans[-1].phrase
          and (spans[-1].last_token == i - 1 and gap.strip() == ","
               or spans[-1].last_token == i - 2 and prev in lex["lists"] and gap.strip() == "")):
        if _first_name(tok.text, lang):
            return None
        rule = lex["unknown_list_id"]
    elif prev in lex["cues"] and gap.strip() == "" and _after_count(text, toks, keys, i - 1, lex) and (
            keys[i].endswith(lex["count_item_endings"]) or keys[i].endswith(lex["unknown_endings"])) \
            and not gaz.town_adjective(keys[i]) and not gaz.oblast_adjective(keys[i]):  # "одна в Бучанському [районі]"
        rule = lex["count_item_id"]  # "одного в Неліпівці", "один – у Шандригаловому"
    elif prev in lex["cues"] and gap.strip() == "" and _known_next_in_list(text, toks, keys, i, lex, gaz):
        rule = lex["unknown_list_id"]  # "у Васюківці та Часовому Яру": a list that a known town continues
    elif prev in lex["cues"] and gap.strip() == "":
        rule = ""  # kept only if its raion or hromada follows
    else:
        return None
    last = i
    nxt = i + 1
    if (nxt < len(toks) and _gap(text, tok, toks[nxt]) == " " and is_capitalised(toks[nxt].text)
            and has_cyrillic(toks[nxt].text) and not toks[nxt].text.isupper() and not gaz.lookup(keys[nxt])
            and not gaz.town_adjective(keys[nxt]) and not gaz.oblast_adjective(keys[nxt])
            and not keys[nxt].startswith(lex["fillers"]) and keys[nxt] not in lex["heads"]
            and not _adjective_phrase(text, toks, keys, nxt, gaz, lex)):
        last = nxt  # "Золота Балка", "Средний Бурлук"
    if rule == lex["unknown_list_id"] and not keys[last].endswith(lex["unknown_endings"]):
        return None
    lemma = _nominative_phrase([t.text for t in toks[i:last + 1]], lang)
    hits = gaz.lookup(fold(lemma))
    for other in _agreeing_phrases([t.text for t in toks[i:last + 1]], lang) if not hits else ():
        hits = gaz.lookup(fold(other))
        if hits:
            break
    if hits and rule:  # "Казачьей Лопани": a name the index lacks in this case, found by its nominative
        return _Span(tok.start, toks[last].end, _kind(hits), hits, [hits[0].rule, "cyr.morph.phrase", rule],
                     _QUALITY["lemma"], first_token=i, last_token=last)
    span = _Span(tok.start, toks[last].end, "unknown", [], [rule] if rule else [], 0.5, first_token=i,
                 last_token=last, lemma=lemma)
    _specifier(text, toks, keys, span, lex)
    if not rule and span.anchor is None:
        return None
    return span


def _known_next_in_list(text, toks, keys, i: int, lex: dict, gaz: CyrillicGazetteer) -> bool:
    """Whether a gazetteer town follows word i in a list ("Васюківці та Часовому Яру", "Х, Бахмуті")."""
    k = i + 1
    if k < len(toks) and keys[k] in lex["lists"] and _gap(text, toks[i], toks[k]).strip() == "":
        k += 1
    elif k >= len(toks) or _gap(text, toks[i], toks[k]).strip() != ",":
        return False
    if k >= len(toks) or not is_capitalised(toks[k].text) or _gap(text, toks[k - 1], toks[k]).strip(" ,") != "":
        return False
    two = f"{keys[k]} {keys[k + 1]}" if k + 1 < len(toks) else ""
    return any(h.target.kind == "town" for h in gaz.lookup(keys[k]) + (gaz.lookup(two) if two else []))


def _after_count(text, toks, keys, j: int, lex: dict) -> bool:
    """Whether word j (a preposition) follows a count, past a dash: "двоє в", "3 — у"."""
    return j > 0 and _gap(text, toks[j - 1], toks[j]).strip(" —–-") == "" and (
        keys[j - 1] in lex["counts"] or toks[j - 1].text.isdigit())


def _word_language(word: str, language: str) -> str:
    low = set(word.lower())
    if low & set("ыэъё"):
        return "ru"
    if low & set("іїєґ"):
        return "uk"
    return language if language in ("uk", "ru") else "uk"


def _has(parse, grammeme: str) -> bool:
    """Whether a pymorphy3 parse carries a grammeme; by its text, since asking a tag about a
    grammeme its dictionary lacks ("Geox" in the Ukrainian one) raises."""
    return grammeme in str(parse.tag).replace(" ", ",").split(",")


def _first_name(word: str, language: str) -> bool:
    from geo.morphology import analyzer
    parses = analyzer(language).parse(word.lower())
    return bool(parses) and _has(parses[0], "Name")


def _nominative_phrase(words: list[str], language: str) -> str:
    """The name in the nominative: each word itself when it can be one, else the dictionary's
    (or its guess's) nominative, adjectives agreeing with the noun ("Львівці" -> "Львівка",
    "Глушковке" -> "Глушковка", "Казачьей Лопани" -> "Казачья Лопань")."""
    from geo.morphology import analyzer
    morph = analyzer(language)
    nouns = [p for p in morph.parse(words[-1].lower()) if _has(p, "NOUN")]
    if not nouns or any(_has(p, "nomn") for p in nouns):
        return " ".join(words)
    noun = nouns[0]
    out = []
    for w in words[:-1]:
        adj = next((p for p in morph.parse(w.lower()) if _has(p, "ADJF")), None)
        want = {"nomn", "plur"} if _has(noun, "plur") else {"nomn", noun.tag.gender or "masc"}
        form = adj.inflect(want) if adj is not None else None
        out.append(_capital(form.word) if form is not None else w)
    return " ".join(out + [_capital(noun.normal_form)])


def _agreeing_phrases(words: list[str], language: str) -> list[str]:
    """Nominatives of an adjective and a noun the dictionary does not decline ("Казачьей Лопани"):
    the adjective's nominative of its own gender, the noun with its case ending changed."""
    if len(words) != 2:
        return []
    from geo.morphology import analyzer
    adj = next((p for p in analyzer(language).parse(words[0].lower()) if _has(p, "ADJF") and not _has(p, "nomn")), None)
    if adj is None or adj.tag.gender is None:
        return []
    form = adj.inflect({"nomn", adj.tag.gender})
    if form is None:
        return []
    noun = words[1]
    stems = {noun[:-1] + end for end in ("ь", "а", "я", "")} | {noun}
    return [f"{_capital(form.word)} {stem}" for stem in sorted(stems)]


def _capital(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _accept(text, toks, keys, span: _Span, spans: list[_Span], lex: dict, named: set[str],
            taken: set[int] = frozenset()) -> bool:
    """Whether a town name is taken: not a stop word, and big enough or cued."""
    i = span.first_token
    if span.first_token == span.last_token and (keys[i] in lex["stop"]
                                               or any(fold(h.target.name) in lex["stop"] for h in span.hits)):
        return False
    _specifier(text, toks, keys, span, lex)
    gaz = CyrillicGazetteer.default()
    places = [p for h in span.hits if (p := gaz.place(h.target)) is not None]
    if not places:
        return False
    if i > 0:
        prev, gap = keys[i - 1], _gap(text, toks[i - 1], toks[i])
        if prev in lex["cues"] and gap.strip(" .") == "" and "\n" not in gap:
            span.rules.append(lex["cue_id"])
            span.village = prev in lex["settlement"]
            return True
        if spans and spans[-1].last_token in (i - 1, i - 2) and (gap.strip() == "," or prev in lex["lists"]):
            span.rules.append(lex["list_id"])
            return True
    if span.cue is not None or span.anchor is not None:
        return True
    if any(p.geonameid in taken for p in places):
        span.rules.append("cyr.cue.repeat")
        return True
    if any(p.country == "UA" and p.admin1 in named for p in places):
        span.rules.append("cyr.cue.named_oblast")
        return True
    if (span.quality >= 1 and any(p.population >= _BIG for p in places) and not _after_first_name(toks, i)
            and not _first_name_before_surname(toks, span, lex["first_names"])
            and not _foreign_common_word(toks, span, places)):
        span.rules.append("cyr.big_town")
        return True
    return False


def _foreign_common_word(toks: list[Token], span: _Span, places: list[Place]) -> bool:
    """"Мер столиці" is the mayor, not Meru in Kenya: a town abroad named by a word the
    dictionaries know as a common word needs a cue (rule cyr.foreign_common_word)."""
    if span.first_token != span.last_token or any(p.country in ("UA", "RU", "BY", "MD") for p in places):
        return False
    from geo.morphology import analyzer
    word = toks[span.first_token].text.lower()
    morph = analyzer("ru")  # the Russian dictionary tags place names (Geox); the Ukrainian one does not
    if morph.word_is_known(word) and not any(_has(p, "Geox") for p in morph.parse(word)):
        return True
    # "Мої співчуття" (Moa, Cuba), "Усі" (Wuxi): the Ukrainian dictionary knows the word as a
    # pronoun, conjunction or particle, which no town's name is (it knows Париж as a plain noun).
    morph = analyzer("uk")
    return morph.word_is_known(word) and any(p.tag.POS in _CLOSED_CLASS for p in morph.parse(word))


_CLOSED_CLASS = frozenset({"NPRO", "CONJ", "PRCL", "PREP", "INTJ", "NUMR"})


def _first_name_before_surname(toks: list[Token], span: _Span, first_names: frozenset[str]) -> bool:
    """"Володимир Зеленський": a first name (which is also a town, Volodymyr) before a surname."""
    i, j = span.first_token, span.last_token + 1
    if i != span.last_token or j >= len(toks) or toks[j].start - toks[i].end != 1 or not is_capitalised(toks[j].text):
        return False
    if fold(toks[i].text) in first_names:
        return True
    from geo.morphology import analyzer
    lang = "ru" if set(toks[i].text.lower()) & set("ыэъё") else "uk"
    return any("Name" in p.tag for p in analyzer(lang).parse(toks[i].text.lower()))


def _after_first_name(toks: list[Token], i: int) -> bool:
    """"Олександр Прокудін", "Ігор Клименко": a surname after a first name is a person."""
    if i == 0 or not is_capitalised(toks[i - 1].text) or toks[i].start - toks[i - 1].end != 1:
        return False
    from geo.morphology import analyzer
    lang = "ru" if set(toks[i - 1].text.lower()) & set("ыэъё") else "uk"
    return any("Name" in p.tag for p in analyzer(lang).parse(toks[i - 1].text.lower()))


def _specifier(text, toks, keys, span: _Span, lex: dict) -> None:
    """The oblast or raion written right after a town: "Олександрівка Харківської області",
    "Миколаївка Ізюмського району", "(Донецька область)"."""
    j = span.last_token + 1
    if j >= len(toks) or _gap(text, toks[j - 1], toks[j]).strip(" (,") != "":
        return
    found = _adjective_phrase(text, toks, keys, j, CyrillicGazetteer.default(), lex)
    if not found:
        return
    gaz = CyrillicGazetteer.default()
    first = found[0]
    place = gaz.place(first.hits[0].target)
    if place is None or first.rules[0].endswith("administration"):
        return  # "Голова Запорізької ОВА": who someone is, not where a place is
    if first.kind == "oblast":
        span.cue = place
    elif first.kind in ("raion", "hromada"):
        span.anchor = place
        span.anchors = tuple(p for p in (gaz.place(h.target) for h in first.hits) if p is not None)
        span.cue = gaz.oblast(place.admin1) if place.country == "UA" else None
    span.rules.append(first.rules[0])


_OTHER_NAME = 0.7  # as geo.gazetteer rates a place's other names (Artemovsk for Bakhmut)


def _places(span: _Span, gaz: CyrillicGazetteer) -> list[tuple[Place, float]]:
    """Candidate places with how well the spelling matched: a place's own name beats another of its names."""
    best: dict[tuple, tuple[Place, float]] = {}
    for h in span.hits:
        p = gaz.place(h.target)
        if p is None:
            continue
        quality = span.quality * (1.0 if h.target.own else _OTHER_NAME)
        key = (p.name, p.lat, p.lon)
        if key not in best or best[key][1] < quality:
            best[key] = (p, quality)
    return list(best.values())


def _resolve(text: str, spans: list[_Span], article_id: str, gaz: CyrillicGazetteer,
             language: str) -> list[PlaceMention]:
    found = [_places(s, gaz) for s in spans]
    oblasts = tuple(dict.fromkeys(p for s, c in zip(spans, found) if s.kind == "oblast" for p, _ in c))
    # Distinct places only: an article naming Kupiansk 500 times has one neighbour there, and
    # resolving stays linear in the number of mentions.
    neighbours = tuple(dict.fromkeys(c[0][0] for s, c in zip(spans, found) if s.kind == "town" and len(c) == 1))
    # The oblasts named, in order, for villages the gazetteer lacks: the last one before, else the first one after.
    oblast_at = [(s.start, c[0][0]) for s, c in zip(spans, found) if s.kind == "oblast" and c and c[0][0].country == "UA"]
    for s in spans:
        # "селу Гроза Шевченківської громади" in a post about Kharkiv Oblast: the hromada's centre
        # in an oblast the article names, not the first namesake (a Shevchenkove in Mykolaiv Oblast).
        local = next((p for p in s.anchors if any(in_region(p, o) for o in oblasts)), None)
        if local is not None and local is not s.anchor:
            s.anchor, s.cue = local, gaz.oblast(local.admin1) if local.country == "UA" else None
            s.rules.append("cyr.anchor.named_oblast")
    # A village the gazetteer lacks, named again without its hromada, is the same village.
    anchored = {fold(s.lemma): s for s in spans if s.kind == "unknown" and s.anchor is not None}
    for s in spans:
        first = anchored.get(fold(s.lemma)) if s.kind == "unknown" and s.anchor is None else None
        if first is not None:
            s.anchor, s.cue = first.anchor, s.cue or first.cue
            s.rules.append("cyr.cue.repeat")
    # A village named once with its raion ("села Максимовка Шебекинского городского округа") and bare
    # elsewhere (the headline's "села Максимовка") is one village: the bare one takes that raion too.
    placed_by: dict[frozenset, _Span] = {}
    for s, c in zip(spans, found):
        if s.kind == "town" and s.anchor is not None and not s.phrase and c:
            placed_by.setdefault(frozenset(p for p, _ in c), s)
    for s, c in zip(spans, found) if placed_by else ():
        first = placed_by.get(frozenset(p for p, _ in c)) if (
            s.kind == "town" and s.anchor is None and s.cue is None and not s.phrase and c) else None
        if first is not None:
            s.anchor, s.cue = first.anchor, first.cue
            s.rules.append("cyr.cue.repeat")
    out = []
    for s, candidates in zip(spans, found):
        if s.kind == "unknown":
            region = s.cue or next((p for at, p in reversed(oblast_at) if at < s.start), None) or (
                oblast_at[0][1] if oblast_at else None)
            if region is not None or s.anchor is not None:
                out.append(_unknown_mention(text, s, region, article_id, language))
            continue
        if not candidates:
            continue
        if s.village and len(candidates) > 1:
            # "житель села Каменское": a village, not the city of 200,000 that shares its name.
            small = [c for c in candidates if c[0].population < _BIG]
            if small and len(small) < len(candidates):
                candidates = small
                s.rules.append("cyr.village_not_city")
        cues = Cues(region=s.cue, anchor=s.anchor, anchor_label=s.anchor.name if s.anchor else "")
        if s.phrase and s.kind != "oblast":
            ua = [(p, q) for p, q in candidates if p.country == "UA"]
            candidates = ua or candidates
            # A raion, hromada or council is named after its centre: the biggest town of the name, unless
            # the text says where; a raion's or hromada's in an oblast the article names first, then
            # one whose own name it is (GeoNames lists "Слов'янськ" for Nikopol too).
            if s.cue is None:
                local = s.kind in ("raion", "hromada")
                candidates = [max(candidates, key=lambda c: (local and any(in_region(c[0], o) for o in oblasts),
                                                             c[1], c[0].population))]
        if (s.kind == "town" and s.cue is not None and s.quality >= 1
                and not any(in_region(p, s.cue) for p, _ in candidates)):
            out.append(_in_region_only(text, s, article_id, language, _one_name(candidates)))
            continue
        if (s.kind == "town" and not s.phrase and s.cue is None and s.anchor is None and len(candidates) > 1
                and oblast_at and all(p.population < _BIG for p, _ in candidates)
                and not any(in_region(p, o) for p, _ in candidates for _, o in oblast_at)):
            # Namesakes only outside the oblasts the article is about ("с. Соснівка" of a post on
            # Kyiv Oblast; GeoNames has Sosnivkas in Lviv Oblast): the village is the article's
            # oblast's, which the gazetteer lacks; pinned at that oblast, never at a namesake.
            s.cue = next((o for at, o in reversed(oblast_at) if at < s.start), oblast_at[0][1])
            s.rules.append("cyr.namesakes_elsewhere")
            out.append(_in_region_only(text, s, article_id, language, _one_name(candidates)))
            continue
        if s.kind == "town" and s.anchor is not None and not any(fits_anchor(p, cues) for p, _ in candidates):
            out.append(_near_anchor_only(text, s, article_id, language))
            continue
        choice = choose(candidates, cues, neighbours if len(candidates) > 1 else (), "UA", oblasts)
        out.append(_mention(text, s, choice, article_id, gaz, language))
    return out


def _near_anchor_only(text: str, s: _Span, article_id: str, language: str) -> PlaceMention:
    """A village the text places in a raion ("Горналь Суджанского района") where the gazetteer
    has none of its name nearby: pinned near the raion's centre, never at a namesake far away."""
    written = text[s.start:s.end]
    anchor = s.anchor
    name = romanise(s.hits[0].target.name if s.quality >= 1 else written, language)
    note = (f"written {written} ({romanise(written, language)}); no {name} near {anchor.name} in the gazetteer; "
            f"placed near the raion centre; rules: {', '.join(dict.fromkeys(s.rules))}")
    region = (s.cue.name if s.cue is not None else "")
    return PlaceMention(article_id, s.start, s.end, written, name, anchor.lat, anchor.lon, Precision.NEAR, None,
                        anchor.country, anchor.admin1, region, 0.5, "region-fallback", note,
                        rules=tuple(dict.fromkeys(s.rules)))


def _unknown_mention(text: str, s: _Span, region: Place | None, article_id: str, language: str) -> PlaceMention:
    """A village the gazetteer lacks: named by its romanised nominative, pinned near the raion
    centre the text gives, else at the oblast (precision region), never at a namesake."""
    written = text[s.start:s.end]
    lemma, lang, rules = s.lemma, _word_language(s.lemma, language), list(s.rules)
    if lang == "ru" and (region or s.anchor).country == "UA":  # a Ukrainian village is named in Ukrainian
        lemma, lang = _uk_spelling(lemma), "uk"
        rules.append(_uk_spelling_rules()[0])
    name = romanise(lemma, lang)
    rules = ", ".join(dict.fromkeys(rules))
    if s.anchor is not None:
        at, precision, where = s.anchor, Precision.NEAR, f"near the raion centre {s.anchor.name}"
        region = region or s.cue
    else:
        at, precision, where = region, Precision.REGION, f"in {region.name}"
    note = f"written {written} ({romanise(written, language)}); not in the gazetteer; placed {where}; rules: {rules}"
    return PlaceMention(article_id, s.start, s.end, written, name, at.lat, at.lon, precision, None,
                        at.country, at.admin1, region.name if region else "", 0.4, "region-fallback", note,
                        rules=tuple(dict.fromkeys(s.rules)))


@lru_cache(maxsize=1)
def _uk_spelling_rules() -> tuple[str, dict, list]:
    data = rulebook.load("ru", "places")["uk_spelling"]
    return data["id"], data["letters"], sorted(data["endings"], key=lambda e: -len(e[0]))


def _uk_spelling(name: str) -> str:
    """A Russian spelling of a Ukrainian village made Ukrainian by the rules of ru/places.toml."""
    _, letters, endings = _uk_spelling_rules()
    words = []
    for word in name.split():
        low = "".join(letters.get(c, c) for c in word.lower())
        for old, new in endings:
            if low.endswith(old):
                low = low[:-len(old)] + new
                break
        words.append(_capital(low))
    return " ".join(words)


def _one_name(candidates: list[tuple[Place, float]], country: str = "UA") -> str:
    """The English name most of the namesakes in the country share ("Kamianka" for "Каменка"), else ""."""
    names = [p.name for p, _ in candidates if p.country == country]
    return max(sorted(set(names)), key=names.count) if names else ""


def _in_region_only(text: str, s: _Span, article_id: str, language: str, english: str = "") -> PlaceMention:
    """A town the text places in an oblast where the gazetteer has none of its name: pinned at
    the oblast (precision region), named by its romanised nominative, never at a namesake."""
    written = text[s.start:s.end]
    region = s.cue
    name = english or romanise(s.hits[0].target.name, language)
    note = (f"written {written} ({romanise(written, language)}); no {name} in {region.name} in the gazetteer; "
            f"placed in the oblast; rules: {', '.join(dict.fromkeys(s.rules))}")
    return PlaceMention(article_id, s.start, s.end, written, name, region.lat, region.lon, Precision.REGION, None,
                        region.country, region.admin1, region.name, 0.6, "region-fallback", note,
                        rules=tuple(dict.fromkeys(s.rules)))


# A raion is named as such ("Izium Raion", often 50 km and more across); a hromada by its centre
# town, precision near, as the English reader places "the X community" (geo.geoparse).
_KIND_SUFFIX = {"raion": " Raion"}


def _mention(text, s: _Span, choice, article_id, gaz: CyrillicGazetteer, language) -> PlaceMention:
    place = choice.place
    written = text[s.start:s.end]
    region = ""
    if place.country == "UA" and place.admin1:
        oblast = gaz.oblast(place.admin1)
        region = oblast.name if oblast else ""
    elif place.kind == "region":
        region = place.name
    elif s.kind == "raion" and (found := gaz.region_of(place)) is not None:
        region = found.name  # "Суджанский район": a district across the border, in Kursk Oblast
    if s.kind == "oblast":
        precision, name, gid = Precision.REGION, place.name, None
        region = place.name
    elif s.kind == "country":
        precision, name, gid, region = Precision.COUNTRY, place.name, place.geonameid, ""
    elif s.kind in _KIND_SUFFIX:
        precision, name, gid = Precision.NEAR, place.name + _KIND_SUFFIX[s.kind], None
    elif s.kind == "hromada":
        precision, name, gid = Precision.NEAR, place.name, place.geonameid
    else:
        precision, name, gid = Precision.TOWN, place.name, place.geonameid
    confidence = round(min(choice.confidence, 1.0 if s.quality >= 1 else s.quality + 0.2), 2)
    note = (f"written {written} ({romanise(written, language)}); {choice.note}; "
            f"rules: {', '.join(dict.fromkeys(s.rules))}")
    if s.kind in ("raion", "hromada"):
        note += f"; a {s.kind} named after {place.name}, pinned at its centre"
    elif any(".district." in r for r in s.rules):
        note += f"; a district of {place.name}, pinned at the city"
    return PlaceMention(article_id, s.start, s.end, written, name, place.lat, place.lon, precision, gid,
                        place.country, place.admin1, region, confidence, "gazetteer", note,
                        rules=tuple(dict.fromkeys(s.rules)))
