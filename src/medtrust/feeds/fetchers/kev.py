"""CISA Known Exploited Vulnerabilities catalog: one JSON file, revalidated with its ETag."""

from __future__ import annotations

from pathlib import Path

from medtrust.feeds.fetchers import checks
from medtrust.feeds.fetchers.base import FetchContext, FetchResult
from medtrust.feeds.fetchers.http import Expect
from medtrust.feeds.fetchers.store import fetch_one

KEY = "data/kev/known_exploited_vulnerabilities.json"


class KevFetcher:
    """Download the KEV catalog JSON (https://www.cisa.gov/known-exploited-vulnerabilities)."""

    name = "kev"
    summary = "CISA Known Exploited Vulnerabilities catalog (JSON)"

    def fetch(self, ctx: FetchContext) -> FetchResult:
        """Revalidate or download the catalog; it must be an object with a vulnerabilities list."""
        url = ctx.settings.kev_url

        def check(path: Path, notes: list[str]) -> None:
            document = checks.json_file(path, f"{self.name}: {url}", list_key="vulnerabilities")
            notes.append(
                f"catalog version {document.get('catalogVersion', '?')},"
                f" {len(document['vulnerabilities'])} entries"
            )

        return fetch_one(
            ctx, self.name, url=url, key=KEY, expect=Expect.JSON, stage="catalog", check=check
        )
