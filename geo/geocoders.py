"""Geocoders with one small interface, chained: user overrides, the offline gazetteer, online.

In the manner of geopy's geocoders: `lookup(name, context)` returns candidate Places and leaves
choosing among them to geo.resolve. A failing provider raises GeocoderError and the chain moves
on to the next, so an outage or a timeout never loses a place the offline providers know.
"""
from __future__ import annotations

import csv
import json
import os
import re
import time
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Protocol
from urllib.parse import urlsplit

from geo.errors import GazetteerError, GeocoderError
from geo.gazetteer import Gazetteer, cache_dir, fold
from geo.model import Place
from geo.paths import overrides_file

USER_AGENT = "ukrmap/0.1 (offline-first map of reported war events in Ukraine)"
NOMINATIM_URL_ENV = "UKRMAP_NOMINATIM_URL"  # scheme://host[:port][/path] of a Nominatim server to ask instead
MIN_DELAY = 1.0  # seconds between requests, the public Nominatim's usage policy


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
    """Nominatim through geopy (the public server, or your own at $UKRMAP_NOMINATIM_URL), answers
    cached on disk as JSON; optional, so it fails fast when the network is slow or gone:

    - one request at a time, at most one a second (Nominatim's usage policy), `timeout` seconds
      each, never retried (geopy's requests adapter would retry twice, its rate limiter again);
    - a name that failed is not asked again in this session (this process: one CLI run, one
      dashboard batch);
    - after `max_failures` failures, or `budget` seconds spent on failed requests, it stops asking
      for the rest of the session and says so.
    Every failure is one GeocoderError line (the chain records it and goes on with the offline
    places); nothing is logged, so no traceback reaches the terminal.

    `geocode` is any geopy-like callable (query, **kwargs) -> list of locations with
    .latitude, .longitude and .raw; tests inject a fake so the network is never touched.
    """

    source = "online"

    def __init__(self, geocode: Callable | None = None, cache_path: Path | str | None = None,
                 timeout: float = 3.0, max_failures: int = 3, budget: float = 10.0, url: str | None = None):
        self._geocode = geocode
        self.timeout, self.max_failures, self.budget = timeout, max_failures, budget
        self.url = url if url is not None else os.environ.get(NOMINATIM_URL_ENV, "")
        self.cache_path = Path(cache_path) if cache_path else cache_dir() / "online-geocode.json"
        self._cache: dict[str, list[dict]] | None = None
        self.failed: dict[str, str] = {}   # cache key -> why its lookup failed, this session
        self.stopped = ""                  # why it stopped asking, once it has
        self._failing_seconds = 0.0
        self._last_request = float("-inf")

    def _client(self) -> Callable:
        if self._geocode is None:
            from geopy.adapters import RequestsAdapter
            from geopy.geocoders import Nominatim

            where = {}
            if self.url:
                parts = urlsplit(self.url)
                where = {"domain": parts.netloc + parts.path.rstrip("/"), "scheme": parts.scheme or "https"}
            nominatim = Nominatim(user_agent=USER_AGENT, timeout=self.timeout,
                                  adapter_factory=partial(RequestsAdapter, max_retries=0), **where)
            self._geocode = nominatim.geocode
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
        if key in cache:
            return [Place(**row) for row in cache[key]]
        if self.stopped:
            raise GeocoderError(f"online lookup of {name!r} not tried: online geocoding stopped for this session "
                                f"({self.stopped})")
        if key in self.failed:
            raise GeocoderError(f"online lookup of {name!r} failed earlier in this session: {self.failed[key]}")
        time.sleep(max(0.0, self._last_request + MIN_DELAY - time.monotonic()))
        started = time.monotonic()
        try:
            found = self._client()(name, exactly_one=False, addressdetails=True,
                                   country_codes=context.country.lower() or None)
        except Exception as exc:  # geopy raises many types (GeopyError, socket, timeout)
            self._failed(key, name, exc, time.monotonic() - started)
        finally:
            self._last_request = time.monotonic()
        cache[key] = [asdict(self._place(name, loc, context)) for loc in (found or [])]
        self._save_cache()
        return [Place(**row) for row in cache[key]]

    def _failed(self, key: str, name: str, exc: Exception, seconds: float) -> None:
        """Remember the failure, stop when the session's budget is spent, raise one line."""
        reason = _short_reason(exc, self.timeout)
        self.failed[key] = reason
        self._failing_seconds += seconds
        message = f"online lookup of {name!r} failed: {reason}"
        if len(self.failed) >= self.max_failures or self._failing_seconds >= self.budget:
            self.stopped = f"{len(self.failed)} failed lookups in {self._failing_seconds:.1f} s"
            message += f"; online geocoding stopped for this session after {self.stopped}"
        raise GeocoderError(message) from exc

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

    def take_errors(self) -> list[str]:
        """The failures since the last call, oldest first, so each article reports its own."""
        errors, self.errors = self.errors, []
        return errors

    def names(self) -> Iterable[str]:
        return [n for g in self.geocoders for n in g.names()]


def _short_reason(exc: Exception, timeout: float) -> str:
    """One line for a failed request: "[Errno 111] Connection refused", "timed out after 3 s"."""
    text = f"{exc}"
    errno = re.search(r"\[Errno -?\d+\][^'\")\]]*", text)
    if errno:
        return errno.group().strip()
    if "timed out" in text.lower() or isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s"
    text = " ".join(text.split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:160] + "…"


def default_geocoder(online: bool = False, overrides: Path | str | None = None) -> ChainGeocoder:
    """Overrides, then the gazetteer, then (only when asked) Nominatim."""
    chain: list = [OverrideGeocoder(overrides), GazetteerGeocoder()]
    if online:
        chain.append(OnlineGeocoder())
    return ChainGeocoder(chain)
