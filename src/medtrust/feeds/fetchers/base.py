"""The fetcher Protocol, the context every fetcher receives and the result it returns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from medtrust.domain.vulnerability import Skipped
from medtrust.feeds.fetchers.cache import FeedCache
from medtrust.feeds.fetchers.clock import Clock
from medtrust.feeds.fetchers.config import FetchSettings
from medtrust.feeds.fetchers.http import HttpSession, RateLimiter, RetryPolicy


class Reporter(Protocol):
    """Receives progress while a fetcher works (the CLI draws a progress bar from it)."""

    def progress(self, source: str, message: str, done: int, total: int | None) -> None:
        """``done`` of ``total`` steps (``None``: unknown) of ``source``; ``message`` says what."""
        ...


class NullReporter:
    """Reports nothing."""

    def progress(self, source: str, message: str, done: int, total: int | None) -> None:
        """Ignore the progress report."""


@dataclass(frozen=True, slots=True)
class FetchContext:
    """What a fetcher works with: the cache, an HTTP client, settings, a clock, a reporter.

    ``full`` asks for a complete download, ignoring the incremental state.
    """

    cache: FeedCache
    client: httpx.Client
    settings: FetchSettings
    clock: Clock
    reporter: Reporter = field(default_factory=NullReporter)
    full: bool = False

    def session(
        self,
        source: str,
        *,
        limiter: RateLimiter | None = None,
        extra_retry_statuses: frozenset[int] = frozenset(),
        headers: Mapping[str, str] | None = None,
    ) -> HttpSession:
        """An HTTP session for ``source`` with the configured retry policy."""
        base = RetryPolicy()
        retry = RetryPolicy(
            attempts=self.settings.http_attempts,
            backoff_seconds=self.settings.http_backoff_seconds,
            max_backoff_seconds=self.settings.http_max_backoff_seconds,
            retry_statuses=base.retry_statuses | extra_retry_statuses,
        )
        return HttpSession(
            self.client,
            source=source,
            clock=self.clock,
            retry=retry,
            limiter=limiter,
            headers=headers,
        )


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetcher did, explained.

    ``downloaded`` files were new or changed; ``unchanged`` were confirmed current (304, or the
    feed's date for them had not moved); ``skipped`` are documents left out with the reason
    (hash mismatch, TLP, invalid); ``failures`` are whole units (an ecosystem, a provider) that
    could not be fetched, one line each. ``paths`` are the importable paths of the source.
    """

    source: str
    downloaded: int = 0
    unchanged: int = 0
    requests: int = 0
    paths: tuple[Path, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    failures: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """No unit failed (skipped documents do not count)."""
        return not self.failures

    def skip_counts(self) -> list[tuple[str, int]]:
        """Skips per reason, sorted by reason."""
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.reason] = counts.get(item.reason, 0) + 1
        return sorted(counts.items())

    def lines(self) -> list[str]:
        """A stable human-readable report."""
        out = [
            f"{self.source}: {self.downloaded} downloaded, {self.unchanged} unchanged,"
            f" {len(self.skipped)} skipped, {len(self.failures)} failed"
            f" ({self.requests} requests)"
        ]
        out += [f"{self.source}: note: {note}" for note in self.notes]
        out += [f"{self.source}: skipped {reason}: {count}" for reason, count in self.skip_counts()]
        out += [f"{self.source}: skipped {item}" for item in self.skipped[:20]]
        prefix = f"{self.source}: "
        out += [f"{prefix}failed: {line.removeprefix(prefix)}" for line in self.failures]
        return out


@dataclass(slots=True)
class Tally:
    """Mutable counters a fetcher fills, turned into a :class:`FetchResult` at the end."""

    source: str
    downloaded: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sessions: list[HttpSession] = field(default_factory=list)

    def skip(self, origin: str, reason: str, detail: str) -> None:
        """Record a skipped document."""
        self.skipped.append(Skipped(self.source, origin, reason, detail))

    def result(self, paths: tuple[Path, ...]) -> FetchResult:
        """The immutable result (skips sorted by origin and reason)."""
        return FetchResult(
            source=self.source,
            downloaded=self.downloaded,
            unchanged=self.unchanged,
            requests=sum(session.requests for session in self.sessions),
            paths=tuple(path for path in paths if path.exists()),
            skipped=tuple(sorted(self.skipped, key=lambda s: (s.origin, s.reason, s.detail))),
            failures=tuple(self.failures),
            notes=tuple(self.notes),
        )


class Fetcher(Protocol):
    """Downloads one public source into the cache."""

    #: registry key
    name: str
    #: one line for ``--help`` and the docs
    summary: str

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Bring the cached copy of the source up to date; raise ``FetchError`` if impossible."""
        ...
