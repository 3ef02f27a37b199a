"""NVD CVE API 2.0: full download by pages, then incremental by last-modified windows.

Source: https://nvd.nist.gov/developers/vulnerabilities and .../developers/start-here.

* Paging: ``resultsPerPage`` (at most 2,000) and ``startIndex``, until ``totalResults``.
* Incremental: ``lastModStartDate``/``lastModEndDate`` must be given together and span at most
  120 days, so the time since the last run is cut into windows of at most that length.
* Rate limits: 5 requests per rolling 30 s without an API key, 50 with one (``apiKey``
  header). NVD answers 403 (as well as 429/503) when they are exceeded, so 403 is retried too.

One run writes its pages (gzip JSON, one API response each) into a new directory
``data/nvd/<UTC time>-<full|delta>/``. Directory names sort in time order, so a reader that
applies records in path order sees the newest version of a CVE last. A full run replaces all
earlier directories. The directory is moved into place only when every page was received, so
a failed run leaves the cache as it was and the next run repeats the same window.
"""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timedelta
from pathlib import Path

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult, Tally
from medtrust.feeds.fetchers.cache import CacheEntry
from medtrust.feeds.fetchers.errors import ResponseRejectedError
from medtrust.feeds.fetchers.http import Expect, HttpSession, RateLimit, RateLimiter

PREFIX = "data/nvd"
WINDOW_LIMIT_DAYS = 120
#: NVD public rate limits (requests per rolling 30 seconds)
WITHOUT_KEY = RateLimit(5, 30.0)
WITH_KEY = RateLimit(50, 30.0)

Window = tuple[datetime, datetime]


def windows(start: datetime, end: datetime, days: int) -> list[Window]:
    """Consecutive windows of at most ``days`` days covering ``start``..``end``."""
    step = timedelta(days=min(days, WINDOW_LIMIT_DAYS))
    out: list[Window] = []
    cursor = start
    while cursor < end:
        out.append((cursor, min(cursor + step, end)))
        cursor += step
    return out


def nvd_time(moment: datetime) -> str:
    """The date format of the NVD API: ``2024-01-31T12:00:00.000+00:00`` (UTC)."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}+00:00"


class NvdFetcher:
    """Download CVEs from the NVD CVE API 2.0."""

    name = "nvd"
    summary = "NVD CVE API 2.0 (all CVEs, then changes since the last run)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Page through the API (whole or by windows since the last run) into a new run dir."""
        settings = ctx.settings
        api_key = settings.nvd_api_key.get_secret_value() if settings.nvd_api_key else None
        limiter = RateLimiter(WITH_KEY if api_key else WITHOUT_KEY, ctx.clock)
        session = ctx.session(
            self.name,
            limiter=limiter,
            extra_retry_statuses=frozenset({403}),
            headers={"apiKey": api_key} if api_key else None,
        )
        tally = Tally(self.name, sessions=[session])
        started = ctx.clock.now()
        previous = None if ctx.full else ctx.cache.state(self.name).get("last_mod_end")
        if previous is None:
            plan: list[Window | None] = [None]
            mode = "full"
        else:
            plan = list(
                windows(datetime.fromisoformat(previous), started, settings.nvd_window_days)
            )
            mode = "delta"
            tally.notes.append(f"changes since {previous} in {len(plan)} window(s)")
        run = f"{started:%Y%m%dT%H%M%SZ}-{mode}"
        with ctx.cache.staging() as staged:
            staged.mkdir()
            entries: dict[str, CacheEntry] = {}
            records = 0
            for number, window in enumerate(plan):
                records += self._window(ctx, session, staged, entries, number, window)
            if records:
                ctx.cache.commit_tree(f"{PREFIX}/{run}", staged, entries)
                tally.downloaded = len(entries)
        if mode == "full":
            ctx.cache.forget(PREFIX, keep=f"{PREFIX}/{run}")
        ctx.cache.set_state(self.name, last_mod_end=started.isoformat())
        tally.notes.append(f"{records} CVE records in {len(entries)} page(s)")
        if limiter.waited:
            tally.notes.append(f"waited {limiter.waited:.0f} s for the rate limit")
        return tally.result((ctx.cache.path(PREFIX),))

    def _window(
        self,
        ctx: FetchContext,
        session: HttpSession,
        staged: Path,
        entries: dict[str, CacheEntry],
        number: int,
        window: Window | None,
    ) -> int:
        """Fetch every page of one window (``None``: everything); the number of records."""
        url = ctx.settings.nvd_url
        start_index = 0
        page = 0
        while True:
            params: dict[str, str | int] = {
                "resultsPerPage": ctx.settings.nvd_results_per_page,
                "startIndex": start_index,
            }
            if window is not None:
                params["lastModStartDate"] = nvd_time(window[0])
                params["lastModEndDate"] = nvd_time(window[1])
            origin = f"{self.name}: {url} (startIndex {start_index})"
            body = session.get(
                url, expect=Expect.JSON, max_bytes=ctx.settings.max_document_bytes, params=params
            )
            if body is None or body.download.not_modified:  # pragma: no cover - not asked
                raise ResponseRejectedError(f"{origin}: no page returned")
            document = checks.json_object(
                body.data, origin, required=("totalResults", "vulnerabilities")
            )
            items = document["vulnerabilities"]
            total = document["totalResults"]
            if not isinstance(items, list) or not isinstance(total, int) or total < 0:
                raise ResponseRejectedError(f"{origin}: not an NVD CVE API 2.0 page")
            if items:
                name = f"w{number:03d}-page-{page:06d}.json.gz"
                packed = gzip.compress(body.data, mtime=0)
                (staged / name).write_bytes(packed)
                entries[name] = CacheEntry(
                    url=str(session.client.build_request("GET", url, params=params).url),
                    fetched_at=ctx.clock.now(),
                    sha256=hashlib.sha256(packed).hexdigest(),
                    size=len(packed),
                    updated=_string(document.get("timestamp")),
                )
            start_index += len(items)
            page += 1
            label = "all CVEs" if window is None else f"window {number + 1}"
            ctx.reporter.progress(self.name, label, min(start_index, total), total)
            if start_index >= total:
                return start_index
            if not items:
                raise ResponseRejectedError(
                    f"{origin}: empty page before the end ({start_index} of {total} records)"
                )


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None
