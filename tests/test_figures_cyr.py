"""Figures in Ukrainian and Russian: numerals in every case and gender, qualifiers, categories,
sources, dates and places. Every sentence is written for these tests, in the style of oblast
administrations' and the emergency service's Telegram posts, prosecutors' statements and wires."""
from __future__ import annotations

from datetime import date

import pytest

from geo.figures_cyr import figures_with_rules
from geo.geoparse_cyr import find_places_cyr
from geo.language import detect
from geo.model import Article, Category, Qualifier, TimePrecision

PUBLISHED = date(2023, 6, 12)  # a Monday


def figures(text: str, published: date | None = PUBLISHED):
    lang = detect(text) or "uk"
    article = Article(id="t", file="t.txt", text=text, published=published, language=lang)
    return figures_with_rules(article, find_places_cyr(text, "t", lang), lang)


def one(text: str):
    found = figures(text)
    assert len(found) == 1, [(f.value, f.category) for f, _ in found]
    return found[0]


# ---- numerals -------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, value", [
    ("Загинула одна людина.", 1),
    ("Загинув один мешканець села.", 1),
    ("Поранено двох людей.", 2),
    ("Загинули двоє цивільних.", 2),
    ("Поранення отримали дві жінки.", 2),
    ("Загинули троє людей.", 3),
    ("Серед загиблих трьох людей опізнали.", 3),
    ("Поранено чотирьох людей.", 4),
    ("Постраждали четверо дітей.", 4),
    ("Загинули п'ятеро людей.", 5),
    ("Загинули пʼятеро людей.", 5),
    ("Загинули п’ятеро людей.", 5),
    ("Поранено шістьох людей.", 6),
    ("Тіла семи людей знайшли під завалами.", 7),
    ("Постраждали восьмеро людей.", 8),
    ("Загинули дев'ятеро людей.", 9),
    ("Загинули десятеро людей.", 10),
    ("Відомо про одинадцятьох поранених.", 11),
    ("Поранено дванадцять людей.", 12),
    ("Постраждали двадцять людей.", 20),
    ("Поранено двадцятьох людей.", 20),
    ("Тіла двадцяти трьох людей знайшли в лісі.", 23),
    ("Загинули тридцять людей.", 30),
    ("Знайшли тіла сорока п'яти людей.", 45),
    ("Знайшли тіла сорока пяти людей.", 45),
    ("Поранено п'ятдесят людей.", 50),
    ("Знайшли тіла дев'яноста людей.", 90),
    ("Поранено сто двадцять людей.", 120),
    ("Знайшли тіла двохсот людей.", 200),
    ("Загинули 23 людини.", 23),
    ("Знешкоджено 1 500 вибухонебезпечних предметів.", 1500),
    ("Знешкоджено 1,5 тис. вибухонебезпечних предметів.", 1500),
    ("Знешкоджено дві тисячі вибухонебезпечних предметів.", 2000),
    # Russian
    ("Погиб один человек.", 1),
    ("Погибли двое мирных жителей.", 2),
    ("Ранены трое человек.", 3),
    ("Ранены четверо человек.", 4),
    ("Погибли пятеро человек.", 5),
    ("Пострадали семеро человек.", 7),
    ("Обнаружены тела одиннадцати человек.", 11),
    ("Погибли двадцать два человека.", 22),
    ("Обнаружены тела сорока пяти человек.", 45),
    ("Обнаружены тела девяноста человек.", 90),
    ("Пострадали сто двадцать человек.", 120),
])
def test_numerals_in_every_case_and_gender(sentence, value):
    f, _ = one(sentence)
    assert f.value == value


def test_vague_amounts_become_ranges():
    f, _ = one("Поранено кілька людей.")
    assert (f.value, f.value_high) == (3, 9)
    f, _ = one("Знайшли десятки тіл.")
    assert (f.value, f.value_high, f.category) == (20, 99, Category.BODIES)


def test_a_range_of_digits():
    f, _ = one("Загинули 5-7 людей.")
    assert (f.value, f.value_high) == (5, 7)


# ---- qualifiers -----------------------------------------------------------------------------

@pytest.mark.parametrize("sentence, qualifier", [
    ("Загинули щонайменше 12 людей.", Qualifier.AT_LEAST),
    ("Загинули як мінімум 12 людей.", Qualifier.AT_LEAST),
    ("Погибли как минимум 12 человек.", Qualifier.AT_LEAST),
    ("Погибли не менее 12 человек.", Qualifier.AT_LEAST),
    ("Поранено понад 200 осіб.", Qualifier.MORE_THAN),
    ("Ранены более 200 человек.", Qualifier.MORE_THAN),
    ("Поранено близько 30 людей.", Qualifier.ABOUT),
    ("Ранены около 30 человек.", Qualifier.ABOUT),
    ("Поранено до 30 людей.", Qualifier.UP_TO),
    ("Кількість загиблих зросла до 22 людей.", Qualifier.EXACT),
])
def test_qualifiers(sentence, qualifier):
    f, rules = one(sentence)
    assert f.qualifier is qualifier


# ---- categories and what is not a count ------------------------------------------------------

@pytest.mark.parametrize("sentence, category", [
    ("Загинули 4 людини.", Category.KILLED),
    ("Серед загиблих 4 дітей.", Category.KILLED),
    ("Вбито 4 цивільних.", Category.KILLED),
    ("4 людини загинули.", Category.KILLED),
    ("Поранення отримали 4 людини.", Category.INJURED),
    ("Поранені 4 людини.", Category.INJURED),
    ("Постраждали 4 людини.", Category.INJURED),
    ("Знайшли 4 тіла.", Category.BODIES),
    ("Ексгумовано 4 тіла.", Category.BODIES),
    ("Виявили 4 могили.", Category.GRAVES),
    ("Виявлено понад 400 поховань.", Category.GRAVES),
    ("Зникли безвісти 4 людини.", Category.MISSING),
    ("Знешкоджено 400 вибухонебезпечних предметів.", Category.EXPLOSIVES),
    ("Погибли 4 человека.", Category.KILLED),
    ("Ранены 4 человека.", Category.INJURED),
    ("Обнаружены 4 тела.", Category.BODIES),
    ("Пропали без вести 4 человека.", Category.MISSING),
    ("Обезврежено 400 взрывоопасных предметов.", Category.EXPLOSIVES),
])
def test_categories(sentence, category):
    f, _ = one(sentence)
    assert f.category is category


