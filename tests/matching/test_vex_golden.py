"""VEX documents from ../shared/data change statuses exactly as the documents say.

Expected statuses, justifications and refs below were read from the documents themselves
(CISA VEX use cases in CycloneDX, the CycloneDX BOM-Link use case 6, the OpenVEX test file of
cve-bin-tool and the OASIS CSAF VEX examples), not produced by the code under test.
"""

from __future__ import annotations

from pathlib import Path

from medtrust.domain.component import Component, ComponentType, SbomDocument
from medtrust.domain.vex import VexStatement, VexStatus
from medtrust.feeds.batch import read_all
from medtrust.kb.vex_files import read_vex_file
from medtrust.matching.components import ComponentView, document_views, view
from medtrust.matching.meta import VulnMeta
from medtrust.matching.model import (
    ComponentRef,
    Confidence,
    Evidence,
    Finding,
    MatchMethod,
)
from medtrust.matching.scan import ranked_statements
from medtrust.matching.vex import apply_vex
from medtrust.sbom.readers.registry import read_sbom
from tests.shared_data import shared_file


def _finding(component: ComponentRef, vuln: str) -> Finding:
    evidence = Evidence(
        vulnerability_id=vuln,
        status=VexStatus.AFFECTED,
        method=MatchMethod.CPE,
        confidence=Confidence.EXACT,
        identifier="cpe:2.3:a:example:example:*:*:*:*:*:*:*:*",
        matched_on="test",
        version=component.version,
        range_text="all versions",
        source="nvd",
        document="test",
        record_key="nvd:" + vuln,
    )
    return Finding(component, vuln, (), VexStatus.AFFECTED, "nvd:test", (evidence,))


def _statements(path: Path) -> list[VexStatement]:
    return [r for r in read_all([path]) if isinstance(r, VexStatement)]


def _apply(
    documents: list[SbomDocument],
    vuln: str,
    vex_files: list[tuple[str, list[VexStatement]]],
    views: list[ComponentView] | None = None,
) -> dict[str, Finding]:
    components = views or document_views(documents)
    findings = [_finding(c.ref, vuln) for c in components]
    ranked = ranked_statements(documents, [], vex_files)
    applied = apply_vex(findings, components, ranked, VulnMeta())
    return {f"{f.component.sbom}#{f.component.bom_ref}#{f.vulnerability}": f for f in applied}


def test_cisa_use_case_1_each_status() -> None:
    expected = {
        "not_affected": (VexStatus.NOT_AFFECTED, "product-ABC", "code_not_present"),
        "fixed": (VexStatus.FIXED, "product-DEF", None),
        "affected": (VexStatus.AFFECTED, "product-DEF", None),
        "under_investigation": (VexStatus.UNDER_INVESTIGATION, "product-GHI", None),
    }
    for suffix, (status, ref, justification) in expected.items():
        path = shared_file(f"sbom/cyclonedx-examples/VEX_CISA-Use-Cases_Case-1_vex-{suffix}.json")
        document = read_sbom(path)  # the VEX names its own product as metadata.component
        result = _apply([document], "CVE-2021-44228", [])  # embedded statements
        finding = result[f"{path.name}#{ref}#CVE-2021-44228"]
        assert finding.status is status, suffix
        assert finding.justification == justification
        assert finding.status_source == f"vex:{path.name}"


def test_bom_link_use_case_6_three_products() -> None:
    boms = [
        read_sbom(shared_file(f"sbom/cyclonedx-examples/VEX_Use-Cases_Case-6_bom-{n}.json"))
        for n in (1, 2, 3)
    ]
    vex = shared_file("sbom/cyclonedx-examples/VEX_Use-Cases_Case-6_vex.json")
    result = _apply(boms, "CVE-2020-25649", [(vex.name, _statements(vex))])
    for n, bom in enumerate(boms, start=1):
        finding = result[f"{bom.source}#acme-product-{n}#CVE-2020-25649"]
        assert finding.status is VexStatus.NOT_AFFECTED
        assert finding.justification == "code_not_reachable"
    # the same bom-ref in a BOM with another serial number is not what the BOM-Link names
    other = SbomDocument(
        source="other.json",
        format=boms[0].format,
        encoding=boms[0].encoding,
        spec_version="1.4",
        serial="urn:uuid:00000000-0000-0000-0000-000000000000",
        components=(Component("acme-product-1", ComponentType.APPLICATION, "Acme 1", "1.0"),),
    )
    result = _apply([other], "CVE-2020-25649", [(vex.name, _statements(vex))])
    assert result["other.json#acme-product-1#CVE-2020-25649"].status is VexStatus.AFFECTED


