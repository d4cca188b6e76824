from datetime import date

import pytest

from geo.model import Category, Precision, Qualifier, TimePrecision
from tests.figure_helpers import (  # real GeoNames coordinates
    BILOPILLIA, IZYUM, KHARKIV_OBLAST, KHERSON, KHERSON_OBLAST, KRAMATORSK, KUPIANSK, LOZOVA,
    ODESA, PAVLOHRAD, SUMY_OBLAST, UKRAINE, ZATOKA,
)
from tests.figure_helpers import figures_of, mention, only
from tests.figure_helpers import sample  # noqa: F401  (a fixture)


# ---- the sample articles, end to end with the real geoparser ----------------------------------


def pick(sample, key, value, category):
    a, figures = sample[key]
    hits = [f for f in figures if f.value == value and f.category is category]
    assert hits, [(f.value, f.category.value, f.counted) for f in figures]
    return a, hits[0]


def test_bucha_street_has_at_least_20_bodies_reported_by_journalists(sample):
    a, f = pick(sample, "000", 20, Category.BODIES)
    assert f.qualifier is Qualifier.AT_LEAST and f.place.name == "Bucha"
    assert f.attribution == "Journalists on the ground"
    assert a.text[f.start:f.end] == "at least 20 bodies"
    assert f.quote == a.text[f.sentence_start:f.sentence_end] and f.quote.startswith("Journalists")


def test_at_least_nine_of_the_bucha_bodies_executed_counts_as_killed(sample):
    _, f = pick(sample, "000", 9, Category.KILLED)
    assert f.qualifier is Qualifier.AT_LEAST and f.place.name == "Bucha" and f.counted == "bodies"


def test_bucha_mayor_fedoruk_reports_300_residents_killed(sample):
    _, f = pick(sample, "000", 300, Category.KILLED)
    assert f.place.name == "Bucha"
    assert f.attribution == "Bucha's mayor, Anatoliy Fedoruk"
    assert f.time_precision is TimePrecision.ARTICLE and f.event_date == date(2022, 4, 3)


def test_dmytrivka_had_more_than_1500_explosives_per_the_emergencies_service(sample):
    _, f = pick(sample, "000", 1500, Category.EXPLOSIVES)
    assert f.qualifier is Qualifier.MORE_THAN and f.place.name == "Dmytrivka"
    assert f.attribution == "Ukraine's emergencies service"


def test_retaken_towns_and_fleeing_troops_are_no_reported_figure(sample):
    assert [f for f in sample["000"][1] if f.value == 30] == []
    assert [f for f in sample["003"][1] if f.counted == "Russian troops"] == []


def test_kyiv_region_410_bodies_confirmed_by_venediktova_on_sunday(sample):
    _, figures = sample["001"]
    f = next(f for f in figures if f.value == 410 and f.qualifier is Qualifier.UP_TO)
    assert f.category is Category.BODIES
    assert f.place.name == "Kyiv Oblast" and f.place.precision is Precision.REGION
    assert f.attribution == "prosecutor general of Ukraine Iryna Venediktova"
    assert (f.event_date, f.time_precision, f.date_text) == (date(2022, 4, 3), TimePrecision.DAY, "on Sunday")


def test_140_examined_are_bodies_in_the_kyiv_region_per_venediktova(sample):
    a, f = pick(sample, "001", 140, Category.BODIES)
    assert a.text[f.start:f.end] == "140"
    assert f.place.name == "Kyiv Oblast" and f.attribution == "Venediktova"


def test_izium_mass_grave_of_more_than_440_bodies_per_police_on_thursday(sample):
    _, figures = sample["003"]
    f = next(f for f in figures if f.value == 440 and f.qualifier is Qualifier.MORE_THAN)
    assert f.category is Category.BODIES and f.place.geonameid == IZYUM["geonameid"]
    assert "Bolvinov" in f.attribution
    assert (f.event_date, f.time_precision) == (date(2022, 9, 15), TimePrecision.DAY)
    assert f.date_text == "on Thursday (Sept 15)"


def test_izium_victims_estimated_at_1000_in_a_dated_tweet(sample):
    _, f = pick(sample, "003", 1000, Category.KILLED)
    assert f.qualifier is Qualifier.ESTIMATED and f.place.geonameid == IZYUM["geonameid"]
    assert f.attribution == "@olex_scherba" and f.event_date == date(2022, 9, 15)


def test_all_47_residents_of_one_izium_building_died(sample):
    _, f = pick(sample, "003", 47, Category.KILLED)
    assert f.qualifier is Qualifier.EXACT and f.place.geonameid == IZYUM["geonameid"]
    assert f.attribution == "@Gerashchenko_en"


def test_izium_forest_has_up_to_400_graves(sample):
    _, f = pick(sample, "004", 400, Category.GRAVES)
    assert f.qualifier is Qualifier.UP_TO and f.place.geonameid == IZYUM["geonameid"] and f.attribution is None
    assert f.time_precision is TimePrecision.ARTICLE and f.event_date == date(2022, 9, 15)


