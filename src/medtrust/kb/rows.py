"""Feed records -> knowledge-base rows, built in column batches to keep memory flat.

Each record gets a stable key ``<source>:<id>`` and a content digest (SHA-256 of the record's
canonical ``repr`` with its ``origin`` blanked, so the same content read from another file or
archive is still "unchanged"). Target and configuration ids are the first 8 bytes of a BLAKE2b
hash of ``<record key>#t<n>`` / ``#c<n>`` read as a signed 64-bit integer: stable across
imports, so an unchanged record keeps its ids.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime
from typing import Any

import polars as pl

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement
from medtrust.domain.vulnerability import (
    EpssScore,
    FeedKind,
    KevEntry,
    Vulnerability,
)
from medtrust.feeds.readers.base import FeedRecord
from medtrust.kb.from_cpe import cve5_targets, nvd_targets
from medtrust.kb.from_csaf import csaf_targets
from medtrust.kb.from_osv import osv_targets
from medtrust.kb.schema import schemas
from medtrust.kb.targets import RecordTargets
from medtrust.versioning.ranges import VersionRange
from medtrust.versioning.registry import get_scheme

_BATCH = 100_000
_SUMMARY_CHARS = 400


def stable_id(text: str) -> int:
    """A signed 64-bit id from text (BLAKE2b, 8 bytes, big-endian)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def record_key(record: FeedRecord) -> tuple[str, str, str] | None:
    """``(key, source, record id)`` of a record; None for ``Skipped``."""
    if isinstance(record, Vulnerability):
        return f"{record.source.value}:{record.id}", record.source.value, record.id
    if isinstance(record, Advisory):
        return f"csaf:{record.id}", FeedKind.CSAF.value, record.id
    if isinstance(record, KevEntry):
        return f"kev:{record.cve_id}", FeedKind.KEV.value, record.cve_id
    if isinstance(record, EpssScore):
        return f"epss:{record.cve_id}", FeedKind.EPSS.value, record.cve_id
    if isinstance(record, VexStatement):
        body = "|".join(
            (record.status.value, *record.refs, "#", *record.purls, "#", record.justification or "")
        )
        suffix = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
        record_id = f"{record.source}#{record.vulnerability_id}#{suffix}"
        return f"vex:{record_id}", "vex", record_id
    return None


def digest(record: FeedRecord) -> str:
    """SHA-256 of the record's canonical text, origin excluded.

    The origin (file or archive member name, also repeated in nested records) is cut out of
    the ``repr`` text rather than by rebuilding the dataclass: same result, much cheaper.
    """
    text = repr(record)
    origin = getattr(record, "origin", "")
    if isinstance(origin, str) and origin:
        text = text.replace(f"origin={origin!r}", "origin=''")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cvss_json(vulnerability: Vulnerability) -> str:
    items = [
        {
            "version": score.version,
            "vector": score.vector,
            "score": score.base_score,
            "source": score.source,
            "type": score.type,
        }
        for score in vulnerability.cvss
        if score.problem is None and score.base_score is not None
    ]
    return json.dumps(items, sort_keys=True, separators=(",", ":"))