def test_openvex_statements_per_product_version() -> None:
    path = shared_file("sbom/malformed-and-vex-cases/vex_test_openvex_vex.json")
    components = [
        Component(
            "p10", ComponentType.LIBRARY, "product0", "1.0", purl="pkg:generic/vendor0/product0@1.0"
        ),
        Component(
            "p286",
            ComponentType.LIBRARY,
            "product0",
            "2.8.6",
            purl="pkg:generic/vendor0/product0@2.8.6",
        ),
    ]
    views = [view(c, i, "sbom.json") for i, c in enumerate(components)]
    statements = [(path.name, _statements(path))]

    def status(vuln: str, ref: str) -> VexStatus:
        found = _apply([], vuln, statements, views)
        return found[f"sbom.json#{ref}#{vuln}"].status

    # CVE-1234-1005: not_affected for product0@1.0 only
    assert status("CVE-1234-1005", "p10") is VexStatus.NOT_AFFECTED
    assert status("CVE-1234-1005", "p286") is VexStatus.AFFECTED
    # CVE-1234-1007: fixed for product0@2.8.6 only
    assert status("CVE-1234-1007", "p286") is VexStatus.FIXED
    assert status("CVE-1234-1007", "p10") is VexStatus.AFFECTED
    # CVE-1234-1004: under_investigation for 1.0
    assert status("CVE-1234-1004", "p10") is VexStatus.UNDER_INVESTIGATION


def test_openvex_under_investigation_without_match_creates_a_finding() -> None:
    path = shared_file("sbom/malformed-and-vex-cases/vex_test_openvex_vex.json")
    component = Component(
        "p10", ComponentType.LIBRARY, "product0", "1.0", purl="pkg:generic/vendor0/product0@1.0"
    )
    views = [view(component, 0, "sbom.json")]
    ranked = ranked_statements([], [], [(path.name, _statements(path))])
    found = {f.vulnerability: f for f in apply_vex([], views, ranked, VulnMeta())}
    assert found["CVE-1234-1004"].status is VexStatus.UNDER_INVESTIGATION
    assert found["CVE-1234-1004"].match.method is MatchMethod.VEX
    assert "CVE-1234-1005" not in found  # not_affected alone does not make a finding


def test_csaf_vex_products_by_vendor_name_and_version() -> None:
    path = shared_file("csaf/oasis-examples/csaf_vex/2022-evd-uc-06-001.json")
    components = [
        Component(f"abc-{v}", ComponentType.APPLICATION, "ABC", v, supplier="Example Company")
        for v in ("2.4", "3.0", "4.2", "2.5", "5.0")
    ]
    views = [view(c, i, "device.json") for i, c in enumerate(components)]
    statements = read_vex_file(path, views)
    result = _apply([], "CVE-2021-44228", [(path.name, statements)], views)
    status = {
        ref: result[f"device.json#{ref}#CVE-2021-44228"].status
        for ref in ("abc-2.4", "abc-3.0", "abc-4.2", "abc-2.5", "abc-5.0")
    }
    # the document: 2.4, 2.6 and vers:generic/>=2.9|<=4.1 known_affected; 4.2, 2.5,
    # >=1.0|<=2.3 and >=2.7|<=2.8 known_not_affected; 5.0 is not named
    assert status == {
        "abc-2.4": VexStatus.AFFECTED,
        "abc-3.0": VexStatus.AFFECTED,
        "abc-4.2": VexStatus.NOT_AFFECTED,
        "abc-2.5": VexStatus.NOT_AFFECTED,
        "abc-5.0": VexStatus.AFFECTED,  # unchanged
    }
    not_affected = result["device.json#abc-4.2#CVE-2021-44228"]
    assert not_affected.status_source == "vex:2022-EVD-UC-06-001"


def test_csaf_vex_all_four_buckets() -> None:
    cases = {
        "2022-evd-uc-01-a-001.json": ("DEF", "1.0", VexStatus.AFFECTED),
        "2022-evd-uc-01-f-001.json": ("DEF", "1.1", VexStatus.FIXED),
        "2022-evd-uc-01-na-001.json": ("ABC", "4.2", VexStatus.NOT_AFFECTED),
        "2022-evd-uc-01-ui-001.json": ("GHI", "17.4", VexStatus.UNDER_INVESTIGATION),
    }
    for name, (product, version, expected) in cases.items():
        path = shared_file(f"csaf/oasis-examples/csaf_vex/{name}")
        component = Component(
            "x", ComponentType.APPLICATION, product, version, supplier="Example Company"
        )
        views = [view(component, 0, "device.json")]
        result = _apply([], "CVE-2021-44228", [(name, read_vex_file(path, views))], views)
        assert result["device.json#x#CVE-2021-44228"].status is expected, name
