"""Reader behaviour on small hand-written records: edge cases, withdrawals, bad input."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement
from medtrust.domain.vulnerability import (
    FeedKind,
    RangeEventKind,
    Skipped,
    Vulnerability,
)
from medtrust.feeds.batch import read_member
from medtrust.feeds.readers.base import FeedRecord
from medtrust.feeds.sources import Member


def _records(origin: str, data: bytes) -> list[FeedRecord]:
    return list(read_member(Member(origin, data))[1])


def _one(origin: str, document: Any) -> Vulnerability:
    (record,) = _records(origin, json.dumps(document).encode())
    assert isinstance(record, Vulnerability), record
    return record


PYPA_YAML = b"""id: PYSEC-2099-1
modified: 2024-05-01T10:00:00Z
published: 2024-04-01T10:00:00.123456Z
aliases:
- CVE-2099-0001
affected:
- package:
    name: demo
    ecosystem: PyPI
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 1.10
  versions:
  - 1.0
  - 1.10
withdrawn: 2024-06-01T00:00:00Z
"""


def test_osv_yaml_keeps_versions_as_written() -> None:
    (record,) = _records("vulns/demo/PYSEC-2099-1.yaml", PYPA_YAML)
    assert isinstance(record, Vulnerability)
    (package,) = record.affected_packages
    assert [(e.kind, e.value) for e in package.ranges[0].events] == [
        (RangeEventKind.INTRODUCED, "0"),
        (RangeEventKind.FIXED, "1.10"),
    ]
    assert package.versions == ("1.0", "1.10")
    assert record.withdrawn
    assert record.withdrawn_at == datetime(2024, 6, 1, tzinfo=UTC)
    assert record.published == datetime(2024, 4, 1, 10, 0, 0, 123456, tzinfo=UTC)


def test_yaml_aliases_are_refused() -> None:
    bomb = b"id: X-1\nmodified: 2024-01-01\na: &a [1, 2]\nb: [*a, *a]\n"
    (record,) = _records("x.yaml", bomb)
    assert isinstance(record, Skipped)
    assert record.reason == "yaml-alias"


def test_osv_odd_fields_are_noted_not_fatal() -> None:
    record = _one(
        "odd.json",
        {
            "id": "ODD-1",
            "modified": "yesterday",
            "aliases": "CVE-2024-1",
            "severity": [
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:X/AC:L"},
                {"type": "Ubuntu", "score": "medium"},
            ],
            "affected": [{"ranges": [{"type": "GIT", "repo": "r", "events": [{"bogus": "1"}]}]}],
        },
    )
    assert record.modified is None
    assert record.aliases == ("CVE-2024-1",)
    (score,) = record.cvss
    assert score.vector == "CVSS:3.1/AV:X/AC:L"
    assert score.base_score is None
    assert score.problem is not None
    assert score.problem.startswith("invalid CVSS vector")
    assert len(record.notes) == 4  # timestamp, non-CVSS severity, bogus event, empty range


def test_osv_record_without_id_is_skipped() -> None:
    (record,) = _records("a.json", json.dumps({"id": "", "modified": "2024-01-01"}).encode())
    assert isinstance(record, Skipped)
    assert (record.source, record.reason) == ("osv", "missing-id")


def test_cvss_score_is_computed_when_missing() -> None:
    record = _one(
        "s.json",
        {
            "id": "S-1",
            "modified": "2024-01-01T00:00:00Z",
            "severity": [
                {"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}
            ],
        },
    )
    (score,) = record.cvss
    # the maximum CVSS v3.1 base score (FIRST CVSS v3.1 specification, section 7)
    assert (score.base_score, score.computed, score.version) == (10.0, True, "3.1")


def _nvd_page(*cves: dict[str, Any]) -> bytes:
    return json.dumps(
        {"format": "NVD_CVE", "version": "2.0", "vulnerabilities": [{"cve": c} for c in cves]}
    ).encode()


def test_nvd_rejected_is_withdrawn_and_bad_items_are_skipped_one_by_one() -> None:
    records = _records(
        "page.json",
        _nvd_page(
            {
                "id": "CVE-2024-0001",
                "vulnStatus": "Rejected",
                "lastModified": "2024-02-01T00:00:00.000",
            },
            {"vulnStatus": "Analyzed"},
            {
                "id": "CVE-2024-0002",
                "vulnStatus": "Analyzed",
                "configurations": [
                    {
                        "operator": "AND",
                        "nodes": [
                            {
                                "operator": "OR",
                                "cpeMatch": [
                                    {
                                        "vulnerable": True,
                                        "criteria": "cpe:2.3:o:acme:fw:*:*:*:*:*:*:*:*",
                                        "versionEndExcluding": "2.0",
                                    }
                                ],
                            },
                            {
                                "operator": "OR",
                                "negate": True,
                                "cpeMatch": [
                                    {
                                        "vulnerable": False,
                                        "criteria": "cpe:2.3:h:acme:pump:-:*:*:*:*:*:*:*",
                                    }
                                ],
                            },
                        ],
                    }
                ],
            },
        ),
    )
    rejected, missing, configured = records
    assert isinstance(rejected, Vulnerability)
    assert rejected.withdrawn
    assert rejected.withdrawn_at == datetime(2024, 2, 1, tzinfo=UTC)
    assert isinstance(missing, Skipped)
    assert missing.origin == "page.json#/vulnerabilities/1"
    assert isinstance(configured, Vulnerability)
    (node,) = configured.configurations
    assert node.operator == "AND"
    assert [child.negate for child in node.children] == [False, True]
    assert [m.version_end_excluding for m in configured.cpe_matches] == ["2.0", None]


def _cve5(state: str = "PUBLISHED", **containers: Any) -> dict[str, Any]:
    return {
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
        "cveMetadata": {
            "cveId": "CVE-2024-9999",
            "state": state,
            "dateUpdated": "2024-05-01T00:00:00Z",
        },
        "containers": containers,
    }


def test_cve5_cna_and_cisa_adp_are_read() -> None:
    record = _one(
        "CVE-2024-9999.json",
        _cve5(
            cna={
                "title": "Pump overflow",
                "descriptions": [{"lang": "en", "value": "Overflow."}],
                "affected": [
                    {
                        "vendor": "Acme",
                        "product": "Pump",
                        "defaultStatus": "unaffected",
                        "versions": [
                            {
                                "version": "1.0",
                                "lessThan": "1.4",
                                "status": "affected",
                                "versionType": "custom",
                            },
                            {
                                "version": "2.0",
                                "status": "affected",
                                "lessThanOrEqual": "2.*",
                                "changes": [{"at": "2.3", "status": "unaffected"}],
                            },
                        ],
                    }
                ],
                "problemTypes": [
                    {"descriptions": [{"cweId": "CWE-787", "description": "CWE-787 OOB"}]}
                ],
            },
            adp=[
                {
                    "providerMetadata": {"shortName": "CISA-ADP"},
                    "affected": [
                        {
                            "vendor": "acme",
                            "product": "pump",
                            "cpes": ["cpe:2.3:o:acme:pump:*:*:*:*:*:*:*:*"],
                        }
                    ],
                    "metrics": [
                        {
                            "cvssV3_1": {
                                "version": "3.1",
                                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                                "baseScore": 9.8,
                            }
                        },
                        {
                            "other": {
                                "type": "ssvc",
                                "content": {
                                    "options": [
                                        {"Exploitation": "poc"},
                                        {"Automatable": "yes"},
                                        {"Technical Impact": "total"},
                                    ]
                                },
                            }
                        },
                        {"other": {"type": "kev", "content": {"dateAdded": "2024-06-01"}}},
                    ],
                }
            ],
        ),
    )
    assert record.source is FeedKind.CVE5
    assert (record.summary, record.details, record.cwes) == (
        "Pump overflow",
        "Overflow.",
        ("CWE-787",),
    )
    cna, adp = record.affected_products
    assert cna.container == "cna"
    assert [(v.version, v.less_than, v.less_than_or_equal) for v in cna.versions] == [
        ("1.0", "1.4", None),
        ("2.0", None, "2.*"),
    ]
    assert cna.versions[1].changes[0].at == "2.3"
    assert (adp.container, adp.cpes) == ("adp:CISA-ADP", ("cpe:2.3:o:acme:pump:*:*:*:*:*:*:*:*",))
    assert record.ssvc is not None
    assert (record.ssvc.exploitation, record.ssvc.automatable, record.ssvc.technical_impact) == (
        "poc",
        "yes",
        "total",
    )
    assert record.kev is not None
    assert record.kev.date_added == date(2024, 6, 1)
    (score,) = record.cvss
    assert (score.source, score.type, score.base_score, score.problem) == (
        "CISA-ADP",
        "adp:CISA-ADP",
        9.8,
        None,
    )


def test_cve5_rejected_is_withdrawn() -> None:
    record = _one(
        "r.json",
        _cve5("REJECTED", cna={"rejectedReasons": [{"lang": "en", "value": "Duplicate."}]}),
    )
    assert record.withdrawn
    assert record.details == "Duplicate."


def test_csaf_groups_relationships_and_bad_document() -> None:
    document = {
        "document": {
            "category": "csaf_vex",
            "csaf_version": "2.0",
            "title": "t",
            "publisher": {"name": "Acme PSIRT", "namespace": "https://acme.example"},
            "tracking": {
                "id": "ACME-1",
                "version": "1",
                "status": "final",
                "current_release_date": "2024-01-01T00:00:00Z",
            },
        },
        "product_tree": {
            "branches": [
                {
                    "category": "vendor",
                    "name": "Acme",
                    "branches": [
                        {
                            "category": "product_name",
                            "name": "Pump",
                            "branches": [
                                {
                                    "category": "product_version_range",
                                    "name": "<=4.2",
                                    "product": {"product_id": "P1", "name": "Pump <=4.2"},
                                }
                            ],
                        }
                    ],
                }
            ],
            "full_product_names": [
                {
                    "product_id": "L1",
                    "name": "zlib 1.2",
                    "product_identification_helper": {"purl": "pkg:generic/zlib@1.2"},
                }
            ],
            "relationships": [
                {
                    "category": "default_component_of",
                    "product_reference": "L1",
                    "relates_to_product_reference": "P1",
                    "full_product_name": {"product_id": "P1:L1", "name": "zlib in pump"},
                }
            ],
            "product_groups": [{"group_id": "G", "product_ids": ["P1", "P1:L1"]}],
        },
        "vulnerabilities": [
            {
                "cve": "CVE-2022-37434",
                "product_status": {"known_affected": ["P1:L1"], "recommended": ["P1"]},
                "remediations": [
                    {"category": "vendor_fix", "details": "Update to 4.3", "group_ids": ["G"]}
                ],
            }
        ],
    }
    records = _records("acme.json", json.dumps(document).encode())
    advisory, statement = records
    assert isinstance(advisory, Advisory)
    assert isinstance(statement, VexStatement)
    assert (advisory.id, advisory.publisher) == ("ACME-1", "Acme PSIRT")
    pump = advisory.product("P1")
    assert pump is not None
    assert (pump.vendor, pump.product, pump.version_range) == ("Acme", "Pump", "<=4.2")
    assert advisory.remediations[0].product_ids == ("P1", "P1:L1")
    assert statement.refs == ("P1:L1",)
    assert statement.purls == ("pkg:generic/zlib@1.2",)
    assert statement.detail == "vendor_fix: Update to 4.3"
    (bad,) = _records("bad.json", b'{"document": {"category": "csaf_base", "tracking": {}}}')
    assert isinstance(bad, Skipped)
    assert bad.reason == "missing-id"


def test_kev_entry_with_bad_date_is_skipped() -> None:
    data = json.dumps(
        {
            "catalogVersion": "1",
            "vulnerabilities": [{"cveID": "CVE-1-1", "dateAdded": "soon"}, {"cveID": "CVE-2024-1"}],
        }
    ).encode()
    bad, good = _records("kev.json", data)
    assert isinstance(bad, Skipped)
    assert bad.reason == "invalid-date"
    assert not isinstance(good, Skipped)


def test_unknown_and_broken_content() -> None:
    (unknown,) = _records("x.json", b'{"hello": "world"}')
    assert isinstance(unknown, Skipped)
    assert unknown.reason == "unrecognised-format"
    (broken,) = _records("x.json", b'{"id": "A", "modified": "2024", "affected": [')
    assert isinstance(broken, Skipped)
    assert (broken.source, broken.reason) == ("osv", "invalid-json")