@pytest.mark.parametrize("sentence", [
    "Загинула жінка 65 років.",
    "Загинув 45-річний чоловік.",
])
def test_an_age_is_not_a_count_but_the_person_is_one(sentence):
    f, rules = one(sentence)
    assert (f.value, f.category) == (1, Category.KILLED)
    assert "uk.num.single" in rules


@pytest.mark.parametrize("sentence", [
    "Ворог випустив 12 ракет по Харкову.",
    "Загиблі були у 2022 році на фронті.",
    "5 березня у Харкові загинули люди.",
    "Вибух пролунав о 14:30, загиблих немає.",
    "93-тя бригада відбила атаку, поранених немає.",
    "Зруйновано 5-поверховий будинок, загиблих немає.",
])
def test_numbers_that_count_no_people(sentence):
    assert figures(sentence) == []


def test_a_count_and_the_one_after_it_in_the_same_sentence():
    found = figures("Внаслідок обстрілу 3 людини загинули, 7 поранені.")
    assert [(f.value, f.category) for f, _ in found] == [(3, Category.KILLED), (7, Category.INJURED)]


def test_children_among_the_killed_count_as_killed():
    found = figures("Загинули 23 людини, серед них троє дітей.")
    assert [(f.value, f.category) for f, _ in found] == [(23, Category.KILLED), (3, Category.KILLED)]
    assert "uk.cat.part_of" in found[1][1]


# ---- sources, dates, places ------------------------------------------------------------------

@pytest.mark.parametrize("sentence, who", [
    ("Загинули двоє людей, повідомив голова Харківської ОВА Олег Синєгубов.", "голова Харківської ОВА Олег Синєгубов"),
    ("За даними ДСНС, загинули двоє людей.", "ДСНС"),
    ("Загинули двоє людей, повідомили в ДСНС.", "ДСНС"),
    ("Загинули двоє людей, повідомив у Telegram начальник ОВА Іван Федоров.", "начальник ОВА Іван Федоров"),
    ("Погибли два человека, сообщил губернатор Вячеслав Гладков.", "губернатор Вячеслав Гладков"),
    ("По данным МЧС, погибли два человека.", "МЧС"),
    # where it was posted, in any case form, is skipped
    ("Погибли три человека, сообщил в Телеграме глава города Игорь Терехов.", "глава города Игорь Терехов"),
    ("Загинули троє людей, повідомив на фейсбуці мер Ігор Терехов.", "мер Ігор Терехов"),
])
def test_who_said_it(sentence, who):
    f, rules = one(sentence)
    assert f.attribution == who


@pytest.mark.parametrize("sentence", [
    "Загинули двоє людей, написав він у Телеграмі.",
    "Погибли два человека, написал он в Телеграме.",
])
def test_a_pronoun_after_the_verb_is_no_source(sentence):
    f, _ = one(sentence)
    assert f.attribution is None


def test_the_speaker_before_the_verb():
    f, _ = one("Генпрокурор Андрій Костін повідомив, що в Ізюмі знайшли 447 тіл.")
    assert f.attribution == "Генпрокурор Андрій Костін"


@pytest.mark.parametrize("sentence, day, words", [
    ("2 квітня 2022 року в Бучі знайшли 20 тіл.", date(2022, 4, 2), "2 квітня 2022"),
    ("Вчора в Херсоні загинули 3 людини.", date(2023, 6, 11), "Вчора"),
    ("Напередодні в Херсоні загинули 3 людини.", date(2023, 6, 11), "Напередодні"),
    ("Протягом доби в Херсоні поранено 3 людей.", date(2023, 6, 11), "Протягом доби"),
    ("Минулої доби в Херсоні поранено 3 людей.", date(2023, 6, 11), "Минулої доби"),
    ("В ночь на 5 марта в Белгороде пострадали 3 человека.", date(2023, 3, 5), "В ночь на 5 марта"),
    ("У ніч на 5 березня в Одесі загинули 3 людини.", date(2023, 3, 5), "У ніч на 5 березня"),
    ("У суботу в Херсоні загинули 3 людини.", date(2023, 6, 10), "У суботу"),
    ("Вчера в Белгороде погибли 3 человека.", date(2023, 6, 11), "Вчера"),
])
def test_event_dates(sentence, day, words):
    f, _ = one(sentence)
    assert (f.event_date, f.time_precision, f.date_text) == (day, TimePrecision.DAY, words)


def test_without_a_date_the_publication_date_stands_in():
    f, rules = one("У Херсоні загинули 3 людини.")
    assert (f.event_date, f.time_precision, f.date_text) == (PUBLISHED, TimePrecision.ARTICLE, "")


def test_a_telegram_post_end_to_end():
    text = ("Харківщина. Протягом минулої доби ворог обстріляв Куп'янськ та Ізюм.\n"
            "У Куп'янську загинули двоє людей, ще п'ятеро отримали поранення.\n"
            "В Ізюмі поранено жінку 52 років.\n"
            "Про це повідомив голова Харківської ОВА Олег Синєгубов.")
    found = figures(text)
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (2, Category.KILLED, "Kupiansk"), (5, Category.INJURED, "Kupiansk"), (1, Category.INJURED, "Izium")]
    assert {f.attribution for f, _ in found[:2]} == {"голова Харківської ОВА Олег Синєгубов"}
    for f, _ in found:
        assert text[f.sentence_start:f.sentence_end] == f.quote


