"""Put the map's web assets (Leaflet) under static/vendor/ from the npm registry.

Idempotent: a package already present at the right version is left alone. Exits non-zero
with a message saying what to do when npm is missing or the registry cannot be reached.
Run at install time (scripts/start.sh, scripts/test.sh); the files are never committed.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.assets import ASSETS, VENDOR_DIR, VERSION_FILE, Asset, installed_version  # noqa: E402


def fetch(asset: Asset, root: Path) -> None:
    """Download the package tarball with `npm pack`, copy its dist files into root/<package>/."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("fetch_assets: npm not found; install Node.js/npm (apt-get install npm) and rerun")
    spec = f"{asset.package}@{asset.version}"
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run(
            [npm, "pack", spec, "--json", "--pack-destination", tmp],
            capture_output=True, text=True, timeout=300,
        )
        if done.returncode != 0:
            raise SystemExit(f"fetch_assets: `npm pack {spec}` failed (no registry access?):\n{done.stderr.strip()}")
        tarball = Path(tmp) / json.loads(done.stdout)[0]["filename"]
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        package = Path(tmp) / "package"
        target = root / asset.package
        staging = root / f".{asset.package}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        for name in asset.files:
            source = package / "dist" / name
            if not source.is_file():
                raise SystemExit(f"fetch_assets: {spec} has no dist/{name}")
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, staging / name)
        shutil.copyfile(package / "package.json", staging / VERSION_FILE)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)


def main() -> int:
    VENDOR_DIR.mkdir(parents=True, exist_ok=True)
    for asset in ASSETS:
        complete = all((VENDOR_DIR / asset.package / f).is_file() for f in asset.files)
        if installed_version(asset, VENDOR_DIR) == asset.version and complete:
            print(f"fetch_assets: {asset.package}@{asset.version} already in {VENDOR_DIR}")
            continue
        fetch(asset, VENDOR_DIR)
        print(f"fetch_assets: {asset.package}@{asset.version} -> {VENDOR_DIR / asset.package}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
