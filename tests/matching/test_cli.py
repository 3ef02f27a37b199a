"""``medtrust feeds ...`` and ``medtrust scan`` end to end (through Typer's test runner)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from medtrust.cli import feeds
from medtrust.cli.scan import scan
from tests.shared_data import shared_file

runner = CliRunner()


def _scan_app() -> typer.Typer:
    app = typer.Typer()
    app.command("scan")(scan)
    app.command("unused")(lambda: None)  # keep "scan" a sub-command as in medtrust's CLI
    return app


def _kb(tmp_path: Path, feed: Path) -> Path:
    root = tmp_path / "kb"
    result = runner.invoke(feeds.app, ["import", str(feed), "--kb-dir", str(root)])
    assert result.exit_code == 0, result.output
    assert "records: " in result.output
    return root


def test_feeds_import_status_and_bundles(tmp_path: Path, narrow_feed_dir: Path) -> None:
    root = _kb(tmp_path, narrow_feed_dir)
    again = runner.invoke(
        feeds.app, ["import", str(narrow_feed_dir), "--kb-dir", str(root), "--json"]
    )
    report = json.loads(again.output)
    assert report["new"] == 0 and report["unchanged"] > 0 and report["written"] is False
    status = runner.invoke(feeds.app, ["status", "--kb-dir", str(root)])
    assert status.exit_code == 0 and "records cve5:" in status.output
    bundle = tmp_path / "kb.tar"
    exported = runner.invoke(feeds.app, ["export-bundle", str(bundle), "--kb-dir", str(root)])
    assert exported.exit_code == 0, exported.output
    copy = tmp_path / "copy"
    imported = runner.invoke(feeds.app, ["import-bundle", str(bundle), "--kb-dir", str(copy)])
    assert imported.exit_code == 0 and "tables verified" in imported.output
    data = bundle.read_bytes()
    bundle.write_bytes(data[: len(data) // 2])  # truncated in transit
    broken = runner.invoke(feeds.app, ["import-bundle", str(bundle), "--kb-dir", str(copy)])
    assert broken.exit_code == 2
    assert broken.output.startswith("error: ") and broken.output.count("\n") == 1


def test_missing_kb_and_unreadable_input(tmp_path: Path) -> None:
    sbom = shared_file("sbom/medical-device/narrow.sbom.json")
    missing = runner.invoke(_scan_app(), ["scan", str(sbom), "--kb-dir", str(tmp_path / "none")])
    assert missing.exit_code == 3 and "medtrust feeds import" in missing.output
    status = runner.invoke(feeds.app, ["status", "--kb-dir", str(tmp_path / "none")])
    assert status.exit_code == 3
    junk = tmp_path / "junk.json"
    junk.write_text("{not json", encoding="utf-8")
    unreadable = runner.invoke(_scan_app(), ["scan", str(junk), "--kb-dir", str(tmp_path)])
    assert unreadable.exit_code == 2
    bad_feed = runner.invoke(
        feeds.app, ["import", str(tmp_path / "absent"), "--kb-dir", str(tmp_path / "kb")]
    )
    assert bad_feed.exit_code == 2


def test_scan_narrow_json_fail_on_and_vex(tmp_path: Path, narrow_feed_dir: Path) -> None:
    root = _kb(tmp_path, narrow_feed_dir)
    sbom = shared_file("sbom/medical-device/narrow.sbom.json")
    result = runner.invoke(
        _scan_app(), ["scan", str(sbom), "--format", "json", "--kb-dir", str(root)]
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    wolfssl = [f for f in findings if f["component"]["name"] == "WolfSSL"]
    assert {f["vulnerability"] for f in wolfssl} >= {"CVE-2023-6936"}
    assert all(f["match"]["method"] == "cpe" and f["match"]["detail"] for f in findings)

    failed = runner.invoke(
        _scan_app(),
        ["scan", str(sbom), "--fail-on", "low", "--kb-dir", str(root), "--format", "sarif"],
    )
    assert failed.exit_code == 1

    vex = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "vulnerabilities": [
            {
                "id": "CVE-2023-6936",
                "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
                "affects": [
                    {
                        "ref": "urn:cdx:02826796-d30c-4aa6-b0a8-44207a01cb6c/1#"
                        "BomRef.6730320963532548.7863229239413411"
                    }
                ],
            }
        ],
    }
    vex_path = tmp_path / "vendor.vex.json"
    vex_path.write_text(json.dumps(vex), encoding="utf-8")
    with_vex = runner.invoke(
        _scan_app(),
        ["scan", str(sbom), "--vex", str(vex_path), "--format", "json", "--kb-dir", str(root)],
    )
    assert with_vex.exit_code == 0, with_vex.output
    by_id = {f["vulnerability"]: f for f in json.loads(with_vex.output)["findings"]}
    assert by_id["CVE-2023-6936"]["status"] == "not_affected"
    assert by_id["CVE-2023-6936"]["status_source"].endswith("vendor.vex.json")
    assert all(f["status"] == "affected" for k, f in by_id.items() if k != "CVE-2023-6936")
