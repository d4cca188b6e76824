from datetime import date

from geo.figures import extract_figures
from geo.geoparse import find_places
from geo.model import Article, Category, PlaceMention, Precision
from tests.figure_helpers import (  # real GeoNames coordinates
    BAKHMUT, BELGOROD, BELGOROD_OBLAST, BILOPILLIA, BUCHA, DNIPRO_OBLAST, IRPIN, IZYUM, KHARKIV,
    KHARKIV_OBLAST, KHERSON, KHERSON_OBLAST, KOSTIANTYNIVKA, KRAMATORSK, KRASNOPILLIA, KUPIANSK,
    KYIV, LOZOVA, LVIV, ODESA, ODESA_OBLAST, PAVLOHRAD, SHEVCHENKOVE, SUMY_OBLAST, TERNIVKA,
    UKRAINE, ZATOKA,
)
from tests.figure_helpers import figures_of, mention, only
from tests.figure_helpers import sample  # noqa: F401  (a fixture)


def placed(found):
    return [(f.value, f.category, f.place.name if f.place else None) for f in found]


# ---- the place a figure is about: clause, paragraph, headline, region and country rules ------

def test_place_in_the_figures_clause_beats_one_named_in_comparison():
    text = ("Rescuers found 20 bodies in Izyum, a scene President Zelensky likened to Bucha.")
    f = only(text, places=[mention(text, "Izyum", IZYUM), mention(text, "Bucha", BUCHA)])
    assert f.place.geonameid == IZYUM["geonameid"]


def test_place_falls_back_to_the_previous_sentence_of_the_paragraph():
    text = "Police entered Bucha on Saturday. They found at least 20 bodies in one street."
    f = only(text, places=[mention(text, "Bucha", BUCHA)])
    assert f.place.name == "Bucha"


def test_place_does_not_leak_across_paragraphs_without_a_dominant_town():
    text = ("Police entered Bucha on Saturday.\n\nRescuers elsewhere found 12 bodies.\n\n"
            "Kyiv was calm; Irpin was shelled.")
    places = [mention(text, "Bucha", BUCHA), mention(text, "Kyiv", KYIV), mention(text, "Irpin", IRPIN)]
    assert only(text, places=places).place is None


def test_an_article_overwhelmingly_about_one_town_lends_it_to_unplaced_figures():
    text = ("Izyum was liberated. Izyum lies in ruins.\n\nMore than 100 bodies were exhumed.\n\n"
            "Investigators returned to Izyum, not Kyiv.")
    places = [mention(text, "Izyum", IZYUM, nth=k) for k in range(3)] + [mention(text, "Kyiv", KYIV)]
    assert only(text, places=places).place.name == "Izyum"


def test_country_named_as_a_speaker_is_not_the_place_of_the_figure():
    text = "Ukraine's emergency service said 12 bodies were recovered."
    ukraine = PlaceMention(article="t", start=0, end=7, mention="Ukraine", name="Ukraine", lat=49.0,
                           lon=32.0, precision=Precision.COUNTRY, country="UA")
    assert only(text, places=[ukraine]).place is None


def test_a_town_beats_the_oblast_named_as_its_locator():
    text = "A drone struck a kindergarten in the town of Bilopillia in Sumy Oblast, killing two people."
    places = [mention(text, "Bilopillia", BILOPILLIA),
              mention(text, "Sumy Oblast", SUMY_OBLAST, precision=Precision.REGION)]
    assert only(text, places=places).place.name == "Bilopillia"


def test_a_region_named_first_keeps_a_figure_spread_over_its_towns():
    text = "In the Kharkiv region, shelling killed four civilians, including in Kupiansk and Lozova."
    places = [mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK), mention(text, "Lozova", LOZOVA)]
    assert only(text, places=places).place.name == "Kharkiv Oblast"


def test_an_officials_title_region_is_not_the_place_when_the_paragraph_names_the_town():
    text = ("Shells hit the centre of Kupiansk overnight. Oleh Syniehubov, the head of the Kharkiv regional "
            "military administration, said six people were injured in the town.")
    places = [mention(text, "Kupiansk", KUPIANSK),
              mention(text, "Kharkiv", KHARKIV_OBLAST, precision=Precision.REGION)]
    assert only(text, places=places).place.name == "Kupiansk"


def test_a_title_region_outranks_a_town_outside_it():
    text = "Fighting raged around Bakhmut. The Kharkiv regional governor said three civilians were killed."
    places = [mention(text, "Bakhmut", BAKHMUT),
              mention(text, "Kharkiv", KHARKIV_OBLAST, precision=Precision.REGION)]
    assert only(text, places=places).place.name == "Kharkiv Oblast"


