"""Inventory pages: CSRF on every form, the import flow, and other tenants' ids as 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from medtrust.domain.asset import AssetQuery
from medtrust.services import inventory as svc
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from tests.conftest import make_account
from tests.forms import synthetic_json
from tests.web_session import csrf as _csrf
from tests.web_session import login

CSV = (
    b"Tag;Serial;Hersteller;Modell;Betriebssystem\n"
    b"T-1;S1;Acme Medical;GLU-1;Windows XP\nT-2;S2;Acme;Pump;\n"
)


def test_import_flow_with_mapping_dry_run_and_commit(
    ctx: ServiceContext, client: TestClient
) -> None:
    account = make_account(ctx, org="Hospital A")
    login(client, account)
    assert client.get("/inventory").status_code == 200
    files = {"file": ("cmms.csv", CSV, "text/csv")}
    refused = client.post("/inventory/import", files=files, data={"csrf_token": "x"})
    assert refused.status_code == 403
    token = _csrf(client, "/inventory/import")
    staged = client.post(
        "/inventory/import",
        files=files,
        data={"csrf_token": token, "source": "S"},
        follow_redirects=False,
    )
    assert staged.status_code == 303
    mapping_url = staged.headers["location"]
    page = client.get(mapping_url)
    assert page.status_code == 200 and 'name="col_0"' in page.text
    form = {
        "csrf_token": token,
        "source": "S",
        "col_0": "asset_tag",
        "col_1": "serial_number",
        "col_2": "manufacturer",
        "col_3": "model",
        "col_4": "operating_system",
    }
    dry = client.post(mapping_url.split("?")[0], data={**form, "action": "dry-run"})
    assert dry.status_code == 200 and "Dry run: nothing was written" in dry.text
    assert svc.list_assets(ctx, account.principal, AssetQuery()).total == 0
    twice = client.post(mapping_url.split("?")[0], data={**form, "col_1": "asset_tag"})
    assert twice.status_code == 422 and "more than one column" in twice.text
    done = client.post(
        mapping_url.split("?")[0], data={**form, "action": "import"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/inventory/imports/")
    report = client.get(done.headers["location"])
    assert "Import #" in report.text
    assert svc.list_assets(ctx, account.principal, AssetQuery()).total == 2
    legacy = client.get("/inventory/legacy")
    assert legacy.status_code == 200 and "<svg" in legacy.text and "T-1" in legacy.text
    download = client.get("/inventory/legacy/export/xlsx")
    assert download.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert client.get("/inventory?criticality=bogus").status_code == 422
    assert client.get("/inventory/links").status_code == 200


def test_other_tenants_pages_are_404(ctx: ServiceContext, client: TestClient) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    stored = upload_disclosure(
        ctx, a.principal, data=synthetic_json(1), filename="f.json", version="1.0", format="json"
    )
    pv = stored.summary.product_version.id
    report = svc.import_assets(ctx, a.principal, data=CSV, filename="x.csv")
    asset_id = svc.list_assets(ctx, a.principal, AssetQuery()).items[0].id
    login(client, b)
    for path in (
        f"/inventory/assets/{asset_id}",
        f"/inventory/products/{pv}",
        f"/inventory/imports/{report.run_id}",
        "/inventory/import/" + "0" * 32,
        "/inventory/import/../../etc",
    ):
        assert client.get(path).status_code == 404, path
    token = _csrf(client, "/inventory")
    saved = client.post(
        f"/inventory/products/{pv}/lifecycle",
        data={"csrf_token": token, "operating_system": "Windows 7"},
    )
    assert saved.status_code == 404
    assert "T-1" not in client.get("/inventory").text
