"""One small hierarchy of errors, so callers can catch what they can handle."""


class GeoError(Exception):
    """Base of every error this library raises on purpose."""


class ArticleError(GeoError):
    """An article file that cannot be read as text (empty, binary, not UTF-8, too big, bad HTML)."""

    def __init__(self, file: str, reason: str):
        super().__init__(f"{file}: {reason}")
        self.file = file
        self.reason = reason


class GazetteerError(GeoError):
    """The offline gazetteer (or its cache) cannot be built or read."""


class GeocoderError(GeoError):
    """A geocoder failed (timeout, service error); callers fall back to the next one."""


class StoreError(GeoError):
    """The event store is missing, unreadable or corrupt."""


class StoreBusyError(StoreError):
    """Another writer held the store for longer than we were willing to wait."""


class ReviewError(GeoError):
    """A review that cannot be taken: unknown id, bad status or value. Nothing was written."""


class ClusterError(GeoError):
    """The Dask cluster cannot be started, reached or used (or Dask is not installed)."""


class ServerError(GeoError):
    """A dashboard server that was started did not come up (it exited, or never answered)."""
