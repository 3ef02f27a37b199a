"""Browser journey: log in, upload the NEMA example, read it by section, compare two forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medtrust.domain.tenancy import Role
from medtrust.services.context import ServiceContext
from medtrust.settings import Settings
from medtrust.storage.migrate import upgrade
from tests.conftest import make_account
from tests.forms import synthetic_json
from tests.shared_data import shared_file
from tests.web.browser import browser_page
from tests.web.server import running_server

pytestmark = pytest.mark.browser

UPLOADED = re.compile(r".*/disclosures/\d+\?uploaded=1$")


@pytest.fixture
def sqlite_ctx(tmp_path: Path) -> ServiceContext:
    """The browser journey runs once, on the embedded default (SQLite)."""
    settings = Settings(
        data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'b.sqlite3'}", secret_key="k" * 32
    )
    ctx = ServiceContext.create(settings)
    upgrade(ctx.engine)
    return ctx


def test_login_upload_read_by_section_and_compare(
    sqlite_ctx: ServiceContext, tmp_path: Path
) -> None:
    ctx = sqlite_ctx
    example = shared_file("mds2/nema-example-mds2-2019.xlsx")
    other = tmp_path / "other-device.json"
    other.write_bytes(synthetic_json(5, model="PUMP-7"))
    account = make_account(ctx, org="Browser Hospital", role=Role.EDITOR)
    with running_server(ctx) as base, browser_page() as page:
        page.goto(f"{base}/disclosures")
        assert "/login" in page.url
        page.fill("input[name=email]", account.email)
        page.fill("input[name=password]", "wrong password!")
        page.click("button[type=submit]")
        assert page.locator(".alert.error").inner_text() == "wrong e-mail or password"
        page.fill("input[name=email]", account.email)
        page.fill("input[name=password]", account.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/disclosures")

        page.click("text=Upload a form")
        page.set_input_files("input[name=file]", str(example))
        page.fill("input[name=manufacturer]", "ACME (NEMA example)")
        page.fill("input[name=product]", "Glucose monitor")
        page.fill("input[name=version]", "1.0")
        page.click("text=Upload and validate")
        page.wait_for_url(UPLOADED)
        assert "ACME (NEMA example)" in page.inner_text("h1")
        summary = page.inner_text("#validation-summary")
        assert "no errors" in summary and "warnings" in summary

        # read it section by section
        page.click("nav.tabs >> text=CSUP")
        page.wait_for_url(re.compile(r".*section=CSUP$"))
        csup1 = page.inner_text("#q-CSUP-1")
        assert "N/A" in csup1 and "warning" in csup1
        page.click("nav.tabs >> text=SAHD")
        assert "See Note" in page.inner_text("#q-SAHD-16")
        assert page.locator("#q-SHAD-15").count() == 1

        # a second form, then compare side by side
        page.goto(f"{base}/disclosures/upload")
        page.set_input_files("input[name=file]", str(other))
        page.click("text=Upload and validate")
        page.wait_for_url(UPLOADED)
        page.goto(f"{base}/disclosures")
        boxes = page.locator("input[name=ids]")
        assert boxes.count() == 2
        boxes.nth(0).check()
        boxes.nth(1).check()
        page.click("text=Compare selected")
        page.wait_for_url(re.compile(r".*/compare\?ids=\d+&ids=\d+$"))
        table = page.locator("#comparison")
        text = table.inner_text()
        assert "Glucose monitor" in text and "PUMP-7" in text
        assert page.locator("#compare-summary").count() == 1
