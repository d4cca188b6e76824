"""Why this pin: every place mention keeps the namesakes it was chosen from, with their scores,
and every place and figure names the rules that decided it (ids documented in docs/engine.md)."""
import re
from datetime import date
from pathlib import Path

from geo.articles import load_bytes, load_folder
from geo.pipeline import extract
from tests.conftest import ARTICLES, ROOT

RULE_ID = re.compile(r"""["']((?:geoparse|resolve|place|date)\.[a-z]+(?:-[a-z]+)*)["']""")


def extracted(text: str, published: date | None = date(2022, 4, 4)):
    return extract(load_bytes("why.txt", text.encode("utf-8"), published=published))


def test_a_namesake_keeps_the_others_it_was_chosen_from_best_first():
    sun = {a.file: a for a in load_folder(ARTICLES).articles}["000_5ee58bf401263aac.txt"]
    dmytrivka = next(p for p in extract(sun).places if p.mention == "Dmytrivka")
    chosen, *others = dmytrivka.candidates
    assert (chosen.geonameid, chosen.lat, chosen.lon, chosen.region) == (
        dmytrivka.geonameid, dmytrivka.lat, dmytrivka.lon, dmytrivka.region)
    assert len(others) == 4 and {c.name for c in dmytrivka.candidates} == {"Dmytrivka"}
    assert len({c.geonameid for c in dmytrivka.candidates}) == 5  # five of Ukraine's fourteen
    scores = [c.score for c in dmytrivka.candidates]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[1]
    assert all(c.country == "UA" and c.region.endswith("Oblast") for c in others)


def test_a_place_decided_without_ranking_namesakes_lists_itself_unscored():
    (region,) = extracted("Shelling continued in the Kharkiv region.").places
    assert [(c.name, c.score) for c in region.candidates] == [("Kharkiv Oblast", None)]
    assert region.rules == ("geoparse.region-word",)


def test_a_place_names_the_cue_and_the_reason_that_chose_its_namesake():
    (dmytrivka,) = [p for p in extracted("Troops left Dmytrivka, a village west of the capital.").places
                    if p.mention == "Dmytrivka"]
    assert dmytrivka.admin1 == "13"
    assert {"geoparse.anchor-capital", "geoparse.cue-bearing", "resolve.bearing-cue"} <= set(dmytrivka.rules)
    (hroza,) = extracted("A missile hit a cafe in the village of Hroza in Kharkiv Oblast.").places[:1]
    assert hroza.rules == ("geoparse.settlement-of", "geoparse.cue-oblast", "geoparse.oblast-centre")


def test_a_figure_names_the_rules_that_chose_its_place_and_its_date():
    ex = extracted("Police entered Bucha on Saturday. They found at least 20 bodies in one street.\n\n"
                   "Two people were killed in Izium on Sunday.")
    bodies, killed = ex.figures
    # Bucha is named, though not "in Bucha", in the sentence before, which is dated
    assert bodies.place.name == "Bucha" and bodies.rules == (
        "cat.bodies-noun", "place.previous-sentence", "place.same-clause", "place.not-introduced",
        "date.previous-sentence")
    assert killed.place.name == "Izium" and killed.rules == (
        "cat.predicate-after", "place.same-clause", "date.sentence", "date.weekday-anchor")
    (undated,) = extracted("Sappers removed 300 mines near Izium.", published=None).figures
    assert undated.rules == ("cat.explosives-noun", "place.same-clause", "date.article")


def test_every_rule_id_the_extractor_can_record_is_documented():
    code = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "geo").glob("*.py")))
    ids = set(RULE_ID.findall(code))
    documented = set(re.findall(r"`((?:geoparse|resolve|place|date)\.[a-z-]+)`",
                                Path(ROOT / "docs" / "engine.md").read_text(encoding="utf-8")))
    assert len(ids) > 40
    assert ids - documented == set()
    assert documented - ids == set()  # and no id documented that nothing records


def test_every_category_pass_is_documented_and_nothing_else():
    from geo.figures import BARE_PASSES, PHRASE_PASSES
    ids = {f"cat.{name}" for name, _ in PHRASE_PASSES + BARE_PASSES} | {"cat.single-person", "cat.single-person-died"}
    documented = set(re.findall(r"`(cat\.[a-z-]+)`", (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")))
    assert ids == documented


def test_a_figure_records_the_category_pass_that_decided_first_of_its_rules():
    ex = extracted("Russian shelling killed 3 civilians in Kharkiv. Of them, 2 were children.\n\n"
                   "Rescuers pulled 12 survivors from the rubble in Dnipro.")
    assert [(f.value, f.category.value, f.rules[0]) for f in ex.figures] == [
        (3, "killed", "cat.verb-before"), (2, "killed", "cat.copula-part"), (12, "rescued", "cat.rescued-evacuated-or-other")]


def test_a_figure_is_placed_by_the_first_pass_of_the_chain_that_answers():
    from geo.placing import PLACE_PASSES

    text = ("Russian strike on Kharkiv kills three\n"
            "A Russian missile struck Kharkiv on Tuesday, killing three people, the governor said.\n"
            "Five more were injured in Chuhuiv. The attack also damaged a school.\n"
            "Rescuers found two bodies under the rubble.\n\n"
            "Elsewhere, 12 people were injured across the country.")
    placed = [(f.value, f.place.name if f.place else None, f.rules[1]) for f in extracted(text, date(2024, 5, 7)).figures]
    assert placed == [
        (3, "Kharkiv", "place.same-clause"),      # own-sentence: the figure's own clause names the town
        (5, "Chuhuiv", "place.same-clause"),
        (2, "Kharkiv", "place.headline-town"),    # article-town: a new paragraph naming no place
        (12, None, "place.none"),                 # no-place: "across the country" is not a town's toll
    ]
    names = [name for name, _ in PLACE_PASSES]
    assert names[0] == "headline-label" and names[-1] == "no-place" and len(set(names)) == len(names)
    documented = (ROOT / "docs" / "engine.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in documented for name in names)


def test_a_ukrainian_count_is_placed_by_the_first_pass_of_the_cyrillic_chain_that_answers():
    from geo.figures_cyr import PLACE_PASSES

    text = ("Обстріли Харківщини\n"
            "Унаслідок обстрілу Харківської області загинули двоє людей: одна – у Куп'янську, одна – в Ізюмі. "
            "Ще 4 людей в області дістали поранення.\n"
            "У Чугуєві пошкоджено будинки. Рятувальники знайшли тіла 3 людей.\n"
            "В Україні загинули понад 10 тисяч цивільних.")
    placed = [(f.value, f.place.name if f.place else None, f.rules[-1]) for f in extracted(text, date(2024, 5, 7)).figures]
    assert placed == [
        (2, "Kharkiv Oblast", "cyr.place.clause"),  # own-clause: the oblast of its own clause, not the towns after the colon
        (1, "Kupiansk", "cyr.place.sentence"),      # own-clause: each list item is where its item says
        (1, "Izium", "cyr.place.clause"),
        (4, "Kharkiv Oblast", "uk.place.the_oblast"),  # the-oblast: "в області"
        (3, "Chuhuiv", "cyr.place.previous"),       # previous: the sentence before names the town
        (10000, "Ukraine", "uk.place.country"),     # country: "в Україні" written as where
    ]
    names = [name for name, _ in PLACE_PASSES]
    assert names[0] == "listed-after-colon" and names[-1] == "nowhere" and len(set(names)) == len(names)
    documented = (ROOT / "docs" / "cyrillic.md").read_text(encoding="utf-8")
    assert [name for name in names if f"`{name}`" not in documented] == []