def test_a_figure_across_the_country_is_placed_in_the_country():
    text = "The UN said it had recorded 9,000 civilian deaths across Ukraine."
    ukraine = PlaceMention(article="t", start=text.index("Ukraine"), end=text.index("Ukraine") + 7, mention="Ukraine",
                           name="Ukraine", lat=50.45466, lon=30.5238, precision=Precision.COUNTRY, country="UA")
    assert only(text, places=[ukraine]).place.name == "Ukraine"


def test_a_place_named_right_after_in_the_same_paragraph_places_the_figure():
    text = "Nine people were injured, he said on Telegram. Lozova, a railway junction, has been shelled for weeks."
    assert only(text, places=[mention(text, "Lozova", LOZOVA)]).place.name == "Lozova"


def test_a_next_sentence_with_its_own_figure_does_not_lend_its_place():
    text = "Twelve people were killed.\n\nIn Kherson, three more were injured."
    found = figures_of(text, places=[mention(text, "Kherson", KHERSON)])
    assert [(f.value, f.place.name if f.place else None) for f in found] == [(12, None), (3, "Kherson")]


def test_the_headline_label_town_places_figures_of_paragraphs_that_name_none():
    text = ("Lozova: rescuers search rubble after missile strike on apartment block\n"
            "A Russian missile hit a five-storey building in Lozova on Wednesday night, officials said.\n"
            "Eleven people were injured and four are missing, the emergency service said.\n")
    places = [mention(text, "Lozova", LOZOVA), mention(text, "Lozova", LOZOVA, nth=1)]
    found = figures_of(text, places=sorted(places, key=lambda p: p.start))
    assert [(f.value, f.category, f.place.name) for f in found] == [
        (11, Category.INJURED, "Lozova"), (4, Category.MISSING, "Lozova")]
    assert found[0].place.confidence < 1.0


def test_a_headline_town_the_opening_paragraph_does_not_name_is_not_lent():
    text = ("Missiles hit Odesa as talks stall\n"
            "Air defences were active over the south of the country on Monday, officials said.\n"
            "Separately, seven people were injured by shelling, police said.\n")
    assert only(text, places=[mention(text, "Odesa", ODESA)]).place is None


def test_the_same_witnesses_also_seeing_more_stay_where_they_were(sample):
    a, figures = sample["001"]
    f = next(f for f in figures if f.value == 2 and f.category is Category.BODIES)
    assert f.place.name == "Bucha" and f.attribution == "The AP journalists"


def test_witnesses_who_also_saw_something_do_not_lend_a_place_to_other_sources():
    text = ("Reporters in Kherson saw 12 bodies on Monday.\n\n"
            "Police also said 30 people were missing in the region.")
    found = figures_of(text, places=[mention(text, "Kherson", KHERSON)])
    assert [(f.value, f.place.name if f.place else None) for f in found] == [(12, "Kherson"), (30, None)]


def test_a_national_toll_beats_a_town_named_earlier_in_the_sentence():
    text = ("A missile hit a shopping centre in Dnipro during a wave of strikes across the country that killed "
            "at least 14 people, Ukraine's interior ministry said.")
    places = [mention(text, "Dnipro", dict(KYIV, name="Dnipro", admin1="04")),
              mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY)]
    assert placed(figures_of(text, places=places)) == [(14, Category.KILLED, "Ukraine")]


def test_a_standfirst_town_the_lede_names_places_figures_of_paragraphs_that_name_none():
    text = ("Missile strike on clinic in Dnipropetrovsk region\n"
            "Doctors were moving patients out of the clinic in Pavlohrad when the missile struck, officials say\n"
            "A Russian missile hit a clinic on Tuesday morning, the regional administration said on Telegram.\n"
            "Rescuers searched the rubble of the clinic in Pavlohrad for survivors throughout the day.\n"
            "Four people were killed and 19 injured, the emergency service said.\n")
    places = [mention(text, "Dnipropetrovsk region", DNIPRO_OBLAST, precision=Precision.REGION),
              mention(text, "Pavlohrad", PAVLOHRAD), mention(text, "Pavlohrad", PAVLOHRAD, nth=1)]
    assert placed(figures_of(text, places=places)) == [
        (4, Category.KILLED, "Pavlohrad"), (19, Category.INJURED, "Pavlohrad")]


def test_a_city_district_is_not_a_town_of_its_own():
    text = ("Explosions shook Kharkiv at dawn. A drone hit a dormitory in the Shevchenkivskyi district of the city, "
            "injuring five students.")
    places = [mention(text, "Kharkiv", KHARKIV), mention(text, "Shevchenkivskyi", SHEVCHENKOVE)]
    assert placed(figures_of(text, places=places)) == [(5, Category.INJURED, "Kharkiv")]