def test_a_prosecutors_statement_end_to_end():
    text = ("Офіс генпрокурора: у Бучі на Київщині виявлено тіла щонайменше 458 людей, серед них 12 дітей. "
            "Слідчі встановили особи 419 загиблих.")
    found = figures(text)
    first = found[0][0]
    assert (first.value, first.qualifier, first.category, first.place.name) == (458, Qualifier.AT_LEAST, Category.BODIES, "Bucha")
    assert [(f.value, f.category) for f, _ in found[1:]] == [(12, Category.BODIES), (419, Category.KILLED)]


def test_a_russian_wire_end_to_end():
    text = ("В результате обстрела Шебекино погибли два человека, еще пятеро ранены, "
            "сообщил губернатор Белгородской области Вячеслав Гладков.")
    found = figures(text)
    assert [(f.value, f.category, f.place.name if f.place else None) for f, _ in found] == [
        (2, Category.KILLED, "Shebekino"), (5, Category.INJURED, "Shebekino")]
    assert found[0][0].attribution == "губернатор Белгородской области Вячеслав Гладков"


def test_a_place_in_the_attribution_is_not_the_figures_place():
    f, rules = one("Загинули двоє людей, повідомив голова Харківської ОВА.")
    assert f.place is None


def test_every_figure_names_its_rules():
    for f, rules in figures("У Херсоні загинули щонайменше 3 людини, повідомили в ДСНС."):
        assert {"uk.qual.at_least", "uk.cat.killed", "cyr.place.sentence", "uk.attr.verb"} <= set(rules)


def test_a_headline_figure_the_body_repeats_counts_once():
    text = ("Удар по Одесі: загинули четверо людей\n"
            "У ніч на 18 листопада росіяни атакували Одесу дронами. Загинули четверо людей, ще восьмеро поранені.")
    found = figures(text)
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (4, Category.KILLED, "Odesa"), (8, Category.INJURED, "Odesa")]
    assert found[0][0].start > text.index("\n")


def test_a_toll_that_rose_reads_its_category_further_back():
    f, rules = one("Кількість загиблих унаслідок удару по центру Краматорська 27 червня зросла до 13 людей.")
    assert (f.value, f.qualifier, f.category, f.place.name) == (13, Qualifier.EXACT, Category.KILLED, "Kramatorsk")
    assert "cyr.toll" in rules


@pytest.mark.parametrize("sentence", [
    "За добу ворог випустив по Херсонщині 389 снарядів.",
    "Окупанти випустили 40 мін по Нікополю.",
])
def test_shells_and_mortar_rounds_fired_are_not_explosives_found(sentence):
    assert figures(sentence) == []


@pytest.mark.parametrize("sentence", [
    "Росіяни скинули дві авіабомби ФАБ-500 на Семенівку, поранено трьох людей.",
    "Россияне сбросили две авиабомбы ФАБ-500 на Семеновку, ранены три человека.",
])
def test_bombs_dropped_and_a_weapons_model_number_are_no_count_of_people(sentence):
    assert [(f.value, f.category) for f, _ in figures(sentence)] == [(3, Category.INJURED)]


def test_the_source_ends_before_where_it_was_said():
    f, _ = one("Погибли три человека, сообщил губернатор Вячеслав Гладков в своем Telegram-канале.")
    assert f.attribution == "губернатор Вячеслав Гладков"


@pytest.mark.parametrize("sentence,who", [
    ("Загинули двоє людей, ще семеро поранені, повідомив у вівторок начальник Сумської ОВА Іван Петренко.",
     "начальник Сумської ОВА Іван Петренко"),
    ("Погибли два человека, сообщил в пятницу глава Белгородской области Иван Петров.",
     "глава Белгородской области Иван Петров"),
])
def test_the_day_it_was_said_is_not_part_of_the_source(sentence, who):
    f = figures(sentence)[0][0]
    assert f.attribution == who


def test_soldiers_among_the_bodies():
    found = figures("Ексгумовано тіла 447 людей: 425 цивільних та 22 військовослужбовців.")
    assert [(f.value, f.category) for f, _ in found] == [
        (447, Category.BODIES), (425, Category.BODIES), (22, Category.BODIES)]


def test_a_village_and_its_raion_place_the_figure_at_the_village():
    text = ("Харківщина: наслідки обстрілів за минулу добу\n"
            "м. Куп'янськ — поранено чоловіка 58 років.\n"
            "с. Кіндрашівка Куп'янського району — загинула жінка 73 років.\n"
            "смт Великий Бурлук — пошкоджено приватні будинки.\n"
            "м. Чугуїв — травмовано двох людей.\n")
    found = figures(text)
    assert [(f.value, f.category, f.place.name, f.event_date) for f, _ in found] == [
        (1, Category.INJURED, "Kupiansk", date(2023, 6, 11)), (1, Category.KILLED, "Kindrashivka", date(2023, 6, 11)),
        (2, Category.INJURED, "Chuhuiv", date(2023, 6, 11))]


def test_the_nearest_sentence_with_a_place_places_a_figure_without_one():
    text = ("Минобороны заявило о боях в районе Артемовска. В Курской области погибли двое мирных жителей. "
            "Пострадал один человек.")
    found = figures(text)
    assert [(f.value, f.place.name) for f, _ in found] == [(2, "Kursk Oblast"), (1, "Kursk Oblast")]


def test_a_country_is_not_a_figures_place():
    f, _ = one("Росія вдарила по Україні ракетами, загинули 5 людей.")
    assert f.place is None


@pytest.mark.parametrize("signature, who", [
    ("Олег Синєгубов, начальник Харківської ОВА", "Олег Синєгубов, начальник Харківської ОВА"),
    ("— ДСНС України", "ДСНС України"),
    ("Джерело: Суспільне Харків", "Суспільне Харків"),
])
def test_a_signed_post_names_the_source_of_its_figures(signature, who):
    text = "Харківщина: наслідки обстрілів\nУ Чугуєві травмовано двох людей.\n" + signature + "\n"
    f, rules = one(text)
    assert f.attribution == who and "uk.attr.signature" in rules


