import pytest

from geo.attribution import attribute, named_speaker, tweet_signature


@pytest.mark.parametrize("sentence, who", [
    ("Journalists on the ground reported at least 20 bodies, all in civilian clothing, strewn across a "
     "single street in the town of Bucha, near Irpin.", "Journalists on the ground"),
    ("Meanwhile, Bucha's mayor, Anatoliy Fedoruk, said 300 of his town's residents had been killed.",
     "Bucha's mayor, Anatoliy Fedoruk"),
    ("Ukraine's emergencies service said more than 1,500 explosives had been found in one day.",
     "Ukraine's emergencies service"),
    ("AFP journalists reported two of the bodies had their hands tied behind their backs.", "AFP journalists"),
    ("Associated Press journalists in Bucha, a small city northwest of the capital, saw the bodies of at "
     "least nine people.", "Associated Press journalists"),
    ("date 2022-09-16 KYIV - Ukrainian authorities have found a mass grave of more than 440 bodies in the "
     "eastern city of Izium, a regional police official said on Thursday (Sept 15).", "a regional police official"),
    ("Mr Serhiy Bolvinov, the chief police investigator for Kharkiv region, told Sky News that forensic "
     "investigations would be carried out.", "Mr Serhiy Bolvinov, the chief police investigator for Kharkiv region"),
    ('"I can say it is one of the largest burial sites...440 bodies were buried in one place," Mr Bolvinov said.',
     "Mr Bolvinov"),
    ("ABC reports the death toll sits at 410, however officials have warned more are missing.", "ABC"),
    ("Local resident Sergei Gorodko said among those buried were dozens of adults and children.",
     "Local resident Sergei Gorodko"),
    ("In claims yet to be independently verified, president Zelenskyy said its forces had retaken land.",
     "president Zelenskyy"),
    ("Other evidence has been found, according to Ukrainian Deputy Interior Minister Yevhen Enin.",
     "Ukrainian Deputy Interior Minister Yevhen Enin"),
    ("The development was confirmed by prosecutor general of Ukraine Iryna Venediktova on Sunday.",
     "prosecutor general of Ukraine Iryna Venediktova"),
    ("At least 52 people were killed, including five children, regional governor Pavlo Kyrylenko said.",
     "regional governor Pavlo Kyrylenko"),
    ('"We found 12 bodies," said Oleh Synehubov.', "Oleh Synehubov"),
    ("Liz Truss last night said she was appalled.", "Liz Truss"),
    ("After the shelling of Sumy overnight, there were two dead and five wounded, said the head of the "
     "city's military administration.", "the head of the city's military administration"),
    ("It was the worst night since March, with four killed, the mayor said.", "the mayor"),
    # what was said ends before the comma; the speaker is after it, or after the verb
    ("Five people were killed in Kharkiv, the governor said.", "the governor"),
    ("Five people were killed in Kharkiv, said Oleh Syniehubov.", "Oleh Syniehubov"),
])
def test_speaker_in_the_sentence_is_kept_as_written(sentence, who):
    assert attribute(sentence) == who


@pytest.mark.parametrize("sentence", [
    "And at least nine of the bodies appeared to have been executed.",
    "Found after videos posted online, it's been reported up to 400 graves are visible amid Izium's forest.",
    "He said 12 people died.",
    "Rescuers pulled 12 bodies from the rubble.",
])
def test_article_voice_or_a_bare_pronoun_has_no_attribution(sentence):
    assert attribute(sentence) is None


def test_claim_confirmed_in_the_next_sentence_takes_its_confirmer():
    assert attribute("As many as 410 civilian bodies were recovered in the wider Kyiv region.",
                     ["The development was confirmed by prosecutor general of Ukraine Iryna Venediktova on Sunday."]
                     ) == "prosecutor general of Ukraine Iryna Venediktova"


def test_an_unrelated_next_sentence_does_not_lend_its_speaker():
    assert attribute("Rescuers pulled 12 bodies from the rubble.",
                     ["Russia's defence ministry said it did not target civilians."]) is None


def test_quote_split_over_sentences_is_attributed_by_its_closing_line():
    assert attribute("“410 bodies of dead civilians were evacuated out of the liberated territories.",
                     ["Forensic experts have already examined 140,” Venediktova claimed."]) == "Venediktova"


def test_generic_official_is_named_when_the_next_sentence_introduces_them():
    assert named_speaker("a regional police official",
                         "Mr Serhiy Bolvinov, the chief police investigator for Kharkiv region, told Sky News that "
                         "investigations would follow.") == "Mr Serhiy Bolvinov, the chief police investigator for Kharkiv region"
    assert named_speaker("a regional police official", "Mr Zelensky, the president, said more.") is None


def test_figures_inside_an_embedded_tweet_belong_to_its_handle_and_date(articles_dir):
    text = (articles_dir / "003_40143d16604e355b.txt").read_text(encoding="utf-8")
    sig = tweet_signature(text, text.index("All 47 people"))
    assert (sig.handle, sig.author, sig.date_text) == ("@Gerashchenko_en", "Anton Gerashchenko", "September 15, 2022")
    assert tweet_signature(text, text.index("the number of victims")).handle == "@olex_scherba"
    assert tweet_signature(text, text.index("Thousands of Russian troops")) is None


def test_a_participle_clause_before_said_is_not_the_speaker():
    sentence = ("In Kherson, shelling hit a bus stop, killing two people and wounding five, said Roman Mrochko, "
                "the head of the city military administration.")
    assert attribute(sentence) == "Roman Mrochko"


def test_a_relative_where_does_not_become_part_of_the_speaker():
    sentence = "Troops held out near Vovchansk, where Russian officials said 40 soldiers had been captured."
    assert attribute(sentence) == "Russian officials"
