"""CISA Known Exploited Vulnerabilities catalog (JSON) -> :class:`KevEntry`.

Source: CISA KEV catalog JSON and its schema (https://www.cisa.gov/known-exploited-vulnerabilities-catalog,
https://github.com/cisagov/kev-data): ``catalogVersion``, ``dateReleased`` and
``vulnerabilities[]`` with ``cveID``, ``dateAdded``, ``dueDate``, ``knownRansomwareCampaignUse``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vulnerability import FeedKind, KevEntry, Skipped
from medtrust.feeds.readers.base import FeedRecord, each_record, skipped_document
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    day,
    load_json,
    required_text,
    text,
    texts,
)

_DETECT = re.compile(rb'"catalogVersion"\s*:')


class KevReader:
    """Reads the CISA KEV catalog."""

    name = "kev"
    kind = FeedKind.KEV

    def detect(self, origin: str, head: bytes) -> bool:
        """The catalog has a top-level ``catalogVersion``."""
        return bool(_DETECT.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield one :class:`KevEntry` per catalog entry."""
        try:
            document = load_json(data)
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        entries = document.get("vulnerabilities") if isinstance(document, dict) else None
        if not isinstance(document, dict) or not isinstance(entries, list):
            yield Skipped(self.name, origin, "no-vulnerabilities", "no 'vulnerabilities' array")
            return
        catalog_version = text(document, "catalogVersion") or ""

        def convert(member: str, entry: JsonObject) -> KevEntry:
            return kev_entry(member, entry, catalog_version)

        yield from each_record(
            self.name,
            ((f"{origin}#/vulnerabilities/{index}", entry) for index, entry in enumerate(entries)),
            convert,
        )


def kev_entry(origin: str, entry: JsonObject, catalog_version: str = "") -> KevEntry:
    """Convert one catalog entry; ``cveID`` is required, dates must be ISO dates."""
    notes: list[str] = []
    cve_id = required_text(entry, "cveID", "KEV entry")
    added = day(entry.get("dateAdded"), "dateAdded", notes)
    due = day(entry.get("dueDate"), "dueDate", notes)
    if notes:
        raise RecordError("invalid-date", "; ".join(notes))
    return KevEntry(
        cve_id=cve_id,
        date_added=added,
        due_date=due,
        vendor_project=text(entry, "vendorProject") or "",
        product=text(entry, "product") or "",
        vulnerability_name=text(entry, "vulnerabilityName") or "",
        short_description=text(entry, "shortDescription") or "",
        required_action=text(entry, "requiredAction") or "",
        known_ransomware_campaign_use=text(entry, "knownRansomwareCampaignUse") or "",
        notes=text(entry, "notes") or "",
        cwes=texts(entry, "cwes"),
        catalog_version=catalog_version,
        origin=origin,
    )