def test_no_date_distance_year_or_duration_in_the_samples_becomes_a_figure(sample):
    spans = {a.text[f.start:f.end].lower() for a, figures in sample.values() for f in figures}
    values = {f.value for _, figures in sample.values() for f in figures}
    # 23 miles, March 31, 2022, the 1990s, 45-foot-long, 2,400 square miles, Sept 15, February 24
    assert {23, 31, 2022, 1990, 45, 2400, 15, 24 * 1} & values - {24} == set()
    assert not any(s.startswith(("one", "two years", "five weeks", "seven months")) for s in spans)


def test_every_sample_figure_quotes_its_own_sentence(sample):
    for a, figures in sample.values():
        for f in figures:
            assert a.text[f.sentence_start:f.sentence_end] == f.quote
            assert f.sentence_start <= f.start < f.end <= f.sentence_end


# ---- figures, places and speakers of one sentence, with hand-made mentions --------------------

def test_kramatorsk_station_strike_counts_52_killed_and_five_children():
    text = ("At least 52 people were killed, including five children, when a Russian missile struck "
            "the railway station in Kramatorsk, regional governor Pavlo Kyrylenko said.")
    found = figures_of(text, places=[mention(text, "Kramatorsk", KRAMATORSK)])
    killed = [(f.value, f.qualifier, f.counted) for f in found if f.category is Category.KILLED]
    assert killed == [(52, Qualifier.AT_LEAST, "people"), (5, Qualifier.EXACT, "children")]
    assert all(f.place.name == "Kramatorsk" for f in found)
    assert found[0].attribution == "regional governor Pavlo Kyrylenko"


# ---- figures in sentences from other events ---------------------------------------------------

@pytest.mark.parametrize("sentence, value, high, qualifier, category, counted", [
    ("Officials said about 300 people were killed in the airstrike on the Mariupol drama theatre.",
     300, None, Qualifier.ABOUT, Category.KILLED, "people"),
    ("A Russian missile strike on a cafe in the village of Hroza killed 59 people.",
     59, None, Qualifier.EXACT, Category.KILLED, "people"),
    ("Rescuers pulled 12 bodies from the rubble of the apartment block.",
     12, None, Qualifier.EXACT, Category.BODIES, "bodies"),
    ("Dozens injured as missiles hit Kharkiv.", 24, 99, Qualifier.ABOUT, Category.INJURED, "injured"),
    ("There were two children among the dead, the State Emergency Service said.",
     2, None, Qualifier.EXACT, Category.KILLED, "children"),
    ("The death toll rose to 21 on Saturday, officials said.",
     21, None, Qualifier.EXACT, Category.KILLED, "death toll"),
    ("Deminers removed 3,000 mines from farmland around Kherson.",
     3000, None, Qualifier.EXACT, Category.EXPLOSIVES, "mines"),
    ("More than 100 people were injured in the attack on Vinnytsia, police said.",
     100, None, Qualifier.MORE_THAN, Category.INJURED, "people"),
    ("Two people are missing after the strike on Odesa.", 2, None, Qualifier.EXACT, Category.MISSING, "people"),
    ("Police said at least 445 graves had been found in the forest.",
     445, None, Qualifier.AT_LEAST, Category.GRAVES, "graves"),
    ("About 200 civilian bodies were exhumed in Lyman, Ukrainian officials said.",
     200, None, Qualifier.ABOUT, Category.BODIES, "civilian bodies"),
    ("Twenty-one people, including a 10-year-old boy, were killed when a missile hit Serhiivka.",
     21, None, Qualifier.EXACT, Category.KILLED, "people"),
    ("The strike, which hit at 10am, left 14 dead.", 14, None, Qualifier.EXACT, Category.KILLED, "dead"),
    ("In Mariupol, scores of civilians were killed in the siege.",
     40, 199, Qualifier.ABOUT, Category.KILLED, "civilians"),
    ("A dozen people were hurt in Zaporizhzhia, according to the regional administration.",
     12, None, Qualifier.ABOUT, Category.INJURED, "people"),
    ("Ukraine's emergency service said 1,200 explosive devices were defused in one week.",
     1200, None, Qualifier.EXACT, Category.EXPLOSIVES, "explosive devices"),
    ("Nearly two hundred residents were killed during the occupation.",
     200, None, Qualifier.ABOUT, Category.KILLED, "residents"),
    ("Hundreds of bodies were found in the forest, officials said.",
     200, 999, Qualifier.ABOUT, Category.BODIES, "bodies"),
    ("The Kremlin claims 50 Ukrainian soldiers were killed.",
     50, None, Qualifier.EXACT, Category.KILLED, "Ukrainian soldiers"),
    ("Upwards of 30 corpses were exhumed from the pit.",
     30, None, Qualifier.MORE_THAN, Category.BODIES, "corpses"),
    ("Three civilians were killed and none injured.", 3, None, Qualifier.EXACT, Category.KILLED, "civilians"),
    ("Roughly 40 people remain unaccounted for.", 40, None, Qualifier.ABOUT, Category.MISSING, "people"),
    ("One person was killed when a drone hit a house.", 1, None, Qualifier.EXACT, Category.KILLED, "person"),
    ("Investigators have so far exhumed up to 146 bodies.", 146, None, Qualifier.UP_TO, Category.BODIES, "bodies"),
])
def test_figure_in_a_sentence_from_another_event(sentence, value, high, qualifier, category, counted):
    f = only(sentence)
    assert (f.value, f.value_high, f.qualifier, f.category, f.counted) == (value, high, qualifier, category, counted)


