"""The web assets the map needs, vendored under static/vendor/ at install time.

folium points at CDNs by default, so offline the map is blank (and streamlit-folium's
component refuses to run the map script at all when one of its script links fails to load).
The map therefore loads Leaflet only, and only from `asset_base`: Streamlit serves ./static/
at /app/static/ when `server.enableStaticServing` is on. scripts/fetch_assets.py puts the
files there from the npm registry; nothing here touches the network.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor"
DEFAULT_BASE = "/app/static/vendor"
CDN = "https://cdn.jsdelivr.net/npm"  # only when a caller asks for no local base


@dataclass(frozen=True)
class Asset:
    """One npm package whose dist/ files are copied to static/vendor/<package>/."""

    package: str
    version: str
    files: tuple[str, ...]   # paths under dist/, which is also the layout under vendor/<package>/
    js: tuple[str, ...]      # the files a page loads as scripts, in order
    css: tuple[str, ...]


LEAFLET = Asset(
    package="leaflet",
    version="1.9.4",
    files=(
        "leaflet.js",
        "leaflet.css",
        "images/layers.png",
        "images/layers-2x.png",
        "images/marker-icon.png",
        "images/marker-icon-2x.png",
        "images/marker-shadow.png",
    ),
    js=("leaflet.js",),
    css=("leaflet.css",),
)

ASSETS: tuple[Asset, ...] = (LEAFLET,)

VERSION_FILE = "package.json"  # kept from the npm tarball, so a wrong version is noticed


def installed_version(asset: Asset, root: Path = VENDOR_DIR) -> str | None:
    """The version recorded next to the vendored files, or None when absent or unreadable."""
    try:
        return json.loads((root / asset.package / VERSION_FILE).read_text("utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def missing_assets(root: Path = VENDOR_DIR) -> list[str]:
    """What the offline map lacks, as readable items ("leaflet/leaflet.js"); empty when all is there.

    A package present at another version counts as missing ("leaflet@1.9.4 (found 1.9.3)").
    """
    missing: list[str] = []
    for asset in ASSETS:
        found = installed_version(asset, root)
        if found is not None and found != asset.version:
            missing.append(f"{asset.package}@{asset.version} (found {found})")
            continue
        missing += [
            f"{asset.package}/{name}"
            for name in (VERSION_FILE, *asset.files)
            if not (root / asset.package / name).is_file()
        ]
    return missing


def js_links(base: str | None) -> list[tuple[str, str]]:
    """(name, url) of every script the map loads, under `base` (None: the CDN, same versions)."""
    return [(f"{a.package}_{Path(f).stem}_js", _url(base, a, f)) for a in ASSETS for f in a.js]


def css_links(base: str | None) -> list[tuple[str, str]]:
    """(name, url) of every stylesheet the map loads, under `base` (None: the CDN)."""
    return [(f"{a.package}_{Path(f).stem}_css", _url(base, a, f)) for a in ASSETS for f in a.css]


def _url(base: str | None, asset: Asset, name: str) -> str:
    if base is None:
        return f"{CDN}/{asset.package}@{asset.version}/dist/{name}"
    return f"{base.rstrip('/')}/{asset.package}/{name}"