def test_a_town_the_clause_names_after_its_region_is_where_the_figure_happened():
    text = "In the Sumy region, two people were killed when a drone hit a car in the village of Krasnopillia."
    places = [mention(text, "Sumy region", SUMY_OBLAST, precision=Precision.REGION),
              mention(text, "Krasnopillia", KRASNOPILLIA)]
    assert placed(figures_of(text, places=places)) == [(2, Category.KILLED, "Krasnopillia")]


def test_a_place_named_only_to_locate_another_is_not_the_figures_place():
    text = "In Kostiantynivka, west of Bakhmut, the mayor said shelling had wounded four people overnight."
    places = [mention(text, "Kostiantynivka", KOSTIANTYNIVKA), mention(text, "Bakhmut", BAKHMUT)]
    assert placed(figures_of(text, places=places)) == [(4, Category.INJURED, "Kostiantynivka")]


def test_another_name_for_a_place_is_not_a_second_place():
    text = "The Kherson region, called Khersonskaya by Russian officials, reported nine deaths from shelling."
    places = [mention(text, "Kherson region", KHERSON_OBLAST, precision=Precision.REGION),
              mention(text, "Khersonskaya", KHERSON)]
    assert placed(figures_of(text, places=places)) == [(9, Category.KILLED, "Kherson Oblast")]


def test_a_part_counted_in_a_town_does_not_move_the_whole():
    text = "Storm surges flooded the Odesa region coast, where 12 people drowned, five of them in Zatoka."
    places = [mention(text, "Odesa region", ODESA_OBLAST, precision=Precision.REGION), mention(text, "Zatoka", ZATOKA)]
    assert placed(figures_of(text, places=places)) == [
        (12, Category.KILLED, "Odesa Oblast"), (5, Category.KILLED, "Zatoka")]


def test_the_region_refers_back_to_the_region_last_named():
    text = ("Drones attacked the Dnipropetrovsk region overnight, officials said.\n"
            "In the southern part of the region, a strike on a farm killed two tractor drivers.\n")
    places = [mention(text, "Dnipropetrovsk region", DNIPRO_OBLAST, precision=Precision.REGION)]
    assert placed(figures_of(text, places=places)) == [(2, Category.KILLED, "Dnipropetrovsk Oblast")]


def test_a_next_sentence_opening_on_its_own_place_does_not_lend_it_backwards():
    text = ("The Sumy regional governor said 40 civilians had been killed by shelling in border areas this year. "
            "In Krasnopillia, a drone destroyed a shop.")
    places = [mention(text, "Sumy", SUMY_OBLAST, precision=Precision.REGION),
              mention(text, "Krasnopillia", KRASNOPILLIA)]
    assert placed(figures_of(text, places=places)) == [(40, Category.KILLED, "Sumy Oblast")]


def test_figures_from_elsewhere_do_not_take_the_headline_town():
    text = ("Lozova: rescuers search rubble after missile strike\n"
            "A Russian missile hit a five-storey building in Lozova on Wednesday night, officials said.\n"
            "Elsewhere, three people were injured by shelling, police said.\n")
    places = [mention(text, "Lozova", LOZOVA), mention(text, "Lozova", LOZOVA, nth=1)]
    assert placed(figures_of(text, places=places)) == [(3, Category.INJURED, None)]


def test_a_part_counted_in_a_city_leaves_the_regional_total_in_the_region():
    text = ("Shelling has killed at least 90 civilians in the Kharkiv region since January, including 25 in the "
            "city of Kupiansk.")
    places = [mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK)]
    assert placed(figures_of(text, places=places)) == [
        (90, Category.KILLED, "Kharkiv Oblast"), (25, Category.KILLED, "Kupiansk")]


def test_a_place_between_two_casualty_figures_belongs_to_the_first():
    text = "Shelling killed three people in Kupiansk and one man was wounded in the village of Shevchenkove."
    places = [mention(text, "Kupiansk", KUPIANSK), mention(text, "Shevchenkove", SHEVCHENKOVE)]
    assert placed(figures_of(text, places=places)) == [
        (3, Category.KILLED, "Kupiansk"), (1, Category.INJURED, "Shevchenkove")]


def test_a_place_left_out_of_a_toll_is_not_its_place():
    text = "Russian strikes have killed 1,200 civilians in the Kharkiv region this year, not counting Kupiansk."
    places = [mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK)]
    assert placed(figures_of(text, places=places)) == [(1200, Category.KILLED, "Kharkiv Oblast")]


def test_a_country_locating_a_town_is_not_the_figures_place():
    text = "A missile hit a shopping centre in Pavlohrad, a city in Ukraine's east, injuring 17 people."
    places = [mention(text, "Pavlohrad", PAVLOHRAD), mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY)]
    assert placed(figures_of(text, places=places)) == [(17, Category.INJURED, "Pavlohrad")]


