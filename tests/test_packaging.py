"""The package as a user gets it: `pip install .` pins what requirements*.txt pin, and an installed
copy (no checkout around it) opens the dashboard from any folder, quietly, on the samples it ships."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import wait_healthy

from geo import paths
from geo.assets import LEAFLET
from geo.launch import free_port

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
SAMPLES = sorted(p.name for p in (ROOT / "data" / "articles").iterdir())


def pins(lines) -> set[str]:
    """Requirement lines as normalised `name[extra]==version` strings (comments and -r dropped)."""
    found = set()
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            found.add(re.sub(r"[-_.]+", "-", line.lower()))
    return found


def test_requirements_txt_and_pyproject_pin_the_same_runtime_dependencies():
    listed = pins((ROOT / "requirements.txt").read_text("utf-8").splitlines())
    declared = pins(PYPROJECT["project"]["dependencies"])
    assert listed == declared
    assert all("==" in p for p in declared), declared


def test_requirements_dev_txt_is_the_runtime_plus_the_test_extra():
    dev = (ROOT / "requirements-dev.txt").read_text("utf-8").splitlines()
    assert "-r requirements.txt" in dev
    declared = pins(PYPROJECT["project"]["optional-dependencies"]["test"])
    assert pins(dev) == declared
    assert {"pytest", "playwright", "geotext", "hypothesis"} <= {
        p.split("==")[0] for p in declared}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel `pip install .` would install, built offline with this environment's setuptools,
    from a copy of the sources (setuptools leaves build/ behind, and stale files in it would ship)."""
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("wheel")
    for name in ("pyproject.toml", "README.md", "dashboard.py"):
        shutil.copy(ROOT / name, source / name)
    for name in ("geo", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--disable-pip-version-check", "-q", "-w", str(out), str(source)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return next(out.glob("ukrmap-*.whl"))


def test_the_wheel_carries_the_dashboard_leaflet_with_its_licence_and_the_samples(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"dashboard.py", "geo/cli.py", "geo/__main__.py", "geo/samples/places.csv"} <= names
    assert {f"geo/vendor/leaflet/{name}" for name, _ in LEAFLET.files} <= names
    assert {f"geo/samples/articles/{name}" for name in SAMPLES} <= names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "ukrmap = geo.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert not [n for n in names if n.startswith(("tests/", "bench/", "scripts/", "data/"))]


def test_the_wheel_carries_every_file_of_the_geo_package(wheel):
    """Subpackages and data files (basemap, rules, vendor) must not be left out of an install."""
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(["git", "ls-files", "geo"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert len(tracked) > 20
    assert sorted(set(tracked) - names) == []


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel unpacked as pip lays it in site-packages, away from the checkout."""
    site = tmp_path_factory.mktemp("site-packages")
    zipfile.ZipFile(wheel).extractall(site)
    return site


def _env(installed: Path, home: Path) -> dict[str, str]:
    """An empty home, the installed copy first on the path, a display (so only our flags keep
    Streamlit from opening a browser and asking for an email), the gazetteer cache reused."""
    return {"PATH": os.environ["PATH"], "HOME": str(home), "PYTHONPATH": str(installed), "DISPLAY": ":0",
            "UKRMAP_CACHE": str(paths.cache_dir()), "PYTHONDONTWRITEBYTECODE": "1"}


def test_an_installed_copy_keeps_data_in_the_users_folder(installed, tmp_path):
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-c", "import geo, geo.paths as p; print(geo.__file__); print(p.data_dir()); "
                               "print(p.samples_dir())"],
        cwd=tmp_path, env=_env(installed, home), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    module, data, samples = done.stdout.splitlines()
    assert Path(module).is_relative_to(installed)
    assert Path(data) == home / ".local" / "share" / "ukrmap"
    assert Path(samples) == installed / "geo" / "samples"


def test_an_installed_copy_serves_the_dashboard_from_another_folder_without_a_prompt(installed, tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    elsewhere.mkdir()
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        # stdin stays open: a first-run "Email:" prompt would wait on it and the server never answer.
        proc = subprocess.Popen([sys.executable, "-m", "geo", "dashboard", "--server.port", str(port)],
                                cwd=elsewhere, env=_env(installed, home), stdin=subprocess.PIPE,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc, log, seconds=90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
            assert r.status == 200
        proc.send_signal(signal.SIGINT)  # what Ctrl+C sends
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = log.read_text()
    assert f"http://127.0.0.1:{port}" in text
    assert "Email" not in text and "gatherUsageStats" not in text
    data = home / ".local" / "share" / "ukrmap"
    assert sorted(p.name for p in (data / "articles").iterdir()) == SAMPLES
    assert (data / "places.csv").read_bytes() == (ROOT / "data" / "places.csv").read_bytes()
    assert f"copied the samples to {data / 'articles'}" in text
    assert not list(elsewhere.iterdir()), "nothing is written to the folder it was started from"


def test_the_installed_dashboard_maps_the_shipped_samples(installed, tmp_path):
    """The installed dashboard.py, run by Streamlit's AppTest, builds its store in the user's data
    folder from the seeded samples and finds the packaged Leaflet (no 'Map files missing')."""
    script = (
        "import geo.paths\n"
        "geo.paths.seed()\n"
        "from streamlit.testing.v1 import AppTest\n"
        f"app = AppTest.from_file({str(installed / 'dashboard.py')!r}, default_timeout=240).run()\n"
        "assert not app.exception, app.exception\n"
        "print([m.value for m in app.markdown if 'figures shown' in m.value][0])\n"
        "print(len(app.warning))\n"
    )
    home = tmp_path / "home"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=_env(installed, home),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    shown, warnings = done.stdout.splitlines()[-2:]
    total = re.fullmatch(r"\*\*(\d+) of (\d+) figures shown\*\*, \d+ verified", shown)
    assert total and total[1] == total[2] and int(total[1]) > 0, shown
    assert warnings == "0"
    assert (home / ".local" / "share" / "ukrmap" / "ukrmap.db").is_file()


def test_the_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = re.search(r"```[a-z]*\n(.*?)```", readme, re.S)[1]
    assert first_block.splitlines() == ["bash scripts/start.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