def test_bodies_of_twelve_people_among_them_four_children_are_both_bodies():
    found = figures_of("The bodies of 12 people, among them four children, were recovered in Uman.")
    assert [(f.value, f.category) for f in found] == [(12, Category.BODIES), (4, Category.BODIES)]


def test_wounded_and_killed_in_one_sentence_are_told_apart():
    found = figures_of("Prosecutors said 15 people were wounded and three killed by shelling.")
    assert [(f.value, f.category) for f in found] == [(15, Category.INJURED), (3, Category.KILLED)]


def test_a_part_of_bodies_already_counted_is_not_a_new_figure():
    found = figures_of("AFP journalists reported two of the bodies had their hands tied behind their backs.")
    assert found == []


@pytest.mark.parametrize("sentence", [
    "A 43-year-old man was detained.",
    "Putin has held Crimea since the 2014 annexation.",
    "Russian forces fired 155mm shells at the town.",
    "The city was under occupation for 18 months.",
    "Bucha lies 23 miles northwest of the capital.",
    "The town is around 30 kilometres north-west of Kyiv.",
    "Satellite imagery shows a 45-foot-long trench at the mass grave.",
    "Forces retook roughly 2,400 square miles of territory.",
    "I demand new devastating G7 sanctions now.",
    "It was the 3rd attack this week and the first on the city.",
    "The aid package is worth $5m, or £100, and 5 million euros.",
    "Some 70 percent of the houses were destroyed, and 40% had no power.",
    "Call 0800 123 456 for help.",
    "The amount of dead citizens on one street alone. pic.twitter.com/KOSwISih6N — Viktoriia (@ViktoriiaUAH) April 1, 2022",
    "It is one of the largest burial sites in a big town.",
    "One video shows patrol cars zig-zagging through the street.",
    "The strike happened at 14:30 on March 31.",
    "It was the biggest mass grave since the Balkan wars of the 1990s.",
    "After more than five weeks of brutal fighting, a month-long occupation ended.",
    "He could be ousted within TWO YEARS, say analysts aged 43 and 50.",
    "Follow @user123 and #Bucha2022 for updates from 2022-09-16.",
    "Nearly seven months into the war, the offensive continued.",
    "A mass grave was found.",
    # Counts of something that did not happen at a place: populations, forces, weapons, towns.
    "An estimated 1.5 million people have fled the region.",
    "Thousands of Russian troops fled the town at the weekend.",
    "Kherson, a city of about 280,000 people before the war, lost power.",
    "The village had a pre-war population of about 3,000 people.",
    "Russia launched 40 missiles and 70 drones overnight, the air force said.",
    "Ukrainian forces retook more than 20 villages near Kupiansk.",
    "About 900 people were sheltering in the theatre at the time.",
])
def test_non_figures_are_not_figures(sentence):
    assert figures_of(sentence) == []


def test_figure_without_a_date_in_its_text_carries_the_publication_date_as_article_precision():
    f = only("Rescuers pulled 12 bodies from the rubble.", published=date(2023, 1, 16))
    assert (f.event_date, f.time_precision, f.date_text) == (date(2023, 1, 16), TimePrecision.ARTICLE, "")


def test_figure_dated_by_a_weekday_in_its_sentence():
    f = only("On Saturday, rescuers pulled 12 bodies from the rubble in Dnipro.", published=date(2023, 1, 16))
    assert (f.event_date, f.time_precision, f.date_text) == (date(2023, 1, 14), TimePrecision.DAY, "On Saturday")


def test_undated_article_gives_no_event_date_for_relative_words():
    f = only("Yesterday rescuers pulled 12 bodies from the rubble.", published=None)
    assert (f.event_date, f.time_precision) == (None, TimePrecision.ARTICLE)


def test_children_among_the_killed_keep_the_killed_category():
    found = figures_of("Prosecutors said 1,346 civilians had been killed in the Kyiv region, 40 of them children.")
    assert [(f.value, f.category, f.counted) for f in found] == [
        (1346, Category.KILLED, "civilians"), (40, Category.KILLED, "children")]


def test_shells_fired_are_not_explosives_found():
    assert figures_of("Russia fired 300 shells at Kharkiv overnight.") == []
    assert only("Sappers removed 40 unexploded shells from the school.").category is Category.EXPLOSIVES


def test_some_of_the_bodies_described_but_not_counted_anew_are_skipped():
    found = figures_of("Nine bodies were found in a mass grave in Lyman; two of them had their hands tied.")
    assert [(f.value, f.category) for f in found] == [(9, Category.BODIES)]


def test_killed_and_wounded_in_one_clause_are_two_figures():
    found = figures_of("The attack killed at least 20 people and wounded 35 others, the governor said.")
    assert [(f.value, f.category, f.counted) for f in found] == [
        (20, Category.KILLED, "people"), (35, Category.INJURED, "others")]


def test_children_among_the_dead_are_killed():
    assert only("Among the dead were 11 children, officials said.").category is Category.KILLED


# ---- rules added for unseen articles: each from a sentence about an event not in the eval set ----


