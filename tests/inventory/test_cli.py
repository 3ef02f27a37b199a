"""``medtrust assets import|list`` and ``medtrust legacy`` against a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtrust.cli.main import _register, app
from medtrust.domain.tenancy import Role
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from tests.conftest import make_account

runner = CliRunner()
CSV = (
    b"Asset Tag,Serial,OS,Zone\nT-1,S1,Windows XP,MED\nT-2,S2,Windows 7,\n"
    b"T-3,S3,Ubuntu 24.04,\nT-4,,,\nT-4,,Linux,\n"
)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("MEDTRUST_DATABASE_URL", url)
    monkeypatch.setenv("MEDTRUST_DATA_DIR", str(tmp_path))
    ctx = ServiceContext.create(Settings(data_dir=tmp_path, database_url=url))
    upgrade(ctx.engine)
    account = make_account(ctx, org="CLI Hospital", role=Role.EDITOR)
    monkeypatch.setenv("MEDTRUST_USER", account.email)
    _register()
    return account.email


def test_import_dry_run_list_and_legacy(env: str, tmp_path: Path) -> None:
    export = tmp_path / "cmms.csv"
    export.write_bytes(CSV)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "columns: {asset_tag: Asset Tag, serial_number: Serial, operating_system: OS,"
        " network_zone: Zone}\n",
        encoding="utf-8",
    )
    dry = runner.invoke(
        app,
        [
            "assets",
            "import",
            str(export),
            "--mapping",
            str(mapping),
            "--dry-run",
            "--format",
            "json",
        ],
    )
    assert dry.exit_code == 1, dry.output  # rows 5 and 6 conflict
    document = json.loads(dry.stdout)
    assert document["dry_run"] is True and document["counts"]["created"] == 3
    assert {i["row"] for i in document["issues"] if i["severity"] == "error"} == {5, 6}
    listed = runner.invoke(app, ["assets", "list", "--format", "json"])
    assert json.loads(listed.stdout)["total"] == 0
    done = runner.invoke(
        app, ["assets", "import", str(export), "--mapping", str(mapping), "--source", "CMMS"]
    )
    assert done.exit_code == 1 and "import #" in done.stdout and "created 3" in done.stdout
    listed = runner.invoke(app, ["assets", "list", "--q", "t-1", "--format", "json"])
    assert [i["asset_tag"] for i in json.loads(listed.stdout)["items"]] == ["T-1"]
    table = runner.invoke(app, ["legacy"])
    assert table.exit_code == 0 and "T-1" in table.stdout and "T-2" in table.stdout
    out = tmp_path / "register.xlsx"
    saved = runner.invoke(app, ["legacy", "--format", "xlsx", "-o", str(out)])
    assert saved.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    bad = runner.invoke(app, ["legacy", "--format", "doc"])
    assert bad.exit_code == 2 and "unknown format" in bad.output
    missing = runner.invoke(app, ["assets", "import", str(export), "--user", "nobody@x.example"])
    assert missing.exit_code == 2 and "no active user" in missing.output
