"""``medtrust sbom check``: exit codes and outputs."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from medtrust.cli.sbom import app
from tests.shared_data import shared_file

runner = CliRunner()


def test_check_table() -> None:
    path = shared_file("sbom/firmware-spdx/FreeRTOS-Kernel_V11.2.0.sbom.spdx")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "FreeRTOS-Kernel_V11.2.0.sbom.spdx" in result.stdout
    assert "cpe-version-prefix" in result.stdout
    assert "use cpe:2.3:o:amazon:freertos:11.2.0:*:*:*:*:*:*:*" in result.stdout


def test_check_json() -> None:
    path = shared_file("sbom/medical-device/narrow.sbom.json")
    result = runner.invoke(app, ["check", str(path), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["component_count"] == 56  # 55 components and the described product
    assert data["score"] == round(sum(f["points"] for f in data["factors"]))
    assert {f["code"] for f in data["findings"]} >= {"version-mismatch", "generated-vendor"}


def test_unreadable_file_exits_2_with_nothing_on_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "cut.json"
    bad.write_bytes(b'{"bomFormat": "CycloneDX", "components": [{"name": ')
    result = runner.invoke(app, ["check", str(bad), "--format", "json"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().startswith("error: cut.json: not valid JSON")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unsupported_and_too_large(tmp_path: Path) -> None:
    path = shared_file("sbom/malformed-and-vex-cases/vex_test_openvex_vex.json")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "OpenVEX" in result.stderr
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 2000 + b"}")
    result = runner.invoke(app, ["check", str(big), "--max-bytes", "1000"])
    assert result.exit_code == 2
    assert "more than the limit of 1000 bytes" in result.stderr


def test_min_score_threshold() -> None:
    path = shared_file("sbom/malformed-and-vex-cases/sbom_cyclonedx_bad_cpe22.json")
    assert runner.invoke(app, ["check", str(path), "--min-score", "100"]).exit_code == 1
    assert runner.invoke(app, ["check", str(path), "--min-score", "0"]).exit_code == 0
