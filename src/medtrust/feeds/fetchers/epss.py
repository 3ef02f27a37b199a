"""FIRST EPSS daily scores: ``epss_scores-current.csv.gz``, kept compressed in the cache."""

from __future__ import annotations

from pathlib import Path

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult
from medtrust.feeds.fetchers.errors import ResponseRejectedError
from medtrust.feeds.fetchers.http import Expect
from medtrust.feeds.fetchers.store import fetch_one

KEY = "data/epss/epss_scores-current.csv.gz"


class EpssFetcher:
    """Download the current EPSS scores (https://www.first.org/epss/data_stats)."""

    name = "epss"
    summary = "FIRST EPSS scores of the day (gzip CSV)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Revalidate or download the scores; the gzip must inflate to an EPSS CSV."""
        url = ctx.settings.epss_url
        origin = f"{self.name}: {url}"

        def check(path: Path, notes: list[str]) -> None:
            head = checks.gzip_text_head(path, origin, limit=ctx.settings.max_uncompressed_bytes)
            lines = [line.strip() for line in head.splitlines() if line.strip()]
            model = next((line for line in lines if line.startswith("#")), None)
            header = next((line for line in lines if not line.startswith("#")), "")
            if not header.lower().startswith("cve,epss"):
                raise ResponseRejectedError(f"{origin}: not an EPSS CSV (header {header[:40]!r})")
            if model:
                notes.append(model.lstrip("#"))

        return fetch_one(
            ctx, self.name, url=url, key=KEY, expect=Expect.GZIP, stage="scores", check=check
        )