def test_a_district_named_after_a_town_is_not_the_town():
    text = "In the Kharkiv region, shelling killed two tractor drivers in the Kupiansk district."
    places = [mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK)]
    assert placed(figures_of(text, places=places)) == [(2, Category.KILLED, "Kharkiv Oblast")]


def test_the_speakers_description_is_not_the_figures_place():
    text = ("In Kherson, shelling killed one man and wounded four people, said Roman Mrochko, the head of the "
            "city military administration in Kherson Oblast.")
    places = [mention(text, "Kherson", KHERSON),
              mention(text, "Kherson Oblast", KHERSON_OBLAST, precision=Precision.REGION)]
    found = figures_of(text, places=places)
    assert placed(found) == [(1, Category.KILLED, "Kherson"), (4, Category.INJURED, "Kherson")]
    assert found[0].attribution == "Roman Mrochko"


def test_a_toll_spread_over_many_oblasts_is_placed_in_the_country():
    text = ("Ukraine's energy minister said Russia's overnight barrage killed at least five people and cut power "
            "in 12 oblasts, from Lviv in the west to Kharkiv in the east.")
    places = [mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY), mention(text, "Lviv", LVIV),
              mention(text, "Kharkiv", KHARKIV)]
    assert placed(figures_of(text, places=places)) == [(5, Category.KILLED, "Ukraine")]


def test_a_toll_over_two_towns_goes_to_their_region_or_nowhere():
    text = "Rockets killed six people overnight in the towns of Pavlohrad and Ternivka in the Dnipropetrovsk region."
    places = [mention(text, "Pavlohrad", PAVLOHRAD), mention(text, "Ternivka", TERNIVKA),
              mention(text, "Dnipropetrovsk region", DNIPRO_OBLAST, precision=Precision.REGION)]
    assert placed(figures_of(text, places=places)) == [(6, Category.KILLED, "Dnipropetrovsk Oblast")]
    text = "Drones killed four people in Kupiansk and Lozova."
    places = [mention(text, "Kupiansk", KUPIANSK), mention(text, "Lozova", LOZOVA)]
    assert placed(figures_of(text, places=places)) == [(4, Category.KILLED, None)]


def test_a_figure_at_a_village_the_geoparser_missed_borrows_no_other_town():
    text = "Shelling killed two people in Kupiansk, and one in the village of Pishchane, where a house burned."
    places = [mention(text, "Kupiansk", KUPIANSK)]
    assert placed(figures_of(text, places=places)) == [(2, Category.KILLED, "Kupiansk"), (1, Category.KILLED, None)]


def test_a_place_named_only_to_locate_a_town_is_not_the_figures_place():
    text = "A missile hit a residential area of Pavlohrad near the Ternivka mine, killing three people."
    places = [mention(text, "Pavlohrad", PAVLOHRAD), mention(text, "Ternivka", TERNIVKA)]
    assert placed(figures_of(text, places=places)) == [(3, Category.KILLED, "Pavlohrad")]


def test_the_ledes_town_stands_in_for_a_headline_naming_no_place():
    text = ("Double Strike On Hospital Kills Six\n"
            "A drone hit the central hospital in Kupiansk on Monday, killing six people, officials said.\n"
            "Kupiansk lies on the Oskil river. Rescuers in Kupiansk worked through the night.\n"
            "The first drone killed two people, the regional administration said.\n")
    places = [mention(text, "Kupiansk", KUPIANSK, nth=k) for k in range(3)]
    found = figures_of(text, places=places)
    assert (2, Category.KILLED, "Kupiansk") in placed(found)


def test_a_breakdown_in_brackets_belongs_to_the_region_not_the_town_most_of_it_happened_in():
    text = ("In Kharkiv Oblast, police registered 64 civilian casualties (19 killed and 45 injured), "
            "most of them in the city of Kupiansk.")
    places = [mention(text, "Kharkiv Oblast", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK)]
    assert [(v, p) for v, _, p in placed(figures_of(text, places=places))] == [
        (19, "Kharkiv Oblast"), (45, "Kharkiv Oblast")]


def test_in_the_country_is_a_national_toll_but_the_countrys_east_is_not():
    text = "Officials in Kyiv gave new data on Friday. Ukraine's juvenile prosecutors said 540 children had been killed in the country."
    places = [mention(text, "Kyiv", KYIV), mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY)]
    assert placed(figures_of(text, places=places)) == [(540, Category.KILLED, "Ukraine")]
    text = "Ukraine's army said shelling killed three people in the country's east."
    places = [mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY)]
    assert placed(figures_of(text, places=places)) == [(3, Category.KILLED, None)]


