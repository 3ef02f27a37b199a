"""Browser journey: open an incident, record that it is significant and involves patient data,
see the clocks, draft and mark the NIS2 early warning submitted, export the package."""

from __future__ import annotations

import json
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
EW = "NIS2:early_warning:incident"


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> ServiceContext:
    """The browser journey runs once, on the embedded default (SQLite)."""
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", secret_key="k" * 32
    )
    ctx = ServiceContext.create(settings)
    upgrade(ctx.engine)
    return ctx


def test_open_decide_see_clocks_draft_submit_and_export(
    sqlite_ctx: ServiceContext, tmp_path: Path
) -> None:
    account = make_account(sqlite_ctx, org="Browser Hospital", role=Role.EDITOR)
    with running_server(sqlite_ctx) as base, browser_page() as page:
        page.goto(f"{base}/incidents")
        page.fill("input[name=email]", account.email)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/incidents")

        # open an incident from the pre-filled facts
        page.fill("#open-incident input[name=title]", "Ransomware on ward 3")
        page.click("text=Open incident")
        page.wait_for_url(re.compile(r".*/incidents/\d+\?opened=1$"))
        assert "Ransomware on ward 3" in page.inner_text("h1")
        assert "no report yet" in page.inner_text("#clocks")

        # record that it is significant and involves patient data
        page.select_option("#decision select[name=significant]", "yes")
        page.select_option("#decision select[name=suspected_malicious]", "yes")
        page.select_option("#decision select[name=personal_data]", "high")
        page.fill("#decision textarea[name=grounds]", "Wards closed; patient records encrypted")
        page.click("#decision form[action$=decision] button[type=submit]")
        page.wait_for_url(re.compile(r".*done=decision.*"))

        # the clocks: NIS2 early warning (24 h) comes first, GDPR 72 h is there too
        clocks = page.locator("#clocks tbody tr")
        first = clocks.nth(0)
        assert first.get_attribute("data-key") == EW
        assert re.search(r"2\d h \d+ min left|1\d h \d+ min left", first.inner_text())
        keys = [clocks.nth(i).get_attribute("data-key") for i in range(clocks.count())]
        assert "GDPR:authority_notification:personal data breach" in keys
        timeline = page.inner_text("#timeline")
        assert "incident.significant = true" in timeline and account.email in timeline

        # draft the early warning: pre-filled, then completed and saved
        first.locator("text=Draft").click()
        page.wait_for_url(re.compile(r".*/report\?key=.*"))
        assert page.input_value("#f_suspected_malicious") == "yes"
        assert page.input_value("#f_entity") == "Browser Hospital"
        assert "Contact point for the CSIRT" in page.inner_text("#missing")
        page.fill("#f_contact", "soc@browser-hospital.example, +49 30 1234")
        page.click("text=Save draft")
        page.wait_for_url(re.compile(r".*saved=1$"))
        assert page.locator("#missing").count() == 0
        assert page.inner_text("#report-status") == "drafted"

        # mark it submitted
        page.fill("#submit-report input[name=reference]", "BSI-2026-0042")
        page.click("#submit-report button")
        page.wait_for_url(re.compile(r".*done=submission.*"))
        row = page.locator(f'#clocks tr[data-key="{EW}"]')
        assert "submitted" in row.inner_text()

        # export the package
        with page.expect_download() as download_info:
            page.click("text=Export report-once package (JSON)")
        target = tmp_path / "package.json"
        download_info.value.save_as(target)
    package = json.loads(target.read_text("utf-8"))
    reports = {r["key"]: r for r in package["reports"]}
    assert reports[EW]["status"] == "submitted"
    assert reports[EW]["submission_reference"] == "BSI-2026-0042"
    fields = {f["key"]: f["value"] for f in reports[EW]["fields"]}
    assert fields["contact"] == "soc@browser-hospital.example, +49 30 1234"
    assert fields["suspected_malicious"] == "yes"
    assert package["facts"]["personal_data_breach"]["risk"] == "high"
