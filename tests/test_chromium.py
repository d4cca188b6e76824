"""The browser tests and the map benchmark find Chromium or Chrome wherever it is installed."""
from __future__ import annotations

from pathlib import Path

from geo import chromium


def executable(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_each_usual_name_on_path_is_found(tmp_path, monkeypatch):
    monkeypatch.delenv(chromium.ENV, raising=False)
    for name in chromium.NAMES:
        folder = tmp_path / name
        monkeypatch.setenv("PATH", str(folder))
        assert chromium.find() is None
        executable(folder, name)
        assert chromium.find() == str(folder / name)


def test_the_environment_variable_wins_over_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(executable(tmp_path / "bin", "chromium").parent))
    chrome = executable(tmp_path / "Google Chrome.app" / "Contents" / "MacOS", "Google Chrome")
    monkeypatch.setenv(chromium.ENV, str(chrome))
    assert chromium.find() == str(chrome)


def test_a_variable_naming_nothing_runnable_finds_nothing_and_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(executable(tmp_path / "bin", "chromium").parent))
    monkeypatch.setenv(chromium.ENV, str(tmp_path / "nope"))
    assert chromium.find() is None
    assert chromium.ENV in chromium.how_to_get() and "chromium" in chromium.how_to_get()