def test_a_last_line_that_reports_is_no_signature():
    text = "Харківщина: наслідки обстрілів\nУ Чугуєві травмовано двох людей.\nСитуація під контролем.\n"
    f, _ = one(text)
    assert f.attribution is None


def test_labelled_counts():
    found = figures("Загиблих — 7, поранених — 19.")
    assert [(f.value, f.category) for f, _ in found] == [(7, Category.KILLED), (19, Category.INJURED)]
    f, _ = one("Зниклих безвісти: 4.")
    assert (f.value, f.category) == (4, Category.MISSING)


def test_a_source_after_a_closing_dash():
    found = figures("У Бериславі загинуло 2 особи, 5 травмовано — Нацполіція.")
    assert [(f.value, f.category, f.attribution) for f, _ in found] == [
        (2, Category.KILLED, "Нацполіція"), (5, Category.INJURED, "Нацполіція")]


def test_a_nationwide_total_is_placed_in_the_country():
    text = ("Ворог обстріляв Запорізьку область.\n"
            "З початку повномасштабного вторгнення в Україні загинули понад 10 тисяч цивільних.")
    (f, rules), = figures(text)
    assert (f.value, f.qualifier, f.place.name) == (10_000, Qualifier.MORE_THAN, "Ukraine")
    assert "uk.place.country" in rules


def test_a_country_named_as_an_actor_is_no_place_of_a_total():
    (f, rules), = figures("Через війну Росії проти України загинули 9 тисяч цивільних.")
    assert f.place is None and "cyr.place.country_wide" in rules


@pytest.mark.parametrize("text", [
    "ООН: цивільні втрати в Україні зростають.\nЗагалом моніторингова місія зафіксувала 8 тисяч загиблих.",
    "На территории Украины с начала года погибли 1500 мирных жителей.",
])
def test_a_nationwide_count_borrows_the_country_written_before_it(text):
    (f, rules), = figures(text)
    assert f.place.name == "Ukraine" and ({"uk.place.country", "ru.place.country", "cyr.place.previous_country"} & set(rules))


def test_a_figure_over_a_year_takes_no_day_from_the_sentences_around():
    text = "13 квітня у Сумах загинули 35 осіб. У 2023 році на Херсонщині від мін загинули 27 людей."
    found = figures(text)
    assert [(f.value, f.event_date, f.time_precision) for f, _ in found] == [
        (35, date(2023, 4, 13), TimePrecision.DAY), (27, PUBLISHED, TimePrecision.ARTICLE)]


def test_a_source_in_another_paragraph_is_not_borrowed():
    text = "У Херсоні загинули 3 людини.\nВорог обстріляв Запорізьку область, повідомив Іван Федоров."
    f, _ = one(text)
    assert f.attribution is None


def test_one_person_beside_a_count():
    found = figures("В результате обстрела Горловки погиб мирный житель, еще двое ранены.")
    assert [(f.value, f.category) for f, _ in found] == [(1, Category.KILLED), (2, Category.INJURED)]


def test_a_birth_year_is_no_period():
    text = "Украинские войска обстреляли Горловку. Ранен ребенок 2015 года рождения."
    f, rules = one(text)
    assert (f.value, f.place.name) == (1, "Horlivka")


def test_a_total_over_a_long_period_borrows_no_place():
    text = "Обстрел Горловки. Глава ДНР заявил, что с начала года в республике погибли 98 мирных жителей."
    f, _ = one(text)
    assert (f.value, f.place) == (98, None)


def test_each_person_named_counts():
    f, _ = one("У Павлоградському районі поранено 43-річну жінку та 12-річного хлопця.")
    assert (f.value, f.category, f.place.name) == (2, Category.INJURED, "Pavlohrad Raion")


def test_a_count_after_a_dash():
    found = figures("Двоє людей загинули, ще троє — поранені.")
    assert [(f.value, f.category) for f, _ in found] == [(2, Category.KILLED), (3, Category.INJURED)]


def test_an_oblast_total_stays_with_the_oblast():
    text = "У Павлоградському районі поранено жінку. Всього за добу на Дніпропетровщині поранено 31 людину."
    found = figures(text)
    assert [(f.value, f.place.name) for f, _ in found] == [(1, "Pavlohrad Raion"), (31, "Dnipropetrovsk Oblast")]


def test_a_category_right_before_the_count_beats_one_past_a_comma():
    found = figures("На Донеччині загинули двоє людей, постраждали п'ятеро цивільних.")
    assert [(f.value, f.category) for f, _ in found] == [(2, Category.KILLED), (5, Category.INJURED)]
    assert "cyr.cat.verb_first" in found[0][1]


def test_a_number_that_counts_buildings_is_no_count_even_with_adjectives_between():
    f, _ = one("Під час розбирання завалів двох багатоповерхових житлових будинків виявлено тіла 7 осіб.")
    assert (f.value, f.category) == (7, Category.BODIES)


@pytest.mark.parametrize("sentence", [
    "Там же трое мужчин от 38 до 46 лет получили ранения.",
    "Троє чоловіків від 38 до 46 років отримали поранення.",
])
def test_an_age_range_is_stepped_over(sentence):
    f, _ = one(sentence)
    assert (f.value, f.category) == (3, Category.INJURED)


@pytest.mark.parametrize("sentence", [
    "Від початку робіт з-під завалів вилучено 19 загиблих.",
    "Нагадаємо, 57 жертв із масового поховання ідентифікувати не вдалося.",
    "В то же время 197 погибших еще неидентифицированы.",
])
def test_the_dead_recovered_exhumed_or_identified_are_bodies(sentence):
    f, rules = one(sentence)
    assert f.category is Category.BODIES
    assert any(r.endswith(".cat.bodies_found") for r in rules)


def test_the_dead_found_are_still_a_toll():
    f, _ = one("У Київській області після визволення було виявлено 1377 вбитих громадян.")
    assert (f.value, f.category) == (1377, Category.KILLED)


def test_their_count_takes_the_category_the_sentence_before_named():
    found = figures("Увеличилось количество погибших в Днепре. По состоянию на сейчас их пятеро.")
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [(5, Category.KILLED, "Dnipro")]
    assert "ru.cat.their_count" in found[0][1]


