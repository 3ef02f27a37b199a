"""Registry of online fetchers: a stable name per public source."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from medtrust.errors import InputError
from medtrust.feeds.fetchers.base import Fetcher
from medtrust.feeds.fetchers.csaf import CsafFetcher
from medtrust.feeds.fetchers.epss import EpssFetcher
from medtrust.feeds.fetchers.kev import KevFetcher
from medtrust.feeds.fetchers.nvd import NvdFetcher
from medtrust.feeds.fetchers.osv import OsvFetcher


class UnknownFetcherError(InputError):
    """No fetcher is registered under the requested name."""

    code = "unknown-feed-source"


@cache
def _factories() -> dict[str, Callable[[], Fetcher]]:
    return {
        "csaf": CsafFetcher,
        "epss": EpssFetcher,
        "kev": KevFetcher,
        "nvd": NvdFetcher,
        "osv": OsvFetcher,
    }


def fetcher_names() -> tuple[str, ...]:
    """The registry keys, sorted."""
    return tuple(sorted(_factories()))


def get_fetcher(name: str) -> Fetcher:
    """A new fetcher for ``name``."""
    factory = _factories().get(name)
    if factory is None:
        known = ", ".join(fetcher_names())
        raise UnknownFetcherError(f"unknown feed source {name!r} (known: {known})")
    return factory()
