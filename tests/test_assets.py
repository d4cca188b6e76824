"""The offline map's vendored files: the dashboard warns when they are missing or stale."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.assets import LEAFLET, VENDOR_DIR, css_links, js_links, missing_assets

ROOT = Path(__file__).resolve().parent.parent


def vendor_copy(tmp_path: Path, version: str = LEAFLET.version) -> Path:
    """A vendor folder with every expected file (contents do not matter to the check)."""
    folder = tmp_path / "vendor" / LEAFLET.package
    for name in LEAFLET.files:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    (folder / "package.json").write_text(json.dumps({"name": "leaflet", "version": version}))
    return tmp_path / "vendor"


def test_a_complete_vendor_folder_lacks_nothing(tmp_path):
    assert missing_assets(vendor_copy(tmp_path)) == []


def test_an_empty_folder_lists_each_missing_file(tmp_path):
    missing = missing_assets(tmp_path)
    assert "leaflet/leaflet.js" in missing and "leaflet/leaflet.css" in missing
    assert "leaflet/images/layers.png" in missing


def test_a_deleted_stylesheet_is_reported(tmp_path):
    root = vendor_copy(tmp_path)
    (root / "leaflet" / "leaflet.css").unlink()
    assert missing_assets(root) == ["leaflet/leaflet.css"]


def test_another_leaflet_version_counts_as_missing(tmp_path):
    assert missing_assets(vendor_copy(tmp_path, "1.9.3")) == ["leaflet@1.9.4 (found 1.9.3)"]


def test_links_point_under_the_base_or_at_the_pinned_cdn_version():
    assert js_links("/app/static/vendor/") == [("leaflet_leaflet_js", "/app/static/vendor/leaflet/leaflet.js")]
    assert css_links(None) == [("leaflet_leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css")]


def test_fetching_again_leaves_an_installed_vendor_folder_alone():
    """Runs the real script; when the files are there (scripts/test.sh fetched them) it must not touch npm."""
    if missing_assets():
        pytest.skip("static/vendor not fetched yet (scripts/fetch_assets.py)")
    before = {p: p.stat().st_mtime_ns for p in VENDOR_DIR.rglob("*") if p.is_file()}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "fetch_assets.py")],
                          capture_output=True, text=True, timeout=60, env={"PATH": ""})
    assert done.returncode == 0, done.stderr
    assert "already" in done.stdout
    assert {p: p.stat().st_mtime_ns for p in VENDOR_DIR.rglob("*") if p.is_file()} == before


def test_without_npm_the_fetch_fails_with_a_clear_message(tmp_path):
    script = tmp_path / "scripts" / "fetch_assets.py"
    script.parent.mkdir()
    shutil.copy(ROOT / "scripts" / "fetch_assets.py", script)
    shutil.copytree(ROOT / "geo", tmp_path / "geo")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60,
                          env={"PATH": ""})
    assert done.returncode != 0
    assert "npm not found" in done.stderr