def test_a_whole_war_toll_with_no_place_of_its_own_is_the_countrys():
    text = ("Ukraine marked a day of mourning. Shelling hit Kharkiv again on Tuesday. "
            "The UN says it has confirmed more than 10,500 civilian deaths since the full-scale invasion.")
    places = [mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY), mention(text, "Kharkiv", KHARKIV)]
    assert placed(figures_of(text, places=places)) == [(10500, Category.KILLED, "Ukraine")]
    text = "Ukraine marked a day of mourning. In Kharkiv, 1,200 people have died in the city since the invasion."
    places = [mention(text, "Ukraine", UKRAINE, precision=Precision.COUNTRY), mention(text, "Kharkiv", KHARKIV)]
    assert placed(figures_of(text, places=places)) == [(1200, Category.KILLED, "Kharkiv")]


def test_a_capital_speaking_for_its_government_is_not_the_figures_place():
    text = "Shelling hit Bakhmut again on Monday. Kyiv says 30 residents were killed there last week."
    places = [mention(text, "Bakhmut", BAKHMUT), mention(text, "Kyiv", KYIV)]
    assert placed(figures_of(text, places=places)) == [(30, Category.KILLED, "Bakhmut")]


def test_a_governor_named_after_his_city_speaks_for_the_region():
    text = ("Drones hit the Belgorod region again on Sunday, the Russian defence ministry said.\n"
            "Belgorod's acting governor said three people were killed.")
    places = [mention(text, "Belgorod region", BELGOROD_OBLAST, precision=Precision.REGION),
              mention(text, "Belgorod", BELGOROD, nth=1)]
    assert placed(figures_of(text, places=places)) == [(3, Category.KILLED, "Belgorod Oblast")]


def test_a_headline_label_named_like_its_oblast_gives_way_to_the_headline_town():
    text = ("Kharkiv: drone strike on Kupiansk market kills four\n"
            "A Russian drone hit the crowded central market in Kupiansk on Monday morning, killing four people.\n"
            "At least 11 people were injured, officials said.\n")
    places = [mention(text, "Kharkiv", dict(KHARKIV, region="Kharkiv Oblast")),
              mention(text, "Kupiansk", KUPIANSK), mention(text, "Kupiansk", KUPIANSK, nth=1)]
    assert (11, Category.INJURED, "Kupiansk") in placed(figures_of(text, places=places))


def test_the_town_of_the_hospital_the_wounded_were_taken_to_is_not_where_they_were_hurt():
    text = ("Russian artillery shelled Kupiansk on Tuesday morning. Four more residents, including a teenage "
            "boy, were wounded and rushed to hospitals in Kharkiv.")
    places = [mention(text, "Kupiansk", KUPIANSK), mention(text, "Kharkiv", KHARKIV)]
    assert placed(figures_of(text, places=places)) == [(4, Category.INJURED, "Kupiansk")]
    text = "A missile strike damaged a hospital in Kharkiv, killing two people."
    assert placed(figures_of(text, places=[mention(text, "Kharkiv", KHARKIV)])) == [(2, Category.KILLED, "Kharkiv")]


def test_others_injured_across_the_region_are_the_regions():
    text = ("- In Kharkiv region, Russian strikes killed three people in Kupiansk and one in Lozova, and wounded "
            "nine others across the region, the governor said.")
    places = [mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK), mention(text, "Lozova", LOZOVA)]
    assert placed(figures_of(text, places=places)) == [
        (3, Category.KILLED, "Kupiansk"), (1, Category.KILLED, "Lozova"), (9, Category.INJURED, "Kharkiv Oblast")]


def test_a_place_in_a_bracketed_aside_is_not_the_figures_place():
    text = ("On June 4, a guided bomb hit the centre of Lozova (not to be confused with the village of the same "
            "name in Kherson region), killing a 70-year-old man.")
    places = [mention(text, "Lozova", LOZOVA), mention(text, "Kherson region", KHERSON_OBLAST, precision=Precision.REGION)]
    assert placed(figures_of(text, places=places)) == [(1, Category.KILLED, "Lozova")]


def test_a_sentence_set_at_a_village_the_geoparser_missed_borrows_no_town_before_it():
    text = "In Kupiansk, investigators exhumed 9 bodies. In Pidlisne, on the river bank, 3 bodies were found in a car."
    found = figures_of(text, places=[mention(text, "Kupiansk", KUPIANSK)])
    assert placed(found) == [(9, Category.BODIES, "Kupiansk"), (3, Category.BODIES, None)]


def test_a_hromada_that_locates_an_unplaced_village_is_not_the_town_pin():
    text = ("Strike on Kramatorsk\n"
            "A missile hit Kramatorsk and Kramatorsk railway station. Kramatorsk was hit again at noon.\n"
            "Later, artillery shelled the village of Dobrivka in the Kramatorsk community. A 70-year-old man was wounded.\n")
    places = [mention(text, "Kramatorsk", KRAMATORSK, nth=k) for k in range(5)]
    found = figures_of(text, places=places)
    assert [(f.value, f.place) for f in found] == [(1, None)]


