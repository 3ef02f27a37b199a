"""``scan_portfolio`` keeps findings as templates; expanded, they are ``scan_documents``'s.

Same generated portfolios as ``test_shared.py`` (components repeated across and within SBOMs,
equal bom-refs within one SBOM, configurations with the platform in some SBOMs only, aliases
across feeds), with VEX statements naming components by bom-ref, by BOM-Link and by purl (with
and without a version), from a ``--vex`` file and embedded in an SBOM.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medtrust.domain.component import (
    Component,
    ComponentType,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
)
from medtrust.domain.vex import VexStatement, VexStatus
from medtrust.domain.vulnerability import CpeMatch, CpeMatchNode, FeedKind, Vulnerability
from medtrust.matching.components import DocumentViews
from medtrust.matching.portfolio import scan_portfolio
from medtrust.matching.scan import scan_documents
from tests.matching.helpers import MemoryProvider, rows_from
from tests.matching.test_shared import _cpe, _nvd, _osv, _portfolio

_VULNS = ("CVE-2024-0000", "CVE-2024-0001", "CVE-2024-0003", "GHSA-xxxx-xxxx-0000")
_NAMES = (
    "a",
    "b",
    "hw",
    "urn:cdx:1/1#a",  # a BOM-Link to bom-ref "a" of the SBOM with serial urn:uuid:1
    "urn:cdx:2/1#b",
)
_PURLS = ("pkg:npm/left-pad", "pkg:npm/left-pad@1.0.0", "pkg:npm/left-pad@3.0.0")


@st.composite
def _statement(draw: st.DrawFn) -> VexStatement:
    status = draw(st.sampled_from(list(VexStatus)))
    return VexStatement(
        vulnerability_id=draw(st.sampled_from(_VULNS)),
        status=status,
        source_status=status.value,
        justification="component_not_present" if status is VexStatus.NOT_AFFECTED else None,
        refs=tuple(draw(st.lists(st.sampled_from(_NAMES), max_size=2))),
        purls=tuple(draw(st.lists(st.sampled_from(_PURLS), max_size=1))),
        source="vendor.vex.json",
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.integers(1, 6).flatmap(
        lambda n: st.tuples(*(st.one_of(_nvd(i), _osv(i)) for i in range(n)))
    ),
    documents=_portfolio(),
    statements=st.lists(_statement(), max_size=4),
    embedded=st.lists(_statement(), max_size=2),
    lazy=st.booleans(),
)
def test_portfolio_findings_equal_scan_findings(
    records: tuple[Vulnerability, ...],
    documents: list[SbomDocument],
    statements: list[VexStatement],
    embedded: list[VexStatement],
    lazy: bool,
) -> None:
    provider = MemoryProvider(rows_from(records))
    documents = [replace(documents[0], vex=tuple(embedded)), *documents[1:]]
    vex = [("vendor.vex.json", statements)]
    expected = scan_documents(documents, provider, vex_files=vex).findings
    views = DocumentViews(documents) if lazy else None
    portfolio = scan_portfolio(documents, provider, vex_files=vex, components=views)
    found = list(portfolio.findings())
    assert Counter(found) == Counter(expected)
    assert len(portfolio) == len(expected)
    # only the components a statement may name are expanded before VEX
    named = {(f.component.sbom, f.component.bom_ref) for f in portfolio.vexed}
    assert all((r.sbom, r.bom_ref) not in named for r in portfolio.refs)
    if not statements and not embedded:
        assert portfolio.vexed == []


def test_vex_changes_are_kept_apart_from_templates() -> None:
    """A statement that changes a status reaches only the component it names."""
    record = Vulnerability(
        "CVE-2024-0009",
        FeedKind.NVD,
        configurations=(CpeMatchNode("OR", matches=(CpeMatch(_cpe("o", "pump"), True),)),),
    )
    component = Component("fw", ComponentType.FIRMWARE, "pump", "1.0", cpe=_cpe("o", "pump", "1.0"))
    documents = [
        SbomDocument(
            f"sbom-{n}.json",
            SbomFormat.CYCLONEDX,
            SbomEncoding.JSON,
            "1.6",
            serial=f"urn:uuid:{n}",
            components=(component,),
        )
        for n in range(3)
    ]
    statement = VexStatement(
        vulnerability_id="CVE-2024-0009",
        status=VexStatus.NOT_AFFECTED,
        source_status="not_affected",
        justification="vulnerable_code_not_in_execute_path",
        refs=("urn:cdx:1/1#fw",),
        source="vendor.vex.json",
    )
    provider = MemoryProvider(rows_from([record]))
    portfolio = scan_portfolio(documents, provider, vex_files=[("v", [statement])])
    statuses = sorted((f.component.sbom, f.status.value) for f in portfolio.findings())
    assert statuses == [
        ("sbom-0.json", "affected"),
        ("sbom-1.json", "not_affected"),
        ("sbom-2.json", "affected"),
    ]
    # the named bom-ref "fw" appears in every SBOM, so all three were expanded and checked
    assert len(portfolio.vexed) == 3 and portfolio.refs == []
