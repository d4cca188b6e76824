"""Score extracted places and figures against hand-made gold, so accuracy is a number, not a feeling.

The scorer reads the JSON Lines records of `python -m geo extract` (or any tool that writes the same
keys), so it can judge another tool's output just as well as ours. Matching rules:

- a place matches a gold place when the names agree (after folding case, accents and "Oblast"/
  "region"; gold lists the spellings the article uses as aliases) or the GeoNames ids agree, and,
  for a town whose gold has coordinates, the predicted pin is within 5 km. Regions and countries
  are matched by name or id only: they are areas, not points. Each distinct place counts once per
  article (deduplicated by GeoNames id, else by name and pin).
- a figure matches when the value is the same and the place is the same (by name, or pins within
  5 km; "no place" only matches "no place"). Category, qualifier and event date are scored
  separately on the matched figures. Each distinct (value, place) counts once per article.
- gold items marked optional (debatable pins such as seas, rivers, metonyms, or figures such as
  "dozens" and subsets like "including three children") are neither credited nor penalised.
- predicted figures outside the gold's scope (casualties, graves, explosives) that match nothing
  are not false positives: people rescued or evacuated, buildings hit (and "other" from tools that
  keep such a bin) are counted and reported apart.

`python -m geo.evaluate` runs the pipeline on tests/fixtures/eval and prints the report;
`--predictions FILE` scores a JSON Lines file written by any tool instead. `--rules` adds, for
every rule id the records name ("rules"), how many places or figures it decided and how many of
them were right: a place or figure counts as right when it matches gold, wrong when it is a false
positive, and is left out when it matched optional gold or is outside the gold's scope; a repeated
mention shares the verdict of the one it repeats (the scorer counts each place once per article).
A date rule ("date.…") is judged on the date instead: right or wrong on the matched figures whose
gold states a date (a repeat, which may be dated otherwise, is not judged), left out elsewhere.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MATCH_KM = 5.0
EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "eval"
# Ukraine's bounding box, for predicted places that do not say their country.
_UA_BOX = (44.3, 52.4, 22.1, 40.3)
# Raions are optional places in every gold set (listed as optional or not at all): a raion the
# gold does not name is neither credited nor counted false.
_RAION = re.compile(r" Raion$")
_REGION_WORDS = re.compile(r"\b(oblast|region|province|raion|district)\b")
# What the gold sets count; any other category is outside their scope.
GOLD_SCOPE = frozenset({"killed", "bodies", "graves", "injured", "missing", "explosives"})


@dataclass(frozen=True)
class PlaceItem:
    article: str
    name: str
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    kind: str = "town"          # "town", "region", "country" or "other"
    country: str = ""
    aliases: tuple[str, ...] = ()
    optional: bool = False
    rules: tuple[str, ...] = ()  # ids of the rules that decided it, from the extraction record

    @property
    def ukrainian(self) -> bool:
        """In scope of the Ukrainian-places gate: a town or region in Ukraine."""
        if self.kind not in ("town", "region"):
            return False
        if self.country:
            return self.country == "UA"
        return _in_ukraine_box(self.lat, self.lon)


@dataclass(frozen=True)
class FigureItem:
    article: str
    value: int
    category: str
    qualifier: str = "exact"
    place: str | None = None
    lat: float | None = None
    lon: float | None = None
    event_date: str | None = None  # "YYYY-MM-DD", or "YYYY-MM" when only the month is known
    optional: bool = False
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    misses: tuple[str, ...] = ()
    false_positives: tuple[str, ...] = ()
    # (article, dedupe key) of each scored prediction -> True (matched gold) or False (false positive)
    verdicts: Mapping = field(default_factory=dict, compare=False, repr=False)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class FigureScores:
    """Figures matched by value and place, then how many of those got the details right."""

    matched: Scores
    category_right: int
    qualifier_right: int
    dated: int            # matched figures whose gold states an event date
    date_right: int
    other_unmatched: int  # predicted figures of a category outside the gold's scope
    wrong_category: tuple[str, ...] = ()
    wrong_date: tuple[str, ...] = ()
    # dedupe key of each matched prediction whose gold states a date -> whether its date is right
    date_verdicts: Mapping = field(default_factory=dict, compare=False, repr=False)

    @property
    def category_accuracy(self) -> float:
        return self.category_right / self.matched.tp if self.matched.tp else 0.0

    @property
    def qualifier_accuracy(self) -> float:
        return self.qualifier_right / self.matched.tp if self.matched.tp else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_right / self.dated if self.dated else 0.0


@dataclass(frozen=True)
class Gold:
    places: tuple[PlaceItem, ...]
    figures: tuple[FigureItem, ...]
    articles: tuple[str, ...]


def normalize_name(name: str) -> str:
    """Fold a place name for comparison: "Kharkivs'ka Oblast'" and "Kharkiv region" both become
    "kharkiv region", which stays distinct from the city "kharkiv"."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"['’ʼ`]", "", s)
    s = re.sub(r"^the\s+", "", s)
    had_region_word = bool(_REGION_WORDS.search(s))
    s = _REGION_WORDS.sub(" ", s)
    s = re.sub(r"[\W_]+", " ", s).strip()   # letters of every script: a Cyrillic name is never folded to ""
    if not had_region_word:
        return s
    if s.endswith("ska"):
        s = s[:-3]
    return s + " region"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def place_matches(gold: PlaceItem, pred: PlaceItem) -> bool:
    """Same name or GeoNames id, and for a gold town with coordinates, a pin within 5 km."""
    same_id = gold.geonameid is not None and gold.geonameid == pred.geonameid
    if not (same_id or _names_agree(gold, (pred.name, *pred.aliases))):
        return False
    if gold.kind != "town" or gold.lat is None or gold.lon is None:
        return True
    return pred.lat is not None and pred.lon is not None and distance_km(gold.lat, gold.lon, pred.lat, pred.lon) <= MATCH_KM


def score_places(gold: Iterable[PlaceItem | Mapping], predicted: Iterable[PlaceItem | Mapping], *, ukraine_only: bool = False) -> Scores:
    """Precision and recall of distinct places per article; `ukraine_only` scores Ukrainian towns and regions."""
    gold_by = _by_article(_as_place(g) for g in gold)
    pred_by = _by_article(_dedupe_places(_as_place(p) for p in predicted))
    tp = fp = fn = 0
    misses: list[str] = []
    false_positives: list[str] = []
    verdicts: dict = {}
    for article in sorted(set(gold_by) | set(pred_by)):
        golds = sorted(gold_by.get(article, []), key=lambda g: g.optional)
        preds = list(pred_by.get(article, []))
        used: set[int] = set()
        for g in golds:
            i = _best_place(g, preds, used)
            if i is not None:
                used.add(i)
            if g.optional or (ukraine_only and not g.ukrainian):
                continue
            if i is None:
                fn += 1
                misses.append(f"{article}: {g.name}")
            else:
                tp += 1
                verdicts[_place_key(preds[i])] = True
        for i, p in enumerate(preds):
            if i in used or (ukraine_only and not p.ukrainian) or _RAION.search(p.name) or _landmark(p):
                continue
            fp += 1
            verdicts[_place_key(p)] = False
            false_positives.append(f"{article}: {p.name} ({_fmt_pin(p.lat, p.lon)})")
    return _scores(tp, fp, fn, misses, false_positives, verdicts)


def _landmark(p: PlaceItem) -> bool:
    """A landmark (geo.landmarks: Snake Island, the Kakhovka dam). The gold sets were written for
    settlements and regions: one they do not name is neither credited nor counted false, like a
    raion; one they name is scored as a town (name or alias, and 5 km)."""
    return any(r.startswith("landmark.") for r in p.rules)


def score_figures(gold: Iterable[FigureItem | Mapping], predicted: Iterable[FigureItem | Mapping],
                  gold_places: Iterable[PlaceItem | Mapping] = ()) -> FigureScores:
    """Figures with the right value at the right place; `gold_places` lends their aliases to place names."""
    aliases = _alias_table(_as_place(p) for p in gold_places)
    gold_by = _by_article(_as_figure(g) for g in gold)
    pred_by = _by_article(_dedupe_figures(_as_figure(p) for p in predicted))
    tp = fp = fn = other = cat_ok = qual_ok = dated = date_ok = 0
    misses: list[str] = []
    false_positives: list[str] = []
    wrong_category: list[str] = []
    verdicts: dict = {}
    date_verdicts: dict = {}
    wrong_date: list[str] = []
    for article in sorted(set(gold_by) | set(pred_by)):
        golds = sorted(gold_by.get(article, []), key=lambda g: g.optional)
        preds = list(pred_by.get(article, []))
        used: set[int] = set()
        for g in golds:
            names = aliases.get((article, normalize_name(g.place)), {normalize_name(g.place)}) if g.place else set()
            candidates = [i for i, p in enumerate(preds) if i not in used and _figure_matches(g, p, names)]
            candidates.sort(key=lambda i: preds[i].category != g.category)
            i = candidates[0] if candidates else None
            if i is not None:
                used.add(i)
            if g.optional:
                continue
            if i is None:
                fn += 1
                misses.append(f"{article}: {g.value} {g.category} at {g.place}")
                continue
            tp += 1
            p = preds[i]
            verdicts[_figure_key(p)] = True
            cat_ok += p.category == g.category
            if p.category != g.category:
                wrong_category.append(f"{article}: {g.value} at {g.place}: {p.category}, gold {g.category}")
            qual_ok += p.qualifier == g.qualifier
            if g.event_date:
                dated += 1
                right = bool(p.event_date) and p.event_date.startswith(g.event_date)
                date_verdicts[_figure_key(p)] = right
                date_ok += right
                if not right:
                    wrong_date.append(f"{article}: {g.value} {g.category} at {g.place}: {p.event_date or 'no date'}, "
                                      f"gold {g.event_date}")
        for i, p in enumerate(preds):
            if i in used:
                continue
            if p.category not in GOLD_SCOPE:
                other += 1
                continue
            fp += 1
            verdicts[_figure_key(p)] = False
            false_positives.append(f"{article}: {p.value} {p.category} at {p.place}")
    return FigureScores(_scores(tp, fp, fn, misses, false_positives, verdicts), cat_ok, qual_ok, dated, date_ok, other,
                        tuple(wrong_category), tuple(wrong_date), date_verdicts)


def load_gold(path: Path) -> Gold:
    """Read gold.jsonl: one line per article with its places and figures."""
    places: list[PlaceItem] = []
    figures: list[FigureItem] = []
    articles: list[str] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        articles.append(rec["file"])
        places += [_as_place({**p, "article": rec["file"]}) for p in rec["places"]]
        figures += [_as_figure({**f, "article": rec["file"]}) for f in rec["figures"]]
    return Gold(tuple(places), tuple(figures), tuple(articles))


def read_records(path: Path) -> tuple[list[PlaceItem], list[FigureItem]]:
    """Split a JSON Lines file of extraction records into places and figures."""
    return split_records(json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip())


def split_records(records: Iterable[Mapping]) -> tuple[list[PlaceItem], list[FigureItem]]:
    places: list[PlaceItem] = []
    figures: list[FigureItem] = []
    for r in records:
        if r.get("kind") == "place":
            places.append(_as_place(r))
        elif r.get("kind") == "figure":
            figures.append(_as_figure(r))
    return places, figures


def run_pipeline(folder: Path) -> tuple[list[PlaceItem], list[FigureItem]]:
    """Extract every article in `folder` offline with the project's pipeline, as records."""
    from geo.articles import load_folder
    from geo.records import figure_record, place_record
    from geo.geocoders import default_geocoder
    from geo.errors import GeoError
    from geo.pipeline import ExtractionFailure, extract_many

    records: list[dict] = []
    from geo.dates_across import dated_across

    for ex in dated_across(extract_many(load_folder(Path(folder)).articles, default_geocoder(online=False))):
        if isinstance(ex, ExtractionFailure):  # a score with an article missing would mislead
            raise GeoError(f"{ex.article.file}: {ex.stage}: {ex.reason}")
        records += [place_record(ex.article.file, p) for p in ex.places]
        records += [figure_record(ex.article.file, f) for f in ex.figures]
    return split_records(records)


@dataclass(frozen=True)
class Report:
    places: Scores
    places_ukraine: Scores
    figures: FigureScores


def evaluate(gold: Gold, places: Sequence[PlaceItem], figures: Sequence[FigureItem]) -> Report:
    """All the numbers of the evaluation for one tool's output, restricted to the gold's articles."""
    keep = set(gold.articles)
    places = [p for p in places if p.article in keep]
    figures = [f for f in figures if f.article in keep]
    return Report(
        score_places(gold.places, places),
        score_places(gold.places, places, ukraine_only=True),
        score_figures(gold.figures, figures, gold.places),
    )


@dataclass(frozen=True)
class RuleStats:
    """How one rule id fared on a set: the places or figures it decided, and the verdicts on them."""

    rule: str
    kind: str      # "place" or "figure"
    fired: int     # predicted items (in the gold's articles) whose record names the rule
    right: int     # of those, matched gold
    wrong: int     # of those, false positives; the rest matched optional gold or are out of scope

    @property
    def precision(self) -> float | None:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else None


def rule_stats(gold: Gold, places: Sequence[PlaceItem], figures: Sequence[FigureItem],
               report: Report | None = None) -> list[RuleStats]:
    """Per rule id: how often it fired and its precision on the set (see the module docstring)."""
    report = report or evaluate(gold, places, figures)
    keep = set(gold.articles)
    counts: dict[tuple[str, str], list[int]] = {}
    for kind, items, key, verdicts in (("place", places, _place_key, report.places.verdicts),
                                       ("figure", figures, _figure_key, report.figures.matched.verdicts)):
        scored: set = set()
        for item in items:
            if item.article not in keep:
                continue
            repeat = key(item) in scored
            scored.add(key(item))
            for rule in dict.fromkeys(item.rules):
                if kind == "figure" and rule.startswith("date."):
                    verdict = None if repeat else report.figures.date_verdicts.get(key(item))
                else:
                    verdict = verdicts.get(key(item))
                c = counts.setdefault((rule, kind), [0, 0, 0])
                c[0] += 1
                c[1] += verdict is True
                c[2] += verdict is False
    return [RuleStats(rule, kind, *c) for (rule, kind), c in sorted(counts.items(), key=lambda kv: (kv[0][1] == "figure", kv[0][0]))]


def format_rules(stats: Sequence[RuleStats]) -> str:
    out = [f"{'rule':<36} {'kind':<7} {'fired':>5} {'right':>5} {'wrong':>5}  precision"]
    for s in stats:
        p = "-" if s.precision is None else f"{s.precision:.3f}"
        out.append(f"{s.rule:<36} {s.kind:<7} {s.fired:>5} {s.right:>5} {s.wrong:>5}  {p}")
    return "\n".join(out)


def format_report(report: Report, details: bool = True) -> str:
    def line(label: str, s: Scores) -> str:
        return f"{label:<28} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  (tp {s.tp}, fp {s.fp}, fn {s.fn})"

    f = report.figures
    out = [
        line("places, all", report.places),
        line("places, Ukrainian", report.places_ukraine),
        line("figures, value+place", f.matched),
        f"{'  category right':<28} {f.category_right}/{f.matched.tp} = {f.category_accuracy:.3f}",
        f"{'  qualifier right':<28} {f.qualifier_right}/{f.matched.tp} = {f.qualifier_accuracy:.3f}",
        f"{'  event date right':<28} {f.date_right}/{f.dated} = {f.date_accuracy:.3f}",
        f"{'  out of scope':<28} {f.other_unmatched}",
    ]
    if details:
        for title, items in (("missed places", report.places.misses), ("false places", report.places.false_positives),
                             ("missed figures", f.matched.misses), ("false figures", f.matched.false_positives),
                             ("wrong category", f.wrong_category), ("wrong event date", f.wrong_date)):
            if items:
                out.append(f"{title}:")
                out += [f"  {x}" for x in items]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.evaluate", description="score extraction against the gold set")
    parser.add_argument("--gold", type=Path, default=EVAL_DIR / "gold.jsonl")
    parser.add_argument("--predictions", type=Path, help="JSON Lines from `python -m geo extract` (default: run the pipeline)")
    parser.add_argument("--texts", type=Path,
                        help="folder of the articles and their manifest (default: the gold file's folder; the gold "
                             "of real-article sets is kept in the repository, their texts are not)")
    parser.add_argument("--brief", action="store_true", help="numbers only, no lists of misses")
    parser.add_argument("--rules", action="store_true",
                        help="also list every rule id the records name: how often it fired and its precision")
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    folder = args.texts or args.gold.parent
    missing = [] if args.predictions else [name for name in gold.articles if not (folder / name).is_file()]
    if missing:  # a score with articles missing would read as misses of the extractor
        parser.error(f"{len(missing)} of the gold's {len(gold.articles)} articles have no text in {folder} "
                     f"(first: {missing[0]}); collect them from the URLs in the set's manifest")
    places, figures = read_records(args.predictions) if args.predictions else run_pipeline(folder)
    report = evaluate(gold, places, figures)
    print(format_report(report, details=not args.brief))
    if args.rules:
        print(format_rules(rule_stats(gold, places, figures, report)))
    return 0


def _names_agree(gold: PlaceItem, names: Iterable[str]) -> bool:
    want = {normalize_name(gold.name), *(normalize_name(a) for a in gold.aliases)}
    want.discard("")
    return any(normalize_name(n) in want for n in names if n)


def _best_place(g: PlaceItem, preds: list[PlaceItem], used: set[int]) -> int | None:
    best = None
    for i, p in enumerate(preds):
        if i in used or not place_matches(g, p):
            continue
        rank = (g.geonameid is None or g.geonameid != p.geonameid,
                distance_km(g.lat, g.lon, p.lat, p.lon) if None not in (g.lat, g.lon, p.lat, p.lon) else 0.0)
        if best is None or rank < best[0]:
            best = (rank, i)
    return best[1] if best else None


def _figure_matches(g: FigureItem, p: FigureItem, gold_names: set[str]) -> bool:
    if g.value != p.value:
        return False
    if g.place is None or p.place is None:
        return g.place is None and p.place is None
    if normalize_name(p.place) in gold_names - {""}:
        return True
    return None not in (g.lat, g.lon, p.lat, p.lon) and distance_km(g.lat, g.lon, p.lat, p.lon) <= MATCH_KM


def _alias_table(places: Iterable[PlaceItem]) -> dict[tuple[str, str], set[str]]:
    table: dict[tuple[str, str], set[str]] = {}
    for p in places:
        table[(p.article, normalize_name(p.name))] = {normalize_name(p.name), *(normalize_name(a) for a in p.aliases)}
    return table


def _place_key(p: PlaceItem) -> tuple:
    """Places with the same key are one place of the article for the scorer."""
    return (p.article, p.geonameid) if p.geonameid is not None else (
        p.article, normalize_name(p.name), _round(p.lat), _round(p.lon))


def _figure_key(f: FigureItem) -> tuple:
    # "3 killed and 3 injured" in one town are two figures; the same claim repeated is one.
    return (f.article, f.value, normalize_name(f.place) if f.place else None, f.category)


def _dedupe_places(places: Iterable[PlaceItem]) -> list[PlaceItem]:
    seen: set = set()
    out = []
    for p in places:
        key = _place_key(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _dedupe_figures(figures: Iterable[FigureItem]) -> list[FigureItem]:
    seen: set = set()
    out = []
    for f in figures:
        key = _figure_key(f)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def _as_place(r: PlaceItem | Mapping) -> PlaceItem:
    if isinstance(r, PlaceItem):
        return r
    kind = r.get("kind", "town")
    if kind == "place":  # an extraction record: its precision tells the kind of place
        kind = {"region": "region", "country": "country"}.get(r.get("precision") or "", "town")
    mention = r.get("mention")
    return PlaceItem(
        article=r["article"], name=r["name"], lat=r.get("lat"), lon=r.get("lon"),
        geonameid=int(r["geonameid"]) if r.get("geonameid") is not None else None,
        kind=kind, country=r.get("country") or "",
        aliases=tuple(r.get("aliases") or ((mention,) if mention else ())),
        optional=bool(r.get("optional", False)), rules=tuple(r.get("rules") or ()),
    )


def _as_figure(r: FigureItem | Mapping) -> FigureItem:
    if isinstance(r, FigureItem):
        return r
    place = r.get("place")
    if isinstance(place, Mapping):
        place = place.get("name")
    return FigureItem(
        article=r["article"], value=int(r["value"]), category=r.get("category") or "other",
        qualifier=r.get("qualifier") or "exact", place=place or None, lat=r.get("lat"), lon=r.get("lon"),
        event_date=r.get("event_date"), optional=bool(r.get("optional", False)),
        rules=tuple(r.get("rules") or ()),
    )


def _by_article(items: Iterable) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for it in items:
        out[it.article].append(it)
    return out


def _scores(tp: int, fp: int, fn: int, misses: list[str], false_positives: list[str], verdicts: dict | None = None) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return Scores(tp, fp, fn, precision, recall, tuple(misses), tuple(false_positives), verdicts or {})


def _in_ukraine_box(lat: float | None, lon: float | None) -> bool:
    if lat is None or lon is None:
        return False
    s, n, w, e = _UA_BOX
    return s <= lat <= n and w <= lon <= e


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def _fmt_pin(lat: float | None, lon: float | None) -> str:
    return "no pin" if lat is None or lon is None else f"{lat:.3f}, {lon:.3f}"


if __name__ == "__main__":
    sys.exit(main())
