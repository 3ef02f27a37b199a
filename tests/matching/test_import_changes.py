"""``ImportReport.changed_records`` / ``changed_vulns``: what an import changed, for re-evaluation.

Inputs are real shapes: OSV records, a KEV catalog cut from CISA's and an EPSS file cut from
FIRST's (``../shared/data``); expected keys and ids are read from those inputs.
"""

from __future__ import annotations

import json
from pathlib import Path

from medtrust.kb.ingest import import_feeds
from tests.shared_data import shared_file


def _osv(path: Path, vuln_id: str, alias: str, fixed: str = "2.0") -> None:
    record = {
        "id": vuln_id,
        "modified": "2024-01-01T00:00:00Z",
        "aliases": [alias],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "example-lib"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }
    path.write_text(json.dumps(record), encoding="utf-8")


def _kev(path: Path, count: int, due: str | None = None) -> list[str]:
    catalog = json.loads(
        shared_file("kev/known_exploited_vulnerabilities.json").read_text(encoding="utf-8")
    )
    entries = catalog["vulnerabilities"][:count]
    if due is not None:
        entries[0] = {**entries[0], "dueDate": due}
    path.write_text(
        json.dumps({**catalog, "count": count, "vulnerabilities": entries}), encoding="utf-8"
    )
    return [entry["cveID"] for entry in entries]


def _epss(path: Path, count: int) -> list[str]:
    lines = shared_file("epss/epss_scores-current_first50rows.csv").read_text().splitlines()
    path.write_text("\n".join(lines[: 2 + count]) + "\n", encoding="utf-8")
    return [line.split(",")[0] for line in lines[2 : 2 + count]]


def test_changed_records_and_vulns_follow_each_import(tmp_path: Path) -> None:
    feeds, root = tmp_path / "feeds", tmp_path / "kb"
    feeds.mkdir()
    _osv(feeds / "a.json", "GHSA-aaaa-bbbb-cccc", "CVE-2024-0001")
    _osv(feeds / "b.json", "PYSEC-2024-7", "CVE-2024-0007")
    kev = _kev(feeds / "kev.json", 2)
    epss = _epss(feeds / "epss.csv", 3)

    first = import_feeds([feeds], root=root, workers=1)
    assert first.changed_records == sorted(
        ["osv:GHSA-aaaa-bbbb-cccc", "osv:PYSEC-2024-7"]
        + [f"kev:{cve}" for cve in kev]
        + [f"epss:{cve}" for cve in epss]
    )
    assert first.changed_vulns == sorted(
        {"GHSA-aaaa-bbbb-cccc", "CVE-2024-0001", "PYSEC-2024-7", "CVE-2024-0007", *kev, *epss}
    )

    again = import_feeds([feeds], root=root, workers=1)
    assert (again.changed_records, again.changed_vulns, again.written) == ([], [], False)

    _kev(feeds / "kev.json", 2, due="2099-01-01")  # one KEV entry changes
    _osv(feeds / "a.json", "GHSA-aaaa-bbbb-cccc", "CVE-2024-0002")  # its alias changes
    changed = import_feeds([feeds], root=root, workers=1)
    assert changed.changed_records == sorted([f"kev:{kev[0]}", "osv:GHSA-aaaa-bbbb-cccc"])
    # the record's ids before and after: the old alias too
    assert changed.changed_vulns == sorted(
        {kev[0], "GHSA-aaaa-bbbb-cccc", "CVE-2024-0001", "CVE-2024-0002"}
    )


def test_parallel_import_reports_the_same_changes(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    for number in range(6):
        _osv(feeds / f"{number}.json", f"PYSEC-2024-{number}", f"CVE-2024-{number:04d}")
    sequential = import_feeds([feeds], root=tmp_path / "one", workers=1)
    parallel = import_feeds([feeds], root=tmp_path / "two", workers=2)
    assert parallel.changed_records == sequential.changed_records
    assert parallel.changed_vulns == sequential.changed_vulns
    assert len(sequential.changed_records) == 6 and len(sequential.changed_vulns) == 12
