"""A portfolio's findings as templates: what an exposure evaluation stores, without building a
:class:`~medtrust.matching.model.Finding` for each of its hundreds of thousands of findings.

Matching shares evidence per component identity (``matching/shared.py``); the findings of one
evidence list differ only in their component. :func:`scan_portfolio` therefore returns each
distinct evidence list's findings once, as *templates* (a finding without its component), and
which list each component has. VEX statements name components, not evidence lists: the
components some statement may name (by bom-ref or package) get their findings built in full and
VEX applied to them as :func:`~medtrust.matching.scan.scan_documents` applies it; every other
component keeps its templates. :meth:`PortfolioScan.findings` gives back the findings as a
list, equal as a multiset to ``scan_documents(...).findings`` (``tests/exposure``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from medtrust.domain.component import SbomDocument
from medtrust.domain.vex import VexStatement
from medtrust.matching.components import ComponentView, DocumentViews
from medtrust.matching.findings import Template
from medtrust.matching.model import ComponentRef, Finding
from medtrust.matching.normalise import purl_parts
from medtrust.matching.scan import KbProvider, Matched, match_documents
from medtrust.matching.shared import evidence_templates, paused_gc, refs_of
from medtrust.matching.vex import apply_vex


@dataclass(frozen=True, slots=True)
class PortfolioScan:
    """Findings per component as shared templates, and in full where VEX may apply."""

    #: per distinct evidence list: its findings without the component, by vulnerability
    templates: list[list[Template]]
    #: components no VEX statement names that have findings: their refs and evidence lists
    #: (``templates[lists[i]]`` are the findings of ``refs[i]``), in position order
    refs: list[ComponentRef]
    lists: list[int]
    #: the findings of the components some statement may name, VEX applied (including the
    #: findings only a statement gives)
    vexed: list[Finding]
    kb_updated_at: str

    def __len__(self) -> int:
        """The number of findings."""
        return sum(len(self.templates[number]) for number in self.lists) + len(self.vexed)

    def findings(self) -> Iterator[Finding]:
        """Every finding (templated ones first, then the VEX-applied ones)."""
        for ref, number in zip(self.refs, self.lists, strict=True):
            for template in self.templates[number]:
                yield Finding(ref, *template)
        yield from self.vexed


def scan_portfolio(
    documents: Sequence[SbomDocument],
    provider: KbProvider,
    *,
    vex_files: Sequence[tuple[str, Sequence[VexStatement]]] = (),
    components: Sequence[ComponentView] | None = None,
) -> PortfolioScan:
    """:func:`~medtrust.matching.scan.scan_documents`, findings kept as templates."""
    with paused_gc():  # many acyclic objects: see matching/shared.py
        matched = match_documents(documents, provider, vex_files=vex_files, components=components)
        templates = evidence_templates(matched.evidence, matched.meta)
        of = matched.evidence.of
        named = _named_positions(matched)
        skipped = set(named)
        positions = [p for p, n in enumerate(of) if templates[n] and p not in skipped]
        vexed: list[Finding] = []
        if named:
            found = [
                Finding(ref, *template)
                for ref, position in zip(refs_of(matched.views, named), named, strict=True)
                for template in templates[of[position]]
            ]
            vexed = apply_vex(found, _views(matched.views, named), matched.statements, matched.meta)
    return PortfolioScan(
        templates,
        refs_of(matched.views, positions),
        [of[p] for p in positions],
        vexed,
        provider.updated_at(),
    )


def _views(views: Sequence[ComponentView], positions: list[int]) -> list[ComponentView]:
    if isinstance(views, DocumentViews):
        return views.views(positions)
    return [views[p] for p in positions]


def _named_positions(matched: Matched) -> list[int]:
    """Positions of the components some statement may name: by bom-ref (or BOM-Link
    fragment) or by package, and every component sharing a (group, bom-ref) with one of
    them (VEX looks components up by that pair). A superset: VEX decides which it names."""
    if not matched.statements:
        return []
    refs: set[str] = set()
    packages: set[str] = set()
    for ranked in matched.statements:
        for ref in ranked.statement.refs:
            refs.add(ref)
            if ref.startswith("urn:cdx:"):
                refs.add(unquote(ref.partition("#")[2]))
        for purl in ranked.statement.purls:
            parts = purl_parts(purl)
            if parts is not None:
                packages.add(parts[0])
    views = matched.views
    keys = (
        views.bom_refs()
        if isinstance(views, DocumentViews)
        else [(c.ref.sbom, c.ref.bom_ref, c.context) for c in views]
    )
    package_of = [c.package_key for c in matched.identities.representatives]
    identity_of = matched.identities.of
    named = {
        (group, bom_ref)
        for position, (group, bom_ref, context) in enumerate(keys)
        if not context and (bom_ref in refs or package_of[identity_of[position]] in packages)
    }
    return [
        position
        for position, (group, bom_ref, context) in enumerate(keys)
        if not context and (group, bom_ref) in named
    ]
