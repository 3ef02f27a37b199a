"""Legacy NVD JSON 1.1 data feeds (``CVE_Items``) -> :class:`Vulnerability`.

NVD retired the 1.1 feeds in December 2023, but mirrors and test corpora still carry them.
Configurations (``nodes[].cpe_match[]`` with ``cpe23Uri`` and nested ``children``) map onto the
same :class:`CpeMatchNode` shape as NVD 2.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vulnerability import CpeMatchNode, CvssScore, FeedKind, Vulnerability
from medtrust.feeds.readers.base import FeedRecord, each_record, skipped_document
from medtrust.feeds.readers.cvss_scores import cvss_score
from medtrust.feeds.readers.nvd import cpe_match
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    cwe_ids,
    english,
    flag,
    load_json,
    number,
    obj,
    objects,
    required_text,
    text,
    timestamp,
    unique,
)

_DETECT = re.compile(rb'"CVE_Items"\s*:|"CVE_data_type"\s*:')
#: nesting depth guard for ``children`` (real feeds use 2 levels)
_MAX_DEPTH = 32


class NvdLegacyReader:
    """Reads NVD JSON 1.1 feed files."""

    name = "nvd-legacy"
    kind = FeedKind.NVD_LEGACY

    def detect(self, origin: str, head: bytes) -> bool:
        """A ``CVE_Items`` feed document."""
        return bool(_DETECT.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield one :class:`Vulnerability` per ``CVE_Items`` entry."""
        try:
            document = load_json(data)
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        items = document.get("CVE_Items") if isinstance(document, dict) else None
        if not isinstance(items, list):
            items = [document]
        yield from each_record(
            self.name,
            ((f"{origin}#/CVE_Items/{index}", item) for index, item in enumerate(items)),
            vulnerability_from_nvd_legacy,
        )


def vulnerability_from_nvd_legacy(origin: str, item: JsonObject) -> Vulnerability:
    """Convert one 1.1 ``CVE_Items`` entry."""
    notes: list[str] = []
    cve = obj(item, "cve")
    meta = obj(cve, "CVE_data_meta")
    cve_id = required_text(meta, "ID", "CVE_data_meta")
    details = english(obj(cve, "description"), "description_data")
    cwes = [
        text(description, "value") or ""
        for problem in objects(obj(cve, "problemtype"), "problemtype_data")
        for description in objects(problem, "description")
    ]
    return Vulnerability(
        id=cve_id,
        source=FeedKind.NVD_LEGACY,
        origin=origin,
        details=details,
        published=timestamp(item.get("publishedDate"), "publishedDate", notes),
        modified=timestamp(item.get("lastModifiedDate"), "lastModifiedDate", notes),
        withdrawn=details.startswith("** REJECT **"),
        assigner=text(meta, "ASSIGNER") or "",
        cwes=cwe_ids(cwes),
        cvss=tuple(_impact(obj(item, "impact"))),
        configurations=tuple(
            _node(node, 0) for node in objects(obj(item, "configurations"), "nodes")
        ),
        references=unique(
            [text(ref, "url") or "" for ref in objects(obj(cve, "references"), "reference_data")]
        ),
        notes=tuple(notes),
    )


def _impact(impact: JsonObject) -> Iterator[CvssScore]:
    for metric_key, data_key in (("baseMetricV2", "cvssV2"), ("baseMetricV3", "cvssV3")):
        data = obj(obj(impact, metric_key), data_key)
        vector = text(data, "vectorString")
        if vector:
            yield cvss_score(
                vector,
                number(data, "baseScore"),
                source="nvd@nist.gov",
                type_="Primary",
                version=text(data, "version"),
            )


def _node(raw: JsonObject, depth: int) -> CpeMatchNode:
    if depth > _MAX_DEPTH:
        raise RecordError("too-deep", f"configuration nodes nested deeper than {_MAX_DEPTH}")
    return CpeMatchNode(
        operator=(text(raw, "operator") or "OR").upper(),
        negate=flag(raw, "negate"),
        matches=tuple(cpe_match(match, "cpe23Uri") for match in objects(raw, "cpe_match")),
        children=tuple(_node(child, depth + 1) for child in objects(raw, "children")),
    )
