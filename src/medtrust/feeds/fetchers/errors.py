"""Errors of the online fetchers.

A source that cannot be reached, or that answers with something unusable, is a
:class:`~medtrust.errors.DataSourceError` (CLI exit code 3). An unreadable cache manifest is an
:class:`~medtrust.errors.InputError` (exit code 2): the local state, not the source, is wrong.
"""

from __future__ import annotations

from medtrust.errors import DataSourceError, InputError


class FetchError(DataSourceError):
    """A feed source could not be used."""

    code = "feed-unavailable"


class SourceUnavailableError(FetchError):
    """The source did not answer, or answered with an error status after all retries."""

    code = "feed-unavailable"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ResponseRejectedError(FetchError):
    """The source answered, but the response is refused: too large, a decompression bomb, the
    wrong content type, invalid JSON or not the expected document."""

    code = "feed-response-rejected"


class CacheError(InputError):
    """The local feed cache (its manifest) cannot be read."""

    code = "feed-cache-unreadable"
