"""Every shared NVD and OSV sample file reads, with counts checked against plain ``json``."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from medtrust.domain.vulnerability import Skipped, Vulnerability
from medtrust.feeds.batch import FeedSummary, read_all
from medtrust.feeds.readers.registry import detect_feed
from tests.shared_data import shared_data_dir, shared_file


def _files(relative: str, pattern: str) -> list[str]:
    root = shared_data_dir() / relative
    if not root.exists():
        return [f"{relative}/(missing)"]
    return sorted(str(path.relative_to(shared_data_dir())) for path in root.rglob(pattern))


def _read(path: Path) -> tuple[list[Vulnerability], list[Skipped]]:
    records = list(read_all([path]))
    vulns = [record for record in records if isinstance(record, Vulnerability)]
    skipped = [record for record in records if isinstance(record, Skipped)]
    return vulns, skipped


def _count_nodes(nodes: list[dict[str, Any]], key: str) -> int:
    return sum(
        len(node.get(key, [])) + _count_nodes(node.get("children", []), key) for node in nodes
    )


@pytest.mark.parametrize("relative", _files("nvd2", "*.json"))
def test_nvd_file_reads_completely(relative: str) -> None:
    path = shared_file(relative)
    raw = json.loads(path.read_bytes())
    vulns, skipped = _read(path)
    assert skipped == []
    if "CVE_Items" in raw:
        items = raw["CVE_Items"]
        assert [v.id for v in vulns] == [i["cve"]["CVE_data_meta"]["ID"] for i in items]
        expected = sum(_count_nodes(i["configurations"]["nodes"], "cpe_match") for i in items)
        criteria = [m["cpe23Uri"] for i in items for m in _all(i["configurations"]["nodes"])]
    else:
        cves = [item["cve"] for item in raw["vulnerabilities"]]
        assert [v.id for v in vulns] == [cve["id"] for cve in cves]
        expected = sum(
            _count_nodes(config["nodes"], "cpeMatch")
            for cve in cves
            for config in cve.get("configurations", [])
        )
        criteria = [
            match["criteria"]
            for cve in cves
            for config in cve.get("configurations", [])
            for match in _all(config["nodes"])
        ]
        metrics = sum(len(entries) for cve in cves for entries in _cvss_metrics(cve))
        assert sum(len(v.cvss) for v in vulns) == metrics
        for vuln, cve in zip(vulns, cves, strict=True):
            assert vuln.status == cve["vulnStatus"]
            assert (vuln.kev is not None) == ("cisaExploitAdd" in cve)
    assert sum(len(v.cpe_matches) for v in vulns) == expected
    assert [m.criteria for v in vulns for m in v.cpe_matches] == criteria


def _all(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for node in nodes:
        found.extend(node.get("cpeMatch", node.get("cpe_match", [])))
        found.extend(_all(node.get("children", [])))
    return found


def _cvss_metrics(cve: dict[str, Any]) -> list[list[Any]]:
    metrics = cve.get("metrics", {})
    return [metrics[key] for key in metrics if key.startswith("cvssMetricV")]


def test_nvd_ranges_and_scores_are_carried_faithfully() -> None:
    path = shared_file("nvd2/osv.dev/CVE-2024-3094.json")
    raw = json.loads(path.read_bytes())["vulnerabilities"][0]["cve"]
    (vuln,) = _read(path)[0]
    raw_matches = _all([n for c in raw["configurations"] for n in c["nodes"]])
    for match, source in zip(vuln.cpe_matches, raw_matches, strict=True):
        assert match.version_start_including == source.get("versionStartIncluding")
        assert match.version_end_excluding == source.get("versionEndExcluding")
        assert match.vulnerable is source["vulnerable"]
    primary = [score for score in vuln.cvss if score.type == "Primary"]
    assert primary
    assert all(score.problem is None for score in vuln.cvss)
    assert vuln.cwes == tuple(
        sorted(
            {d["value"] for w in raw["weaknesses"] for d in w["description"]}
            - {"NVD-CWE-Other", "NVD-CWE-noinfo"}
        )
    )


def test_legacy_nvd_children_nodes_are_kept() -> None:
    path = shared_file("nvd2/legacy-1.1/osv.dev_nvdcve-1.1-test-data.json")
    raw = json.loads(path.read_bytes())["CVE_Items"]
    vulns, _ = _read(path)
    and_nodes = sum(
        1 for item in raw for node in item["configurations"]["nodes"] if node["operator"] == "AND"
    )
    assert sum(1 for v in vulns for node in v.configurations if node.operator == "AND") == and_nodes
    with_children = [v for v in vulns if any(node.children for node in v.configurations)]
    assert with_children


@pytest.mark.parametrize("relative", _files("osv/samples", "*.json"))
def test_osv_sample_reads_completely(relative: str) -> None:
    path = shared_file(relative)
    raw = json.loads(path.read_bytes())
    vulns, skipped = _read(path)
    assert skipped == []
    (vuln,) = vulns
    assert vuln.id == raw["id"]
    assert vuln.aliases == tuple(raw.get("aliases") or ())
    affected = raw.get("affected") or []
    assert len(vuln.affected_packages) == len(affected)
    for package, source in zip(vuln.affected_packages, affected, strict=True):
        assert package.name == source.get("package", {}).get("name", "")
        assert package.versions == tuple(source.get("versions", []))
        assert [r.type for r in package.ranges] == [r["type"] for r in source.get("ranges", [])]
        assert [(e.kind.value, e.value) for r in package.ranges for e in r.events] == [
            next(iter(event.items())) for r in source.get("ranges", []) for event in r["events"]
        ]
        assert len(package.severity) == len(source.get("severity", []))
    assert vuln.withdrawn == ("withdrawn" in raw)
    assert vuln.modified is not None


def test_osv_manifest_is_counted_not_read() -> None:
    path = shared_file("osv/samples")
    with (path / "manifest.csv").open(encoding="utf-8") as handle:
        listed = sum(1 for _ in csv.DictReader(handle))
    summary = FeedSummary()
    records = list(read_all([path], summary=summary))
    assert summary.records[("osv", "vulnerability")] == listed
    assert [
        (r.origin.endswith("manifest.csv"), r.reason) for r in records if isinstance(r, Skipped)
    ] == [(True, "unrecognised-format")]


def test_detection_picks_the_reader_by_content() -> None:
    cases = {
        "nvd2/vunnel/full-page.json": "nvd",
        "nvd2/legacy-1.1/osv.dev_nvdcve-1.1-test-data.json": "nvd-legacy",
        "osv/samples/google__osv.dev/CVE-1.json": "osv",
        "kev/known_exploited_vulnerabilities.json": "kev",
        "epss/epss_scores-current_first50rows.csv": "epss",
        "csaf/oasis-examples/bsi-2022-0001.json": "csaf",
        "csaf/oasis-examples/csaf_vex/2022-evd-uc-01-a-001.json": "csaf",
        "sbom/malformed-and-vex-cases/vex_test_openvex_vex.json": "openvex",
        "sbom/malformed-and-vex-cases/vex_test_cyclonedx_vex.json": "cyclonedx-vex",
    }
    for relative, name in cases.items():
        path = shared_file(relative)
        reader = detect_feed(path.name, path.read_bytes())
        assert reader is not None, relative
        assert reader.name == name, relative