def test_prisoners_killed_are_casualties_not_troop_counts():
    f = only("An explosion at a penal colony near Donetsk killed 12 prisoners, the camp administration said.")
    assert (f.value, f.category, f.counted) == (12, Category.KILLED, "prisoners")


def test_a_bare_number_after_killed_or_injured_ends_at_a_preposition():
    found = figures_of("The drone attack on Sumy killed two and injured 14 on Tuesday, the regional administration said.")
    assert [(f.value, f.category) for f in found] == [(2, Category.KILLED), (14, Category.INJURED)]


def test_a_death_toll_far_from_its_number_still_counts_the_killed():
    f = only("The number of people killed when a Russian drone hit a five-storey residential building in the "
             "southern port city of Odesa on Saturday has risen to 12, officials said.")
    assert (f.value, f.category, f.qualifier) == (12, Category.KILLED, Qualifier.EXACT)


def test_part_of_a_group_that_died_is_killed_not_the_group_category():
    found = figures_of("Twenty people were injured in the attack on Sumy; three of them later died in hospital.")
    assert [(f.value, f.category) for f in found] == [(20, Category.INJURED), (3, Category.KILLED)]


@pytest.mark.parametrize("sentence, value, high, category", [
    ("Between 10 and 15 people were injured when shells hit the market in Nikopol.", 10, 15, Category.INJURED),
    ("Police said 10-15 bodies were found in the basement of the school.", 10, 15, Category.BODIES),
    ("Two to three people are still missing under the rubble, rescuers said.", 2, 3, Category.MISSING),
    ("Several people were injured when a drone hit a bus in Kherson.", 3, 9, Category.INJURED),
    ("A few civilians were wounded by shrapnel in the village.", 2, 5, Category.INJURED),
])
def test_ranges_and_vague_small_amounts_are_kept_as_ranges(sentence, value, high, category):
    f = only(sentence)
    assert (f.value, f.value_high, f.qualifier, f.category) == (value, high, Qualifier.ABOUT, category)


def test_a_rise_from_one_toll_to_another_is_not_a_range():
    assert [(f.value, f.value_high) for f in figures_of("The toll of people killed rose from 12 to 15.")] != [(12, 15)]


@pytest.mark.parametrize("sentence", [
    "Residents spent several days in the basement.",
    "The front line lies a few kilometres to the east.",
    "It was the 10-15 May offensive that broke the line.",
])
def test_vague_amounts_of_time_and_distance_are_not_figures(sentence):
    assert figures_of(sentence) == []


def test_a_headline_figure_repeated_in_the_body_is_left_to_the_body():
    text = ("Kherson death toll rises to 14\n"
            "The number of people killed by shelling of a bus stop in Kherson on Sunday has risen to 14, officials said.\n")
    f = only(text, places=[mention(text, "Kherson", KHERSON, nth=1)], published=date(2023, 5, 9))
    assert (f.value, f.event_date, f.date_text) == (14, date(2023, 5, 7), "on Sunday")


def test_a_further_figure_continues_the_event_before_it():
    text = ("Shelling killed five people in Kherson on Monday, the governor said.\n"
            "A further 12 people were injured.\n")
    found = figures_of(text, places=[mention(text, "Kherson", KHERSON)], published=date(2023, 5, 10))
    assert [(f.value, f.place.name, f.event_date) for f in found] == [
        (5, "Kherson", date(2023, 5, 8)), (12, "Kherson", date(2023, 5, 8))]


def test_an_undated_figure_takes_the_date_of_the_previous_sentence_of_its_paragraph():
    text = "Rescue work began on April 28 after the strike. Seventeen people were injured."
    f = only(text, published=date(2023, 4, 30))
    assert (f.event_date, f.time_precision) == (date(2023, 4, 28), TimePrecision.DAY)


def test_the_previous_day_is_the_day_before_publication():
    f = only("Shelling killed three civilians over the previous day, the administration said.", published=date(2023, 8, 7))
    assert (f.event_date, f.time_precision) == (date(2023, 8, 6), TimePrecision.DAY)


def test_a_wire_dateline_does_not_date_the_event():
    f = only("ZAPORIZHZHIA, Oct 7 (Reuters) - A missile strike killed three people on Thursday, officials said.",
             published=date(2022, 10, 7))
    assert (f.event_date, f.date_text) == (date(2022, 10, 6), "on Thursday")


# ---- rules that generalise past the dev set (each checked on an event of its own) -------------


def placed(found):
    return [(f.value, f.category, f.place.name if f.place else None) for f in found]


@pytest.mark.parametrize("sentence, value, category", [
    ("Twelve passengers, including three children, were injured when a drone hit a bus.", 12, Category.INJURED),
    ("Three people — a driver and two passengers on their way to market — were killed by the blast.", 3,
     Category.KILLED),
    ("Eleven people drowned when floodwater swept through the village, rescuers said.", 11, Category.KILLED),
    ("Prosecutors opened a case into the killing of 14 civilians at a checkpoint.", 14, Category.KILLED),
    ("Two deminers were killed when their vehicle hit an anti-tank mine.", 2, Category.KILLED),
    ("Investigators exhumed the bodies of 12 Ukrainian soldiers from a trench.", 12, Category.BODIES),
    ("Sappers removed 120 TM-62 anti-tank mines from the fields.", 120, Category.EXPLOSIVES),
    ("Deminers have removed more than 1,200 explosive items since the spring.", 1200, Category.EXPLOSIVES),
])
def test_what_a_number_counts_is_read_past_asides_models_and_less_common_nouns(sentence, value, category):
    f = figures_of(sentence)[0]
    assert (f.value, f.category) == (value, category)


