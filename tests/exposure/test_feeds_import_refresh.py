"""``medtrust feeds import`` re-evaluates the exposure it touches (through the real CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtrust.cli.main import app
from medtrust.services import exposure as svc
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from tests.conftest import make_account
from tests.exposure.helpers import build_kb, kev_file, seed_assets


def test_feeds_import_refreshes_exposure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = build_kb(tmp_path / "kb", tmp_path, kev=False)
    url = f"sqlite:///{tmp_path / 'feeds.sqlite3'}"
    monkeypatch.setenv("MEDTRUST_DATABASE_URL", url)
    monkeypatch.setenv("MEDTRUST_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(kb))
    ctx = ServiceContext.create(Settings(data_dir=tmp_path, database_url=url))
    upgrade(ctx.engine)
    account = make_account(ctx, org="Feeds clinic")
    seed_assets(ctx, account.principal, [("F-1", "9.5", "diagnostic", "Corporate LAN", "in-use")])
    first = svc.evaluate_exposure(ctx, account.principal)
    assert first.counts.get("act", 0) == 0

    result = CliRunner().invoke(app, ["feeds", "import", str(kev_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "exposure of Feeds clinic: 1 product version(s) re-evaluated" in result.output
    assert svc.last_evaluated(ctx, account.principal) is not None
    with ctx.transaction() as session:
        from medtrust.storage.repositories.exposure import ExposureRepository

        runs = ExposureRepository(session, account.principal.organisation_id).runs()
    assert [r.kind for r in runs] == ["full", "incremental"]
    assert runs[-1].counts.get("act", 0) >= 1

    again = CliRunner().invoke(app, ["feeds", "import", str(kev_file(tmp_path))])
    assert again.exit_code == 0 and "exposure of" not in again.output  # nothing changed