@pytest.mark.parametrize("sentence, value, category", [
    ("Ворожа ракета вбила щонайменше 10 людей.", 10, Category.KILLED),
    ("Наразі вважається зниклою безвісті одна людина.", 1, Category.MISSING),
    ("5 мирних мешканців було розстріляно у дворі.", 5, Category.KILLED),
    ("Еще одна раненая — жительница села.", 1, Category.INJURED),
    ("Из-под завалов спасатели извлекли тело мужчины.", 1, Category.BODIES),
    ("Знайшли рештки людини.", 1, Category.BODIES),
])
def test_more_category_words(sentence, value, category):
    f, _ = one(sentence)
    assert (f.value, f.category) == (value, category)


def test_the_headline_line_of_several_sentences_places_the_body():
    text = ("Погибли два человека. Последствия ракетного удара по Белгороду\n\n"
            "Позже губернатор сообщил, что пострадавший умер. Количество погибших увеличилось до трех.")
    found = figures(text)
    assert [(f.value, f.place.name if f.place else None) for f, _ in found][-1] == (3, "Belgorod")


# Every grammatical case of the numeral, with what it counts in the same case.
@pytest.mark.parametrize("sentence, value", [
    ("Загинули три людини.", 3),                          # nominative
    ("Тіла трьох людей знайшли в лісі.", 3),              # genitive
    ("Медики допомогли трьом пораненим.", 3),             # dative
    ("Поранено трьох людей.", 3),                         # accusative (animate)
    ("Над трьома загиблими працюють експерти.", 3),       # instrumental
    ("Поліція повідомила про п'ятьох загиблих.", 5),      # accusative of the collective
    ("Медики допомогли п'ятьом пораненим.", 5),           # dative
    ("Над п'ятьма загиблими працюють експерти.", 5),      # instrumental
    ("Над двадцятьма трьома загиблими працюють експерти.", 23),
    ("Медики допомогли сорока пораненим.", 40),
    ("Погибли три человека.", 3),                         # nominative
    ("Тела трех человек нашли в лесу.", 3),               # genitive
    ("Медики помогли трем раненым.", 3),                  # dative
    ("Ранены трое человек.", 3),                          # collective
    ("Над тремя погибшими работают эксперты.", 3),        # instrumental
    ("Сообщили о трёх погибших.", 3),                     # prepositional, with ё
    ("Медики помогли пятерым раненым.", 5),
    ("Над двадцатью пятью погибшими работают эксперты.", 25),
])
def test_numerals_in_every_grammatical_case(sentence, value):
    f, _ = one(sentence)
    assert f.value == value


def test_an_administration_in_the_sentence_before_is_not_the_figures_place():
    text = ("Ракета влучила у місто Кременчук Полтавської області.\n"
            "Про це повідомив голова Полтавської ОВА Дмитро Лунін.\n"
            "Відомо про 15 людей, які отримали поранення.")
    f, rules = one(text)
    assert (f.value, f.place.name) == (15, "Kremenchuk")


def test_a_count_after_a_sentence_of_several_towns_is_the_oblasts():
    text = ("Минулої доби на Донеччині загинули троє цивільних.\n"
            "Росіяни вбили двох людей у Дружківці та одну в Костянтинівці. Ще п'ятеро людей отримали поранення.")
    found = {(f.value, f.category): (f.place.name, rules) for f, rules in figures(text)}
    place, rules = found[(5, Category.INJURED)]
    assert place == "Donetsk Oblast" and "cyr.place.previous_towns_oblast" in rules
    assert found[(2, Category.KILLED)][0] == "Druzhkivka"


def test_a_timestamp_line_above_the_headline_is_not_the_headline():
    text = ("18:04 28.08.2025\nВже 19 загиблих у Києві\nРятувальники працюють. Медики на місці. "
            "Триває розбір завалів.\nВідомо про 35 поранених.")
    found = [(f.value, f.place.name) for f, _ in figures(text)]
    assert (35, "Kyiv") in found


@pytest.mark.parametrize("sentence, first, last, words", [
    ("У березні в Бучі знайшли 20 тіл.", date(2023, 3, 1), date(2023, 3, 31), "У березні"),
    ("У вересні в Бучі знайшли 20 тіл.", date(2022, 9, 1), date(2022, 9, 30), "У вересні"),  # before June 2023
    ("В марте 2022 года в Буче нашли 20 тел.", date(2022, 3, 1), date(2022, 3, 31), "В марте 2022"),
])
def test_a_month_is_dated_to_the_month(sentence, first, last, words):
    f, rules = one(sentence)
    assert (f.event_date, f.date_end, f.time_precision, f.date_text) == (first, last, TimePrecision.MONTH, words)


@pytest.mark.parametrize("sentence, words", [
    ("Протягом тижня на Харківщині знешкодили 120 вибухонебезпечних предметів.", "Протягом тижня"),
    ("За неделю в Харьковской области обезвредили 120 взрывоопасных предметов.", "За неделю"),
])
def test_a_week_is_the_seven_days_up_to_publication(sentence, words):
    f, _ = one(sentence)
    assert (f.event_date, f.date_end, f.time_precision, f.date_text) == (
        date(2023, 6, 6), PUBLISHED, TimePrecision.WEEK, words)


def test_since_the_works_began_has_no_day_but_keeps_the_place_before():
    text = "У Бородянці розбирають завали. Від початку робіт з-під завалів вилучено 19 загиблих."
    f, rules = figures(text)[-1]
    assert (f.value, f.category, f.place.name, f.time_precision) == (19, Category.BODIES, "Borodianka",
                                                                     TimePrecision.ARTICLE)
    assert "uk.date.since_start" in rules


def test_where_people_came_from_is_not_where_it_happened():
    text = ("У Бородянці розбирають завали. До робіт залучено 40 добровольців із Києва. "
            "Вилучено 19 загиблих.")
    f, _ = figures(text)[-1]
    assert (f.value, f.place.name) == (19, "Borodianka")