class TableRows:
    """Row tuples per table (schema column order), turned into frames every 100,000 rows."""

    def __init__(self) -> None:
        self._columns = {name: list(columns) for name, columns in schemas().items()}
        self._rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in schemas()}
        self._frames: dict[str, list[pl.DataFrame]] = {name: [] for name in schemas()}
        self.problems: Counter[str] = Counter()

    def append(self, table: str, row: tuple[Any, ...]) -> None:
        """Add one row."""
        rows = self._rows[table]
        rows.append(row)
        if len(rows) >= _BATCH:
            self._flush(table)

    def _flush(self, table: str) -> None:
        rows = self._rows[table]
        if rows:
            schema = schemas()[table]
            columns = list(zip(*rows, strict=True))  # transposed in C: faster than orient="row"
            frame = pl.DataFrame(
                {
                    name: pl.Series(name, values, dtype=dtype)
                    for (name, dtype), values in zip(schema.items(), columns, strict=True)
                }
            )
            self._frames[table].append(frame)
            self._rows[table] = []

    def frame(self, table: str) -> pl.DataFrame:
        """Every row of a table added so far."""
        self._flush(table)
        frames = self._frames[table]
        if not frames:
            return pl.DataFrame(schema=schemas()[table])
        return pl.concat(frames, how="vertical")

    def add_record(self, record: FeedRecord, key: str, imported_at: datetime) -> None:
        """Add every row one record contributes."""
        if isinstance(record, Vulnerability):
            self._vulnerability(record, key, record.origin)
            targets = RecordTargets()
            if record.source is FeedKind.OSV:
                osv_targets(record, targets)
            elif record.source in (FeedKind.NVD, FeedKind.NVD_LEGACY):
                nvd_targets(record, targets)
            if record.affected_products:
                cve5_targets(record, targets)
            self.add_targets(targets, key, record.source.value, record.origin or record.id)
            if record.kev is not None:
                self._kev(record.kev, key, record.source.value)
            if record.epss is not None:
                self._epss(record.epss, key)
        elif isinstance(record, Advisory):
            for vulnerability in record.vulnerabilities:
                self._vulnerability(vulnerability, key, record.origin)
            targets = RecordTargets()
            csaf_targets(record, targets)
            self.add_targets(targets, key, FeedKind.CSAF.value, record.id)
        elif isinstance(record, KevEntry):
            self._kev(record, key, FeedKind.KEV.value)
        elif isinstance(record, EpssScore):
            self._epss(record, key)
        elif isinstance(record, VexStatement):
            self.append(
                "vex",
                (
                    key,
                    record.vulnerability_id,
                    record.status.value,
                    record.source_status,
                    record.justification,
                    record.detail,
                    list(record.refs),
                    list(record.purls),
                    record.source,
                ),
            )

    def provenance(
        self,
        key: str,
        source: str,
        record_id: str,
        record: FeedRecord,
        origin: str,
        when: datetime,
        content_digest: str,
    ) -> None:
        """Add the provenance row of a record."""
        kind = type(record).__name__.lower()
        self.append("provenance", (key, source, record_id, kind, origin, when, content_digest))

    def _vulnerability(self, record: Vulnerability, key: str, origin: str) -> None:
        summary = (record.summary or record.details or "").strip().replace("\n", " ")
        self.append(
            "vulnerabilities",
            (
                key,
                record.id,
                record.source.value,
                origin,
                summary[:_SUMMARY_CHARS],
                record.published,
                record.modified,
                record.withdrawn,
                list(record.cwes),
                list(record.aliases),
                _cvss_json(record),
            ),
        )

    def _kev(self, entry: KevEntry, key: str, source: str) -> None:
        self.append(
            "kev",
            (
                key,
                entry.cve_id,
                entry.date_added,
                entry.due_date,
                entry.ransomware,
                entry.vulnerability_name,
                source,
            ),
        )

    def _epss(self, score: EpssScore, key: str) -> None:
        self.append("epss", (key, score.cve_id, score.epss, score.percentile, score.score_date))

    def add_targets(self, found: RecordTargets, key: str, source: str, document: str) -> None:
        """Add the targets, intervals, links and configurations of one record."""
        self.problems.update(found.problems)
        ids = [stable_id(f"{key}#t{index}") for index in range(len(found.targets))]
        config_ids = [stable_id(f"{key}#c{index}") for index in range(len(found.configs))]
        for index, tree in enumerate(found.configs):
            self.append("configs", (config_ids[index], key, tree.to_json(ids)))
        for index, spec in enumerate(found.targets):
            target_id = ids[index]
            config = found.config_of[index]
            part, vendor, product, rest = spec.cpe or (None, None, None, None)
            self.append(
                "targets",
                (
                    target_id,
                    key,
                    spec.kind,
                    spec.package_key,
                    part,
                    vendor,
                    product,
                    rest,
                    spec.version_na,
                    spec.understood,
                    spec.identifier,
                    spec.range_text,
                ),
            )
            for vendor_key, product_key in spec.name_keys:
                self.append("name_keys", (target_id, key, vendor_key, product_key))
            if spec.range is not None:
                self._intervals(target_id, key, spec.range)
            method = "csaf-product" if source == FeedKind.CSAF.value else spec.kind
            for link in spec.links:
                self.append(
                    "links",
                    (
                        target_id,
                        key,
                        link.vuln_id,
                        link.status.value,
                        link.vulnerable,
                        None if config is None else config_ids[config],
                        method,
                        source,
                        document,
                    ),
                )

    def _intervals(self, target_id: int, key: str, version_range: VersionRange) -> None:
        scheme = version_range.scheme
        encode = get_scheme(scheme).key
        for i in version_range.intervals:
            self.append(
                "intervals",
                (
                    target_id,
                    key,
                    scheme,
                    False,
                    i.lower,
                    i.lower_inclusive,
                    i.upper,
                    i.upper_inclusive,
                    None if i.lower is None else encode(i.lower),
                    None if i.upper is None else encode(i.upper),
                ),
            )
        for exclude, versions in ((False, version_range.exact), (True, version_range.excluded)):
            for version in versions:
                version_key = encode(version)
                self.append(
                    "intervals",
                    (
                        target_id,
                        key,
                        scheme,
                        exclude,
                        version,
                        True,
                        version,
                        True,
                        version_key,
                        version_key,
                    ),
                )
