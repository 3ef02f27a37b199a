"""Run fetchers into a cache: the use case behind ``medtrust feeds update``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from medtrust.errors import DataSourceError
from medtrust.feeds.fetchers.base import FetchContext, FetchResult, NullReporter, Reporter
from medtrust.feeds.fetchers.cache import FeedCache
from medtrust.feeds.fetchers.clock import Clock, SystemClock
from medtrust.feeds.fetchers.config import FetchSettings
from medtrust.feeds.fetchers.http import make_client
from medtrust.feeds.fetchers.registry import fetcher_names, get_fetcher
from medtrust.settings import Settings

logger = logging.getLogger(__name__)


def cache_root(settings: Settings, fetch: FetchSettings) -> Path:
    """The feed cache directory: ``MEDTRUST_FEEDS_CACHE_DIR`` or ``DATA_DIR/feeds-cache``."""
    return fetch.feeds_cache_dir or settings.data_dir / "feeds-cache"


@dataclass(frozen=True, slots=True)
class UpdateReport:
    """Results per source, in the order run, and the sources that failed as a whole."""

    cache_root: Path
    results: tuple[FetchResult, ...]
    errors: tuple[tuple[str, str], ...]

    @property
    def ok(self) -> bool:
        """Every source and every unit in it was fetched (skipped documents aside)."""
        return not self.errors and all(result.ok for result in self.results)

    @property
    def paths(self) -> tuple[Path, ...]:
        """Importable paths, for ``medtrust feeds import``."""
        return tuple(path for result in self.results for path in result.paths)

    def lines(self) -> list[str]:
        """A stable report: each source's lines, then the failed sources."""
        out = [line for result in self.results for line in result.lines()]
        out += [
            f"{source}: unavailable: {message.removeprefix(f'{source}: ')}"
            for source, message in self.errors
        ]
        out.append(f"cache: {self.cache_root}")
        return out


def update_feeds(
    *,
    sources: Sequence[str] = (),
    settings: FetchSettings,
    root: Path,
    full: bool = False,
    clock: Clock | None = None,
    reporter: Reporter | None = None,
) -> UpdateReport:
    """Update ``sources`` (all when empty) in the cache at ``root``.

    A source whose fetch raises :class:`~medtrust.errors.DataSourceError` is recorded and the
    next one runs; the manifest is saved after every source. An unknown source name or an
    unreadable manifest raises before anything is downloaded.
    """
    names = tuple(dict.fromkeys(sources)) or fetcher_names()
    fetchers = [get_fetcher(name) for name in names]
    cache = FeedCache.open(root)
    results: list[FetchResult] = []
    errors: list[tuple[str, str]] = []
    with make_client(settings) as client:
        ctx = FetchContext(
            cache=cache,
            client=client,
            settings=settings,
            clock=clock or SystemClock(),
            reporter=reporter or NullReporter(),
            full=full,
        )
        for fetcher in fetchers:
            try:
                results.append(fetcher.fetch(ctx))
            except DataSourceError as exc:
                logger.warning("feed source %s unavailable: %s", fetcher.name, exc)
                errors.append((fetcher.name, exc.message))
            finally:
                cache.save()
    return UpdateReport(root, tuple(results), tuple(errors))
