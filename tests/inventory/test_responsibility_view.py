"""Shared responsibility per product version and asset: service, exports, pages and API."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from medtrust.domain.asset import AssetQuery, SupportSource
from medtrust.errors import NotFoundError
from medtrust.inventory.exports.formats import render_xlsx
from medtrust.inventory.exports.responsibility import ASSET_COLUMNS, asset_table
from medtrust.inventory.normalise import neutralise_cell
from medtrust.inventory.responsibility_ops import AssetResponsibility, OpState
from medtrust.services import compliance
from medtrust.services import inventory as inv
from medtrust.services import responsibility as svc
from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from medtrust.services.inventory_legacy import set_end_of_support
from medtrust.services.inventory_links import confirm_link, relink_assets
from medtrust.storage.repositories.disclosures import ProductRepository
from tests.conftest import Account, make_account
from tests.forms import synthetic_json
from tests.web_session import login

CSV = (
    b"Inventory No;Serial No;Manufacturer;Model;SW Version;Network Zone\r\n"
    b"T-1;S1;Acme Medical;GLU-1;1.0;MED-ICU\r\n"
    b"T-2;S2;Acme Medical;GLU-1;1.0;Corporate\r\n"
    b"T-3;S3;Other;Thing;2;\r\n"
)
#: no anti-malware, programs can run, remote service possible and started by the hospital
ANSWERS = {"MLDP-1": "Yes", "MLDP-2": "No", "RMOT-1": "Yes", "RMOT-1.1": "Yes"}


def _form(answers: dict[str, str], seed: int = 1) -> bytes:
    document = json.loads(synthetic_json(seed))
    for qid, value in answers.items():
        document["answers"][qid] = {"value": value, "note": None, "raw": value}
    return json.dumps(document).encode()


def _setup(ctx: ServiceContext, org: str = "Hospital A", **upload: str) -> tuple[Account, int]:
    account = make_account(ctx, org=org)
    upload_disclosure(
        ctx,
        account.principal,
        data=_form({}),
        filename="r1.json",
        version="1.0",
        format="json",
        **upload,
    )
    stored = upload_disclosure(
        ctx,
        account.principal,
        data=_form(ANSWERS),
        filename="r2.json",
        version="1.0",
        format="json",
        **upload,
    )
    inv.import_assets(ctx, account.principal, data=CSV, filename="cmms.csv")
    return account, stored.summary.id


def _assets(ctx: ServiceContext, account: Account) -> dict[str, int]:
    page = inv.list_assets(ctx, account.principal, AssetQuery())
    return {str(a.data.asset_tag): a.id for a in page.items}


def test_version_matrix_comes_from_the_latest_disclosure(ctx: ServiceContext) -> None:
    account, latest = _setup(ctx)
    asset = inv.get_asset(ctx, account.principal, _assets(ctx, account)["T-1"])
    assert asset.product_version is not None
    view = svc.version_responsibility(ctx, account.principal, asset.product_version.id)
    assert view.disclosure is not None and view.disclosure.id == latest
    assert view.disclosure.revision == 2 and view.issued == "2025-05-01"
    assert view.matrix is not None
    # the very matrix the compliance use case computes for that disclosure
    reference = compliance.responsibility(ctx, account.principal, latest)
    assert view.matrix.capabilities == reference.capabilities
    mldp = next(r for r in view.matrix.capabilities if r.capability.ref_id == "MLDP")
    assert {"MLDP-1", "MLDP-2"} <= set(mldp.open)
    assert "revision 2, issued 2025-05-01" in view.disclosure_label


def test_version_without_disclosure_is_a_state_not_an_error(ctx: ServiceContext) -> None:
    account = make_account(ctx, org="Hospital A")
    with ctx.transaction() as session:
        pv = ProductRepository(session, account.principal.organisation_id).ensure_version(
            manufacturer="Other", product="Thing", version="2"
        )
    view = svc.version_responsibility(ctx, account.principal, pv.id)
    assert view.matrix is None and view.disclosure is None
    assert view.disclosure_label == "no MDS2 disclosure for this product version"
    inv.import_assets(ctx, account.principal, data=CSV, filename="cmms.csv")
    other = svc.asset_responsibility(ctx, account.principal, _assets(ctx, account)["T-3"])
    assert other.state == "no-mds2" and other.rows == ()
    unlinked = b"Inventory No;Manufacturer\r\nT-9;Nobody\r\n"
    inv.import_assets(ctx, account.principal, data=unlinked, filename="b.csv")
    alone = svc.asset_responsibility(ctx, account.principal, _assets(ctx, account)["T-9"])
    assert alone.state == "not-linked" and alone.version is None


def test_asset_rows_carry_operational_status(ctx: ServiceContext) -> None:
    account, _ = _setup(ctx)
    ids = _assets(ctx, account)
    icu = svc.asset_responsibility(ctx, account.principal, ids["T-1"], today=date(2026, 6, 1))
    office = svc.asset_responsibility(ctx, account.principal, ids["T-2"], today=date(2026, 6, 1))
    assert icu.state == "ok" and icu.version is not None and icu.version.matrix is not None
    assert [r.row for r in icu.rows] == list(icu.version.matrix.capabilities)

    def status(view: AssetResponsibility, ref: str, rule: str) -> tuple[OpState, str]:
        row = next(r for r in view.rows if r.row.capability.ref_id == ref)
        found = next(s for s in row.operational if s.rule == rule)
        return found.state, found.text

    assert status(icu, "MLDP", "segmentation")[0] is OpState.MET
    state, text = status(office, "MLDP", "segmentation")
    assert state is OpState.OPEN and "general network (zone 'Corporate')" in text
    state, text = status(icu, "NAUT", "remote-service")
    assert state is OpState.CHECK and "hospital controls remote sessions" in text
    assert status(icu, "CSUP", "end-of-support")[0] is OpState.CHECK
    pv = icu.version.product_version.id
    set_end_of_support(
        ctx,
        account.principal,
        pv,
        end_of_support=date(2026, 1, 31),
        source=SupportSource.MANUFACTURER,
        reference="letter 2025-03",
        operating_system=None,
    )
    later = svc.asset_responsibility(ctx, account.principal, ids["T-1"], today=date(2026, 6, 1))
    state, text = status(later, "CSUP", "end-of-support")
    assert state is OpState.OPEN and "security updates ended on 2026-01-31" in text


def test_other_organisations_ids_are_not_found(ctx: ServiceContext) -> None:
    account, _ = _setup(ctx)
    other = make_account(ctx, org="Hospital B")
    asset_id = _assets(ctx, account)["T-1"]
    pv = inv.get_asset(ctx, account.principal, asset_id).product_version
    assert pv is not None
    with pytest.raises(NotFoundError):
        svc.asset_responsibility(ctx, other.principal, asset_id)
    with pytest.raises(NotFoundError):
        svc.version_responsibility(ctx, other.principal, pv.id)
    with pytest.raises(NotFoundError):
        svc.export_asset_responsibility(ctx, other.principal, asset_id, fmt="xlsx")


def test_exports_are_readable_and_neutralise_formulas(ctx: ServiceContext) -> None:
    evil = '=HYPERLINK("http://x.example","y")'
    account, latest = _setup(ctx, manufacturer=evil, product="+GLU-1")
    csv = (
        b"Inventory No;Manufacturer;Model;SW Version;Network Zone\r\n"
        b"=cmd|' /C x'!A0;Evil Corp;Pump 9;1;@Z\r\n"
    )
    inv.import_assets(ctx, account.principal, data=csv, filename="evil.csv")
    page = inv.list_assets(ctx, account.principal, AssetQuery())
    evil_asset = next(a for a in page.items if (a.data.asset_tag or "").startswith("=cmd"))
    with ctx.transaction() as session:
        versions = ProductRepository(session, account.principal.organisation_id).list_versions()
    [pv] = [v for v in versions if v.manufacturer == evil]
    _ref, linked = confirm_link(
        ctx,
        account.principal,
        manufacturer="Evil Corp",
        model="Pump 9",
        version="1",
        product_version_id=pv.id,
    )
    assert linked == 1, inv.get_asset(ctx, account.principal, evil_asset.id)
    view = svc.asset_responsibility(ctx, account.principal, evil_asset.id)
    assert view.state == "ok"
    out = svc.export_asset_responsibility(ctx, account.principal, evil_asset.id, fmt="xlsx")
    assert out.filename.endswith(".xlsx") and out.filename.startswith("responsibility-asset-")
    sheet = load_workbook(io.BytesIO(out.content)).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert not [c.value for c in cells if str(c.value)[:1] in "=+-@"]
    texts = [str(c.value) for c in cells]
    assert f"Manufacturer: {evil}" in texts and "Product: +GLU-1" in texts
    assert any(t.startswith(f"Source: MDS2 disclosure #{latest}, revision 2") for t in texts)
    assert any(t.startswith("generated ") for t in texts)
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == ASSET_COLUMNS[0])
    assert tuple(header) == ASSET_COLUMNS
    mldp = next(t for t in texts if t.startswith("MLDP "))
    assert mldp == "MLDP Malware detection/protection"
    assert any("[met] asset is in segmented network zone '@Z'" in t for t in texts)
    assert any(t.startswith("Annex I, 2.1") for t in texts)  # operator measures follow
    pdf = svc.export_version_responsibility(ctx, account.principal, pv.id, fmt="pdf")
    assert pdf.content.startswith(b"%PDF-") and pdf.media_type == "application/pdf"
    assert svc.export_asset_responsibility(
        ctx, account.principal, evil_asset.id, fmt="pdf"
    ).content.startswith(b"%PDF-")
    # the table is the same whatever the format: xlsx rows == table rows
    table = asset_table(view)
    again = load_workbook(io.BytesIO(render_xlsx(table))).active
    assert again is not None
    body = list(again.iter_rows(values_only=True))[-len(table.rows) :]
    assert [tuple("" if v is None else v for v in r) for r in body] == [
        tuple(neutralise_cell(c) for c in row) for row in table.rows
    ]


def test_pages_render_download_and_hide_other_tenants(
    ctx: ServiceContext, client: TestClient
) -> None:
    account, latest = _setup(ctx)
    ids = _assets(ctx, account)
    pv = inv.get_asset(ctx, account.principal, ids["T-1"]).product_version
    assert pv is not None
    login(client, account)
    page = client.get(f"/inventory/products/{pv.id}/responsibility")
    assert page.status_code == 200
    assert f'href="/disclosures/{latest}"' in page.text and "revision 2" in page.text
    assert "Malware detection/protection" in page.text and "Operational status" not in page.text
    asset = client.get(f"/inventory/assets/{ids['T-2']}/responsibility")
    assert asset.status_code == 200 and "Operational status (this asset)" in asset.text
    assert "general network (zone &#39;Corporate&#39;)" in asset.text
    assert "hospital controls remote sessions" in asset.text
    xlsx = client.get(f"/inventory/assets/{ids['T-1']}/responsibility/export/xlsx")
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'filename="responsibility-asset-T-1-' in xlsx.headers["content-disposition"]
    assert load_workbook(io.BytesIO(xlsx.content)).active is not None
    pdf = client.get(f"/inventory/products/{pv.id}/responsibility/export/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.get(f"/inventory/products/{pv.id}/responsibility/export/doc").status_code == 422
    unlinked = client.get(f"/inventory/assets/{ids['T-3']}/responsibility")
    assert unlinked.status_code == 200 and "not linked to a product version" in unlinked.text
    with ctx.transaction() as session:
        ProductRepository(session, account.principal.organisation_id).ensure_version(
            manufacturer="Other", product="Thing", version="2"
        )
    assert relink_assets(ctx, account.principal)["linked"] == 1
    missing = client.get(f"/inventory/assets/{ids['T-3']}/responsibility")
    assert missing.status_code == 200
    assert "no MDS2 disclosure for this product version" in missing.text
    assert 'id="responsibility-matrix"' not in missing.text
    other = make_account(ctx, org="Hospital B")
    client.cookies.clear()
    login(client, other)
    for path in (
        f"/inventory/assets/{ids['T-1']}/responsibility",
        f"/inventory/assets/{ids['T-1']}/responsibility/export/xlsx",
        f"/inventory/products/{pv.id}/responsibility",
        f"/inventory/products/{pv.id}/responsibility/export/pdf",
    ):
        assert client.get(path).status_code == 404, path


def test_api_twins(ctx: ServiceContext, client: TestClient) -> None:
    account, latest = _setup(ctx)
    ids = _assets(ctx, account)
    pv = inv.get_asset(ctx, account.principal, ids["T-1"]).product_version
    assert pv is not None
    body = client.get(
        f"/api/v1/product-versions/{pv.id}/responsibility", headers=account.headers
    ).json()
    assert body["state"] == "ok" and body["disclosure"]["id"] == latest
    assert body["disclosure"]["revision"] == 2 and body["disclosure"]["issued"] == "2025-05-01"
    refs = [c["capability"]["ref_id"] for c in body["capabilities"]]
    assert refs == sorted(refs) and "MLDP" in refs and body["operator_measures"]
    asset = client.get(f"/api/v1/assets/{ids['T-1']}/responsibility", headers=account.headers)
    data = asset.json()
    assert data["state"] == "ok" and data["asset"]["network_zone"] == "MED-ICU"
    mldp = next(c for c in data["capabilities"] if c["capability"]["ref_id"] == "MLDP")
    assert mldp["operational"][0]["rule"] == "segmentation"
    assert mldp["operational"][0]["state"] == "met"
    assert sum(data["state_counts"].values()) >= 3
    export = client.get(
        f"/api/v1/assets/{ids['T-1']}/responsibility/export?format=pdf", headers=account.headers
    )
    assert export.status_code == 200 and export.content.startswith(b"%PDF-")
    lone = client.get(f"/api/v1/assets/{ids['T-3']}/responsibility", headers=account.headers)
    assert lone.json()["state"] == "not-linked" and lone.json()["capabilities"] == []
    other = make_account(ctx, org="Hospital B")
    for path in (
        f"/api/v1/product-versions/{pv.id}/responsibility",
        f"/api/v1/assets/{ids['T-1']}/responsibility",
        f"/api/v1/assets/{ids['T-1']}/responsibility/export?format=xlsx",
    ):
        assert client.get(path, headers=other.headers).status_code == 404, path
