from __future__ import annotations

from fastapi.testclient import TestClient

from medtrust.services import disclosures as svc
from medtrust.services.context import ServiceContext
from tests.conftest import make_account
from tests.forms import synthetic_json
from tests.web_session import csrf as _csrf
from tests.web_session import login


def test_pages_need_login_and_redirect_back(ctx: ServiceContext, client: TestClient) -> None:
    response = client.get("/disclosures?q=x", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/disclosures%3Fq%3Dx"


def test_login_without_csrf_token_is_refused(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    client.get("/login")
    response = client.post(
        "/login",
        data={"email": account.email, "password": account.password, "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert "expired" in response.text
    assert client.get("/disclosures", follow_redirects=False).status_code == 303


def test_session_cookie_flags_and_security_headers(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    token = _csrf(client, "/login")
    response = client.post(
        "/login",
        data={"email": account.email, "password": account.password, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    page = client.get("/disclosures")
    assert page.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_upload_form_requires_csrf_and_stores_on_success(
    ctx: ServiceContext, client: TestClient
) -> None:
    account = make_account(ctx, org="Hospital A")
    login(client, account)
    files = {"file": ("f.json", synthetic_json(1), "application/json")}
    refused = client.post("/disclosures/upload", files=files, data={"csrf_token": "nope"})
    assert refused.status_code == 403
    assert svc.list_disclosures(ctx, account.principal) == []
    token = _csrf(client, "/disclosures/upload")
    stored = client.post(
        "/disclosures/upload", files=files, data={"csrf_token": token}, follow_redirects=False
    )
    assert stored.status_code == 303
    assert len(svc.list_disclosures(ctx, account.principal)) == 1
    page = client.get(stored.headers["location"])
    assert page.status_code == 200
    assert "GLU-1" in page.text


def test_unreadable_upload_shows_a_one_line_error_page(
    ctx: ServiceContext, client: TestClient
) -> None:
    account = make_account(ctx, org="Hospital A")
    login(client, account)
    token = _csrf(client, "/disclosures/upload")
    response = client.post(
        "/disclosures/upload",
        files={"file": ("x.xlsx", b"PK\x03\x04garbage", "application/octet-stream")},
        data={"csrf_token": token},
    )
    assert 400 <= response.status_code < 500
    assert "Traceback" not in response.text
    assert svc.list_disclosures(ctx, account.principal) == []


def test_pages_of_another_organisation_are_not_found(
    ctx: ServiceContext, client: TestClient
) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Manufacturer B")
    own = svc.upload_disclosure(
        ctx, a.principal, data=synthetic_json(1, model="OWN-1"), filename="a.json"
    ).summary.id
    foreign = svc.upload_disclosure(
        ctx, b.principal, data=synthetic_json(2, model="SECRET-9"), filename="b.json"
    ).summary.id
    login(client, a)
    assert "SECRET-9" not in client.get("/disclosures").text
    for path in [
        f"/disclosures/{foreign}",
        f"/disclosures/{foreign}?section=ALOF",
        f"/disclosures/{foreign}/export/json",
        f"/disclosures/{foreign}/export/pdf",
        f"/compare?ids={own}&ids={foreign}",
        f"/compare/export?ids={own}&ids={foreign}&format=json",
        f"/diff?old={own}&new={foreign}",
    ]:
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "SECRET-9" not in response.text


def test_read_by_section_compare_and_diff_pages(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    first = svc.upload_disclosure(
        ctx, account.principal, data=synthetic_json(1), filename="r1.json"
    ).summary.id
    second = svc.upload_disclosure(
        ctx, account.principal, data=synthetic_json(2), filename="r2.json"
    ).summary.id
    login(client, account)
    page = client.get(f"/disclosures/{first}?section=MLDP")
    assert page.status_code == 200
    assert 'id="q-MLDP-1"' in page.text and 'id="q-ALOF-1"' not in page.text
    assert client.get(f"/disclosures/{first}?section=NOPE").status_code == 404
    compare = client.get(f"/compare?ids={first}&ids={second}")
    assert 'id="compare-summary"' in compare.text
    xlsx = client.get(f"/compare/export?ids={first}&ids={second}&format=xlsx")
    assert xlsx.content[:2] == b"PK"
    diff = client.get(f"/diff?old={first}&new={second}")
    assert diff.status_code == 200 and 'id="diff-summary"' in diff.text
