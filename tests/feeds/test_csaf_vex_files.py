"""CSAF, CSAF VEX, CycloneDX VEX, OpenVEX, KEV and EPSS shared files, checked with plain json."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from medtrust.domain.advisory import Advisory
from medtrust.domain.vex import VexStatement, VexStatus
from medtrust.domain.vulnerability import EpssScore, KevEntry, Skipped
from medtrust.feeds.batch import FeedSummary, read_all
from tests.shared_data import shared_data_dir, shared_file


def _files(relative: str, pattern: str) -> list[str]:
    root = shared_data_dir() / relative
    if not root.exists():
        return [f"{relative}/(missing)"]
    return sorted(str(path.relative_to(shared_data_dir())) for path in root.glob(pattern))


def _branch_leaves(branches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for branch in branches:
        if "product" in branch:
            found.append(branch["product"])
        found.extend(_branch_leaves(branch.get("branches", [])))
    return found


def _status_pairs(raw: dict[str, Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for vulnerability in raw.get("vulnerabilities", []):
        for bucket, ids in vulnerability.get("product_status", {}).items():
            counts[bucket] += len(set(ids))
    return counts


@pytest.mark.parametrize(
    "relative",
    _files("csaf/oasis-examples", "*.json") + _files("csaf/oasis-examples/csaf_vex", "*.json"),
)
def test_csaf_example_reads_completely(relative: str) -> None:
    path = shared_file(relative)
    raw = json.loads(path.read_bytes())
    records = list(read_all([path]))
    advisories = [r for r in records if isinstance(r, Advisory)]
    assert [r for r in records if isinstance(r, Skipped)] == []
    (advisory,) = advisories
    tree = raw.get("product_tree", {})
    product_ids = {p["product_id"] for p in _branch_leaves(tree.get("branches", []))}
    product_ids |= {p["product_id"] for p in tree.get("full_product_names", [])}
    product_ids |= {r["full_product_name"]["product_id"] for r in tree.get("relationships", [])}
    assert {p.product_id for p in advisory.products} == product_ids
    assert len(advisory.relationships) == len(tree.get("relationships", []))
    assert advisory.id == raw["document"]["tracking"]["id"]
    assert advisory.category == raw["document"]["category"]
    assert len(advisory.vulnerabilities) == len(raw.get("vulnerabilities", []))
    assert [n.category for n in advisory.document_notes] == [
        n["category"] for n in raw["document"].get("notes", [])
    ]
    assert Counter(s.status.value for s in advisory.product_statuses) == _status_pairs(raw)
    assert len(advisory.remediations) == sum(
        len(v.get("remediations", [])) for v in raw.get("vulnerabilities", [])
    )
    purls = {
        p["product_identification_helper"]["purl"]
        for p in _branch_leaves(tree.get("branches", []))
        if "purl" in p.get("product_identification_helper", {})
    }
    assert purls <= {purl for product in advisory.products for purl in product.purls}
    statements = [r for r in records if isinstance(r, VexStatement)]
    if advisory.category == "csaf_vex":
        covered = Counter(s.source_status for s in statements for _ in s.refs)
        expected = _status_pairs(raw)
        expected.pop("recommended", None)
        assert covered == expected
    else:
        assert statements == []


def test_csaf_vex_not_affected_carries_impact_statement() -> None:
    path = shared_file("csaf/oasis-examples/csaf_vex/2022-evd-uc-01-na-001.json")
    raw = json.loads(path.read_bytes())
    (vulnerability,) = raw["vulnerabilities"]
    (statement,) = [r for r in read_all([path]) if isinstance(r, VexStatement)]
    assert statement.status is VexStatus.NOT_AFFECTED
    assert statement.vulnerability_id == vulnerability["cve"]
    assert statement.detail == vulnerability["threats"][0]["details"].strip()
    assert statement.source == raw["document"]["tracking"]["id"]


def test_csaf_vex_flags_become_justifications() -> None:
    path = shared_file("csaf/oasis-examples/csaf_vex/sec-vex-2022-0001.json")
    raw = json.loads(path.read_bytes())
    statements = [r for r in read_all([path]) if isinstance(r, VexStatement)]
    expected = Counter(
        (v["cve"], flag["label"])
        for v in raw["vulnerabilities"]
        for flag in v["flags"]
        for _ in flag.get("product_ids", [])
    )
    assert (
        Counter((s.vulnerability_id, s.justification) for s in statements for _ in s.refs)
        == expected
    )


@pytest.mark.parametrize(
    "relative",
    _files("sbom/cyclonedx-examples", "VEX_*.json")
    + _files("sbom/malformed-and-vex-cases", "vex_*.json"),
)
def test_vex_documents_read(relative: str) -> None:
    path = shared_file(relative)
    raw = json.loads(path.read_bytes())
    records = list(read_all([path]))
    statements = [r for r in records if isinstance(r, VexStatement)]
    skipped = [r for r in records if isinstance(r, Skipped)]
    if "statements" in raw:  # OpenVEX
        assert len(statements) == sum(len(s["products"]) for s in raw["statements"])
        assert [s.vulnerability_id for s in statements] == [
            s["vulnerability"]["name"] for s in raw["statements"] for _ in s["products"]
        ]
        assert skipped == []
        return
    entries = raw.get("vulnerabilities", [])
    analysed = [e for e in entries if "state" in e.get("analysis", {})]
    assert len(statements) == len(analysed)
    assert len(skipped) == (len(entries) - len(analysed) if entries else 1)
    assert [s.source_status for s in statements] == [e["analysis"]["state"] for e in analysed]
    assert [len(s.refs) for s in statements] == [
        len({a["ref"] for a in e.get("affects", [])}) for e in analysed
    ]


def test_kev_catalog_counts() -> None:
    path = shared_file("kev/known_exploited_vulnerabilities.json")
    raw = json.loads(path.read_bytes())
    entries = [r for r in read_all([path]) if isinstance(r, KevEntry)]
    assert len(entries) == len(raw["vulnerabilities"]) == 1404
    assert sum(entry.ransomware for entry in entries) == sum(
        v["knownRansomwareCampaignUse"] == "Known" for v in raw["vulnerabilities"]
    )
    assert {e.catalog_version for e in entries} == {raw["catalogVersion"]}
    assert [e.date_added.isoformat() if e.date_added else "" for e in entries] == [
        v["dateAdded"] for v in raw["vulnerabilities"]
    ]


def test_epss_sample() -> None:
    path = shared_file("epss/epss_scores-current_first50rows.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    comment = dict(part.split(":", 1) for part in lines[0].lstrip("#").split(","))
    rows = [line.split(",") for line in lines[2:] if line.strip()]
    scores = [r for r in read_all([path]) if isinstance(r, EpssScore)]
    assert [(s.cve_id, s.epss, s.percentile) for s in scores] == [
        (cve, float(epss), float(percentile)) for cve, epss, percentile in rows
    ]
    assert {s.model_version for s in scores} == {comment["model_version"]}
    assert {s.score_date.isoformat()[:19] if s.score_date else "" for s in scores} == {
        comment["score_date"][:19]
    }


def test_epss_bad_rows_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "epss.csv"
    path.write_text(
        "#model_version:v1,score_date:2024-01-01T00:00:00+0000\n"
        "cve,epss,percentile\nCVE-2024-0001,0.5,0.9\nnot-a-cve,0.1,0.2\n"
        "CVE-2024-0002,abc,0.2\nCVE-2024-0003,1.5,0.2\n",
        encoding="utf-8",
    )
    summary = FeedSummary()
    records = list(read_all([path], summary=summary))
    assert [r.cve_id for r in records if isinstance(r, EpssScore)] == ["CVE-2024-0001"]
    assert dict(summary.skipped) == {
        ("epss", "invalid-cve-id"): 1,
        ("epss", "invalid-number"): 1,
        ("epss", "out-of-range"): 1,
    }
