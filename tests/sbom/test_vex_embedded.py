"""Embedded CycloneDX VEX becomes VexStatement values (statuses per CISA's minimum set)."""

from __future__ import annotations

import json

import pytest

from medtrust.domain.vex import VexStatus
from medtrust.sbom.readers.registry import read_sbom, read_sbom_bytes
from tests.shared_data import shared_file


@pytest.mark.parametrize(
    ("suffix", "status"),
    [
        ("affected", VexStatus.AFFECTED),
        ("fixed", VexStatus.FIXED),
        ("not_affected", VexStatus.NOT_AFFECTED),
        ("under_investigation", VexStatus.UNDER_INVESTIGATION),
    ],
)
def test_cisa_case_1_statuses(suffix: str, status: VexStatus) -> None:
    path = shared_file(f"sbom/cyclonedx-examples/VEX_CISA-Use-Cases_Case-1_vex-{suffix}.json")
    raw = json.loads(path.read_bytes())
    doc = read_sbom(path)
    assert len(doc.vex) == 1
    statement = doc.vex[0]
    assert statement.status is status
    assert statement.vulnerability_id == raw["vulnerabilities"][0]["id"]
    assert statement.source_status == raw["vulnerabilities"][0]["analysis"]["state"]
    assert statement.refs == tuple(a["ref"] for a in raw["vulnerabilities"][0]["affects"])


def test_not_affected_carries_justification_and_detail() -> None:
    path = shared_file("sbom/cyclonedx-examples/VEX_CISA-Use-Cases_Case-2_vex.json")
    doc = read_sbom(path)
    first = doc.vex[0]
    assert first.vulnerability_id == "CVE-2020-11896"
    assert first.status is VexStatus.NOT_AFFECTED
    assert first.justification == "code_not_reachable"
    assert first.detail is not None and "Linux TCP/IP" in first.detail


def test_refs_resolve_to_purls_including_bom_links() -> None:
    raw = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:11111111-2222-3333-4444-555555555555",
        "components": [
            {
                "type": "library",
                "bom-ref": "ssl",
                "name": "wolfssl",
                "version": "4.8.1",
                "purl": "pkg:github/wolfssl/wolfssl@4.8.1",
            },
        ],
        "vulnerabilities": [
            {
                "id": "CVE-2022-0001",
                "analysis": {"state": "exploitable", "response": ["update"]},
                "affects": [
                    {"ref": "ssl", "versions": [{"version": "4.8.1", "status": "affected"}]}
                ],
            },
            {
                "id": "CVE-2022-0002",
                "analysis": {"state": "false_positive"},
                "affects": [{"ref": "urn:cdx:11111111-2222-3333-4444-555555555555/1#ssl"}],
            },
            {"id": "CVE-2022-0003", "affects": [{"ref": "ssl"}]},
            {"id": "CVE-2022-0004", "analysis": {"state": "bogus"}, "affects": [{"ref": "ssl"}]},
        ],
    }
    doc = read_sbom_bytes(json.dumps(raw).encode(), source="embedded.json")
    assert [s.vulnerability_id for s in doc.vex] == ["CVE-2022-0001", "CVE-2022-0002"]
    affected, false_positive = doc.vex
    assert affected.status is VexStatus.AFFECTED
    assert affected.responses == ("update",)
    assert affected.purls == ("pkg:github/wolfssl/wolfssl@4.8.1",)
    assert affected.versions[0].status == "affected"
    assert affected.source == "urn:uuid:11111111-2222-3333-4444-555555555555"
    assert false_positive.status is VexStatus.NOT_AFFECTED
    assert false_positive.purls == ("pkg:github/wolfssl/wolfssl@4.8.1",)
    codes = {i.code for i in doc.issues}
    assert {"vulnerability-without-analysis", "unknown-vex-state"} <= codes
