"""The pipeline routes by language: Ukrainian and Russian articles through the Cyrillic readers,
English ones unchanged, mixed ones through both; and the rule files behind them."""
from __future__ import annotations

import pytest

from geo import rulebook
from geo.articles import load_bytes
from geo.cli import main as cli_main
from geo.events import to_frame
from geo.model import Category, Precision
from geo.pipeline import extract

UK_ARTICLE = """Ворог вдарив по Чернігову: є загиблі
12 червня 2023
Сьогодні вранці російська ракета влучила в центр Чернігова. Загинули семеро людей, серед них дитина, ще 90 отримали поранення.
Рятувальники ДСНС завершили розбір завалів.
Про це повідомив начальник Чернігівської ОВА В'ячеслав Чаус.
"""

RU_ARTICLE = """Обстрел Белгородской области
В результате обстрела села Глотово погибли двое мирных жителей, еще четверо получили ранения, сообщил губернатор Вячеслав Гладков.
"""


def test_a_ukrainian_article_yields_places_and_figures():
    article = load_bytes("chernihiv.txt", UK_ARTICLE.encode())
    ex = extract(article)
    assert article.language == "uk"
    assert "Chernihiv" in [p.name for p in ex.places]
    assert [(f.value, f.category, f.place.name) for f in ex.figures] == [
        (7, Category.KILLED, "Chernihiv"), (90, Category.INJURED, "Chernihiv")]
    assert ex.figures[0].attribution == "начальник Чернігівської ОВА В'ячеслав Чаус"


def test_the_event_table_shows_the_language_and_english_place_names():
    frame = to_frame([extract(load_bytes("chernihiv.txt", UK_ARTICLE.encode()))])
    assert set(frame["language"]) == {"uk"}
    assert "Chernihiv" in set(frame["place"])
    assert "Чернігова" in set(frame["mention"])


def test_a_russian_article_yields_places_and_figures():
    ex = extract(load_bytes("belgorod.txt", RU_ARTICLE.encode()))
    assert ex.article.language == "ru"
    assert ("Белгородской области", "Belgorod Oblast", Precision.REGION) in [
        (p.mention, p.name, p.precision) for p in ex.places]
    assert [(f.value, f.category) for f in ex.figures] == [(2, Category.KILLED), (4, Category.INJURED)]


def test_a_mixed_article_reads_both_parts():
    text = ("Two people were killed in Kharkiv overnight, officials said on Sunday, according to the governor.\n"
            "Синєгубов: внаслідок обстрілу Куп'янська загинули двоє людей, ще троє поранені.\n")
    ex = extract(load_bytes("mixed.txt", text.encode()))
    assert ex.article.language == "mixed"
    assert {"Kharkiv", "Kupiansk"} <= {p.name for p in ex.places}
    assert [(f.value, f.category, f.place.name) for f in ex.figures][-2:] == [
        (2, Category.KILLED, "Kupiansk"), (3, Category.INJURED, "Kupiansk")]


def test_the_cli_prints_cyrillic_records(tmp_path, capsys):
    (tmp_path / "post.txt").write_text(UK_ARTICLE, encoding="utf-8")
    cli_main(["extract", str(tmp_path / "post.txt")])
    out = capsys.readouterr().out
    assert '"name": "Chernihiv"' in out and '"category": "killed"' in out


def test_rule_ids_are_unique_across_every_file():
    ids = rulebook.all_ids()
    assert len(ids) == len(set(ids)) and "uk.cat.killed" in ids and "ru.decl.noun.hard" in ids


def test_a_rule_without_an_id_is_refused(tmp_path, monkeypatch):
    (tmp_path / "uk").mkdir()
    (tmp_path / "uk" / "broken.toml").write_text('[[rule]]\nnote = "no id"\n', encoding="utf-8")
    monkeypatch.setattr(rulebook, "RULES_DIR", tmp_path)
    rulebook.load.cache_clear()
    try:
        with pytest.raises(rulebook.RuleError, match="no id"):
            rulebook.load("uk", "broken")
    finally:
        rulebook.load.cache_clear()


def test_the_reader_highlights_the_text_as_written_with_english_names():
    from geo.reader import article_html, highlights
    article = load_bytes("chernihiv.txt", UK_ARTICLE.encode())
    frame = to_frame([extract(article)])
    page = article_html(article.text, highlights(frame))
    # The English name, and why: the rules that recognised the place as written.
    assert 'title="Chernihiv (town) — why: pymorphy cyr.cue.repeat">Чернігова</mark>' in page
    assert ('title="killed: 7 (начальник Чернігівської ОВА В&#x27;ячеслав Чаус) — why: uk.num.7 uk.cat.killed '
            in page and 'uk.attr.according_to">семеро людей</mark>' in page)
