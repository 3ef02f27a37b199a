"""Import: idempotent, incremental (changed records replace old rows), atomic, counted."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from medtrust.domain.component import (
    Component,
    ComponentType,
    SbomDocument,
    SbomEncoding,
    SbomFormat,
)
from medtrust.domain.vex import VexStatus
from medtrust.kb.errors import KbUnavailableError
from medtrust.kb.ingest import import_feeds
from medtrust.kb.query import SnapshotProvider
from medtrust.kb.schema import table_names
from medtrust.kb.store import POINTER, KnowledgeBase
from medtrust.matching.scan import scan_documents
from tests.shared_data import shared_file


def _osv(path: Path, vuln_id: str, fixed: str, *, withdrawn: bool = False) -> Path:
    record = {
        "id": vuln_id,
        "modified": "2024-01-01T00:00:00Z",
        "aliases": ["CVE-2024-0001"] if vuln_id.startswith("GHSA") else [],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "Example_Lib"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }
    if withdrawn:
        record["withdrawn"] = "2024-02-01T00:00:00Z"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def _document(version: str) -> SbomDocument:
    component = Component(
        "lib", ComponentType.LIBRARY, "example-lib", version, purl=f"pkg:pypi/example-lib@{version}"
    )
    return SbomDocument(
        "app.json", SbomFormat.CYCLONEDX, SbomEncoding.JSON, "1.6", components=(component,)
    )


def _findings(root: Path, version: str) -> list[str]:
    result = scan_documents([_document(version)], SnapshotProvider(KnowledgeBase.open(root)))
    return [f"{f.vulnerability}:{f.status.value}" for f in result.findings]


def test_missing_kb_is_a_data_source_error(tmp_path: Path) -> None:
    with pytest.raises(KbUnavailableError, match="feeds import"):
        KnowledgeBase.open(tmp_path / "kb")
    assert KbUnavailableError.exit_code == 3


def test_reimport_is_a_no_op_and_changes_replace_rows(tmp_path: Path) -> None:
    feeds, root = tmp_path / "feeds", tmp_path / "kb"
    feeds.mkdir()
    _osv(feeds / "a.json", "GHSA-aaaa-bbbb-cccc", "2.0")
    first = import_feeds([feeds], root=root)
    assert (first.new, first.changed, first.written) == (1, 0, True)
    pointer = (root / POINTER).read_text()
    assert _findings(root, "1.5") == ["CVE-2024-0001:affected"]  # primary id is the CVE alias

    again = import_feeds([feeds], root=root)
    assert (again.new, again.changed, again.unchanged, again.written) == (0, 0, 1, False)
    assert (root / POINTER).read_text() == pointer  # nothing rewritten

    _osv(feeds / "a.json", "GHSA-aaaa-bbbb-cccc", "1.2")  # the fix moved earlier
    changed = import_feeds([feeds], root=root)
    assert (changed.new, changed.changed) == (0, 1)
    assert _findings(root, "1.5") == []
    assert _findings(root, "1.1") == ["CVE-2024-0001:affected"]
    kb = KnowledgeBase.open(root)
    assert kb.read("targets").height == 1  # the old target is gone, not duplicated
    provenance = kb.read("provenance").row(0, named=True)
    assert provenance["record_key"] == "osv:GHSA-aaaa-bbbb-cccc"
    assert len(provenance["digest"]) == 64 and provenance["imported_at"] is not None


def test_withdrawn_record_stops_matching(tmp_path: Path) -> None:
    feeds, root = tmp_path / "feeds", tmp_path / "kb"
    feeds.mkdir()
    _osv(feeds / "a.json", "PYSEC-2024-1", "2.0")
    import_feeds([feeds], root=root)
    assert _findings(root, "1.0") == ["PYSEC-2024-1:affected"]
    _osv(feeds / "a.json", "PYSEC-2024-1", "2.0", withdrawn=True)
    import_feeds([feeds], root=root)
    assert _findings(root, "1.0") == []
    rows = KnowledgeBase.open(root).read("vulnerabilities")
    assert rows["withdrawn"].to_list() == [True]


def test_interrupted_import_leaves_the_live_kb(tmp_path: Path) -> None:
    feeds, root = tmp_path / "feeds", tmp_path / "kb"
    feeds.mkdir()
    _osv(feeds / "a.json", "PYSEC-2024-1", "2.0")
    import_feeds([feeds], root=root)
    before = KnowledgeBase.open(root).read("targets")
    for index in range(1200):
        _osv(feeds / f"b{index}.json", f"PYSEC-2024-{index + 2}", "3.0")

    def interrupt(done: int, unit: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_feeds([feeds], root=root, progress=interrupt)
    assert KnowledgeBase.open(root).read("targets").equals(before)
    assert not [p for p in root.iterdir() if p.name.startswith(".tmp-")]


def test_vex_statements_survive_feed_reimport(tmp_path: Path) -> None:
    feeds, root = tmp_path / "feeds", tmp_path / "kb"
    feeds.mkdir()
    _osv(feeds / "a.json", "PYSEC-2024-1", "2.0")
    vex = {
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.invalid/vex/1",
        "author": "Example",
        "timestamp": "2024-07-05T21:20:34Z",
        "version": 1,
        "statements": [
            {
                "vulnerability": {"name": "PYSEC-2024-1"},
                "products": [{"@id": "pkg:pypi/example-lib@1.0"}],
                "status": "not_affected",
                "justification": "vulnerable_code_not_in_execute_path",
            }
        ],
    }
    (tmp_path / "vex.json").write_text(json.dumps(vex), encoding="utf-8")
    import_feeds([feeds, tmp_path / "vex.json"], root=root)
    assert _findings(root, "1.0") == ["PYSEC-2024-1:not_affected"]
    _osv(feeds / "a.json", "PYSEC-2024-1", "2.5")  # the advisory changes
    import_feeds([feeds], root=root)
    assert _findings(root, "1.0") == ["PYSEC-2024-1:not_affected"]
    assert _findings(root, "1.1") == ["PYSEC-2024-1:affected"]  # per component version


def test_shared_csaf_bundle_imports_with_counted_skips(tmp_path: Path) -> None:
    path = shared_file("csaf/cisa-csaf-ot-it.tar.gz")
    report = import_feeds([path], root=tmp_path / "kb")
    assert report.new == 2383  # SOURCES.md: 2,383 CSAF 2.0 advisories (+ 2 ROLIE feeds)
    skipped = report.summary.skipped
    assert skipped[("sources", "non-record-document")] == 2  # the ROLIE feeds
    assert sum(skipped.values()) == report.summary.total_skipped
    assert all(reason for (_, reason) in skipped)
    kb = KnowledgeBase.open(tmp_path / "kb")
    links = kb.read("links")
    assert links.filter(pl.col("method") == "csaf-product").height > 1000
    statuses = set(links["status"].unique().to_list())
    assert statuses <= {s.value for s in VexStatus}
    names = kb.read("name_keys")
    assert names.filter(pl.col("vendor_key") == "philips").height > 0


def test_parallel_import_equals_sequential(tmp_path: Path) -> None:
    inputs = [shared_file("osv/samples"), shared_file("nvd2")]
    one = import_feeds(inputs, root=tmp_path / "one", workers=1)
    two = import_feeds(inputs, root=tmp_path / "two", workers=2)
    assert (one.new, one.duplicates, one.problems) == (two.new, two.duplicates, two.problems)
    assert one.summary.records == two.summary.records
    assert one.summary.skipped == two.summary.skipped
    first, second = KnowledgeBase.open(tmp_path / "one"), KnowledgeBase.open(tmp_path / "two")
    for table in table_names():
        a, b = first.read(table), second.read(table)
        if "imported_at" in a.columns:
            a, b = a.drop("imported_at"), b.drop("imported_at")
        assert a.equals(b), table
