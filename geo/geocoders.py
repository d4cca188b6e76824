"""Geocoders with one small interface, chained: user overrides, the offline gazetteer, online.

In the manner of geopy's geocoders: `lookup(name, context)` returns candidate Places and leaves
choosing among them to geo.resolve. A failing provider raises GeocoderError and the chain moves
on to the next, so an outage or a timeout never loses a place the offline providers know.
"""
from __future__ import annotations

import csv
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Protocol

from geo.errors import GazetteerError, GeocoderError
from geo.gazetteer import Gazetteer, cache_dir, fold
from geo.model import Place
from geo.paths import overrides_file

USER_AGENT = "ukrmap/0.1 (offline-first map of reported war events in Ukraine)"


@dataclass(frozen=True)
class LookupContext:
    """What the caller knows about where the name should be: the country, maybe the oblast."""

    country: str = "UA"
    admin1: str = ""


class Geocoder(Protocol):
    source: str

    def lookup(self, name: str, context: LookupContext | None = None) -> list[Place]:
        """Candidate places for `name`; [] when unknown; GeocoderError when the provider failed."""

    def names(self) -> Iterable[str]:
        """Names the provider knows offline beyond the gazetteer, for recognition in text."""


class OverrideGeocoder:
    """Places a user wrote in data/places.csv; they win over everything else."""

    source = "override"
    FIELDS = ("name", "lat", "lon", "country", "admin1", "aliases")

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else overrides_file()
        self._by_name: dict[str, list[Place]] = {}
        self._names: list[str] = []
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        with open(self.path, encoding="utf-8", newline="") as fh:
            lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            return
        reader = csv.DictReader([line for _, line in lines])
        missing = [f for f in self.FIELDS[:4] if f not in (reader.fieldnames or [])]
        if missing:
            raise GazetteerError(f"{self.path}: header lacks {', '.join(missing)}")
        for (lineno, _), row in zip(lines[1:], reader):
            place = self._place(row, lineno)
            aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            for name in [place.name, *aliases]:
                self._by_name.setdefault(fold(name), []).append(place)
                self._names.append(name)

    def _place(self, row: dict, lineno: int) -> Place:
        where = f"{self.path}:{lineno}"
        name = (row.get("name") or "").strip()
        if not name:
            raise GazetteerError(f"{where}: empty name")
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (TypeError, ValueError):
            raise GazetteerError(f"{where}: lat/lon {row.get('lat')!r}, {row.get('lon')!r} are not numbers") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise GazetteerError(f"{where}: lat/lon {lat}, {lon} out of range")
        country = (row.get("country") or "").strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise GazetteerError(f"{where}: country {country!r} is not an ISO alpha-2 code")
        return Place(name, lat, lon, country, (row.get("admin1") or "").strip())

    def lookup(self, name: str, context: LookupContext | None = None) -> list[Place]:
        return list(self._by_name.get(fold(name), ()))

    def names(self) -> Iterable[str]:
        return list(self._names)


class GazetteerGeocoder:
    """The offline gazetteer behind the common interface."""

    source = "gazetteer"

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer.default()

    def lookup(self, name: str, context: LookupContext | None = None) -> list[Place]:
        return self.gazetteer.candidates(name)

    def names(self) -> Iterable[str]:
        return ()


class OnlineGeocoder:
    """Nominatim through geopy, at most one request a second, answers cached on disk as JSON.

    `geocode` is any geopy-like callable (query, **kwargs) -> list of locations with
    .latitude, .longitude and .raw; tests inject a fake so the network is never touched.
    """

    source = "online"

    def __init__(self, geocode: Callable | None = None, cache_path: Path | str | None = None,
                 timeout: float = 10.0):
        self._geocode = geocode
        self.timeout = timeout
        self.cache_path = Path(cache_path) if cache_path else cache_dir() / "online-geocode.json"
        self._cache: dict[str, list[dict]] | None = None

    def _client(self) -> Callable:
        if self._geocode is None:
            from geopy.extra.rate_limiter import RateLimiter
            from geopy.geocoders import Nominatim

            nominatim = Nominatim(user_agent=USER_AGENT, timeout=self.timeout)
            self._geocode = RateLimiter(nominatim.geocode, min_delay_seconds=1.0, max_retries=1,
                                        swallow_exceptions=False)
        return self._geocode

    def _load_cache(self) -> dict[str, list[dict]]:
        if self._cache is None:
            try:
                self._cache = json.loads(self.cache_path.read_text(encoding="utf-8"))
                if not isinstance(self._cache, dict):
                    self._cache = {}
            except (OSError, ValueError):
                self._cache = {}
        return self._cache

    def _save_cache(self) -> None:
        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.cache_path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self._cache, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.cache_path)
        except OSError:
            pass

    def lookup(self, name: str, context: LookupContext | None = None) -> list[Place]:
        context = context or LookupContext()
        key = f"{fold(name)}|{context.country.lower()}"
        cache = self._load_cache()
        if key not in cache:
            try:
                found = self._client()(name, exactly_one=False, addressdetails=True,
                                       country_codes=context.country.lower() or None)
            except Exception as exc:  # geopy raises many types (GeopyError, socket, timeout)
                raise GeocoderError(f"online lookup of {name!r} failed: {exc}") from exc
            cache[key] = [asdict(self._place(name, loc, context)) for loc in (found or [])]
            self._save_cache()
        return [Place(**row) for row in cache[key]]

    @staticmethod
    def _place(name: str, location, context: LookupContext) -> Place:
        raw = getattr(location, "raw", {}) or {}
        address = raw.get("address", {}) if isinstance(raw, dict) else {}
        country = str(address.get("country_code", context.country)).upper()
        return Place(name, float(location.latitude), float(location.longitude), country,
                     kind="town", population=0)

    def names(self) -> Iterable[str]:
        return ()


class ChainGeocoder:
    """Ask each geocoder in turn; the first non-empty answer wins, failures fall through."""

    def __init__(self, geocoders: list):
        self.geocoders = list(geocoders)
        self.source = self.geocoders[0].source if self.geocoders else "gazetteer"
        self.errors: list[str] = []

    def lookup_sourced(self, name: str, context: LookupContext | None = None) -> tuple[list[Place], str]:
        """The first non-empty answer and the source of the geocoder that gave it."""
        for geocoder in self.geocoders:
            try:
                found = geocoder.lookup(name, context)
            except GeocoderError as exc:
                self.errors.append(str(exc))
                continue
            if found:
                return found, geocoder.source
        return [], ""

    def lookup(self, name: str, context: LookupContext | None = None) -> list[Place]:
        return self.lookup_sourced(name, context)[0]

    def names(self) -> Iterable[str]:
        return [n for g in self.geocoders for n in g.names()]


def default_geocoder(online: bool = False, overrides: Path | str | None = None) -> ChainGeocoder:
    """Overrides, then the gazetteer, then (only when asked) Nominatim."""
    chain: list = [OverrideGeocoder(overrides), GazetteerGeocoder()]
    if online:
        chain.append(OnlineGeocoder())
    return ChainGeocoder(chain)
