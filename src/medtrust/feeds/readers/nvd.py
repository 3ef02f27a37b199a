"""NVD CVE API 2.0 JSON -> :class:`Vulnerability`.

Accepts an API response page (``{"format": "NVD_CVE", "vulnerabilities": [{"cve": {...}}]}``,
which is also the shape of a single-CVE response) and a bare ``cve`` object as stored by the
NVD JSON mirrors (one file per CVE). Source: NVD "CVE API" documentation
(https://nvd.nist.gov/developers/vulnerabilities), response schema 2.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vulnerability import (
    CpeMatch,
    CpeMatchNode,
    CvssScore,
    FeedKind,
    KevEntry,
    Vulnerability,
)
from medtrust.feeds.readers.base import FeedRecord, each_record, skipped_document
from medtrust.feeds.readers.cve5 import affected_products
from medtrust.feeds.readers.cvss_scores import cvss_score
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    cwe_ids,
    day,
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

_PAGE = re.compile(rb'"format"\s*:\s*"NVD_CVE"|"vulnerabilities"\s*:\s*\[\s*\{\s*"cve"\s*:\s*\{')
_BARE = re.compile(rb'"sourceIdentifier"\s*:')
_BARE_STATUS = re.compile(rb'"vulnStatus"\s*:')
_METRIC_KEYS = ("cvssMetricV2", "cvssMetricV30", "cvssMetricV31", "cvssMetricV40")
#: NVD vulnStatus values meaning the CVE was withdrawn by its CNA
_WITHDRAWN_STATUSES = {"rejected"}


class NvdReader:
    """Reads NVD CVE API 2.0 responses and per-CVE mirror files."""

    name = "nvd"
    kind = FeedKind.NVD

    def detect(self, origin: str, head: bytes) -> bool:
        """An API page (``format: NVD_CVE``) or a bare CVE object with ``vulnStatus``."""
        return bool(_PAGE.search(head) or (_BARE.search(head) and _BARE_STATUS.search(head)))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield one :class:`Vulnerability` per CVE of the page."""
        try:
            document = load_json(data)
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        if isinstance(document, dict) and isinstance(document.get("vulnerabilities"), list):
            items: list[tuple[str, object]] = []
            for index, item in enumerate(document["vulnerabilities"]):
                cve = item.get("cve") if isinstance(item, dict) else item
                items.append((f"{origin}#/vulnerabilities/{index}", cve))
        else:
            items = [(origin, document)]
        yield from each_record(self.name, items, vulnerability_from_nvd)


def vulnerability_from_nvd(origin: str, cve: JsonObject) -> Vulnerability:
    """Convert one NVD 2.0 ``cve`` object."""
    notes: list[str] = []
    cve_id = required_text(cve, "id", "NVD cve object")
    status = text(cve, "vulnStatus") or ""
    modified = timestamp(cve.get("lastModified"), "lastModified", notes)
    withdrawn = status.strip().lower() in _WITHDRAWN_STATUSES
    weaknesses = [
        text(description, "value") or ""
        for weakness in objects(cve, "weaknesses")
        for description in objects(weakness, "description")
    ]
    return Vulnerability(
        id=cve_id,
        source=FeedKind.NVD,
        origin=origin,
        details=english(cve, "descriptions"),
        published=timestamp(cve.get("published"), "published", notes),
        modified=modified,
        withdrawn=withdrawn,
        withdrawn_at=modified if withdrawn else None,
        status=status,
        assigner=text(cve, "sourceIdentifier") or "",
        cwes=cwe_ids(weaknesses),
        cvss=tuple(_metrics(obj(cve, "metrics"))),
        affected_products=tuple(
            product
            for block in objects(cve, "affected")
            for product in affected_products(block, "affectedData", text(block, "source") or "nvd")
        ),
        configurations=tuple(_configurations(cve)),
        references=unique([text(ref, "url") or "" for ref in objects(cve, "references")]),
        kev=_kev(cve_id, cve, notes),
        notes=tuple(notes),
    )


def _metrics(metrics: JsonObject) -> Iterator[CvssScore]:
    for key in _METRIC_KEYS:
        for metric in objects(metrics, key):
            data = obj(metric, "cvssData")
            vector = text(data, "vectorString")
            if not vector:
                continue
            yield cvss_score(
                vector,
                number(data, "baseScore"),
                source=text(metric, "source") or "",
                type_=text(metric, "type") or "",
                version=text(data, "version"),
            )


def cpe_match(raw: JsonObject, criteria_key: str = "criteria") -> CpeMatch:
    """One ``cpeMatch`` (2.0) or ``cpe_match`` (1.1, ``cpe23Uri``) entry."""
    return CpeMatch(
        criteria=text(raw, criteria_key) or "",
        vulnerable=flag(raw, "vulnerable", default=True),
        version_start_including=text(raw, "versionStartIncluding"),
        version_start_excluding=text(raw, "versionStartExcluding"),
        version_end_including=text(raw, "versionEndIncluding"),
        version_end_excluding=text(raw, "versionEndExcluding"),
        match_criteria_id=text(raw, "matchCriteriaId"),
    )


def _node(raw: JsonObject) -> CpeMatchNode:
    return CpeMatchNode(
        operator=(text(raw, "operator") or "OR").upper(),
        negate=flag(raw, "negate"),
        matches=tuple(cpe_match(match) for match in objects(raw, "cpeMatch")),
    )


def _configurations(cve: JsonObject) -> Iterator[CpeMatchNode]:
    for configuration in objects(cve, "configurations"):
        nodes = tuple(_node(node) for node in objects(configuration, "nodes"))
        operator = text(configuration, "operator")
        if len(nodes) == 1 and operator is None and not flag(configuration, "negate"):
            yield nodes[0]
        elif nodes:
            yield CpeMatchNode(
                operator=(operator or "OR").upper(),
                negate=flag(configuration, "negate"),
                children=nodes,
            )


def _kev(cve_id: str, cve: JsonObject, notes: list[str]) -> KevEntry | None:
    added = text(cve, "cisaExploitAdd")
    if added is None:
        return None
    return KevEntry(
        cve_id=cve_id,
        date_added=day(added, "cisaExploitAdd", notes),
        due_date=day(cve.get("cisaActionDue"), "cisaActionDue", notes),
        vulnerability_name=text(cve, "cisaVulnerabilityName") or "",
        required_action=text(cve, "cisaRequiredAction") or "",
        origin="nvd",
    )