@pytest.mark.parametrize("text, part", [
    ("Загинули троє людей. Серед них двоє дітей.", (2, Category.KILLED)),
    ("Поранено 12 людей. З них троє у важкому стані.", (3, Category.INJURED)),
    ("Ранены 5 человек. Из них трое находятся в тяжелом состоянии.", (3, Category.INJURED)),
])
def test_a_part_of_the_count_before_takes_its_category(text, part):
    found = figures(text)
    assert [(f.value, f.category) for f, _ in found][-1] == part
    assert any(r.endswith(".cat.part_of") for r in found[-1][1])


def test_a_part_with_no_count_before_is_no_figure():
    assert figures("Серед них двоє дітей.") == []
    assert [f.value for f, _ in figures("Знайшли тіла 290 людей. З них опізнано лише 185.")] == [290]


@pytest.mark.parametrize("sentence, value", [
    ("В пос. Купянск-Узловой пострадали 46-летний и 43-летний мужчины.", 2),
    ("Загинули 45-річний, 50-річний та 61-річний чоловіки.", 3),
])
def test_people_named_by_their_ages_count_one_each(sentence, value):
    f, rules = one(sentence)
    assert f.value == value and "cyr.num.ages" in rules


def test_people_counted_in_a_grave_are_bodies():
    f, rules = one("У Бучі в братській могилі поховали 280 людей.")
    assert (f.value, f.category) == (280, Category.BODIES) and "cyr.cat.people_in_graves" in rules
    assert one("У Бучі виявили 15 могил.")[0].category is Category.GRAVES


def test_a_headline_figure_takes_the_place_the_rest_of_the_headline_names():
    found = figures("Погибли два человека. Последствия ракетного удара по Белгороду\n\nДетали уточняются.")
    assert [(f.value, f.place.name) for f, _ in found] == [(2, "Belgorod")]


# ---- daily oblast reports: counts by town --------------------------------------------------

def test_a_daily_toll_broken_down_by_town_after_a_colon():
    found = figures("За добу окупанти вбили трьох мешканців Донецької області: двох у Покровську, одного в Костянтинівці.")
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (3, Category.KILLED, "Donetsk Oblast"), (2, Category.KILLED, "Pokrovsk"), (1, Category.KILLED, "Kostiantynivka")]
    assert "cyr.cat.list_item" in found[1][1] and "cyr.place.clause" in found[2][1]


def test_counts_by_town_with_dashes_and_one_each():
    found = figures("Поранення отримали 9 людей у Краматорську, 3 — у Слов'янську та по одному у Дружківці, Лимані й Бахмуті.")
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (9, Category.INJURED, "Kramatorsk"), (3, Category.INJURED, "Sloviansk"), (1, Category.INJURED, "Druzhkivka"),
        (1, Category.INJURED, "Lyman"), (1, Category.INJURED, "Bakhmut")]
    assert "uk.num.each" in found[-1][1]
    assert len({(f.start, f.end) for f, _ in found}) == 5  # each its own span, so its own item id


def test_russian_counts_by_town_in_the_genitive():
    found = figures("За сутки погибли два жителя Торецка, один – Покровска и один – Краматорска.")
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (2, Category.KILLED, "Toretsk"), (1, Category.KILLED, "Pokrovsk"), (1, Category.KILLED, "Kramatorsk")]


def test_a_town_after_the_colon_is_the_place_of_the_count_before():
    (f, rules), = figures("Росіяни вбили 2 мешканців Харківської області: у Куп'янську.")
    assert f.place.name == "Kupiansk" and "cyr.place.clause" in rules


def test_a_count_in_the_oblast_goes_to_the_oblast_the_article_names():
    found = figures("Харківщина: наслідки обстрілів\nУ Куп'янську загинула жінка. Ще 7 людей в області дістали поранення.")
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (1, Category.KILLED, "Kupiansk"), (7, Category.INJURED, "Kharkiv Oblast")]
    assert "uk.place.the_oblast" in found[1][1]


# ---- numbers and categories seen in unseen articles ----------------------------------------

def test_numeral_words_do_not_join_across_a_comma():
    found = figures("Ранены пятеро, двое из них госпитализированы.")
    assert [f.value for f, _ in found] == [5, 2]


def test_thousands_then_the_rest_in_digits():
    f, rules = one("Всього з початку вторгнення знешкоджено 639 тис. 674 од. вибухонебезпечних предметів.")
    assert (f.value, f.category) == (639_674, Category.EXPLOSIVES) and "cyr.num.thousands_and" in rules


@pytest.mark.parametrize("sentence, value, category", [
    ("Під час робіт сапери виявили 971 вибухонебезпечний предмет.", 971, Category.EXPLOSIVES),
    ("Саперы обезвредили 32 боеприпаса.", 32, Category.EXPLOSIVES),
    ("Від початку робіт знешкодили майже 30 тисяч різних вибухівок.", 30_000, Category.EXPLOSIVES),
    ("В селе следователи обнаружили трупы семерых жителей.", 7, Category.BODIES),
    ("Під завалами можуть перебувати ще двоє людей.", 2, Category.MISSING),
    ("Под завалами могут находиться еще три человека.", 3, Category.MISSING),
])
def test_explosives_remains_and_people_under_rubble_are_counted_in_their_category(sentence, value, category):
    f, _ = one(sentence)
    assert (f.value, f.category) == (value, category)


def test_a_part_set_off_by_commas_does_not_hide_the_category_after_it():
    found = figures("Еще как минимум 120 человек, в том числе 15 детей, пострадали.")
    assert [(f.value, f.category) for f, _ in found] == [(120, Category.INJURED), (15, Category.INJURED)]


