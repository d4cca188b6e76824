"""Per-article language detection, recorded on the article and in the event table."""
from __future__ import annotations

from geo.articles import load_bytes
from geo.events import to_frame
from geo.language import detect, paragraphs
from geo.pipeline import extract

UK_POST = ("Харківщина. Протягом минулої доби ворог обстріляв Куп'янськ та Ізюм. Загинули двоє людей, "
           "ще п'ятеро отримали поранення, повідомив голова ОВА.")
RU_POST = ("В Белгородской области в результате обстрела погибли два человека, еще трое ранены, "
           "сообщил губернатор.")
EN_POST = "Two people were killed and five injured in Kupiansk overnight, the regional governor said."


def test_ukrainian_by_its_own_letters():
    assert detect(UK_POST) == "uk"


def test_russian_by_its_own_letters():
    assert detect(RU_POST) == "ru"


def test_english():
    assert detect(EN_POST) == "en"


def test_without_the_telling_letters_function_words_decide():
    # No і ї є ґ and no ы э ъ ё in either line.
    assert detect("Вона каже, що на вулиці Садовій падали уламки") == "uk"
    assert detect("Она говорит, что на улице Садовой падали обломки") == "ru"


def test_an_english_article_quoting_a_ukrainian_post_at_length_is_mixed():
    text = EN_POST + "\n" + UK_POST
    assert detect(text) == "mixed"
    langs = [p.language for p in paragraphs(text)]
    assert langs == ["en", "uk"]


def test_a_short_cyrillic_signature_does_not_make_an_english_article_mixed():
    text = EN_POST + " " + EN_POST + "\nВолодимир Зеленський"
    assert detect(text) == "en"


def test_ukrainian_and_russian_paragraphs_make_a_mixed_article():
    assert detect(UK_POST + "\n" + RU_POST) == "mixed"


def test_no_letters_no_language():
    assert detect("12:40 — 3/4") == ""


def test_the_article_records_its_language_and_the_event_table_shows_it():
    assert load_bytes("post.txt", UK_POST.encode()).language == "uk"
    article = load_bytes("en.txt", EN_POST.encode())
    assert article.language == "en"
    frame = to_frame([extract(article)])
    assert len(frame) and set(frame["language"]) == {"en"}