# ---- generalisation round (tests/fixtures/dev2): each rule on a sentence about another event ----

def test_a_casualty_word_ends_the_thing_counted_in_a_headline():
    assert only("Odesa: 14 injured after Russian missiles hit the port").category is Category.INJURED


def test_an_elliptical_count_takes_the_casualty_before_it_and_its_own_place():
    text = "Three people were killed in Kupiansk and one in Lozova, where six more were wounded."
    places = [mention(text, "Kupiansk", KUPIANSK), mention(text, "Lozova", LOZOVA)]
    assert placed(figures_of(text, places=places)) == [
        (3, Category.KILLED, "Kupiansk"), (1, Category.KILLED, "Lozova"), (6, Category.INJURED, "Lozova")]


def test_an_elliptical_count_reaches_past_a_population_aside():
    text = "Officials said nine people were killed in Odesa, a city of about one million people, and two in Zatoka."
    places = [mention(text, "Odesa", ODESA), mention(text, "Zatoka", ZATOKA)]
    casualties = [f for f in placed(figures_of(text, places=places)) if f[1] is not Category.OTHER]
    assert casualties == [(9, Category.KILLED, "Odesa"), (2, Category.KILLED, "Zatoka")]


def test_a_link_to_another_story_gives_no_figures():
    assert figures_of("Read more: Drone strike on Odesa kills 3, injures 12") == []


def test_one_picked_out_of_a_group_is_not_a_count():
    assert figures_of("One of the city's best-known surgeons was killed in the strike.") == []


def test_an_age_aside_does_not_hide_the_predicate():
    text = "One man, aged 71, was wounded in Lozova."
    assert placed(figures_of(text, places=[mention(text, "Lozova", LOZOVA)])) == [(1, Category.INJURED, "Lozova")]


def test_a_day_later_moves_on_from_the_date_before():
    text = "On April 2, a missile hit Kramatorsk, killing two people. A day later, shelling killed five more."
    places = [mention(text, "Kramatorsk", KRAMATORSK)]
    found = figures_of(text, places=places)
    assert [(f.value, f.event_date) for f in found] == [(2, date(2022, 4, 2)), (5, date(2022, 4, 3))]


def test_a_weekday_on_the_verb_of_saying_dates_the_statement_not_the_strike():
    text = ("A drone attack on Bilopillia killed four people, officials said Sunday.\n"
            "The attack late Saturday hit a market.\n")
    f = only(text, published=date(2022, 4, 4), places=[mention(text, "Bilopillia", BILOPILLIA)])
    assert f.event_date == date(2022, 4, 2)


def test_a_town_by_town_breakdown_takes_the_date_of_the_regional_total():
    text = ("Russian attacks on Kharkiv Oblast killed five civilians on April 6, the governor said.\n"
            "Three people were killed in Kupiansk and two in Lozova.\n")
    places = [mention(text, "Kharkiv Oblast", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK), mention(text, "Lozova", LOZOVA)]
    found = figures_of(text, places=places)
    assert [(f.value, f.place.name, f.event_date) for f in found] == [
        (5, "Kharkiv Oblast", date(2022, 4, 6)), (3, "Kupiansk", date(2022, 4, 6)), (2, "Lozova", date(2022, 4, 6))]


def test_a_linked_headline_repeating_a_body_figure_is_left_to_the_body():
    text = ("War diary\n"
            "A missile hit the railway station in Kramatorsk on April 8, killing 52 people.\n"
            "- Kramatorsk station strike toll rises to 52\n")
    f = only(text, places=[mention(text, "Kramatorsk", KRAMATORSK)])
    assert f.event_date == date(2022, 4, 8) and f.place.name == "Kramatorsk"


# ---- rules from the dev3 round (live blogs, UN updates, Russian-side reports, explainers) -----------

def test_a_year_after_since_is_not_a_count_of_mines():
    assert placed(figures_of("Since 2023 mines have killed 14 farmers in the region.")) == [(14, Category.KILLED, None)]


def test_people_still_in_hospital_are_injured_but_patients_in_a_struck_hospital_are_not():
    assert only("Doctors said 12 people remain in hospital after the strike.").category is Category.INJURED
    assert figures_of("Doctors said 200 patients were in the hospital when the missile hit.") == []


def test_people_buried_in_a_mass_grave_are_bodies():
    f = only("Investigators said 57 people were buried in a mass grave near the forest.")
    assert (f.value, f.category) == (57, Category.BODIES)


