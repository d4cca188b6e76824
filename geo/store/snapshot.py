"""A checked copy of the embedded store's event table for one store version, read in a fraction of the time.

Why: a full read of the embedded store decodes every row and checks every article's checksum
(about 20 s for 270,000 rows at 10,000 articles), and the dashboard paid it on every start.
After such a checked read, the decoded table is saved beside the store as Parquet with a CRC on
every page (`<store>.snapshot-<key>.parquet`); the next full read of the same store version loads
it instead (under a second). The key covers the store's generation, which every write changes,
and the store file's size and modification time and its write-ahead log's size, so any write,
and any change to the file by other means (a byte flipped on disk, a backup put back), makes the
next read decode and check everything again. A copy whose CRCs fail or that cannot be read is
deleted and the store read in full. One copy per store is kept.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import geopandas as gpd
from pyarrow import ArrowException

from geo import events


def key(path: Path, generation: str) -> str:
    """What the copy must match: the generation and the file as it is on disk now."""
    db = path.stat()
    wal = path.with_name(path.name + "-wal")
    wal_size = wal.stat().st_size if wal.exists() else 0
    return hashlib.sha256(repr((generation, db.st_size, db.st_mtime_ns, wal_size)).encode()).hexdigest()[:24]


def _file(path: Path, k: str) -> Path:
    return path.with_name(f"{path.name}.snapshot-{k}.parquet")


def _others(path: Path, keep: Path | None = None) -> list[Path]:
    return [p for p in path.parent.glob(f"{path.name}.snapshot-*.parquet") if p != keep]


def load(path: Path, k: str) -> gpd.GeoDataFrame | None:
    """The table saved under `k`, its page CRCs checked; None when there is none or it is damaged."""
    copy = _file(path, k)
    if not copy.exists():
        return None
    try:
        frame = gpd.read_parquet(copy, page_checksum_verification=True)
    except (OSError, ValueError, ArrowException):  # a torn footer, a failed CRC: read the store instead
        frame = None
    if frame is None or not _same_shape(frame):
        copy.unlink(missing_ok=True)
        return None
    return frame


def _same_shape(frame: gpd.GeoDataFrame) -> bool:
    """The columns, dtypes and CRS of geo.events' table (a copy written by other code is not used)."""
    empty = events.to_frame([])
    return (list(frame.columns) == list(empty.columns) and frame.dtypes.equals(empty.dtypes)
            and frame.crs == empty.crs and isinstance(frame.index, type(empty.index)))


def save(path: Path, k: str, frame: gpd.GeoDataFrame) -> None:
    """Keep `frame` as the copy for `k`, replacing older copies; a failure to write costs only speed."""
    copy = _file(path, k)
    tmp = copy.with_name(f"{copy.name}.{os.getpid()}.tmp")
    try:
        frame.to_parquet(tmp, write_page_checksum=True, compression="zstd")
        os.replace(tmp, copy)
    except OSError:
        tmp.unlink(missing_ok=True)
        return
    for old in _others(path, keep=copy):
        old.unlink(missing_ok=True)
