"""Cyrillic words: the folded key, the apostrophes, the Latin look-alikes, and KMU 2010 romanisation."""
from __future__ import annotations

import pytest

from geo.cyrillic import fold, fold_text, romanise, romanise_ru, romanise_uk, tokens


@pytest.mark.parametrize("spelling", ["П'ятихатки", "П’ятихатки", "Пʼятихатки", "П`ятихатки", "Пятихатки"])
def test_every_apostrophe_folds_alike(spelling):
    assert fold(spelling) == fold("П'ятихатки") == "пятихатки"


def test_letters_writers_interchange_fold_together():
    assert fold("Ґорґани") == fold("Горгани")
    assert fold("Київ") == fold("Киiв")          # a Latin i typed for і, and ї typed as і
    assert fold("Ёлки") == fold("Елки")


def test_letters_that_tell_names_apart_stay_apart():
    assert fold("Лиман") != fold("Ліман")
    assert fold("Юр'ївка") == fold("Юр’ївка") != fold("Юрівка")  # Yuriivka and Yurivka are two villages
    assert fold("Вишневе") != fold("Вишнєве")
    assert fold("Лисичанськ") != fold("Лысычанск")


def test_a_word_keeps_its_apostrophe_and_hyphen():
    words = [t.text for t in tokens("У Пʼятихатках і в Івано-Франківську")]
    assert words == ["У", "Пʼятихатках", "і", "в", "Івано-Франківську"]


def test_fold_text_keeps_offsets_to_quote_as_written():
    text = "у пʼятницю"
    folded, at = fold_text(text)
    assert folded == "у пятницю"
    assert text[at[2]:at[len(folded) - 1] + 1] == "пʼятницю"


# The examples of the official table (Cabinet of Ministers resolution 55, 27 January 2010).
@pytest.mark.parametrize("cyrillic, latin", [
    ("Алушта", "Alushta"), ("Борщагівка", "Borshchahivka"), ("Вишгород", "Vyshhorod"), ("Гадяч", "Hadiach"),
    ("Згорани", "Zghorany"), ("Ґалаґан", "Galagan"), ("Дон", "Don"), ("Рівне", "Rivne"),
    ("Єнакієве", "Yenakiieve"), ("Гаєвич", "Haievych"), ("Житомир", "Zhytomyr"), ("Закарпаття", "Zakarpattia"),
    ("Медвин", "Medvyn"), ("Іршава", "Irshava"), ("Їжакевич", "Yizhakevych"), ("Кадиївка", "Kadyivka"),
    ("Йосипівка", "Yosypivka"), ("Стрий", "Stryi"), ("Олексій", "Oleksii"), ("Київ", "Kyiv"),
    ("Лебедин", "Lebedyn"), ("Миргород", "Myrhorod"), ("Ніжин", "Nizhyn"), ("Одеса", "Odesa"),
    ("Полтава", "Poltava"), ("Ромни", "Romny"), ("Суми", "Sumy"), ("Тетерів", "Teteriv"),
    ("Ужгород", "Uzhhorod"), ("Фастів", "Fastiv"), ("Харків", "Kharkiv"), ("Біла Церква", "Bila Tserkva"),
    ("Чернівці", "Chernivtsi"), ("Шостка", "Shostka"), ("Гоща", "Hoshcha"), ("Юрій", "Yurii"),
    ("Крюківка", "Kriukivka"), ("Яготин", "Yahotyn"), ("Ічня", "Ichnia"), ("Знам'янка", "Znamianka"),
    ("Русь", "Rus"), ("Запоріжжя", "Zaporizhzhia"), ("Куп’янськ", "Kupiansk"),
])
def test_kmu_2010(cyrillic, latin):
    assert romanise_uk(cyrillic) == latin


def test_kmu_keeps_capitals_and_punctuation():
    assert romanise_uk("ДСНС, м. Щастя") == "DSNS, m. Shchastia"


def test_russian_spellings_romanise_the_russian_way():
    assert romanise_ru("Харьков") == "Kharkov"
    assert romanise_ru("Белгородская область") == "Belgorodskaya oblast"
    assert romanise("Шебекино", "ru") == "Shebekino"
    assert romanise("Харків", "uk") == "Kharkiv"


def test_within_sorted_ranges():
    from geo.cyrillic import within
    ranges = [(0, 5), (10, 20)]
    assert [within(x, ranges) for x in (0, 4, 5, 9, 10, 19, 20)] == [True, True, False, False, True, True, False]