@pytest.mark.parametrize("sentence, expected", [
    ("A 64-year-old woman was killed in Kupiansk.", [(1, Category.KILLED, "Kupiansk")]),
    ("Shelling of Kupiansk killed a 40-year-old man and injured two people.",
     [(1, Category.KILLED, "Kupiansk"), (2, Category.INJURED, "Kupiansk")]),
    ("A man and a woman were wounded in Kupiansk.", [(2, Category.INJURED, "Kupiansk")]),
    ("A 44-year-old and a 62-year-old man were wounded in Kupiansk.", [(2, Category.INJURED, "Kupiansk")]),
    ("Three people were killed in Kupiansk, including a 12-year-old boy.", [(3, Category.KILLED, "Kupiansk")]),
    ("Two civilians, a 30-year-old man and his wife, were killed in Kupiansk.", [(2, Category.KILLED, "Kupiansk")]),
    ("Police in Kupiansk are looking for a man who was injured in a fight.", []),
])
def test_one_person_named_with_a_is_a_figure_of_one(sentence, expected):
    assert placed(figures_of(sentence, places=[mention(sentence, "Kupiansk", KUPIANSK)])) == expected


def test_a_region_by_region_breakdown_takes_the_month_of_the_national_total():
    text = ("From 1 to 30 September 2024, the mission recorded 574 civilian casualties in Ukraine: 127 killed and 447 injured.\n"
            "Most were caused by guided bombs and artillery.\n"
            "Region breakdown\n"
            "In Kharkiv region, 29 civilians were killed and 120 injured.\n"
            "In Kherson region, 18 civilians were killed.\n")
    places = [mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY),
              mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kherson region", KHERSON_OBLAST, precision=Precision.REGION)]
    found = figures_of(text, published=date(2024, 10, 8), places=places)
    dated = {(f.value, f.place.name): (f.event_date, f.time_precision) for f in found}
    month = (date(2024, 9, 1), TimePrecision.MONTH)
    assert dated[(29, "Kharkiv Oblast")] == month and dated[(18, "Kherson Oblast")] == month


def test_shot_dead_and_sustained_wounds_are_casualties():
    text = "On April 9, soldiers at the school shot dead three men, aged 45, 50 and 67, villagers said."
    assert [(f.value, f.category) for f in figures_of(text)] == [(3, Category.KILLED)]
    text = "Russian troops shelled Lozova with mortars. A 61-year-old woman sustained shrapnel wounds."
    found = figures_of(text, places=[mention(text, "Lozova", LOZOVA)])
    assert placed(found) == [(1, Category.INJURED, "Lozova")]


def test_a_count_with_its_place_put_first_takes_the_noun_before_it():
    text = "According to prosecutors, 412 civilians are missing in Kherson region; in Sumy region, 96."
    places = [mention(text, "Kherson region", KHERSON_OBLAST, precision=Precision.REGION),
              mention(text, "Sumy region", SUMY_OBLAST, precision=Precision.REGION)]
    assert placed(figures_of(text, places=places)) == [(412, Category.MISSING, "Kherson Oblast"),
                                                        (96, Category.MISSING, "Sumy Oblast")]


def test_figures_after_a_dated_scene_at_the_same_town_take_its_day():
    text = ("Rescue operation in Pavlohrad completed\n"
            "At 02:40 on 14 June, a missile partly destroyed a four-storey building in Pavlohrad.\n"
            "The operation lasted 30 hours. Rescuers recovered 6 bodies. 21 people were injured.\n")
    places = [mention(text, "Pavlohrad", PAVLOHRAD, nth=k) for k in range(2)]
    found = figures_of(text, published=date(2023, 6, 15), places=places)
    assert [(f.value, f.event_date) for f in found] == [(6, date(2023, 6, 14)), (21, date(2023, 6, 14))]


def test_a_person_and_a_relative_named_together_count_two_and_a_relative_hurt_counts_one():
    assert [(f.value, f.category) for f in figures_of(
        "A man and his seven-year-old daughter were killed when a drone hit their car.")] == [(2, Category.KILLED)]
    assert [(f.value, f.category) for f in figures_of(
        "A glide bomb hit a pharmacy, killing a 60-year-old woman and injuring her son.")] == [
        (1, Category.KILLED), (1, Category.INJURED)]
    assert [(f.value, f.category) for f in figures_of(
        "A drone struck a rescue crew near the village, killing a firefighter, 35, and the driver.")] == [
        (2, Category.KILLED)]


def test_a_bare_count_after_its_verb_ends_at_near():
    found = figures_of("In Sumy itself, shelling on Monday killed one person and injured two near a bus station, the governor said.\n")
    assert [(f.value, f.category) for f in found] == [(1, Category.KILLED), (2, Category.INJURED)]


def test_zero_dead_is_not_a_figure():
    found = figures_of("Kharkiv region, evening summary: 3 injured in Chuhuiv, 0 dead.\n")
    assert [(f.value, f.category) for f in found] == [(3, Category.INJURED)]


def test_part_of_residents_listed_as_missing_is_missing():
    found = figures_of("In Vuhledar, about 40 residents stayed through the winter, and 7 of them are listed as missing by officials.\n")
    assert [(f.value, f.category) for f in found] == [(7, Category.MISSING)]


def test_part_of_evacuees_with_nothing_said_is_not_a_casualty():
    found = figures_of("Police evacuated 120 people from Vovchansk on Tuesday, 30 of them children.\n")
    assert [(f.value, f.category) for f in found] == [(120, Category.EVACUATED)]


def test_a_person_with_the_age_in_commas_whose_fate_is_stated_is_one_casualty():
    f = only("A man, 71, was wounded when a shell hit his yard, the governor said.")
    assert (f.value, f.category) == (1, Category.INJURED)


