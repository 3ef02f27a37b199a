"""``medtrust incident open|record|status|export|verify`` against the test database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import update
from typer.testing import CliRunner, Result

from medtrust.cli.incident import app
from medtrust.services.context import ServiceContext
from medtrust.storage.incident_models import IncidentLogEntry
from tests.conftest import make_account
from tests.incidents.workspace.helpers import hospital_facts

runner = CliRunner()
EW = "NIS2:early_warning:incident"


@pytest.fixture
def cli_env(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Point the CLI at the test database as an editor of Hospital A; returns a facts file."""
    account = make_account(ctx, org="Hospital A")
    monkeypatch.setenv("MEDTRUST_DATABASE_URL", ctx.settings.resolved_database_url())
    monkeypatch.setenv("MEDTRUST_DATA_DIR", str(ctx.settings.data_dir))
    monkeypatch.setenv("MEDTRUST_USER", account.email)
    facts = tmp_path / "facts.yaml"
    aware = datetime.now(UTC) - timedelta(hours=3)
    facts.write_text(yaml.safe_dump(hospital_facts(aware=aware, significant=False)), "utf-8")
    return facts


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_open_record_status_export_verify(cli_env: Path, tmp_path: Path) -> None:
    opened = run("open", str(cli_env), "--title", "Ransomware")
    assert opened.exit_code == 0, opened.output
    incident_id = opened.stdout.split()[-1]

    decided = run(
        "record", "decision", incident_id, "--set", "incident.significant=true",
        "--grounds", "two wards closed",
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output
    status = run("status", incident_id, "--format", "json")
    doc = json.loads(status.stdout)
    keys = [r["key"] for r in doc["reports"]]
    assert EW in keys and doc["reports"][0]["status"] == "due"
    assert doc["facts"]["incident"]["significant"] is True

    assert run("record", "submission", incident_id, EW, "--reference", "BSI-1").exit_code == 0
    assert run("record", "acknowledgement", incident_id, EW).exit_code == 0
    assert run("record", "note", incident_id, "called the CSIRT").exit_code == 0
    na = run(
        "record", "not-applicable", incident_id, "NIS2:recipient_notification:incident",
        "--grounds", "no service recipients affected",
    )  # fmt: skip
    assert na.exit_code == 0, na.output
    final = {
        r["key"]: r
        for r in json.loads(run("status", incident_id, "--format", "json").stdout)["reports"]
    }
    assert final[EW]["status"] == "acknowledged"
    assert final["NIS2:recipient_notification:incident"]["status"] == "not_applicable"
    table = run("status", incident_id)
    assert table.exit_code == 0 and "acknowledged" in table.stdout

    package = tmp_path / "package.json"
    assert run("export", incident_id, "--format", "report-once", "-o", str(package)).exit_code == 0
    assert json.loads(package.read_text("utf-8"))["format"] == "medtrust-report-once"
    pdf = tmp_path / "ew.pdf"
    exported = run("export", incident_id, "--format", "report-pdf", "--key", EW, "-o", str(pdf))
    assert exported.exit_code == 0 and pdf.read_bytes().startswith(b"%PDF")
    stix = run("export", incident_id, "--format", "stix")
    assert json.loads(stix.stdout)["type"] == "bundle"

    verified = run("verify", incident_id)
    assert verified.exit_code == 0 and verified.stdout.startswith("log intact: 6 entries")
    timeline = run("timeline", incident_id)
    assert [line.split("\t")[3] for line in timeline.stdout.splitlines()] == [
        "opened", "decision", "submission", "acknowledgement", "note", "applicability",
    ]  # fmt: skip


def test_a_tampered_log_entry_is_detected_by_verify(cli_env: Path, ctx: ServiceContext) -> None:
    incident_id = run("open", str(cli_env), "--title", "Ransomware").stdout.split()[-1]
    assert run("record", "note", incident_id, "first").exit_code == 0
    assert run("record", "note", incident_id, "second").exit_code == 0
    assert run("verify", incident_id).exit_code == 0
    with ctx.transaction() as session:
        session.execute(
            update(IncidentLogEntry)
            .where(IncidentLogEntry.incident_id == int(incident_id), IncidentLogEntry.seq == 2)
            .values(actor="mallory@elsewhere.example")
        )
    tampered = run("verify", incident_id)
    assert tampered.exit_code == 1
    assert tampered.stdout.strip() == (
        "log broken at entry 2: content does not match its hash (entry altered)"
    )


def test_errors_are_one_line_with_exit_code_2(cli_env: Path) -> None:
    incident_id = run("open", str(cli_env), "--title", "Ransomware").stdout.split()[-1]
    missing = run("record", "submission", incident_id, "NIS2:early_warning:incident")
    assert missing.exit_code == 2
    assert "no obligation 'NIS2:early_warning:incident'" in missing.stderr
    bad = run("record", "fact", incident_id, "--set", "incident.aware_at=2026-01-01T00:00")
    assert bad.exit_code == 2 and "time zone" in bad.stderr
    unknown = run("status", "999999")
    assert unknown.exit_code == 2 and "no incident 999999" in unknown.stderr
    nobody = runner.invoke(app, ["list", "--user", "nobody@example.org"])
    assert nobody.exit_code == 2 and "no active user" in nobody.stderr
    badformat = run("export", incident_id, "--format", "docx")
    assert badformat.exit_code == 2 and "unknown export format" in badformat.stderr
