"""Test helpers: knowledge-base slices built from records in memory, components, a provider."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from medtrust.domain.component import Component, ComponentType
from medtrust.domain.vex import VexStatement
from medtrust.feeds.readers.base import FeedRecord
from medtrust.kb.ingest import alias_table
from medtrust.kb.query import build_meta
from medtrust.kb.rows import TableRows, record_key
from medtrust.matching.components import ComponentView, view
from medtrust.matching.meta import VulnMeta
from medtrust.matching.tables import KbSlice

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def rows_from(records: Iterable[FeedRecord]) -> TableRows:
    """Table rows of the records (first occurrence of a key wins, as in an import)."""
    rows = TableRows()
    seen: set[str] = set()
    for record in records:
        identity = record_key(record)
        if identity is None or identity[0] in seen:
            continue
        seen.add(identity[0])
        rows.add_record(record, identity[0], NOW)
    return rows


def slice_from(rows: TableRows) -> KbSlice:
    """The whole of some rows as a slice."""
    return KbSlice(
        targets=rows.frame("targets"),
        name_keys=rows.frame("name_keys"),
        intervals=rows.frame("intervals"),
        links=rows.frame("links"),
        configs=rows.frame("configs"),
    )


def meta_from(rows: TableRows, vuln_ids: Iterable[str] | None = None) -> VulnMeta:
    """Facts of the rows' vulnerabilities, as a KB snapshot would give them."""
    vulnerabilities = rows.frame("vulnerabilities")
    aliases = alias_table(vulnerabilities)
    ids = aliases["vuln_id"].to_list() if vuln_ids is None else vuln_ids
    return build_meta(
        ids,
        aliases.lazy(),
        vulnerabilities.lazy(),
        rows.frame("kev").lazy(),
        rows.frame("epss").lazy(),
    )


def component(
    name: str,
    version: str | None = None,
    *,
    purl: str | None = None,
    cpe: str | None = None,
    supplier: str | None = None,
    bom_ref: str | None = None,
    kind: ComponentType = ComponentType.LIBRARY,
) -> Component:
    """A component for tests."""
    return Component(
        bom_ref=bom_ref or f"{name}@{version}",
        type=kind,
        name=name,
        version=version,
        purl=purl,
        cpe=cpe,
        supplier=supplier,
    )


def views(components: Sequence[Component], sbom: str = "test.json") -> list[ComponentView]:
    """Matching views of components of one SBOM."""
    return [view(c, i, sbom) for i, c in enumerate(components)]


@dataclass
class MemoryProvider:
    """A :class:`medtrust.matching.scan.KbProvider` over in-memory rows."""

    rows: TableRows
    statements: list[VexStatement] = field(default_factory=list)

    def slice_for(self, components: Sequence[ComponentView]) -> KbSlice:
        return slice_from(self.rows)

    def meta_for(self, vuln_ids: Iterable[str]) -> VulnMeta:
        return meta_from(self.rows, vuln_ids)

    def vex_statements(self) -> list[VexStatement]:
        return list(self.statements)

    def updated_at(self) -> str:
        return NOW.isoformat()
