from __future__ import annotations

import re

from fastapi.testclient import TestClient

from medtrust.domain.tenancy import Role
from medtrust.services.context import ServiceContext
from tests.conftest import make_account
from tests.forms import synthetic_json

PROBLEM = "application/problem+json"


def _upload(client: TestClient, headers: dict[str, str], data: bytes, **fields: str) -> int:
    response = client.post(
        "/api/v1/disclosures",
        headers=headers,
        files={"file": ("form.json", data, "application/json")},
        data=fields,
    )
    assert response.status_code == 201, response.text
    disclosure_id: int = response.json()["disclosure"]["id"]
    return disclosure_id


def test_upload_list_get_validate_export(ctx: ServiceContext, client: TestClient) -> None:
    acct = make_account(ctx, org="Hospital A")
    first = _upload(client, acct.headers, synthetic_json(1), version="2.0")
    listed = client.get("/api/v1/disclosures", headers=acct.headers).json()
    assert [d["id"] for d in listed] == [first]
    assert listed[0]["product_version"] == {
        "id": listed[0]["product_version"]["id"],
        "manufacturer": "Acme Medical",
        "product": "GLU-1",
        "version": "2.0",
    }
    detail = client.get(f"/api/v1/disclosures/{first}", headers=acct.headers).json()
    assert detail["document"]["form_version"] == "2019"
    assert len(detail["document"]["answers"]) == 240
    report = client.get(f"/api/v1/disclosures/{first}/validation", headers=acct.headers).json()
    assert report["errors"] == 0
    for fmt, media in [
        ("json", "application/json"),
        ("xlsx", "spreadsheet"),
        ("html", "text/html"),
        ("pdf", "application/pdf"),
    ]:
        exported = client.get(
            f"/api/v1/disclosures/{first}/export?format={fmt}", headers=acct.headers
        )
        assert exported.status_code == 200, (fmt, exported.text[:200])
        assert media in exported.headers["content-type"]
    bad = client.get(f"/api/v1/disclosures/{first}/export?format=docx", headers=acct.headers)
    assert bad.status_code in (404, 422)
    assert bad.headers["content-type"] == PROBLEM


def test_same_form_twice_is_not_stored_twice_but_a_change_is_a_new_revision(
    ctx: ServiceContext, client: TestClient
) -> None:
    acct = make_account(ctx, org="Hospital A")
    first = _upload(client, acct.headers, synthetic_json(1))
    again = client.post(
        "/api/v1/disclosures",
        headers=acct.headers,
        files={"file": ("form.json", synthetic_json(1), "application/json")},
    ).json()
    assert again["created"] is False
    assert again["disclosure"]["id"] == first
    second = _upload(client, acct.headers, synthetic_json(2))
    history = client.get(f"/api/v1/disclosures/{second}/history", headers=acct.headers).json()
    assert [h["revision"] for h in history] == [1, 2]


def test_bad_uploads_are_4xx_problems_and_store_nothing(
    ctx: ServiceContext, client: TestClient
) -> None:
    acct = make_account(ctx, org="Hospital A")
    for name, data in [
        ("random.bin", bytes(range(256)) * 40),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("form.json", b'{"schema": "medtrust-mds2-form", "answers": '),
        ("empty.txt", b""),
    ]:
        response = client.post(
            "/api/v1/disclosures",
            headers=acct.headers,
            files={"file": (name, data, "application/octet-stream")},
        )
        assert 400 <= response.status_code < 500, (name, response.status_code, response.text)
        assert response.headers["content-type"] == PROBLEM
        body = response.json()
        assert "\n" not in body["detail"] and "Traceback" not in body["detail"]
    assert client.get("/api/v1/disclosures", headers=acct.headers).json() == []


def test_oversized_upload_is_refused_with_413(ctx: ServiceContext, client: TestClient) -> None:
    acct = make_account(ctx, org="Hospital A")
    limit = ctx.settings.max_upload_bytes
    response = client.post(
        "/api/v1/disclosures",
        headers=acct.headers,
        files={"file": ("big.txt", b"A" * (limit + 200_000), "text/plain")},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/disclosures", headers=acct.headers).json() == []


def test_authentication_and_roles(ctx: ServiceContext, client: TestClient) -> None:
    anonymous = client.get("/api/v1/disclosures")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    wrong = client.get("/api/v1/disclosures", headers={"Authorization": "Bearer mt_nope"})
    assert wrong.status_code == 401
    viewer = make_account(ctx, org="Hospital A", role=Role.VIEWER)
    denied = client.post(
        "/api/v1/disclosures",
        headers=viewer.headers,
        files={"file": ("form.json", synthetic_json(1), "application/json")},
    )
    assert denied.status_code == 403
    assert client.get("/api/v1/disclosures", headers=viewer.headers).status_code == 200


def test_organisation_a_cannot_read_b_through_any_api_route(
    ctx: ServiceContext, client: TestClient
) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Manufacturer B")
    own = _upload(client, a.headers, synthetic_json(3, model="OWN-1"))
    foreign = _upload(client, b.headers, synthetic_json(4, model="SECRET-9"))
    assert [d["id"] for d in client.get("/api/v1/disclosures", headers=a.headers).json()] == [own]
    assert client.get("/api/v1/products", headers=a.headers).json()[0]["product"] == "OWN-1"
    checked = 0
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for template, operations in sorted(paths.items()):
        if "get" not in operations or "{" not in template:
            continue
        path = re.sub(r"\{[a-z_]+\}", str(foreign), template)
        response = client.get(path, headers=a.headers)
        assert response.status_code == 404, (path, response.status_code)
        assert "SECRET-9" not in response.text
        checked += 1
    assert checked >= 4
    for path in [
        f"/api/v1/mds2/diff?old={own}&new={foreign}",
        f"/api/v1/mds2/compare?ids={own}&ids={foreign}",
    ]:
        response = client.get(path, headers=a.headers)
        assert response.status_code == 404, path
        assert "SECRET-9" not in response.text
