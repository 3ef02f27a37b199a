"""Browser journey: import a CSV, map its columns, dry-run, import, read the legacy register
and download it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtrust.domain.tenancy import Role
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from tests.conftest import make_account
from tests.web.browser import browser_page
from tests.web.server import running_server

pytestmark = pytest.mark.browser

EXPORT = (
    "Asset list exported 2026-06-01\n"
    "Equip #|S/N|Vendor name|Model|Platform|Zone|Dept\n"
    "EQ-1|A100|Acme Medical|GLU-1|Windows 7 Professional|MED-ICU|ICU\n"
    "EQ-2|A200|ACME|GLU-1|Windows XP Embedded||Radiology\n"
    "EQ-3|A300|Acme|Pump 9|Ubuntu 24.04 LTS|MED-ICU|Pädiatrie\n"
)


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> ServiceContext:
    """The browser journey runs once, on the embedded default (SQLite)."""
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", secret_key="k" * 32
    )
    ctx = ServiceContext.create(settings)
    upgrade(ctx.engine)
    return ctx


def test_import_map_columns_legacy_register_and_export(
    sqlite_ctx: ServiceContext, tmp_path: Path
) -> None:
    ctx = sqlite_ctx
    export = tmp_path / "cmms-export.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    account = make_account(ctx, org="Browser Hospital", role=Role.EDITOR)
    with running_server(ctx) as base, browser_page() as page:
        page.goto(f"{base}/login?next=/inventory")
        page.fill("input[name=email]", account.email)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/inventory")
        assert "No assets yet" in page.inner_text("main")

        page.click("text=Import a CMMS export")
        page.set_input_files("input[name=file]", str(export))
        page.fill("input[name=source]", "Biomed CMMS")
        page.click("text=Upload and map columns")
        page.wait_for_url(re.compile(r".*/inventory/import/[0-9a-f]{32}\?source=.*"))
        info = page.inner_text("#read-info")
        assert "cp1252" in info and "header on row 2" in info
        # the guesser got most columns; "Platform" and "Zone" need a person
        assert page.input_value("select[name=col_0]") == "asset_tag"
        assert page.input_value("select[name=col_1]") == "serial_number"
        page.select_option("select[name=col_4]", "operating_system")
        page.select_option("select[name=col_5]", "network_zone")
        page.click("button[value=dry-run]")
        page.wait_for_selector("#dry-run-report")
        assert "nothing was written" in page.inner_text("#dry-run-report")
        page.click("button[value=import]")
        page.wait_for_url(re.compile(r".*/inventory/imports/\d+$"))
        counts = page.inner_text("#import-counts")
        assert "created" in counts

        page.click("text=Legacy register")
        page.wait_for_url(f"{base}/inventory/legacy")
        table = page.inner_text("#legacy-list")
        assert "EQ-1" in table and "EQ-2" in table and "EQ-3" not in table
        assert "in network zone 'MED-ICU'" in table and "none recorded" in table
        assert page.locator("#eos-timeline svg rect").count() >= 1

        with page.expect_download() as download_info:
            page.click("#legacy-exports >> text=xlsx")
        download = download_info.value
        target = tmp_path / download.suggested_filename
        download.save_as(str(target))
        assert target.name.startswith("legacy-register-") and target.suffix == ".xlsx"
        assert target.read_bytes()[:2] == b"PK"
