"""REST API of the installed base, including cross-tenant 404s for every id-taking route."""

from __future__ import annotations

import io
import json

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from medtrust.services.context import ServiceContext
from medtrust.services.disclosures import upload_disclosure
from tests.conftest import make_account
from tests.forms import synthetic_json

CSV = (
    b"Inventory No;Serial No;Manufacturer;Model;SW Version;Operating System;Network Zone\r\n"
    b"T-1;S1;Acme Medical;GLU-1;1.0;Windows 7 SP1;MED-ICU\r\n"
    b"T-2;S2;ACME MEDICAL INC;GLU-1;1.0;Windows XP Embedded;Corporate\r\n"
    b"T-3;S3;Other;Thing;2;;\r\n"
    b"T-4;;;;;;\r\n"
)


def _files(data: bytes = CSV, name: str = "cmms.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, data, "text/csv")}


def test_preview_dry_run_import_list_and_export(ctx: ServiceContext, client: TestClient) -> None:
    a = make_account(ctx, org="Hospital A")
    upload_disclosure(
        ctx, a.principal, data=synthetic_json(1), filename="f.json", version="1.0", format="json"
    )
    preview = client.post("/api/v1/assets/import/preview", files=_files(), headers=a.headers)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["info"]["delimiter"] == ";" and body["mapping_origin"] == "guessed"
    assert body["mapping"]["columns"]["asset_tag"] == "Inventory No"
    assert body["sample"][0]["cells"][0] == "T-1"
    dry = client.post(
        "/api/v1/assets/import",
        files=_files(),
        data={"dry_run": "true", "source": "CMMS"},
        headers=a.headers,
    )
    assert dry.status_code == 200 and dry.json()["run_id"] is None
    assert client.get("/api/v1/assets", headers=a.headers).json()["total"] == 0
    mapping = json.dumps(body["mapping"])
    done = client.post(
        "/api/v1/assets/import",
        files=_files(),
        data={"source": "CMMS", "mapping": mapping},
        headers=a.headers,
    )
    report = done.json()
    assert report["counts"]["created"] == 4 and report["counts"]["link_linked"] == 2
    listed = client.get("/api/v1/assets?q=t-&page_size=2&sort=tag", headers=a.headers).json()
    assert listed["total"] == 4 and listed["pages"] == 2
    assert [i["asset_tag"] for i in listed["items"]] == ["T-1", "T-2"]
    detail = client.get(f"/api/v1/assets/{listed['items'][1]['id']}", headers=a.headers).json()
    assert detail["lifecycle"]["status"] == "ended"
    assert detail["lifecycle"]["decisive"]["source"] == "os-table"
    run = client.get(f"/api/v1/assets/imports/{report['run_id']}", headers=a.headers).json()
    assert run["run"]["counts"] == report["counts"]
    xlsx = client.get("/api/v1/assets/export?format=xlsx", headers=a.headers)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.max_row >= 8
    assert client.get("/api/v1/assets/export?format=doc", headers=a.headers).status_code == 422
    bad = client.post("/api/v1/assets/import", files=_files(b"\x00\x01" * 50), headers=a.headers)
    assert bad.status_code == 422 and "not a text file" in bad.json()["detail"]


def test_legacy_register_lifecycle_and_links(ctx: ServiceContext, client: TestClient) -> None:
    a = make_account(ctx, org="Hospital A")
    stored = upload_disclosure(
        ctx, a.principal, data=synthetic_json(1), filename="f.json", version="1.0", format="json"
    )
    pv = stored.summary.product_version.id
    client.post("/api/v1/assets/import", files=_files(), headers=a.headers)
    put = client.put(
        f"/api/v1/product-versions/{pv}/lifecycle",
        headers=a.headers,
        json={
            "end_of_support": "2026-12-31",
            "source": "manufacturer",
            "reference": "letter 2025-03",
            "operating_system": "Windows 7",
        },
    )
    assert put.status_code == 200, put.text
    assert put.json()["effective_end"]["reference"] == "letter 2025-03"
    refused = client.put(
        f"/api/v1/product-versions/{pv}/lifecycle",
        headers=a.headers,
        json={"end_of_support": "2026-12-31", "source": "manufacturer"},
    )
    assert refused.status_code == 422 and "reference" in refused.json()["detail"]
    register = client.get("/api/v1/legacy?today=2026-06-01", headers=a.headers).json()
    assert register["total"] == 2
    first = register["entries"][0]
    assert first["lifecycle"]["status"] == "ended"
    zones = {e["asset"]["asset_tag"]: e["lifecycle"]["compensations"] for e in register["entries"]}
    assert zones["T-1"][0]["kind"] == "segmentation" and not [
        c for c in zones["T-2"] if c["kind"] == "segmentation"
    ]
    pdf = client.get("/api/v1/legacy/export?format=pdf", headers=a.headers)
    assert pdf.content.startswith(b"%PDF-")
    assert client.get("/api/v1/legacy/timeline", headers=a.headers).json()[0]["count"] >= 1
    groups = client.get("/api/v1/assets/links", headers=a.headers).json()
    assert [g["manufacturer"] for g in groups] == [None, "Other"]  # T-4 has no names
    confirmed = client.post(
        "/api/v1/assets/links/confirm",
        headers=a.headers,
        json={
            "manufacturer": "Other",
            "model": "Thing",
            "version": "2",
            "create_manufacturer": "Other",
            "create_product": "Thing",
            "create_version": "2",
        },
    )
    assert confirmed.json()["linked"] == 1
    os_rows = client.get("/api/v1/lifecycle/os", headers=a.headers).json()
    assert any(r["id"] == "windows-7" and r["url"].startswith("https://") for r in os_rows)


def test_other_tenants_ids_are_404(ctx: ServiceContext, client: TestClient) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    stored = upload_disclosure(
        ctx, a.principal, data=synthetic_json(1), filename="f.json", version="1.0", format="json"
    )
    pv = stored.summary.product_version.id
    run_id = client.post("/api/v1/assets/import", files=_files(), headers=a.headers).json()[
        "run_id"
    ]
    asset_id = client.get("/api/v1/assets", headers=a.headers).json()["items"][0]["id"]
    for path in (
        f"/api/v1/assets/{asset_id}",
        f"/api/v1/assets/imports/{run_id}",
        f"/api/v1/product-versions/{pv}/lifecycle",
    ):
        assert client.get(path, headers=a.headers).status_code == 200, path
        response = client.get(path, headers=b.headers)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json")
    put = client.put(
        f"/api/v1/product-versions/{pv}/lifecycle",
        headers=b.headers,
        json={"operating_system": "Windows 7"},
    )
    assert put.status_code == 404
    link = client.post(
        "/api/v1/assets/links/confirm",
        headers=b.headers,
        json={"manufacturer": "Other", "model": "Thing", "product_version_id": pv},
    )
    assert link.status_code == 404
    assert client.get("/api/v1/assets", headers=b.headers).json()["total"] == 0
    assert client.get("/api/v1/legacy", headers=b.headers).json()["total"] == 0
    assert client.get("/api/v1/assets").status_code == 401
