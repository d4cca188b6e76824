"""The event table as SQL rows, shared by both backends: column types, encoding and decoding.

One module owns the mapping so the embedded and the team store hold the same values and give
back the same table (geo.events dtypes). Geometry travels as lon/lat: the embedded store keeps
them as two columns, the team store builds a PostGIS point from them.
"""
from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo import events

SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "date": "TEXT"}


def item_columns(types: dict[str, str] = SQL_TYPES) -> list[tuple[str, str]]:
    """The event table's columns with their SQL type (from `types`); geometry becomes lon/lat."""
    kinds = {**{c: types["str"] for c in events.STR_COLUMNS}, **{c: types["int"] for c in events.INT_COLUMNS},
             **{c: types["float"] for c in events.FLOAT_COLUMNS}, **{c: types["date"] for c in events.DATE_COLUMNS}}
    cols = [(c, kinds[c]) for c in events.COLUMNS if c != "geometry"]
    return cols + [("lon", types["float"]), ("lat", types["float"])]


def names() -> list[str]:
    return [c for c, _ in item_columns()]


def q(name: str) -> str:
    """A quoted SQL identifier ("end" is a keyword in both dialects)."""
    return '"' + name.replace('"', '""') + '"'


def encode(frame: gpd.GeoDataFrame, columns: list[str], dates_as_text: bool = True) -> list[tuple]:
    """Rows as plain Python values in `columns` order: what the database stores and gives back unchanged.

    Dates are ISO text for SQLite, `datetime.date` for PostgreSQL (`dates_as_text=False`).
    """
    if not len(frame):
        return []
    frame = events.conform(frame)
    data = {}
    for c in columns:
        if c in ("lon", "lat"):
            continue
        s = frame[c]
        if c in events.DATE_COLUMNS:
            data[c] = [None if pd.isna(v) else v.strftime("%Y-%m-%d") if dates_as_text else v.date() for v in s]
        elif c in events.INT_COLUMNS:
            data[c] = [None if pd.isna(v) else int(v) for v in s]
        elif c in events.FLOAT_COLUMNS:
            data[c] = [None if pd.isna(v) or not math.isfinite(v) else float(v) for v in s]
        else:
            data[c] = [str(v) for v in s]
    geoms = frame.geometry
    empty = geoms.is_empty | geoms.isna()
    data["lon"] = [None if e else float(x) for e, x in zip(empty, geoms.x.where(~empty, 0.0))]
    data["lat"] = [None if e else float(y) for e, y in zip(empty, geoms.y.where(~empty, 0.0))]
    return list(zip(*(data[c] for c in columns)))


def encode_many(frames: list[gpd.GeoDataFrame], columns: list[str], dates_as_text: bool = True) -> list[list[tuple]]:
    """`encode` of each frame, done on one concatenated table (pandas' cost per table is paid once)."""
    sizes = [len(f) for f in frames]
    if not any(sizes):
        return [[] for _ in frames]
    flat = encode(pd.concat([f for f in frames if len(f)], ignore_index=True), columns, dates_as_text)
    out, at = [], 0
    for n in sizes:
        out.append(flat[at:at + n])
        at += n
    return out


def decode(rows: list[tuple], columns: list[str]) -> gpd.GeoDataFrame:
    """The event table from stored rows (the first value of each row is the article key)."""
    if not rows:
        return events.to_frame([])
    frame = pd.DataFrame.from_records([r[1:] for r in rows], columns=columns)
    lon = frame.pop("lon").astype("float64").to_numpy()
    lat = frame.pop("lat").astype("float64").to_numpy()
    located = ~(np.isnan(lon) | np.isnan(lat))
    geoms = np.full(len(frame), shapely.Point(), dtype=object)
    geoms[located] = shapely.points(lon[located], lat[located])
    frame["geometry"] = list(geoms)
    return events.conform(frame)
