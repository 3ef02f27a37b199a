"""The ``incident plan`` command."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from medtrust.cli.incident import app

SCENARIOS = Path(__file__).parent / "scenarios"
FACTS = SCENARIOS / "de_hospital_ransomware.facts.yaml"
runner = CliRunner()


def test_json_output_has_the_documented_fields() -> None:
    result = runner.invoke(app, ["plan", str(FACTS), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    first = doc["obligations"][0]
    for key in ("regime", "article", "stage", "actor", "recipient", "due", "anchor", "condition"):
        assert key in first
    assert first["regime"] == "NIS2" and first["stage"] == "early_warning"
    assert "status" not in first
    assert doc["not_applicable"][0]["reason"]


def test_now_adds_status_in_json() -> None:
    result = runner.invoke(
        app, ["plan", str(FACTS), "--format", "json", "--now", "2026-03-29T12:00:00+02:00"]
    )
    assert result.exit_code == 0, result.output
    by_stage = {(o["regime"], o["stage"]): o for o in json.loads(result.stdout)["obligations"]}
    assert by_stage[("NIS2", "early_warning")]["status"] == "submitted"
    gdpr = by_stage[("GDPR", "authority_notification")]
    assert gdpr["status"] == "pending"
    # due 31 Mar 09:00Z, now 29 Mar 10:00Z -> 47 h left
    assert gdpr["remaining_seconds"] == 47 * 3600


def test_table_output() -> None:
    result = runner.invoke(app, ["plan", str(FACTS), "--now", "2026-03-29T12:00:00+02:00"])
    assert result.exit_code == 0, result.output
    assert "Reporting obligations" in result.stdout
    assert "Not applicable" in result.stdout


def test_proposal_switch() -> None:
    result = runner.invoke(
        app, ["plan", str(FACTS), "--format", "json", "--proposal", "OMNIBUS-GDPR"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["proposals"] == ["OMNIBUS-GDPR"]
    assert any(o["proposal"] and o["limit"] == "96 h" for o in doc["obligations"])


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "f.yaml"
    bad.write_text(
        "organisation: {role: healthcare_provider, country: DE, nis2: essential}\n"
        "incident: {aware_at: 2026-03-02T09:30:00, significant: true}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["plan", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_naive_now_and_unknown_proposal_exit_2() -> None:
    result = runner.invoke(app, ["plan", str(FACTS), "--now", "2026-03-29T12:00:00"])
    assert result.exit_code == 2 and "--now" in result.stderr
    result = runner.invoke(app, ["plan", str(FACTS), "--proposal", "NOPE"])
    assert result.exit_code == 2 and "unknown proposal" in result.stderr


def test_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["plan", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2 and "cannot read" in result.stderr