def test_an_age_aside_gives_each_town_its_own_casualty():
    text = "A man, 58, was injured in Lozova and three women were hurt in Kupiansk, he said."
    places = [mention(text, "Lozova", LOZOVA), mention(text, "Kupiansk", KUPIANSK)]
    found = [(f.value, f.category, f.place.name) for f in figures_of(text, places=places)]
    assert found == [(1, Category.INJURED, "Lozova"), (3, Category.INJURED, "Kupiansk")]


def test_a_toll_raised_before_it_is_named_takes_its_new_value():
    text = ("Searchers found two more bodies under the collapsed school in Bilopillia, bringing the death toll "
            "from last week's glide-bomb strike on the town to 19, police said.\n")
    found = figures_of(text, places=[mention(text, "Bilopillia", BILOPILLIA)])
    assert [(f.value, f.category, f.counted, f.place.name) for f in found] == [
        (2, Category.BODIES, "more bodies", "Bilopillia"), (19, Category.KILLED, "death toll", "Bilopillia")]


@pytest.mark.parametrize("sentence, expected", [
    # a part of a casualty count keeps its category
    ("At least 23 people were killed in the strike on Uman. Of them, 6 are children.",
     [(23, Category.KILLED), (6, Category.KILLED)]),
    ("Thirty people were wounded in the attack. Of those, 9 were children.",
     [(30, Category.INJURED), (9, Category.INJURED)]),
    ("Fourteen people were killed in Zaporizhzhia. Among them were 3 children.",
     [(14, Category.KILLED), (3, Category.KILLED)]),
    ("Shelling killed 12 civilians in Kherson; 5 were women.", [(12, Category.KILLED), (5, Category.KILLED)]),
    ("At least 19 people were injured, 4 of whom are children.", [(19, Category.INJURED), (4, Category.INJURED)]),
    ("The bodies of 146 people were exhumed in Lyman. 85 of them were men.",
     [(146, Category.BODIES), (85, Category.BODIES)]),
    ("Ten people were killed and 35 injured. Of the dead, four were children.",
     [(10, Category.KILLED), (35, Category.INJURED), (4, Category.KILLED)]),
    # how many of the injured are worst off repeats a count already given
    ("Two people were killed and 10 injured; of the injured, three are in critical condition.",
     [(2, Category.KILLED), (10, Category.INJURED)]),
    # what happened to people decides, also when the words are not "killed" or "injured"
    ("Forty-one people were taken to hospital after the strike on Sumy.", [(41, Category.INJURED)]),
    ("After the explosion, 17 residents sought medical help.", [(17, Category.INJURED)]),
    ("Eleven people are believed to be trapped under the rubble.", [(11, Category.MISSING)]),
    ("Two men were taken away by soldiers and never seen again.", [(2, Category.MISSING)]),
])
def test_a_count_of_people_takes_the_category_of_what_happened_to_them(sentence, expected):
    assert [(f.value, f.category) for f in figures_of(sentence)] == expected


@pytest.mark.parametrize("sentence, value, category", [
    ("Rescuers pulled 46 survivors from the rubble of the building.", 46, Category.RESCUED),
    ("Emergency workers rescued 12 people from the basement.", 12, Category.RESCUED),
    ("Eight residents were pulled alive from the debris overnight.", 8, Category.RESCUED),
    ("Police evacuated 230 residents from Vovchansk on Monday.", 230, Category.EVACUATED),
    ("Some 600 children were evacuated from the district.", 600, Category.EVACUATED),
    ("The drone strike damaged 14 private houses in Odesa.", 14, Category.BUILDINGS),
    ("Three houses were destroyed in Orikhiv.", 3, Category.BUILDINGS),
])
def test_counts_that_are_not_casualties_keep_a_named_kind(sentence, value, category):
    assert [(f.value, f.category) for f in figures_of(sentence)] == [(value, category)]


def test_no_figure_leaves_the_extractor_as_other(sample):
    found = [f for _, figures in sample.values() for f in figures]
    assert found and Category.OTHER not in {f.category for f in found}


@pytest.mark.parametrize("sentence, expected", [
    ("A man and woman died when a drone hit their car near Kupiansk.", [(2, Category.KILLED, "Kupiansk")]),
    ("A 70-year-old woman died after shelling of Kupiansk on Monday.", [(1, Category.KILLED, "Kupiansk")]),
    ("Another woman was wounded on Sunday in Kupiansk.", [(1, Category.INJURED, "Kupiansk")]),
    ("Shelling of Kupiansk killed two people and injured another, the governor said.",
     [(2, Category.KILLED, "Kupiansk"), (1, Category.INJURED, "Kupiansk")]),
    ("A drone killed one man in Kupiansk and wounded another person.",
     [(1, Category.KILLED, "Kupiansk"), (1, Category.INJURED, "Kupiansk")]),
    ("Police in Kupiansk said a man died of a heart attack while another was injured in a fight.", []),
])
def test_another_person_and_a_person_who_died_are_figures_of_one(sentence, expected):
    assert placed(figures_of(sentence, places=[mention(sentence, "Kupiansk", KUPIANSK)])) == expected


