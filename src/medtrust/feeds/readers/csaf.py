"""CSAF 2.0 documents -> :class:`Advisory` (and :class:`VexStatement` for CSAF VEX).

Source: OASIS CSAF Version 2.0 (document 3.2.1, product tree 3.2.2, vulnerabilities 3.2.3).
A ``csaf_vex`` document (profile 4.5) additionally yields one VEX statement per vulnerability,
status bucket and justification (see :mod:`.csaf_vex`). ROLIE feeds and other index documents
are not advisories and are recognised by :mod:`.registry` instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.advisory import (
    Advisory,
    CsafFlag,
    CsafNote,
    CsafThreat,
    ProductStatus,
    ProductStatusKind,
    Remediation,
)
from medtrust.domain.vulnerability import CvssScore, FeedKind, Vulnerability
from medtrust.feeds.readers.base import FeedRecord, skipped_document
from medtrust.feeds.readers.csaf_products import read_product_tree
from medtrust.feeds.readers.csaf_vex import vex_statements
from medtrust.feeds.readers.cvss_scores import cvss_score
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    as_object,
    cwe_ids,
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

_DETECT = re.compile(rb'"csaf_version"\s*:\s*"2|"category"\s*:\s*"csaf_')
_STATUS_KINDS = {kind.value: kind for kind in ProductStatusKind}


class CsafReader:
    """Reads CSAF 2.0 advisories, including CSAF VEX documents."""

    name = "csaf"
    kind = FeedKind.CSAF

    def detect(self, origin: str, head: bytes) -> bool:
        """A ``csaf_version`` 2.x or a ``csaf_*`` document category."""
        return bool(_DETECT.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield the :class:`Advisory`, then its VEX statements when it is a CSAF VEX."""
        try:
            advisory = advisory_from_csaf(origin, as_object(load_json(data), "CSAF document"))
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        yield advisory
        if advisory.category == "csaf_vex":
            yield from vex_statements(advisory)


def advisory_from_csaf(origin: str, document: JsonObject) -> Advisory:
    """Convert one CSAF document."""
    notes: list[str] = []
    meta = obj(document, "document")
    if not meta:
        raise RecordError("missing-document", "CSAF file has no 'document' object")
    tracking = obj(meta, "tracking")
    advisory_id = required_text(tracking, "id", "document.tracking")
    publisher = obj(meta, "publisher")
    tree = read_product_tree(obj(document, "product_tree"))
    vulnerabilities: list[Vulnerability] = []
    statuses: list[ProductStatus] = []
    remediations: list[Remediation] = []
    flags: list[CsafFlag] = []
    threats: list[CsafThreat] = []
    for index, raw in enumerate(objects(document, "vulnerabilities")):
        vulnerability = _vulnerability(raw, index, advisory_id, origin)
        vulnerabilities.append(vulnerability)
        vid = vulnerability.id
        for bucket, product_ids in obj(raw, "product_status").items():
            kind = _STATUS_KINDS.get(bucket)
            if kind is None:
                notes.append(f"{vid}: unknown product_status bucket {bucket!r}")
                continue
            for product_id in sorted(set(texts({"ids": product_ids}, "ids"))):
                statuses.append(ProductStatus(vid, kind, product_id))
        for entry in objects(raw, "remediations"):
            remediations.append(
                Remediation(
                    vulnerability_id=vid,
                    category=text(entry, "category") or "",
                    details=text(entry, "details") or "",
                    product_ids=tree.expand(entry),
                    url=text(entry, "url"),
                    date=timestamp(entry.get("date"), f"{vid} remediation date", notes),
                )
            )
        flags.extend(
            CsafFlag(vid, text(entry, "label") or "", tree.expand(entry))
            for entry in objects(raw, "flags")
        )
        threats.extend(
            CsafThreat(
                vid, text(entry, "category") or "", text(entry, "details") or "", tree.expand(entry)
            )
            for entry in objects(raw, "threats")
        )
    known = set(tree.products)
    unknown = sorted({status.product_id for status in statuses} - known)
    if unknown:
        notes.append(f"product ids not in the product tree: {', '.join(unknown[:10])}")
    notes.extend(tree.notes)
    return Advisory(
        id=advisory_id,
        source=FeedKind.CSAF,
        category=text(meta, "category") or "",
        title=text(meta, "title") or "",
        publisher=text(publisher, "name") or "",
        origin=origin,
        publisher_namespace=text(publisher, "namespace") or "",
        version=text(tracking, "version") or "",
        status=text(tracking, "status") or "",
        tlp=text(obj(obj(meta, "distribution"), "tlp"), "label") or "",
        published=timestamp(tracking.get("initial_release_date"), "initial_release_date", notes),
        modified=timestamp(tracking.get("current_release_date"), "current_release_date", notes),
        vulnerabilities=tuple(vulnerabilities),
        products=tuple(tree.products[key] for key in sorted(tree.products)),
        relationships=tuple(tree.relationships),
        product_statuses=tuple(statuses),
        remediations=tuple(remediations),
        flags=tuple(flags),
        threats=tuple(threats),
        references=unique([text(ref, "url") or "" for ref in objects(meta, "references")]),
        document_notes=tuple(
            CsafNote(
                category=text(note, "category") or "",
                text=text(note, "text") or "",
                title=text(note, "title") or "",
            )
            for note in objects(meta, "notes")
        ),
        notes=tuple(unique(notes)),
    )


def _vulnerability(raw: JsonObject, index: int, advisory_id: str, origin: str) -> Vulnerability:
    ids = [text(entry, "text") or "" for entry in objects(raw, "ids")]
    cve = text(raw, "cve")
    vid = cve or next((value for value in ids if value), None) or f"{advisory_id}#{index}"
    own_notes: list[str] = []
    cwe = obj(raw, "cwe")
    descriptions = [
        text(note, "text") or ""
        for note in objects(raw, "notes")
        if text(note, "category") in {"description", "summary"}
    ]
    return Vulnerability(
        id=vid,
        source=FeedKind.CSAF,
        origin=f"{origin}#/vulnerabilities/{index}",
        aliases=tuple(value for value in unique(ids) if value != vid),
        summary=text(raw, "title") or "",
        details="\n\n".join(value for value in descriptions if value),
        published=timestamp(raw.get("release_date"), f"{vid} release_date", own_notes),
        cwes=cwe_ids([text(cwe, "id") or ""]),
        cvss=tuple(_scores(raw)),
        references=unique([text(ref, "url") or "" for ref in objects(raw, "references")]),
        notes=tuple(own_notes),
    )


def _scores(raw: JsonObject) -> Iterator[CvssScore]:
    seen: set[tuple[str, float | None]] = set()
    for score in objects(raw, "scores"):
        for key in ("cvss_v3", "cvss_v2", "cvss_v4"):
            data = obj(score, key)
            vector = text(data, "vectorString")
            base = number(data, "baseScore")
            if vector and (vector, base) not in seen:
                seen.add((vector, base))
                yield cvss_score(vector, base, source="csaf", version=text(data, "version"))
