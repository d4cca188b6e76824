"""The web assets the map needs, shipped inside the package under geo/vendor/.

folium points at CDNs by default, so offline the map is blank (and streamlit-folium's
component refuses to run the map script at all when one of its script links fails to load).
The map therefore loads Leaflet only, and only from `asset_base`. Leaflet's release files and
its licence are committed package data: taken once from `npm pack leaflet@1.9.4` (tarball
sha256 below), never fetched at install or run time. Each file's sha256 is pinned here, so a
damaged or swapped file is noticed.

The dashboard serves VENDOR_DIR through Streamlit's component file route (a component declared
with `path=VENDOR_DIR`, never rendered), which works wherever the package is installed and from
any working folder; `server.enableStaticServing` would only serve a `static/` folder next to
dashboard.py, i.e. inside site-packages.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

VENDOR_DIR = Path(__file__).resolve().parent / "vendor"
DEFAULT_BASE = "/component/dashboard.vendor"  # dashboard.py: declare_component("vendor"), named <script>.<name>
CDN = "https://cdn.jsdelivr.net/npm"  # only when a caller asks for no local base


@dataclass(frozen=True)
class Asset:
    """One npm package's release files, kept in vendor/<package>/ with the layout of its dist/."""

    package: str
    version: str
    tarball_sha256: str                 # of the `npm pack` tarball the files were copied from
    files: tuple[tuple[str, str], ...]  # (path under vendor/<package>/, sha256)
    js: tuple[str, ...]                 # the files a page loads as scripts, in order
    css: tuple[str, ...]


LEAFLET = Asset(
    package="leaflet",
    version="1.9.4",
    tarball_sha256="84c65a256e50657896f54c33bd857b6849ebe94c817803be818bf32a3dde0b77",
    files=(
        ("leaflet.js", "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a"),
        ("leaflet.css", "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6"),
        ("images/layers.png", "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6"),
        ("images/layers-2x.png", "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf"),
        ("images/marker-icon.png", "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437"),
        ("images/marker-icon-2x.png", "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528"),
        ("images/marker-shadow.png", "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da"),
        ("LICENSE", "53e8dc25862014e4324741ca18fbe3611e11d42ef69f59f86ea8c5389647d4cb"),
        ("package.json", "f070235e01c500ce19a3c687112f8d401e12abda49acd9f98a553c6f217368fa"),
    ),
    js=("leaflet.js",),
    css=("leaflet.css",),
)

ASSETS: tuple[Asset, ...] = (LEAFLET,)

VERSION_FILE = "package.json"  # kept from the npm tarball: it names the version and the licence


def installed_version(asset: Asset, root: Path = VENDOR_DIR) -> str | None:
    """The version recorded next to the vendored files, or None when absent or unreadable."""
    try:
        return json.loads((root / asset.package / VERSION_FILE).read_text("utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None


def missing_assets(root: Path = VENDOR_DIR) -> list[str]:
    """What the offline map lacks, as readable items ("leaflet/leaflet.js"); empty when all is there.

    A package present at another version counts as missing ("leaflet@1.9.4 (found 1.9.3)"), and
    so does a file whose content is not the pinned one ("leaflet/leaflet.css (changed)").
    """
    missing: list[str] = []
    for asset in ASSETS:
        found = installed_version(asset, root)
        if found is not None and found != asset.version:
            missing.append(f"{asset.package}@{asset.version} (found {found})")
            continue
        for name, sha256 in asset.files:
            path = root / asset.package / name
            if not path.is_file():
                missing.append(f"{asset.package}/{name}")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != sha256:
                missing.append(f"{asset.package}/{name} (changed)")
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
