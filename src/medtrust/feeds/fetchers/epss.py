"""FIRST EPSS daily scores: ``epss_scores-current.csv.gz``, kept compressed in the cache."""

from __future__ import annotations

from pathlib import Path

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult, Tally
from medtrust.feeds.fetchers.errors import ResponseRejectedError
from medtrust.feeds.fetchers.http import Expect
from medtrust.feeds.fetchers.store import fetch_file

KEY = "data/epss/epss_scores-current.csv.gz"


class EpssFetcher:
    """Download the current EPSS scores (https://www.first.org/epss/data_stats)."""

    name = "epss"
    summary = "FIRST EPSS scores of the day (gzip CSV)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Revalidate or download the scores; the gzip must inflate to an EPSS CSV."""
        tally = Tally(self.name)
        session = ctx.session(self.name)
        tally.sessions.append(session)
        url = ctx.settings.epss_url
        origin = f"{self.name}: {url}"
        ctx.reporter.progress(self.name, "scores", 0, 1)

        def check(path: Path) -> None:
            head = checks.gzip_text_head(path, origin, limit=ctx.settings.max_uncompressed_bytes)
            lines = [line.strip() for line in head.splitlines() if line.strip()]
            model = next((line for line in lines if line.startswith("#")), None)
            header = next((line for line in lines if not line.startswith("#")), "")
            if not header.lower().startswith("cve,epss"):
                raise ResponseRejectedError(f"{origin}: not an EPSS CSV (header {header[:40]!r})")
            if model:
                tally.notes.append(model.lstrip("#"))

        download = fetch_file(
            ctx,
            session,
            url=url,
            key=KEY,
            expect=Expect.GZIP,
            max_bytes=ctx.settings.max_document_bytes,
            check=check,
        )
        if download.not_modified:
            tally.unchanged += 1
        else:
            tally.downloaded += 1
        ctx.reporter.progress(self.name, "scores", 1, 1)
        return tally.result((ctx.cache.path(KEY).parent,))