@pytest.mark.parametrize("sentence, expected", [
    ("Окупанти вбили щонайменше 1200 та поранили щонайменше 3300 мирних мешканців.",
     [(1200, Category.KILLED), (3300, Category.INJURED)]),
    ("Оккупанты убили обстрелами четырех мирных жителей, ранили еще восемь.",
     [(4, Category.KILLED), (8, Category.INJURED)]),
])
def test_the_verb_before_a_count_beats_the_next_clauses_verb(sentence, expected):
    assert [(f.value, f.category) for f, _ in figures(sentence)] == expected


@pytest.mark.parametrize("sentence, category", [
    ("Внаслідок обстрілу зазнала осколкових поранень їхня 42-річна сусідка.", Category.INJURED),
    ("В результате атаки погиб 25-летний сотрудник предприятия.", Category.KILLED),
    ("Врач скончался на месте.", Category.KILLED),
])
def test_one_person_named_by_a_role_or_an_age(sentence, category):
    f, rules = one(sentence)
    assert (f.value, f.category) == (1, category) and any(r.endswith(".num.single") for r in rules)


def test_one_of_a_count_and_an_explosive_are_no_single_person():
    assert figures("Серед загиблих був 14-річний хлопчик.") == []
    assert [f.category for f, _ in figures("В результате взрыва взрывоопасного предмета погиб мужчина.")] == [
        Category.KILLED]


def test_a_headline_figure_elsewhere_than_the_bodys_is_no_repeat():
    found = figures("В Курске при атаке дрона погиб один человек\n"
                    "Ранее в Белгородской области мирный житель погиб в посёлке Малиновка.")
    assert [(f.value, f.category) for f, _ in found] == [(1, Category.KILLED)] * 2 and found[0][0].place.name == "Kursk"


@pytest.mark.parametrize("sentence", [
    "Загиблих та поранених зафіксовано у 16 областях України.",
    "Більшість жертв (69 %) зафіксовано поблизу лінії фронту.",
    "У разі виявлення вибухонебезпечного предмета телефонуйте за номером 101.",
])
def test_counts_of_regions_shares_and_phone_numbers_are_no_figures(sentence):
    assert figures(sentence) == []


def test_a_count_far_from_its_verb_past_in_the_oblast_and_a_time():
    text = "Донеччина: наслідки обстрілів\nЩе 14 людей в області протягом доби дістали поранення."
    (f, rules), = figures(text)
    assert (f.value, f.category, f.place.name) == (14, Category.INJURED, "Donetsk Oblast")


def test_a_relative_clause_after_a_comma_is_no_part_to_step_over():
    (f, _), = figures("На кладовищі виявлено близько 110 траншей, серед яких і могили дітей.")
    assert (f.value, f.category) == (110, Category.GRAVES)


def test_a_total_under_a_headline_placing_it_in_the_country():
    text = ("Війна в Україні забрала життя 9 тисяч цивільних\n"
            "Втрати після початку Росією війни проти України становили 24 тисячі осіб, зокрема 9083 загиблих.")
    found = figures(text)
    assert [(f.value, f.place.name if f.place else None) for f, _ in found][-1] == (9083, "Ukraine")


@pytest.mark.parametrize("text, expected", [
    ("У Покровську загинули двоє людей, у Костянтинівці — один.",
     [(2, Category.KILLED, "Pokrovsk"), (1, Category.KILLED, "Kostiantynivka")]),
    ("Поранення отримали: у Харкові — 5 людей, у Чугуєві — 4, у Лозовій — 3.",
     [(5, Category.INJURED, "Kharkiv"), (4, Category.INJURED, "Chuhuiv"), (3, Category.INJURED, "Lozova")]),
    ("Внаслідок обстрілу загинули: у Бериславі – двоє людей, у Херсоні – одна.",
     [(2, Category.KILLED, "Beryslav"), (1, Category.KILLED, "Kherson")]),
    ("У Куп'янську загинув 65-річний чоловік, у Вовчанську — дві жінки.",
     [(1, Category.KILLED, "Kupiansk"), (2, Category.KILLED, "Vovchansk")]),
])
def test_a_place_then_a_dash_then_a_count_takes_the_category_named_before(text, expected):
    found = figures(text)
    assert [(f.value, f.category, f.place.name) for f, _ in found] == expected
    assert "cyr.cat.list_item" in found[-1][1]


def test_the_lines_of_a_list_under_a_line_ending_in_a_colon_take_its_category():
    text = ("Наслідки обстрілів Херсонщини за добу.\nВнаслідок обстрілів загинули:\n"
            "- у Бериславі – двоє людей;\n- у Херсоні – одна людина.")
    found = figures(text)
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (2, Category.KILLED, "Beryslav"), (1, Category.KILLED, "Kherson")]


def test_an_elliptical_repeat_takes_the_category_of_the_sentence_before():
    found = figures("У Херсоні загинули двоє людей. Ще троє — у Бериславі.")
    assert [(f.value, f.category, f.place.name) for f, _ in found] == [
        (2, Category.KILLED, "Kherson"), (3, Category.KILLED, "Beryslav")]


@pytest.mark.parametrize("sentence, value", [
    ("Загинули одинадцятеро людей.", 11),
    ("Поранення дістали двадцятеро людей.", 20),
])
def test_collective_numerals_from_eleven(sentence, value):
    assert one(sentence)[0].value == value


@pytest.mark.parametrize("text, place", [
    ("Донеччина\nУнаслідок обстрілів загинули троє людей: двоє – у Костянтинівці, ще одна людина – в Покровську.",
     "Donetsk Oblast"),
    ("Унаслідок обстрілів загинули троє людей: двоє – у Костянтинівці, ще одна людина – в Ізюмі.", None),
])
def test_a_total_before_a_list_of_towns_is_their_oblasts_or_no_towns(text, place):
    (total, rules), *items = figures(text)
    assert (total.value, total.place.name if total.place else None) == (3, place)
    assert "cyr.place.list_total" in rules and [f.value for f, _ in items] == [2, 1]


