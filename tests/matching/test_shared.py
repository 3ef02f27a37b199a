"""Sharing evidence between identical components gives exactly the per-component findings.

``scan_documents`` matches and explains each distinct component identity once
(``matching/shared.py``). The oracle here is the naive path, one component at a time: every
view is matched, ``collect_evidence`` and ``build_findings`` run over every component, then
``apply_vex``. Portfolios repeat components across SBOMs (and within one, under equal or
different bom-refs), with firmware-on-hardware configurations whose platform is present in
some SBOMs only, aliases across feeds, VEX statements and context CPEs.
"""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtrust.domain.advisory import Advisory
from medtrust.domain.component import (
    Component,
    ComponentType,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
)
from medtrust.domain.vex import VexStatement, VexStatus
from medtrust.domain.vulnerability import (
    AffectedPackage,
    AffectedRange,
    CpeMatch,
    CpeMatchNode,
    FeedKind,
    RangeEvent,
    RangeEventKind,
    Vulnerability,
)
from medtrust.feeds.readers.base import FeedRecord
from medtrust.matching.components import DocumentViews, document_components, document_views
from medtrust.matching.findings import build_findings, collect_evidence
from medtrust.matching.model import Finding
from medtrust.matching.scan import Engine, match, match_table, ranked_statements, scan_documents
from medtrust.matching.shared import Identities, share_evidence, shared_findings
from medtrust.matching.vex import apply_vex
from tests.matching.helpers import MemoryProvider, rows_from, slice_from
from tests.matching.test_differential import _components

_PRODUCTS = ("pump", "monitor")
_DEVICES = ("dev1", "dev1", "dev1", "dev2")  # dev1 is in some SBOMs, dev2 rarely


def naive(
    documents: Sequence[SbomDocument],
    provider: MemoryProvider,
    *,
    vex_files: Sequence[tuple[str, Sequence[VexStatement]]] = (),
    context_cpes: Sequence[str] = (),
    engine: Engine = Engine.BULK,
) -> list[Finding]:
    """Findings computed for every component on its own (no sharing)."""
    views = document_views(documents, context_cpes)
    kb = provider.slice_for(views)
    evidence = collect_evidence(match(views, kb, engine), views, kb)
    statements = ranked_statements(documents, provider.vex_statements(), vex_files)
    ids = {e.vulnerability_id for items in evidence.values() for e in items}
    meta = provider.meta_for(ids | {r.statement.vulnerability_id for r in statements})
    return apply_vex(build_findings(evidence, views, meta), views, statements, meta)


_VERSIONS = st.sampled_from(["0.1", "1.0", "1.2", "2.0", "2.1", "3.0", "4.0"])


def _cpe(part: str, product: str, version: str = "*") -> str:
    vendor = "acme" if part != "h" else "devco"
    return f"cpe:2.3:{part}:{vendor}:{product}:{version}:*:*:*:*:*:*:*"


@st.composite
def _cpe_match(draw: st.DrawFn, part: str, product: str, vulnerable: bool = True) -> CpeMatch:
    roll = draw(st.sampled_from((0, 0, 1, 2, 3)))
    if roll == 0:
        return CpeMatch(_cpe(part, product), vulnerable)
    if roll == 1:
        return CpeMatch(_cpe(part, product, draw(_VERSIONS)), vulnerable)
    if roll == 2:
        return CpeMatch(_cpe(part, product), vulnerable, version_end_excluding=draw(_VERSIONS))
    return CpeMatch(
        _cpe(part, product),
        vulnerable,
        version_start_including=draw(_VERSIONS),
        version_end_including=draw(_VERSIONS),
    )


@st.composite
def _nvd(draw: st.DrawFn, number: int) -> Vulnerability:
    nodes: list[CpeMatchNode] = []
    for _ in range(draw(st.integers(1, 3))):
        product = draw(st.sampled_from(_PRODUCTS))
        if draw(st.integers(0, 2)) == 0:  # plain OR of vulnerable matches
            part = draw(st.sampled_from("ao"))
            nodes.append(CpeMatchNode("OR", matches=(draw(_cpe_match(part, product)),)))
        else:  # firmware running on hardware
            firmware = draw(_cpe_match("o", product))
            device = CpeMatch(_cpe("h", draw(st.sampled_from(_DEVICES))), False)
            nodes.append(
                CpeMatchNode(
                    "AND",
                    children=(
                        CpeMatchNode("OR", matches=(firmware,)),
                        CpeMatchNode("OR", matches=(device,)),
                    ),
                )
            )
    return Vulnerability(f"CVE-2024-{number:04d}", FeedKind.NVD, configurations=tuple(nodes))


