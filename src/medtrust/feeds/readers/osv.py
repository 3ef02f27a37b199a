"""OSV records (JSON or YAML) -> :class:`Vulnerability`.

Format: OSV schema (https://ossf.github.io/osv-schema/). A file may hold one record, a JSON list
of records, or an OSV API response ``{"vulns": [...]}``. The PyPA advisory database stores its
records as YAML. Ranges and versions are carried as written; nothing is evaluated here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from medtrust.domain.vulnerability import (
    AffectedPackage,
    AffectedRange,
    CvssScore,
    FeedKind,
    RangeEvent,
    RangeEventKind,
    Vulnerability,
)
from medtrust.feeds.readers.base import FeedRecord, each_record, skipped_document
from medtrust.feeds.readers.cvss_scores import cvss_score
from medtrust.feeds.readers.values import (
    JsonObject,
    RecordError,
    canonical_json,
    cwe_ids,
    load_json,
    load_yaml,
    obj,
    objects,
    required_text,
    text,
    texts,
    timestamp,
    unique,
)

_YAML_SUFFIXES = (".yaml", ".yml")
_ID = re.compile(rb'"id"\s*:\s*"')
_OSV_KEYS = re.compile(rb'"(?:modified|schema_version)"\s*:|"affected"\s*:\s*\[')
_YAML_ID = re.compile(rb"(?m)^id:\s*\S")
_YAML_MODIFIED = re.compile(rb"(?m)^modified:\s*\S")
_EVENT_KINDS = {kind.value: kind for kind in RangeEventKind}
_CVSS_TYPES = {"CVSS_V2": "2.0", "CVSS_V3": None, "CVSS_V4": "4.0"}


class OsvReader:
    """Reads OSV vulnerability records."""

    name = "osv"
    kind = FeedKind.OSV

    def detect(self, origin: str, head: bytes) -> bool:
        """An ``id`` plus ``modified``, ``schema_version`` or an ``affected`` array.

        OSV is tried last, after every format with a more specific marker.
        """
        if is_yaml(origin):
            return bool(_YAML_ID.search(head) and _YAML_MODIFIED.search(head))
        return bool(_ID.search(head) and _OSV_KEYS.search(head))

    def read(self, origin: str, data: bytes) -> Iterator[FeedRecord]:
        """Yield one :class:`Vulnerability` per OSV record."""
        try:
            document = load_yaml(data) if is_yaml(origin) else load_json(data)
        except RecordError as exc:
            yield skipped_document(self.name, origin, exc)
            return
        if isinstance(document, list):
            items: list[tuple[str, object]] = [
                (f"{origin}#/{index}", item) for index, item in enumerate(document)
            ]
        elif isinstance(document, dict) and isinstance(document.get("vulns"), list):
            items = [(f"{origin}#/vulns/{i}", item) for i, item in enumerate(document["vulns"])]
        else:
            items = [(origin, document)]
        yield from each_record(self.name, items, vulnerability_from_osv)


def is_yaml(origin: str) -> bool:
    """Whether the origin names a YAML file (a compression suffix is ignored)."""
    name = origin.lower().removesuffix(".gz").removesuffix(".xz").removesuffix(".bz2")
    return name.endswith(_YAML_SUFFIXES)


def vulnerability_from_osv(origin: str, record: JsonObject) -> Vulnerability:
    """Convert one OSV record."""
    notes: list[str] = []
    record_id = required_text(record, "id", "OSV record")
    withdrawn_at = timestamp(record.get("withdrawn"), "withdrawn", notes)
    database_specific = obj(record, "database_specific")
    severities = tuple(_severities(record, notes))
    return Vulnerability(
        id=record_id,
        source=FeedKind.OSV,
        origin=origin,
        aliases=unique(texts(record, "aliases")),
        related=unique(texts(record, "related")),
        upstream=unique(texts(record, "upstream")),
        summary=(text(record, "summary") or "").strip(),
        details=text(record, "details") or "",
        published=timestamp(record.get("published"), "published", notes),
        modified=timestamp(record.get("modified"), "modified", notes),
        withdrawn=withdrawn_at is not None or bool(record.get("withdrawn")),
        withdrawn_at=withdrawn_at,
        cwes=cwe_ids(texts(database_specific, "cwe_ids")),
        cvss=severities,
        affected_packages=tuple(_affected(record, notes)),
        references=unique([text(ref, "url") or "" for ref in objects(record, "references")]),
        schema_version=text(record, "schema_version") or "",
        database_specific=canonical_json(database_specific),
        notes=tuple(notes),
    )


def _severities(holder: JsonObject, notes: list[str]) -> Iterator[CvssScore]:
    for entry in objects(holder, "severity"):
        kind = text(entry, "type") or ""
        score = text(entry, "score") or ""
        if kind in _CVSS_TYPES and score:
            yield cvss_score(score, source="osv", type_=kind, version=_CVSS_TYPES[kind])
        elif score:
            notes.append(f"severity of type {kind!r} is not a CVSS vector: {score!r}")


def _affected(record: JsonObject, notes: list[str]) -> Iterator[AffectedPackage]:
    for index, entry in enumerate(objects(record, "affected")):
        package = obj(entry, "package")
        yield AffectedPackage(
            ecosystem=text(package, "ecosystem") or "",
            name=text(package, "name") or "",
            purl=text(package, "purl"),
            ranges=tuple(_ranges(entry, index, notes)),
            versions=texts(entry, "versions"),
            severity=tuple(_severities(entry, notes)),
            ecosystem_specific=canonical_json(entry.get("ecosystem_specific")),
            database_specific=canonical_json(entry.get("database_specific")),
        )


def _ranges(entry: JsonObject, index: int, notes: list[str]) -> Iterator[AffectedRange]:
    for range_index, raw in enumerate(objects(entry, "ranges")):
        events: list[RangeEvent] = []
        for event in objects(raw, "events"):
            for key, value in event.items():
                kind = _EVENT_KINDS.get(key)
                if kind is None or not isinstance(value, str | int | float):
                    notes.append(
                        f"affected[{index}].ranges[{range_index}]: ignored event {key}={value!r}"
                    )
                    continue
                events.append(RangeEvent(kind, str(value)))
        if not events:
            notes.append(f"affected[{index}].ranges[{range_index}]: range without events")
        yield AffectedRange(
            type=text(raw, "type") or "", events=tuple(events), repo=text(raw, "repo")
        )