@pytest.mark.parametrize("sentence, value, qualifier", [
    ("Поранено понад десяток людей.", 10, Qualifier.MORE_THAN),
    ("Погибли более десятка человек.", 10, Qualifier.MORE_THAN),
    ("Поранення отримали близько двох десятків людей.", 20, Qualifier.ABOUT),
    ("Ранены полтора десятка человек.", 15, Qualifier.EXACT),
    ("Загинули близько півсотні людей.", 50, Qualifier.ABOUT),
    ("Поранено півтори тисячі людей.", 1500, Qualifier.EXACT),
    ("Загинула тисяча людей.", 1000, Qualifier.EXACT),
])
def test_tens_halves_and_a_thousand_in_words(sentence, value, qualifier):
    f, _ = one(sentence)
    assert (f.value, f.qualifier) == (value, qualifier)


def test_a_region_in_the_speakers_title_is_not_where_it_happened():
    text = ("Четыре человека пострадали при атаке на порт в Феодосии.\n"
            "Напомним, глава Крыма Сергей Аксенов рассказывал, что в результате атаки погиб один человек.")
    found = figures(text)
    assert [(f.value, f.place.name) for f, _ in found] == [(4, "Feodosiya"), (1, "Feodosiya")]
    assert found[-1][0].attribution == "глава Крыма Сергей Аксенов"


@pytest.mark.parametrize("sentence, value", [
    ("У селі внаслідок обстрілу смертельних поранень зазнав 73-річний місцевий житель.", 1),
    ("Двое получили смертельные ранения.", 2),
])
def test_fatal_wounds_are_deaths(sentence, value):
    f, _ = one(sentence)
    assert (f.value, f.category) == (value, Category.KILLED)


def test_a_town_before_beats_a_country_named_in_between():
    text = "У Харкові загинули 3 людини. Це наймасованіший удар в Україні за тиждень. Ще 5 людей поранено."
    assert [(f.value, f.place.name) for f, _ in figures(text)] == [(3, "Kharkiv"), (5, "Kharkiv")]


def test_where_the_wounds_were_said_outright_beats_where_they_are_treated():
    (f, rules), = figures("У Слов'янську медичну допомогу отримали двоє осіб, поранених на території Луганської області.")
    assert (f.value, f.category, f.place.name) == (2, Category.INJURED, "Luhansk Oblast")


@pytest.mark.parametrize("text, place", [
    ("Вечером дроны атаковали Нежин и Нежинский район Черниговской области. Пострадали пять человек.",
     "Chernihiv Oblast"),
    ("Вчора ворог обстріляв с. Кіндрашівка Куп'янського району Харківської області. Поранено двох людей.",
     "Kindrashivka"),
])
def test_a_count_after_a_town_and_its_raion_joined_is_the_oblasts(text, place):
    (f, _), = figures(text)
    assert f.place.name == place


@pytest.mark.parametrize("apostrophe", ["'", "’", "ʼ", "‘", "´", "`"])
def test_a_word_typed_with_any_apostrophe_is_read_places_and_numbers_alike(apostrophe):
    text = (f"Слідчі провели ексгумацію тіл у Куп{apostrophe}янському районі. "
            f"Напередодні ексгумовано п{apostrophe}ятьох людей.")
    assert [(p.name, p.precision.value) for p in find_places_cyr(text, "t", "uk")] == [("Kupiansk Raion", "near")]
    assert [(f.value, f.category.value, f.place.name) for f, _ in figures(text)] == [(5, "bodies", "Kupiansk Raion")]


@pytest.mark.parametrize("text, place", [
    ("Загальна кількість жертв на Донеччині (120 загиблих і 300 поранених) подана без урахування Маріуполя та Волновахи.",
     "Donetsk Oblast"),
    ("Всего в Донецкой области погибли 120 мирных жителей, не считая Мариуполя и Волновахи.", "Donetsk Oblast"),
    ("Окрім Харкова, у Харківській області загинули 120 людей.", "Kharkiv Oblast"),
])
def test_a_place_set_aside_is_not_where_the_count_is(text, place):
    found = figures(text)
    assert [f.place.name for f, _ in found] == [place] * len(found) and found
    assert [rules for _, rules in found if not any(x.endswith(".place.excluded") for x in rules)] == []


def test_besides_that_sets_no_place_aside():
    (f, rules), = figures("Крім того, у Покровську загинули 2 людини.")
    assert f.place.name == "Pokrovsk" and not any(x.endswith(".place.excluded") for x in rules)


@pytest.mark.parametrize("text, value, place", [
    ("На Сумщині семеро цивільних звернулися по медичну допомогу.", 7, "Sumy Oblast"),
    ("У Сумській громаді медичну допомогу отримали четверо чоловіків.", 4, "Sumy"),
    ("У Харкові по медичну допомогу звернулися троє людей.", 3, "Kharkiv"),
    ("В Белгороде за медицинской помощью обратились 5 человек.", 5, "Belgorod"),
    ("Медицинскую помощь получили двое жителей Шебекино.", 2, "Shebekino"),
])
def test_people_who_sought_or_received_medical_help_are_counted_injured(text, value, place):
    (f, rules), = figures(text)
    assert (f.value, f.category, f.place.name) == (value, Category.INJURED, place)
    assert any(x.endswith(".cat.injured_medical") for x in rules)


def test_help_given_to_others_counts_no_one_injured():
    assert figures("Психологи ДСНС надали допомогу 100 мешканцям будинку.") == []


def test_a_count_with_the_same_category_after_a_comma_keeps_the_place_said_after_it():
    (f, _), = figures("У Слов'янську медичну допомогу отримали двоє осіб, поранених на території Луганської області.")
    assert (f.value, f.category, f.place.name) == (2, Category.INJURED, "Luhansk Oblast")


@pytest.mark.parametrize("text", [
    "Шість людей поранені, є руйнування – як минула доба на Харківщині",
    "Как прошли минувшие сутки в Белгородской области: ранены шесть человек.",
])
def test_the_past_day_named_in_any_case_dates_a_count_the_day_before_publication(text):
    (f, rules), = figures(text)
    assert (f.value, f.event_date) == (6, date(2023, 6, 11))
    assert rules[-1].endswith(".date.yesterday")