def test_another_before_a_count_is_not_a_person_of_its_own():
    sentence = "Shelling of Kupiansk killed two people and injured another 12 people."
    assert (1, Category.INJURED, "Kupiansk") not in placed(
        figures_of(sentence, places=[mention(sentence, "Kupiansk", KUPIANSK)]))


def test_only_between_a_casualty_verb_and_its_number_is_read_past():
    assert [(f.value, f.category) for f in figures_of(
        "Because of the rain the team recovered the bodies of only four soldiers.")] == [(4, Category.BODIES)]
    assert [(f.value, f.category) for f in figures_of(
        "The strike on the depot killed only two people, officials said.")] == [(2, Category.KILLED)]


def test_a_raions_dated_figure_is_no_regional_total_for_a_town_told_of_after_it():
    from geo.figures import extract_figures
    from geo.geoparse import find_places
    from geo.model import Article
    text = ("Civilians hurt in Russian attacks on Kharkiv Oblast\n\n"
            "A man was injured in the Chuhuiv district in an attack on Sunday night.\n"
            "Russian troops shelled the town of Vovchansk in the afternoon of 6 June.\n"
            "Two women were injured there.\n")
    found = extract_figures(Article(id="t", file="t.txt", text=text, published=date(2024, 6, 9)),
                            find_places(text, "t"))
    vovchansk = [f for f in found if f.place is not None and f.place.name == "Vovchansk"]
    assert [(f.value, f.event_date) for f in vovchansk] == [(2, date(2024, 6, 6))]


def _dated_figures(text, published):
    from geo.figures import extract_figures
    from geo.geoparse import find_places
    from geo.model import Article
    found = extract_figures(Article(id="t", file="t.txt", text=text, published=published), find_places(text, "t"))
    return [(f.value, f.category, f.event_date) for f in found]


def test_a_toll_of_this_weeks_attack_takes_the_day_the_article_gives_the_strike():
    text = ("Odesa strike toll rises\n\n"
            "The death toll from Russia's missile barrage on Odesa this week has risen to 14, officials said on Saturday.\n"
            "The missile hit a port warehouse in Odesa on Wednesday morning, the governor said.\n")
    assert (14, Category.KILLED, date(2024, 5, 1)) in _dated_figures(text, date(2024, 5, 4))


def test_overnight_is_the_night_the_next_sentence_names_when_it_names_one():
    text = ("Dnipro apartment block strike\n\n"
            "The death toll in Dnipro has risen to 12, officials said.\n"
            "The block in Dnipro was one of several buildings hit by missiles in the overnight attack on Dnipro. "
            "The governor described the strike as a direct hit on the building early on Tuesday.\n")
    assert (12, Category.KILLED, date(2024, 4, 30)) in _dated_figures(text, date(2024, 5, 2))


def test_a_figure_told_elsewhere_takes_the_day_of_the_lead_story_not_one_recalled_after_it():
    text = ("Drone attack on Kharkiv kills three\n\n"
            "A Russian drone attack on Kharkiv overnight killed three people, the mayor said. "
            "Rescuers were still searching the rubble on Saturday morning.\n"
            "Elsewhere in Ukraine, another person was killed and eight injured in the city of Sumy.\n"
            "The strikes came days after a missile attack on Ukraine last Monday killed 11 people in Kharkiv.\n")
    assert (8, Category.INJURED, date(2024, 5, 4)) in _dated_figures(text, date(2024, 5, 4))


def test_a_person_found_dead_is_a_figure_of_one():
    assert [(f.value, f.category) for f in figures_of(
        "A 70-year-old man was found dead in the ruins of his house on Sunday morning.")] == [(1, Category.KILLED)]


@pytest.mark.parametrize("sentence, expected", [
    ("Three women and a man were taken to hospital with shrapnel wounds.", [(4, Category.INJURED)]),
    ("The strike killed two soldiers and a civilian at the checkpoint.", [(3, Category.KILLED)]),
    ("Shelling killed two people and a child was injured.", [(2, Category.KILLED), (1, Category.INJURED)]),
    ("Russian shelling killed 3 people and a dog.", [(3, Category.KILLED)]),
])
def test_a_count_and_one_person_named_after_it_are_one_figure(sentence, expected):
    assert [(f.value, f.category) for f in figures_of(sentence)] == expected


def test_a_figure_after_an_on_the_same_day_sentence_takes_the_day_it_refers_back_to():
    text = ("Deminers at work in Sumy region\n\n"
            "On April 3, deminers cleared 12 hectares of farmland. On the same day, they checked 4 km of roads. "
            "Deminers also destroyed 85 explosive devices.\n")
    assert (85, Category.EXPLOSIVES, date(2024, 4, 3)) in _dated_figures(text, date(2024, 4, 5))


@pytest.mark.parametrize("sentence", [
    "A video clip of the aftermath showed a burning car and at least two bodies lying near a wall.",
    "The mayor posted a video detailing several casualties among the children.",
    "One body could also be briefly seen.",
])
def test_what_a_video_shows_is_no_reported_count(sentence):
    assert figures_of(sentence) == []


def test_a_count_reported_beside_a_video_is_still_a_figure():
    assert [(f.value, f.category) for f in figures_of(
        "Three people were killed, the governor said in a video address.")] == [(3, Category.KILLED)]
