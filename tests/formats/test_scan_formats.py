"""Scan output formats: JSON fields, CycloneDX 1.6 schema validity, CSAF VEX round trip, SARIF."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from medtrust.domain.advisory import Advisory
from medtrust.domain.component import ComponentType, SbomDocument, SbomEncoding, SbomFormat
from medtrust.errors import UnsupportedFormatError
from medtrust.feeds.batch import read_all
from medtrust.formats.registry import format_names, get_format
from medtrust.matching.scan import ScanResult, scan_documents
from tests.matching.helpers import MemoryProvider, component, rows_from
from tests.shared_data import shared_file

WHEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def result() -> ScanResult:
    records = [
        r
        for path in (
            shared_file("csaf/oasis-examples/csaf_vex/2022-evd-uc-06-001.json"),
            shared_file("nvd2/osv.dev/CVE-2023-4863.json"),
        )
        for r in read_all([path])
    ]
    components = (
        component("ABC", "3.0", supplier="Example Company", kind=ComponentType.APPLICATION),
        component("ABC", "4.2", supplier="Example Company", kind=ComponentType.APPLICATION),
        component("libwebp", "1.3.1", cpe="cpe:2.3:a:webmproject:libwebp:1.3.1:*:*:*:*:*:*:*"),
    )
    document = SbomDocument(
        "device.cdx.json",
        SbomFormat.CYCLONEDX,
        SbomEncoding.JSON,
        "1.6",
        serial="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        components=components,
    )
    scanned = scan_documents([document], MemoryProvider(rows_from(records)))
    statuses = {(f.component.version, f.vulnerability): f.status.value for f in scanned.findings}
    # document facts: ABC 3.0 in vers:generic/>=2.9|<=4.1 (known_affected), 4.2 not affected;
    # NVD: libwebp versions before 1.3.2 are vulnerable to CVE-2023-4863
    assert statuses == {
        ("3.0", "CVE-2021-44228"): "affected",
        ("4.2", "CVE-2021-44228"): "not_affected",
        ("1.3.1", "CVE-2023-4863"): "affected",
    }
    return scanned


def test_registry() -> None:
    assert format_names() == ("table", "json", "cyclonedx-vex", "csaf-vex", "sarif")
    with pytest.raises(UnsupportedFormatError, match="known: table"):
        get_format("pdf")


def test_json_has_the_documented_fields(result: ScanResult) -> None:
    body = json.loads(get_format("json").render(result, generated_at=WHEN))
    assert body["summary"] == {"affected": 2, "not_affected": 1}
    for finding in body["findings"]:
        assert {
            "vulnerability",
            "aliases",
            "component",
            "status",
            "match",
            "cvss",
            "kev",
            "epss",
            "sources",
        } <= set(finding)
        assert {"name", "version", "purl", "cpe"} <= set(finding["component"])
        assert {"method", "confidence", "detail"} <= set(finding["match"])
        assert finding["match"]["method"] in {"purl", "cpe", "csaf-product", "vex"}
    webp = next(f for f in body["findings"] if f["vulnerability"] == "CVE-2023-4863")
    assert webp["cvss"]["score"] >= 8.8 and webp["cvss"]["vector"].startswith("CVSS:3")
    assert webp["match"]["confidence"] == "exact"
    assert "1.3.1" in webp["match"]["detail"]


def test_cyclonedx_vex_is_schema_valid(result: ScanResult) -> None:
    text = get_format("cyclonedx-vex").render(result, generated_at=WHEN)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bom = json.loads(text)
    states = sorted(v["analysis"]["state"] for v in bom["vulnerabilities"])
    assert states == ["exploitable", "exploitable", "not_affected"]
    refs = {c["bom-ref"] for c in bom["components"]}
    assert all(a["ref"] in refs for v in bom["vulnerabilities"] for a in v["affects"])


def test_csaf_vex_reads_back_with_the_same_statuses(result: ScanResult, tmp_path: Path) -> None:
    path = tmp_path / "vex.json"
    path.write_text(get_format("csaf-vex").render(result, generated_at=WHEN), encoding="utf-8")
    (advisory,) = [r for r in read_all([path]) if isinstance(r, Advisory)]
    assert advisory.category == "csaf_vex"
    names = {p.product_id: p.name for p in advisory.products}
    got = sorted(
        (names[s.product_id], s.vulnerability_id, s.status.value) for s in advisory.product_statuses
    )
    assert got == [
        ("ABC 3.0 (device.cdx.json)", "CVE-2021-44228", "known_affected"),
        ("ABC 4.2 (device.cdx.json)", "CVE-2021-44228", "known_not_affected"),
        ("libwebp 1.3.1 (device.cdx.json)", "CVE-2023-4863", "known_affected"),
    ]
    assert advisory.remediations and (advisory.flags or advisory.threats)


def test_sarif(result: ScanResult) -> None:
    log = json.loads(get_format("sarif").render(result, generated_at=WHEN))
    assert log["version"] == "2.1.0"
    results = log["runs"][0]["results"]
    assert len(results) == len(result.findings)
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["properties"]["status"] for r in suppressed] == ["not_affected"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(results[i]["ruleId"] == rules[r["ruleIndex"]]["id"] for i, r in enumerate(results))


def test_table(result: ScanResult) -> None:
    text = get_format("table").render(result, generated_at=WHEN)
    assert "CVE-2023-4863" in text and "3 findings: 2 affected, 1 not_affected" in text
