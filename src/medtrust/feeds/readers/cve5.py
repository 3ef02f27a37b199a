"""CVE JSON 5 records (CVE Record Format 5.x) -> :class:`Vulnerability`.

Source: CVE Record Format schema 5.1 (https://github.com/CVEProject/cve-schema). Data from the
CNA container and every ADP container is read; CISA's Vulnrichment ADP adds CVSS, CWE, CPEs in
``affected[].cpes``, SSVC decision points (``metrics[].other.type == "ssvc"``) and a KEV marker
(``metrics[].other.type == "kev"``). Rejected records become withdrawn vulnerabilities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vulnerability import (
    AffectedProduct,
    CvssScore,
    FeedKind,
    KevEntry,
    SsvcDecision,
    VersionChange,
    VersionSpec,
    Vulnerability,
)
from medtrust.feeds.readers.base import FeedRecord, each_record, skipped_document
from medtrust.feeds.readers.cvss_scores import cvss_score
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    cwe_ids,
    day,
    english,
    load_json,
    number,
    obj,
    objects,
    required_text,
    text,
    texts,
    timestamp,
    unique,
)

_DETECT = re.compile(rb'"dataType"\s*:\s*"CVE_RECORD"|"cveMetadata"\s*:\s*\{')
_CVSS_KEYS = {"cvssV2_0": "2.0", "cvssV3_0": "3.0", "cvssV3_1": "3.1", "cvssV4_0": "4.0"}
_SSVC_POINTS = {"exploitation", "automatable", "technical impact"}


class Cve5Reader:
    """Reads CVE JSON 5 records (cvelistV5, CISA Vulnrichment)."""

    name = "cve5"
    kind = FeedKind.CVE5

    def detect(self, origin: str, head: bytes) -> bool:
        """``dataType: CVE_RECORD`` or a ``cveMetadata`` object."""
        return bool(_DETECT.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield the record's :class:`Vulnerability` (a JSON list of records is accepted too)."""
        try:
            document = load_json(data)
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        if isinstance(document, list):
            items = [(f"{origin}#/{index}", item) for index, item in enumerate(document)]
        else:
            items = [(origin, document)]
        yield from each_record(self.name, items, vulnerability_from_cve5)


def vulnerability_from_cve5(origin: str, record: JsonObject) -> Vulnerability:
    """Convert one CVE JSON 5 record."""
    notes: list[str] = []
    metadata = obj(record, "cveMetadata")
    cve_id = required_text(metadata, "cveId", "cveMetadata")
    state = text(metadata, "state") or ""
    containers = obj(record, "containers")
    cna = obj(containers, "cna")
    blocks: list[tuple[str, JsonObject]] = [("cna", cna)]
    for adp in objects(containers, "adp"):
        blocks.append((f"adp:{text(obj(adp, 'providerMetadata'), 'shortName') or 'unknown'}", adp))
    withdrawn = state.upper() == "REJECTED"
    updated = timestamp(metadata.get("dateUpdated"), "dateUpdated", notes)
    cvss: list[CvssScore] = []
    cwes: list[str] = []
    references: list[str] = []
    affected: list[AffectedProduct] = []
    ssvc: SsvcDecision | None = None
    kev: KevEntry | None = None
    for container, block in blocks:
        provider = text(obj(block, "providerMetadata"), "shortName") or container
        affected.extend(affected_products(block, "affected", container))
        references.extend(text(ref, "url") or "" for ref in objects(block, "references"))
        for problem in objects(block, "problemTypes"):
            for description in objects(problem, "descriptions"):
                cwes.extend(v for v in (text(description, "cweId"), _cwe_in(description)) if v)
        for metric in objects(block, "metrics"):
            cvss.extend(_cvss(metric, provider, container))
            other = obj(metric, "other")
            kind = (text(other, "type") or "").strip().lower()
            content = obj(other, "content")
            if kind == "ssvc" and ssvc is None:
                ssvc = _ssvc(content, notes)
            elif kind == "kev" and kev is None:
                kev = KevEntry(
                    cve_id=cve_id,
                    date_added=day(content.get("dateAdded"), "kev.dateAdded", notes),
                    origin=f"cve5 {container}",
                )
    rejected = cna.get("rejectedReasons")
    return Vulnerability(
        id=cve_id,
        source=FeedKind.CVE5,
        origin=origin,
        summary=(text(cna, "title") or "").strip(),
        details=english(cna, "descriptions") or english({"r": rejected}, "r"),
        published=timestamp(metadata.get("datePublished"), "datePublished", notes),
        modified=updated,
        withdrawn=withdrawn,
        withdrawn_at=(
            timestamp(metadata.get("dateRejected"), "dateRejected", notes) or updated
            if withdrawn
            else None
        ),
        status=state,
        assigner=text(metadata, "assignerShortName") or "",
        cwes=cwe_ids(cwes),
        cvss=tuple(cvss),
        affected_products=tuple(affected),
        references=unique(references),
        kev=kev,
        ssvc=ssvc,
        schema_version=text(record, "dataVersion") or "",
        notes=tuple(notes),
    )


def affected_products(holder: JsonObject, key: str, container: str) -> Iterator[AffectedProduct]:
    """The CVE 5 ``affected[]`` entries of ``holder[key]`` (NVD 2.0 reuses this shape)."""
    for entry in objects(holder, key):
        yield AffectedProduct(
            vendor=text(entry, "vendor") or "",
            product=text(entry, "product") or "",
            versions=tuple(_version(spec) for spec in objects(entry, "versions")),
            default_status=text(entry, "defaultStatus"),
            cpes=unique(texts(entry, "cpes")),
            package_name=text(entry, "packageName"),
            collection_url=text(entry, "collectionURL"),
            repo=text(entry, "repo"),
            platforms=texts(entry, "platforms"),
            modules=texts(entry, "modules"),
            container=container,
        )


def _version(spec: JsonObject) -> VersionSpec:
    return VersionSpec(
        version=text(spec, "version") or "",
        status=text(spec, "status") or "",
        version_type=text(spec, "versionType"),
        less_than=text(spec, "lessThan"),
        less_than_or_equal=text(spec, "lessThanOrEqual"),
        changes=tuple(
            VersionChange(at=text(change, "at") or "", status=text(change, "status") or "")
            for change in objects(spec, "changes")
        ),
    )


def _cvss(metric: JsonObject, provider: str, container: str) -> Iterator[CvssScore]:
    for key, version in _CVSS_KEYS.items():
        data = obj(metric, key)
        vector = text(data, "vectorString")
        if vector:
            yield cvss_score(
                vector,
                number(data, "baseScore"),
                source=provider,
                type_=container,
                version=text(data, "version") or version,
            )


def _ssvc(content: JsonObject, notes: list[str]) -> SsvcDecision:
    points: dict[str, str] = {}
    for option in objects(content, "options"):
        for point, value in option.items():
            if point.strip().lower() in _SSVC_POINTS and isinstance(value, str):
                points[point.strip().lower()] = value
    return SsvcDecision(
        exploitation=points.get("exploitation"),
        automatable=points.get("automatable"),
        technical_impact=points.get("technical impact"),
        version=text(content, "version"),
        role=text(content, "role"),
        timestamp=timestamp(content.get("timestamp"), "ssvc.timestamp", notes),
    )


def _cwe_in(description: JsonObject) -> str | None:
    value = text(description, "description") or ""
    match = re.match(r"\s*(CWE-\d+)", value)
    return match.group(1) if match else None