@st.composite
def _osv(draw: st.DrawFn, number: int) -> Vulnerability:
    fixed = draw(_VERSIONS)
    package = AffectedPackage(
        "npm",
        "left-pad",
        ranges=(
            AffectedRange(
                "SEMVER",
                (
                    RangeEvent(RangeEventKind.INTRODUCED, "0"),
                    RangeEvent(RangeEventKind.FIXED, fixed + ".0"),
                ),
            ),
        ),
    )
    alias = draw(st.none() | st.integers(0, 5).map(lambda n: f"CVE-2024-{n:04d}"))
    return Vulnerability(
        f"GHSA-xxxx-xxxx-{number:04d}",
        FeedKind.OSV,
        aliases=() if alias is None else (alias,),
        affected_packages=(package,),
    )


@st.composite
def _component(draw: st.DrawFn) -> Component:
    version = draw(st.sampled_from([None, "0.1", "1.0", "1.2", "2.0", "3.0", "4.0"]))
    kind = draw(st.sampled_from((0, 0, 0, 1, 1, 2, 3)))  # firmware and devices most often
    if kind == 0:
        product = draw(st.sampled_from(_PRODUCTS))
        text = _cpe(draw(st.sampled_from("aoo")), product, version or "*")
        return Component("x", ComponentType.FIRMWARE, product, version, cpe=text)
    if kind == 1:
        return Component(
            "x", ComponentType.DEVICE, "dev", None, cpe=_cpe("h", draw(st.sampled_from(_DEVICES)))
        )
    if kind == 2:
        purl = "pkg:npm/left-pad" + (f"@{version}.0" if version else "")
        return Component("x", ComponentType.LIBRARY, "left-pad", version, purl=purl)
    return Component(
        "x", ComponentType.DEVICE, draw(st.sampled_from(_PRODUCTS)), version, supplier="ACME"
    )


@st.composite
def _portfolio(draw: st.DrawFn) -> list[SbomDocument]:
    """SBOMs drawn from a small pool: components repeat across and within SBOMs."""
    pool = draw(st.lists(_component(), min_size=2, max_size=8))
    documents = []
    for number in range(draw(st.integers(2, 5))):
        picks = draw(st.lists(st.integers(0, len(pool) - 1), min_size=1, max_size=10))
        refs = draw(st.lists(st.sampled_from("abc"), min_size=len(picks), max_size=len(picks)))
        components = tuple(
            Component(
                ref,
                pool[i].type,
                pool[i].name,
                pool[i].version,
                purl=pool[i].purl,
                cpe=pool[i].cpe,
                supplier=pool[i].supplier,
            )
            for i, ref in zip(picks, refs, strict=True)
        )
        if draw(st.booleans()):  # the platform of the AND configurations, in some SBOMs only
            components += (
                Component("hw", ComponentType.DEVICE, "dev1", None, cpe=_cpe("h", "dev1")),
            )
        documents.append(
            SbomDocument(
                f"sbom-{number % 3}.json",  # equal names: equal sort keys across documents
                SbomFormat.CYCLONEDX,
                SbomEncoding.JSON,
                "1.6",
                serial=f"urn:uuid:{number}",
                components=components,
            )
        )
    return documents


