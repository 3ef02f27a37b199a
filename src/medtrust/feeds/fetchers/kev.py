"""CISA Known Exploited Vulnerabilities catalog: one JSON file, revalidated with its ETag."""

from __future__ import annotations

from pathlib import Path

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult, Tally
from medtrust.feeds.fetchers.http import Expect
from medtrust.feeds.fetchers.store import fetch_file

KEY = "data/kev/known_exploited_vulnerabilities.json"


class KevFetcher:
    """Download the KEV catalog JSON (https://www.cisa.gov/known-exploited-vulnerabilities)."""

    name = "kev"
    summary = "CISA Known Exploited Vulnerabilities catalog (JSON)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Revalidate or download the catalog; it must be an object with a vulnerabilities list."""
        tally = Tally(self.name)
        session = ctx.session(self.name)
        tally.sessions.append(session)
        url = ctx.settings.kev_url
        ctx.reporter.progress(self.name, "catalog", 0, 1)

        def check(path: Path) -> None:
            document = checks.json_file(path, f"{self.name}: {url}", list_key="vulnerabilities")
            tally.notes.append(
                f"catalog version {document.get('catalogVersion', '?')},"
                f" {len(document['vulnerabilities'])} entries"
            )

        download = fetch_file(
            ctx,
            session,
            url=url,
            key=KEY,
            expect=Expect.JSON,
            max_bytes=ctx.settings.max_document_bytes,
            check=check,
        )
        if download.not_modified:
            tally.unchanged += 1
        else:
            tally.downloaded += 1
        ctx.reporter.progress(self.name, "catalog", 1, 1)
        return tally.result((ctx.cache.path(KEY).parent,))
