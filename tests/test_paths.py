"""Where things live: a checkout keeps its data in data/; a new data folder gets the samples once
and never has the user's files overwritten."""
from __future__ import annotations

from pathlib import Path

from geo import paths

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_uses_its_own_data_folder_and_seeds_nothing(monkeypatch):
    for name in ("UKRMAP_DATA", "UKRMAP_ARTICLES"):
        monkeypatch.delenv(name, raising=False)
    assert paths.data_dir() == ROOT / "data"
    assert paths.samples_dir() == ROOT / "data"
    assert paths.seed() == []


def test_a_new_data_folder_gets_the_samples_once(tmp_path, monkeypatch):
    monkeypatch.setenv("UKRMAP_DATA", str(tmp_path / "data"))
    monkeypatch.delenv("UKRMAP_ARTICLES", raising=False)
    created = paths.seed()
    assert created == [tmp_path / "data" / "articles", tmp_path / "data" / "places.csv"]
    assert sorted(p.name for p in (tmp_path / "data" / "articles").iterdir()) == sorted(
        p.name for p in (ROOT / "data" / "articles").iterdir())
    assert paths.seed() == []


def test_seeding_keeps_what_the_user_has(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "places.csv").write_text("name,lat,lon,country\nHroza,49.6,37.6,UA\n", "utf-8")
    monkeypatch.setenv("UKRMAP_DATA", str(data))
    monkeypatch.delenv("UKRMAP_ARTICLES", raising=False)
    assert paths.seed() == []
    assert list((data / "articles").iterdir()) == []
    assert "Hroza" in (data / "places.csv").read_text("utf-8")


def test_an_articles_folder_of_the_users_choosing_is_never_filled_with_samples(tmp_path, monkeypatch):
    monkeypatch.setenv("UKRMAP_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("UKRMAP_ARTICLES", str(tmp_path / "mine"))
    assert paths.seed() == [tmp_path / "data" / "places.csv"]
    assert not (tmp_path / "mine").exists()