def test_a_town_in_a_governor_title_is_not_where_a_figure_happened():
    text = "Belgorod Governor Vyacheslav Gladkov said two men were wounded by a drone near a farm.\n"
    found = figures_of(text, places=[mention(text, "Belgorod", BELGOROD)])
    assert [(f.value, f.place) for f in found] == [(2, None)]


def test_a_figure_spread_over_towns_goes_to_the_region_the_sentence_names_even_as_a_locator():
    text = ("Since the recapture of the east of Kharkiv region, more than 60 bodies have been exhumed in Kupiansk, "
            "Lozova and nearby villages, police said.\n")
    places = [mention(text, "Kharkiv region", KHARKIV_OBLAST, precision=Precision.REGION),
              mention(text, "Kupiansk", KUPIANSK), mention(text, "Lozova", LOZOVA)]
    found = figures_of(text, places=places)
    assert [(f.value, f.place.name if f.place else None) for f in found] == [(60, "Kharkiv Oblast")]


def _placed(text):
    found = extract_figures(Article(id="t", file="t.txt", text=text, published=date(2024, 5, 1)), find_places(text, "t"))
    return [(f.value, f.category, f.place.name if f.place else None) for f in found]


def test_the_governor_of_ukraines_region_is_a_title_not_the_place_of_the_wounded():
    text = ("Drones hit apartment blocks in the town of Pokrovsk on Friday, killing at least three people and "
            "wounding 14, the governor of Ukraine's Donetsk region said.\n")
    assert _placed(text) == [(3, Category.KILLED, "Pokrovsk"), (14, Category.INJURED, "Pokrovsk")]


def test_a_total_over_several_listed_oblasts_is_pinned_at_none_of_them():
    text = "In October the mission recorded 30 civilians killed and 120 injured in Sumy, Chernihiv and Kharkiv oblasts.\n"
    assert _placed(text) == [(30, Category.KILLED, None), (120, Category.INJURED, None)]


def test_a_town_right_after_its_region_is_the_scene_of_the_next_clause():
    text = ("Across the river in the Kherson region, Beryslav was shelled 12 times by drones; 1 woman was injured, "
            "governor Oleksandr Prokudin said.\n")
    assert _placed(text) == [(1, Category.INJURED, "Beryslav")]


def _parsed(text, published=date(2024, 5, 1)):
    return placed(extract_figures(Article(id="t", file="t.txt", text=text, published=published), find_places(text, "t")))


def test_a_statement_figure_takes_the_one_town_its_opening_paragraph_names():
    text = ("Kharkiv Regional Military Administration — official statement\n"
            "This morning, at about 06:10, the enemy struck the town of Lozova with a guided aerial bomb. "
            "A warehouse and two houses were damaged.\n"
            "According to preliminary data, 2 people were killed. 4 more were injured.\n"
            "We urge residents to stay in shelters during air raid alerts.\n")
    assert _parsed(text)[1:] == [(2, Category.KILLED, "Lozova"), (4, Category.INJURED, "Lozova")]


def test_an_opening_paragraph_naming_two_towns_lends_neither():
    text = ("Kharkiv Regional Military Administration — official statement\n"
            "This morning, at about 06:10, the enemy struck the towns of Lozova and Kupiansk with guided aerial bombs. "
            "A warehouse and two houses were damaged.\n"
            "According to preliminary data, 2 people were killed.\n")
    assert _parsed(text)[1:] == [(2, Category.KILLED, None)]


def test_a_regional_gov_abbreviation_is_the_speakers_title_not_the_scene():
    text = ("Russian drone strike on Kherson kills three\n"
            "A Russian drone hit a market in Kherson on Tuesday, killing three people, officials said.\n"
            "Kherson regional Gov. Oleksandr Prokudin said the drone struck at midday. "
            "Four people were wounded, he said.\n")
    found = _parsed(text)
    assert (4, Category.INJURED, "Kherson") in found
    assert all(p != "Kherson Oblast" for _, _, p in found)


def test_ukraine_in_a_monitoring_missions_name_is_not_where_the_toll_happened():
    text = ("UN report on shelling\n"
            "The UN human rights monitoring mission in Ukraine said on Friday that shelling had killed at least "
            "40 civilians in Nikopol since January.\n")
    assert _parsed(text) == [(40, Category.KILLED, "Nikopol")]


# ---- one answer, whichever rule reads a place first ------------------------------------------

TITLE_THEN_REGION = ("Air defence was active overnight, said Oleh Syniehubov, head of the regional administration\n"
                     "Kharkiv region was shelled overnight.\n"
                     "Three people were injured across the region.")


