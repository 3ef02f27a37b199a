"""SBOM quality report: NTIA elements, identifier checks, score and fixes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from medtrust.domain.component import IssueSeverity
from medtrust.sbom.quality import QualityReport, assess
from medtrust.sbom.readers.registry import read_sbom, read_sbom_bytes
from tests.shared_data import shared_file


def _component(i: int, **overrides: Any) -> dict[str, Any]:
    comp: dict[str, Any] = {
        "type": "library",
        "bom-ref": f"c{i}",
        "name": f"lib{i}",
        "version": f"1.{i}.0",
        "supplier": {"name": "Acme"},
        "purl": f"pkg:maven/org.acme/lib{i}@1.{i}.0",
        "cpe": f"cpe:2.3:a:acme:lib{i}:1.{i}.0:*:*:*:*:*:*:*",
    }
    comp.update(overrides)
    return {k: v for k, v in comp.items() if v is not None}


def _report(components: list[dict[str, Any]], **doc: Any) -> QualityReport:
    raw: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {
            "timestamp": "2024-05-01T10:00:00Z",
            "authors": [{"name": "Acme PSIRT"}],
            "component": {
                "type": "device",
                "bom-ref": "root",
                "name": "Pump",
                "version": "2",
                "supplier": {"name": "Acme"},
                "cpe": "cpe:2.3:h:acme:pump:2:*:*:*:*:*:*:*",
            },
        },
        "components": components,
        "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in components]}],
    }
    raw.update(doc)
    return assess(read_sbom_bytes(json.dumps(raw).encode(), source="t.json"))


def _codes(report: QualityReport) -> list[str]:
    return [f.code for f in report.findings]


def test_complete_document_scores_100() -> None:
    report = _report([_component(i) for i in range(3)])
    assert report.score == 100
    assert [f for f in report.findings if f.severity is not IssueSeverity.INFO] == []
    assert report.fixes() == ()


def test_missing_author_and_timestamp_cost_ten_points_each() -> None:
    report = _report([_component(1)], metadata={"component": {"type": "device", "name": "P"}})
    assert "missing-author" in _codes(report)
    assert "missing-timestamp" in _codes(report)
    factors = {f.name: f.points for f in report.factors}
    assert factors["ntia:author"] == 0
    assert factors["ntia:timestamp"] == 0


def test_per_component_elements_are_shares() -> None:
    comps = [
        _component(0),
        _component(1, supplier=None),
        _component(2, version=None),
        _component(3, purl=None, cpe=None),
    ]
    report = _report(comps)
    factors = {f.name: f for f in report.factors}
    # 5 components with the subject; one each lacks supplier, version, identifier
    assert factors["ntia:supplier"].value == pytest.approx(4 / 5)
    assert factors["ntia:version"].value == pytest.approx(4 / 5)
    assert factors["ntia:unique-identifier"].value == pytest.approx(4 / 5)
    assert report.score == round(sum(f.weight * f.value for f in report.factors))


def test_placeholder_supplier_counts_as_missing() -> None:
    report = _report([_component(1, supplier={"name": "unknown"})])
    finding = next(f for f in report.findings if f.code == "missing-supplier")
    assert "placeholder supplier 'unknown'" in finding.message


def test_missing_version_fix_uses_purl_version() -> None:
    report = _report([_component(1, version=None)])
    finding = next(f for f in report.findings if f.code == "missing-version")
    assert finding.fix == "set version to '1.1.0'"


def test_cpe_version_prefix_and_mismatch() -> None:
    comp = _component(
        1, version="V11.2.0", purl=None, cpe="cpe:2.3:o:amazon:freertos:V11.2.0:*:*:*:*:*:*:*"
    )
    report = _report([comp])
    prefix = next(f for f in report.findings if f.code == "cpe-version-prefix")
    assert prefix.fix == "use cpe:2.3:o:amazon:freertos:11.2.0:*:*:*:*:*:*:*"
    assert "version-mismatch" not in _codes(report)  # V11.2.0 and v11.2.0 are the same release

    comp = _component(2, version="0.13c", purl=None, cpe="cpe:2.3:a:chan:fatfs:r0.13:*:*:*:*:*:*:*")
    mismatch = next(f for f in _report([comp]).findings if f.code == "version-mismatch")
    assert "component '0.13c'" in mismatch.message and "CPE 'r0.13'" in mismatch.message


def test_purl_and_cpe_without_version() -> None:
    comp = _component(
        1, purl="pkg:github/wolfssl/wolfssl", cpe="cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*"
    )
    report = _report([comp])
    purl = next(f for f in report.findings if f.code == "purl-without-version")
    assert purl.fix == "use pkg:github/wolfssl/wolfssl@1.1.0"
    assert "cpe-without-version" in _codes(report)
    assert "vendor-equals-product" in _codes(report)


@pytest.mark.parametrize(
    ("vendor", "code"),
    [
        ("*", "placeholder-vendor"),
        ("-", "placeholder-vendor"),
        ("unknown", "placeholder-vendor"),
        ("n\\/a", "placeholder-vendor"),
        ("the_legion_of_the_bouncy_castle_inc.", "generated-vendor"),
        ("acme_gmbh", "generated-vendor"),
    ],
)
def test_suspicious_vendors(vendor: str, code: str) -> None:
    comp = _component(1, cpe=f"cpe:2.3:a:{vendor}:lib1:1.1.0:*:*:*:*:*:*:*")
    report = _report([comp])
    assert code in _codes(report)
    ids = next(f for f in report.factors if f.name == "identifiers:quality")
    assert ids.value < 1


def test_invalid_identifiers_reported_per_component() -> None:
    comps = [_component(1, purl="pkg:", cpe="cpe:::lib:1"), _component(2)]
    report = _report(comps)
    bad = [f for f in report.findings if f.code in ("invalid-purl", "invalid-cpe")]
    assert {f.component_ref for f in bad} == {"c1"}
    assert all(f.severity is IssueSeverity.ERROR for f in bad)


def test_no_dependencies_reported_once() -> None:
    report = _report([_component(1), _component(2)], dependencies=[])
    assert _codes(report).count("no-dependencies") == 1
    assert "missing-dependency" not in _codes(report)
    dep = next(f for f in report.factors if f.name == "ntia:dependency-relationship")
    assert dep.value == 0


def test_component_outside_graph() -> None:
    report = _report(
        [_component(1), _component(2)], dependencies=[{"ref": "root", "dependsOn": ["c1"]}]
    )
    missing = [f.component_ref for f in report.findings if f.code == "missing-dependency"]
    assert missing == ["c2"]


def test_empty_document() -> None:
    report = _report([], metadata={}, dependencies=[])
    assert "no-components" in _codes(report)
    assert report.score == 0


def test_findings_are_sorted_document_first() -> None:
    comps = [_component(1, supplier=None), _component(2, version=None)]
    report = _report(comps, metadata={"component": {"type": "device", "name": "P"}})
    refs = [f.component_ref for f in report.findings]
    assert refs[:2] == [None, None]
    # the subject has no bom-ref, so its path is its reference; "root" is a dangling dep ref
    order = {None: -1, "metadata/component": 0, "c1": 1, "c2": 2, "root": 3}
    positions = [order[r] for r in refs]
    assert positions == sorted(positions)


def test_as_dict_is_json_ready_and_stable() -> None:
    report = _report([_component(1, supplier=None)])
    first = json.dumps(report.as_dict(), sort_keys=False)
    again = json.dumps(_report([_component(1, supplier=None)]).as_dict(), sort_keys=False)
    assert first == again
    data = json.loads(first)
    assert data["score"] == report.score
    assert data["finding_counts"]["warning"] == 1
    assert data["fixes"] == list(report.fixes())


def test_real_medical_device_sbom() -> None:
    report = assess(read_sbom(shared_file("sbom/medical-device/narrow.sbom.json")))
    by_code: dict[str, list[str]] = {}
    for f in report.findings:
        by_code.setdefault(f.code, []).append(f.component or "")
    assert "fatFS@0.13c" in by_code["version-mismatch"]
    assert "BouncyCastle@1.8.1" in by_code["generated-vendor"]
    assert "WolfSSL@4.8.1" in by_code["purl-without-version"]
    assert 0 < report.score < 100


def test_real_freertos_sbom() -> None:
    report = assess(read_sbom(shared_file("sbom/firmware-spdx/FreeRTOS-Kernel_V11.2.0.sbom.spdx")))
    codes = _codes(report)
    assert "cpe-version-prefix" in codes
    assert "missing-supplier" in codes
    fix = next(f.fix for f in report.findings if f.code == "missing-supplier")
    assert "PackageSupplier" in fix
