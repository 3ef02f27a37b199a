"""The scan use case: SBOM documents + knowledge base (+ VEX) -> findings.

Transport-neutral: the CLI calls it today; an API route or web page can call it with documents
read from uploads and a tenant's VEX statements (ranked above the KB's). The knowledge base is
seen through :class:`KbProvider`, so this module does no I/O itself. Each distinct component
identity is matched and explained once and shared by the components that repeat it
(``matching/shared.py``); the result equals matching every component on its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

import polars as pl

from medtrust.domain.component import SbomDocument
from medtrust.domain.vex import VexStatement
from medtrust.matching.bulk import hit_frame, match_bulk
from medtrust.matching.components import ComponentView, DocumentViews
from medtrust.matching.meta import VulnMeta
from medtrust.matching.model import Finding, Hit
from medtrust.matching.shared import (
    Identities,
    SharedEvidence,
    paused_gc,
    share_evidence,
    shared_findings,
)
from medtrust.matching.tables import KbSlice, hit_table
from medtrust.matching.vex import RankedStatement, apply_vex

#: precedence of VEX sources (higher wins); --vex files get SBOM_RANK + 1, + 2, ...
KB_RANK = 0
SBOM_RANK = 1


class Engine(StrEnum):
    """Which matcher evaluates the ranges."""

    BULK = "bulk"
    REFERENCE = "reference"


class KbProvider(Protocol):
    """What a scan needs from a knowledge base."""

    def slice_for(self, components: Sequence[ComponentView]) -> KbSlice:
        """The rows the components can match."""
        ...

    def meta_for(self, vuln_ids: Iterable[str]) -> VulnMeta:
        """Facts of the ids' alias groups."""
        ...

    def vex_statements(self) -> list[VexStatement]:
        """VEX statements held by the knowledge base."""
        ...

    def updated_at(self) -> str:
        """When the knowledge base was last written."""
        ...


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One scanned SBOM."""

    source: str
    format: str
    serial: str | None
    components: int


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Findings of a scan, with what was scanned and against which KB snapshot."""

    findings: tuple[Finding, ...]
    documents: tuple[DocumentSummary, ...]
    engine: str
    kb_updated_at: str

    def status_counts(self) -> dict[str, int]:
        """Findings per status, sorted by status."""
        counts = Counter(f.status.value for f in self.findings)
        return dict(sorted(counts.items()))


def match(components: Sequence[ComponentView], kb: KbSlice, engine: Engine) -> list[Hit]:
    """Hits from the chosen engine (both give the same hits)."""
    if engine is Engine.REFERENCE:
        from medtrust.matching.reference import ReferenceMatcher  # the oracle: loaded on use

        return ReferenceMatcher(kb).match(components)
    return match_bulk(components, kb)


def match_table(components: Sequence[ComponentView], kb: KbSlice, engine: Engine) -> pl.DataFrame:
    """:func:`match` as a table (``tables.HIT_SCHEMA``)."""
    if engine is Engine.REFERENCE:
        return hit_table(match(components, kb, engine))
    return hit_frame(components, kb)


def ranked_statements(
    documents: Sequence[SbomDocument],
    kb_statements: Sequence[VexStatement],
    vex_files: Sequence[tuple[str, Sequence[VexStatement]]],
) -> list[RankedStatement]:
    """Every VEX statement with its precedence: KB < SBOM-embedded < --vex files in order."""
    ranked = [RankedStatement(s, KB_RANK, "kb") for s in kb_statements]
    for document in documents:
        ranked += [RankedStatement(s, SBOM_RANK, "sbom", document.source) for s in document.vex]
    for position, (name, statements) in enumerate(vex_files, start=1):
        ranked += [RankedStatement(s, SBOM_RANK + position, name) for s in statements]
    return ranked


@dataclass(frozen=True, slots=True)
class Matched:
    """Every component's evidence (shared per identity), the VEX statements and the facts of
    every vulnerability they name: what findings are built from."""

    views: Sequence[ComponentView]
    identities: Identities
    evidence: SharedEvidence
    statements: list[RankedStatement]
    meta: VulnMeta


def match_documents(
    documents: Sequence[SbomDocument],
    provider: KbProvider,
    *,
    vex_files: Sequence[tuple[str, Sequence[VexStatement]]] = (),
    context_cpes: Sequence[str] = (),
    engine: Engine = Engine.BULK,
    components: Sequence[ComponentView] | None = None,
) -> Matched:
    """Match each distinct component identity once and explain its hits (call with the
    garbage collector paused, :func:`~medtrust.matching.shared.paused_gc`).

    ``components`` may be given when the caller already built the views (they must come from
    ``documents``, in :func:`~medtrust.matching.components.document_views` order; a
    :class:`~medtrust.matching.components.DocumentViews` builds only those it needs), e.g. to
    resolve CSAF VEX documents against them first.
    """
    views: Sequence[ComponentView] = (
        components
        if components is not None
        else DocumentViews(documents, context_cpes)  # views built when needed
    )
    # each distinct component identity is matched and explained once (matching/shared.py)
    identities = Identities.of_views(views)
    kb = provider.slice_for(identities.representatives)
    hits = match_table(identities.representatives, kb, engine)
    evidence = share_evidence(hits, views, identities, kb)
    statements = ranked_statements(documents, provider.vex_statements(), vex_files)
    ids = evidence.vulnerability_ids() | {r.statement.vulnerability_id for r in statements}
    return Matched(views, identities, evidence, statements, provider.meta_for(ids))


def scan_documents(
    documents: Sequence[SbomDocument],
    provider: KbProvider,
    *,
    vex_files: Sequence[tuple[str, Sequence[VexStatement]]] = (),
    context_cpes: Sequence[str] = (),
    engine: Engine = Engine.BULK,
    components: Sequence[ComponentView] | None = None,
) -> ScanResult:
    """Match every component of every document, merge aliases, apply VEX; sorted findings.

    ``components``: see :func:`match_documents`.
    """
    with paused_gc():  # millions of acyclic objects: see matching/shared.py
        m = match_documents(
            documents,
            provider,
            vex_files=vex_files,
            context_cpes=context_cpes,
            engine=engine,
            components=components,
        )
        findings = shared_findings(m.evidence, m.views, m.meta)
        findings = apply_vex(findings, m.views, m.statements, m.meta, presorted=True)
    summaries = tuple(
        DocumentSummary(d.source, d.format.value, d.serial, sum(1 for _ in d.all_components()))
        for d in documents
    )
    return ScanResult(tuple(findings), summaries, engine.value, provider.updated_at())