@st.composite
def _statements(draw: st.DrawFn) -> list[VexStatement]:
    return [
        VexStatement(
            vulnerability_id=draw(
                st.sampled_from(["CVE-2024-0000", "CVE-2024-0001", "GHSA-xxxx-xxxx-0000"])
            ),
            status=(status := draw(st.sampled_from(list(VexStatus)))),
            source_status=status.value,
            refs=(draw(st.sampled_from("abc")),),
            source="vendor.vex.json",
        )
        for _ in range(draw(st.integers(0, 3)))
    ]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.integers(1, 6).flatmap(
        lambda n: st.tuples(*(st.one_of(_nvd(i), _osv(i)) for i in range(n)))
    ),
    documents=_portfolio(),
    statements=_statements(),
    context=st.booleans(),
    engine=st.sampled_from(list(Engine)),
)
def test_shared_findings_equal_per_component_findings(
    records: tuple[Vulnerability, ...],
    documents: list[SbomDocument],
    statements: list[VexStatement],
    context: bool,
    engine: Engine,
) -> None:
    provider = MemoryProvider(rows_from(records))
    contexts = (_cpe("h", "dev1"),) if context else ()
    vex = [("vendor.vex.json", statements)]
    shared = scan_documents(
        documents, provider, vex_files=vex, context_cpes=contexts, engine=engine
    )
    assert list(shared.findings) == naive(
        documents, provider, vex_files=vex, context_cpes=contexts, engine=engine
    )
    # the lazy views are document_views, however they are built
    views = document_views(documents, contexts)
    lazy = DocumentViews(documents, contexts)
    positions = list(range(len(views)))[::-2]
    assert lazy.refs(positions) == [views[p].ref for p in positions]
    assert lazy.views(positions) == [views[p] for p in positions]
    assert list(lazy) == views and lazy.groups() == [v.group for v in views]
    # grouping by component object then by fields equals grouping by the fields alone (the
    # documents twice over: every component object is met again, as stored components are)
    twice = [*documents, *documents]
    of, first = DocumentViews(twice, contexts).identity_numbers()
    fields = [
        (c.purl, c.cpe, c.name, c.version or None, c.supplier, c.group, context)
        for c, _, _, context in document_components(twice, contexts)
    ]
    assert [fields[first[n]] for n in of] == fields
    assert len(set(fields)) == len(first) and first == sorted(first)
    # and before VEX (apply_vex re-sorts): same findings in the same order
    kb = provider.slice_for(views)
    per_component = collect_evidence(match(views, kb, engine), views, kb)
    identities = Identities.of_views(views)
    evidence = share_evidence(
        match_table(identities.representatives, kb, engine), views, identities, kb
    )
    ids = {e.vulnerability_id for items in per_component.values() for e in items}
    assert evidence.vulnerability_ids() == ids
    meta = provider.meta_for(ids)
    assert shared_findings(evidence, views, meta) == build_findings(per_component, views, meta)


def test_generated_portfolios_share_identities() -> None:
    """The property above is not vacuous: repeats exist and configurations are exercised."""
    component = Component("c", ComponentType.FIRMWARE, "pump", "1.0", cpe=_cpe("o", "pump", "1.0"))
    device = Component("d", ComponentType.DEVICE, "dev", None, cpe=_cpe("h", "dev1"))
    documents = [
        SbomDocument(
            "a.json", SbomFormat.CYCLONEDX, SbomEncoding.JSON, "1.6", components=(component, device)
        ),
        SbomDocument(
            "b.json", SbomFormat.CYCLONEDX, SbomEncoding.JSON, "1.6", components=(component,)
        ),
    ]
    record = Vulnerability(
        "CVE-2024-0001",
        FeedKind.NVD,
        configurations=(
            CpeMatchNode(
                "AND",
                children=(
                    CpeMatchNode("OR", matches=(CpeMatch(_cpe("o", "pump"), True),)),
                    CpeMatchNode("OR", matches=(CpeMatch(_cpe("h", "dev1"), False),)),
                ),
            ),
        ),
    )
    provider = MemoryProvider(rows_from([record]))
    views = document_views(documents)
    assert len(Identities.of_views(views).representatives) == 2
    found = scan_documents(documents, provider).findings
    assert [(f.component.sbom, f.vulnerability) for f in found] == [("a.json", "CVE-2024-0001")]
    assert found[0].match.platform == _cpe("h", "dev1")
    assert list(found) == naive(documents, provider)


def test_icsma_portfolio_equals_per_component(icsma_advisories: list[Advisory]) -> None:
    """Real CSAF advisories (name targets, product statuses), components repeated in 5 SBOMs."""
    records: list[FeedRecord] = list(icsma_advisories)
    provider = MemoryProvider(rows_from(records))
    pool = _components(slice_from(provider.rows), limit=400)
    documents = [
        SbomDocument(
            f"sbom-{number}.json",
            SbomFormat.CYCLONEDX,
            SbomEncoding.JSON,
            "1.6",
            components=tuple(pool[number % 3 :: 1 + number % 2]),
        )
        for number in range(5)
    ]
    shared = scan_documents(documents, provider).findings
    assert len(shared) > 500
    assert list(shared) == naive(documents, provider)