def test_the_region_across_which_people_were_hurt_is_the_same_whichever_rule_reads_it_first():
    # The region's own sentence starts on its own line: the title on the line before is the speaker's.
    with_a_figure_first = TITLE_THEN_REGION.replace("shelled overnight.", "shelled overnight, and 2 houses were hit.")
    for text in (TITLE_THEN_REGION, with_a_figure_first):
        article = Article(id="t", file="t.txt", text=text)
        injured = next(f for f in extract_figures(article, find_places(text, "t")) if f.value == 3)
        assert injured.place.name == "Kharkiv Oblast"


def test_a_place_reads_the_same_to_a_region_look_back_and_to_its_own_sentence():
    from geo.figures import _CANDIDATE_ANY_CASE
    from geo.placing import PlaceContext
    from geo.text import sentences

    text = TITLE_THEN_REGION
    places, sents = find_places(text, "t"), sentences(text)
    looked_back_first = PlaceContext(text, sents, places, _CANDIDATE_ANY_CASE)
    read_first = PlaceContext(text, sents, places, _CANDIDATE_ANY_CASE)
    assert read_first.best_alone(sents[1])[0].name == "Kharkiv Oblast"
    assert looked_back_first.region_before(len(text)) == read_first.region_before(len(text)) == places[0]


def test_a_figure_in_a_raion_is_placed_at_the_raion_and_a_village_in_it_beats_the_raion():
    text = "Two people were killed in Chuhuiv district on Monday, the governor said."
    (f,) = extract_figures(Article(id="t", file="t.txt", text=text, published=date(2024, 5, 1)), find_places(text, "t"))
    assert f.place.name == "Chuhuiv Raion" and f.place.precision is Precision.REGION
    assert _parsed("A mine injured two tractor drivers near the village of Kurylivka in the Kupiansk district.") \
        == [(2, Category.INJURED, "Kurylivka")]


def test_the_region_refers_back_to_the_oblast_never_to_a_raion_named_since():
    text = ("Shelling hit Donetsk Oblast again. Every town in the Pokrovsk district is under fire. "
            "Russian forces have killed 2,996 civilians in the part of the region they do not occupy.")
    assert _parsed(text) == [(2996, Category.KILLED, "Donetsk Oblast")]


def test_an_unplaced_repeat_of_a_claim_takes_the_place_the_article_gives_it():
    quoted = ("A missile strike on Monday killed four people in the city of Sumy, the governor said.\n\n"
              "\"Four residents have been killed,\" he wrote on Telegram.")
    assert _parsed(quoted) == [(4, Category.KILLED, "Sumy"), (4, Category.KILLED, "Sumy")]
    standfirst = ("Officials say 3 civilians died when shells hit a market.\n\n"
                  "Russian shelling killed three civilians and wounded two in the town of Vovchansk on Friday.")
    assert (3, Category.KILLED, "Vovchansk") in _parsed(standfirst)
    assert (3, Category.KILLED, None) not in _parsed(standfirst)


def test_a_repeat_is_not_placed_when_the_article_places_the_claim_in_two_towns_or_refers_back_to_it():
    two_towns = ("Two people were killed in Kherson on Monday. Two people were killed in Nikopol on Tuesday.\n\n"
                 "\"Two people were killed,\" the official said. \"We mourn them.\"")
    assert (2, Category.KILLED, None) in _parsed(two_towns)
    whole = ("In April, 5 medics were killed and 12 injured across the country.\n\n"
             "In Kharkiv region, 3 of the 5 medics killed in April died in drone strikes.")
    assert (5, Category.KILLED, None) in _parsed(whole)


def test_the_town_where_most_of_a_total_happened_is_not_the_place_of_the_total():
    assert (14, Category.KILLED, "Donetsk Oblast") in _parsed(
        "Russian shelling killed 14 civilians in Donetsk region on Monday, the most in Kostiantynivka - 6 people.")
    assert (9, Category.INJURED, "Kharkiv Oblast") in _parsed(
        "Nine people were injured in Kharkiv region overnight, the most in Kupiansk.")


def test_a_foreign_capital_an_attack_or_a_comment_comes_from_is_not_the_place():
    text = ("A missile attack on a town near the front line has killed 12 civilians, officials say of the "
            "latest strike from Moscow.")
    assert _parsed(text) == [(12, Category.KILLED, None)]
    assert _parsed("There was no immediate comment from Moscow. Thousands of civilians have been killed "
                   "in the war.") == [(2000, Category.KILLED, None)]


