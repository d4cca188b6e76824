"""The offline map's Leaflet comes with the package: pinned files, their licence, and a check the
dashboard uses to warn when one is missing, changed or of another version."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from geo.assets import LEAFLET, VENDOR_DIR, css_links, js_links, missing_assets

ROOT = Path(__file__).resolve().parent.parent


def vendor_copy(tmp_path: Path) -> Path:
    shutil.copytree(VENDOR_DIR, tmp_path / "vendor")
    return tmp_path / "vendor"


def test_the_packaged_leaflet_is_complete_and_matches_its_pinned_checksums():
    assert missing_assets() == []
    for name, sha256 in LEAFLET.files:
        assert hashlib.sha256((VENDOR_DIR / "leaflet" / name).read_bytes()).hexdigest() == sha256, name


def test_leaflet_ships_with_its_licence_and_the_version_it_claims():
    names = {name for name, _ in LEAFLET.files}
    assert {"LICENSE", "package.json", "leaflet.js", "leaflet.css"} <= names
    assert "BSD 2-Clause" in (VENDOR_DIR / "leaflet" / "LICENSE").read_text("utf-8")
    meta = json.loads((VENDOR_DIR / "leaflet" / "package.json").read_text("utf-8"))
    assert (meta["name"], meta["version"], meta["license"]) == ("leaflet", LEAFLET.version, "BSD-2-Clause")


def test_every_file_the_stylesheet_points_at_is_shipped():
    css = (VENDOR_DIR / "leaflet" / "leaflet.css").read_text("utf-8")
    for image in ("images/layers.png", "images/layers-2x.png", "images/marker-icon.png"):
        assert f"url({image})" in css
        assert (VENDOR_DIR / "leaflet" / image).is_file()


def test_an_empty_folder_lists_each_missing_file(tmp_path):
    missing = missing_assets(tmp_path)
    assert "leaflet/leaflet.js" in missing and "leaflet/leaflet.css" in missing
    assert "leaflet/images/layers.png" in missing


def test_a_deleted_stylesheet_is_reported(tmp_path):
    root = vendor_copy(tmp_path)
    (root / "leaflet" / "leaflet.css").unlink()
    assert missing_assets(root) == ["leaflet/leaflet.css"]


def test_a_changed_script_is_reported(tmp_path):
    root = vendor_copy(tmp_path)
    with open(root / "leaflet" / "leaflet.js", "a", encoding="utf-8") as fh:
        fh.write("\nwindow.__pwned = 1;\n")
    assert missing_assets(root) == ["leaflet/leaflet.js (changed)"]


def test_another_leaflet_version_counts_as_missing(tmp_path):
    root = vendor_copy(tmp_path)
    meta = root / "leaflet" / "package.json"
    meta.write_text(meta.read_text("utf-8").replace('"version": "1.9.4"', '"version": "1.9.3"'), "utf-8")
    assert missing_assets(root) == ["leaflet@1.9.4 (found 1.9.3)"]


def test_links_point_under_the_base_or_at_the_pinned_cdn_version():
    assert js_links("/component/dashboard.vendor/") == [
        ("leaflet_leaflet_js", "/component/dashboard.vendor/leaflet/leaflet.js")]
    assert css_links(None) == [("leaflet_leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css")]


def test_installing_needs_no_npm():
    assert not (ROOT / "scripts" / "fetch_assets.py").exists()
    for path in [*ROOT.glob("scripts/*.sh"), ROOT / ".ci" / "run"]:
        assert "npm" not in path.read_text("utf-8"), path
