"""Browser journey of the exposure acceptance path: import a CMMS export through the pages, map
its columns, open the legacy register, evaluate exposure against a knowledge base built from a
real CISA ICSMA advisory, read the worklist with an explanation, and download the worklist."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from medtrust.domain.tenancy import Role
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from medtrust.storage.repositories.disclosures import ProductRepository
from tests.conftest import make_account
from tests.exposure.helpers import MAKER, MODEL, VULN, build_kb
from tests.web.browser import browser_page
from tests.web.server import running_server

pytestmark = pytest.mark.browser

EXPORT = (
    "Asset tag;Manufacturer;Model;Software version;Operating system;Criticality;Network zone;"
    "Status;Department\n"
    f"PUMP-1;{MAKER};{MODEL};9.5;Windows XP Embedded;diagnostic;Corporate LAN;in-use;ICU\n"
    f"PUMP-2;{MAKER};{MODEL};9.5;Windows XP Embedded;diagnostic;MED-INFUSION;in-use;ICU\n"
    f"PUMP-3;{MAKER};{MODEL};10.0;;diagnostic;MED-INFUSION;in-use;Oncology\n"
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


def test_import_map_legacy_evaluate_worklist_and_export(
    sqlite_ctx: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = sqlite_ctx
    # the server runs in this process: it reads MEDTRUST_KB_DIR like a deployed one
    kb = build_kb(tmp_path / "kb", tmp_path, kev=True)
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(kb))
    export = tmp_path / "cmms.csv"
    export.write_text(EXPORT, encoding="utf-8")
    account = make_account(ctx, org="Exposure Hospital", role=Role.EDITOR)
    with ctx.transaction() as session:  # the product is known (e.g. from its MDS2)
        repo = ProductRepository(session, account.principal.organisation_id)
        for version in ("9.5", "10.0"):
            repo.ensure_version(manufacturer=MAKER, product=MODEL, version=version)
    shots = os.environ.get("MEDTRUST_SCREENSHOTS")
    with running_server(ctx) as base, browser_page() as page:
        page.goto(f"{base}/login?next=/inventory")
        page.fill("input[name=email]", account.email)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/inventory")

        # import -> column mapping -> dry run -> import
        page.click("text=Import a CMMS export")
        page.set_input_files("input[name=file]", str(export))
        page.fill("input[name=source]", "Biomed CMMS")
        page.click("text=Upload and map columns")
        page.wait_for_url(re.compile(r".*/inventory/import/[0-9a-f]{32}\?source=.*"))
        wanted = {
            0: "asset_tag",
            1: "manufacturer",
            2: "model",
            3: "software_version",
            4: "operating_system",
            5: "criticality",
            6: "network_zone",
            7: "status",
            8: "department",
        }
        for column, field in wanted.items():
            if page.input_value(f"select[name=col_{column}]") != field:
                page.select_option(f"select[name=col_{column}]", field)
        page.click("button[value=dry-run]")
        page.wait_for_selector("#dry-run-report")
        page.click("button[value=import]")
        page.wait_for_url(re.compile(r".*/inventory/imports/\d+$"))
        assert "created" in page.inner_text("#import-counts")

        # legacy register: Windows XP Embedded is past end of support
        page.goto(f"{base}/inventory")
        page.click("text=Legacy register")
        page.wait_for_url(f"{base}/inventory/legacy")
        table = page.inner_text("#legacy-list")
        assert "PUMP-1" in table and "PUMP-2" in table and "PUMP-3" not in table

        # exposure: nothing yet, then "Evaluate now"
        page.click("nav >> text=Exposure")
        page.wait_for_url(f"{base}/exposure")
        assert "Not evaluated yet" in page.inner_text("#last-run")
        page.click("#evaluate-now")
        page.wait_for_url(re.compile(r".*/exposure\?run=\d+$"))
        summary = page.inner_text("#run-summary")
        assert "Act 1" in summary and "Attend 1" in summary
        assert page.locator("#chart-departments svg rect[data-decision=act]").count() == 1
        assert page.locator("#chart-trend svg circle").count() == 2
        if shots:
            page.screenshot(path=str(Path(shots) / "exposure.png"), full_page=True)

        # worklist: the Act item first, with its explanation
        page.click("main >> text=Worklist")
        page.wait_for_url(f"{base}/exposure/worklist")
        first = page.locator("#worklist tbody tr").first
        assert first.locator(".decision").inner_text() == "Act"
        assert VULN in first.inner_text() and "PUMP" not in first.inner_text()
        assert not first.locator("details ul").is_visible()
        first.locator("details summary").click()
        why = first.locator("details").inner_text()
        assert "in CISA KEV" in why and "exposure open" in why.replace("\n", " ")
        attend = page.locator("#worklist tbody tr").nth(1)
        assert attend.locator(".decision").inner_text() == "Attend"
        if shots:
            page.screenshot(path=str(Path(shots) / "worklist.png"), full_page=True)

        # the asset behind the Act item
        first.locator("text=1 asset(s)").click()
        page.wait_for_url(re.compile(r".*/inventory\?.*network_zone=Corporate.*"))
        assert "PUMP-1" in page.inner_text("#asset-list")
        assert "PUMP-2" not in page.inner_text("#asset-list")
        page.go_back()

        # export the worklist
        with page.expect_download() as download_info:
            page.click("#worklist-exports >> text=xlsx")
        download = download_info.value
        target = tmp_path / download.suggested_filename
        download.save_as(str(target))
        assert target.name.startswith("exposure-worklist-") and target.suffix == ".xlsx"
        sheet = load_workbook(target)["worklist"]
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert [r[0] for r in rows] == ["Act", "Attend"]
        headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
        tags = headers.index("Asset tags")
        assert [r[tags] for r in rows] == ["PUMP-1", "PUMP-2"]