def test_the_region_in_a_sentence_whose_official_heads_a_region_is_that_region():
    text = ("Mass graves have been found around Izium in Kharkiv region.\n\n"
            "The head of the Luhansk region, Artem Lysogor, said that 52 bodies have been exhumed in the "
            "liberated villages of the region.")
    assert (52, Category.BODIES, "Luhansk Oblast") in _parsed(text)


def test_the_region_after_only_an_officials_title_is_the_region_of_that_title():
    text = ("A Russian strike killed two people in the town of Kupiansk on Sunday.\n\n"
            "Six other people were wounded, Kharkiv governor Oleh Syniehubov said.\n\n"
            "Earlier, he said at least five people had been killed and nine wounded across the region over the past day.")
    found = _parsed(text)
    assert (5, Category.KILLED, "Kharkiv Oblast") in found and (9, Category.INJURED, "Kharkiv Oblast") in found


def test_elsewhere_in_the_country_is_not_the_place_of_a_figure_whose_town_is_named():
    text = ("A drone attack on Odesa overnight killed two people.\n\n"
            "Elsewhere in Ukraine, another man was killed and four injured in the city of Kryvyi Rih.")
    found = _parsed(text, published=date(2024, 5, 1))
    assert (1, Category.KILLED, "Kryvyi Rih") in found and (1, Category.KILLED, "Ukraine") not in found


def test_a_headline_naming_only_a_region_lends_it_like_a_headline_town():
    text = ("Deminers cleared 80 hectares in Mykolaiv region this week\n\n"
            "MYKOLAIV REGION, May 3 - Deminers cleared 80 hectares of farmland in Mykolaiv region between April 26 "
            "and May 2, the regional administration said.\n"
            "On May 2 alone they cleared 12 hectares. They also destroyed 140 explosive devices.\n")
    assert (140, Category.EXPLOSIVES, "Mykolaiv Oblast") in _parsed(text, published=date(2024, 5, 3))


def test_a_headline_region_or_town_is_not_lent_to_liberated_territories_or_the_whole_war():
    text = ("Exhumations continue in Kharkiv region\n\n"
            "In the Kharkiv region, police exhumed the bodies of 12 civilians near Izium on Tuesday, the regional "
            "police said.\n"
            "In all recently liberated settlements, about 900 bodies have been exhumed.\n"
            "Over two years of the full-scale war, sappers defused more than 300,000 explosive devices.\n")
    found = _parsed(text, published=date(2023, 5, 3))
    assert (900, Category.BODIES, None) in found and (300000, Category.EXPLOSIVES, None) in found


def test_a_one_sentence_paragraph_reads_on_from_the_short_line_before_it():
    text = ("Civilians hurt in Russian shelling of Sumy and Chernihiv oblasts\n\n"
            "Russian troops shelled border communities of two oblasts on Monday.\n"
            "Shelling of settlements was recorded throughout the day in Sumy Oblast. Seven houses were damaged.\n"
            "Three people were injured.\n")
    assert (3, Category.INJURED, "Sumy Oblast") in _parsed(text)


def test_a_one_sentence_paragraph_does_not_borrow_the_line_before_when_the_headline_names_the_town():
    text = ("Kharkiv: glide bomb hits apartment block\n\n"
            "A glide bomb hit an apartment block in Kharkiv on Friday, the mayor said.\n"
            "Earlier, the head of Kyiv's military administration said air defence had been active.\n"
            "Seven people were injured.\n")
    assert (7, Category.INJURED, "Kharkiv") in _parsed(text)


def test_a_village_of_a_named_community_is_placed_at_the_village_not_the_communitys_town():
    text = "In Bilozerske of Dobropillia community, 4 people were injured, 6 houses were damaged."
    assert (4, Category.INJURED, "Dobropillia") not in _parsed(text)
    assert _parsed("In Mykolaivka of Sloviansk community, 2 people were injured.") == [(2, Category.INJURED, "Mykolaivka")]


def test_a_figure_located_only_by_a_point_of_the_compass_takes_no_other_clauses_place():
    text = ("Two people died after a drone hit a car in the southern Mykolaiv region, officials said, "
            "while a 50-year-old man was wounded by shelling in the northeast.")
    assert (1, Category.INJURED, None) in _parsed(text)
    assert (2, Category.KILLED, "Mykolaiv Oblast") in _parsed(text)
    assert (30, Category.KILLED, None) in _parsed(
        "The minister, speaking in Lviv, said about 30 soldiers were killed every day in the east.")


def test_a_wire_datelines_town_is_lent_to_no_other_sentence():
    text = ("Mass grave found in Kherson region\n\n"
            "Odesa, Ukraine, May 2 (EFE).- Ukrainian police on Thursday found a mass grave in the village of "
            "Zelenyi Hai in the Kherson region.\n"
            "Investigators said the remains of nine people had been found in a garden.\n")
    assert (9, Category.BODIES, "Odesa") not in _parsed(text)
