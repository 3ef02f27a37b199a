"""SBOM pages: upload with CSRF, quality, findings with explanations, VEX, tenancy."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from medtrust.services.context import ServiceContext
from medtrust.storage.sbom_models import StoredSbom
from tests.conftest import make_account
from tests.sboms.helpers import ECHO_PURL, openvex_bytes, sbom_bytes
from tests.web_session import csrf as _csrf
from tests.web_session import login


def _upload(client: TestClient, token: str) -> str:
    response = client.post(
        "/sboms/upload",
        data={"csrf_token": token, "manufacturer": "Acme", "product": "Pump"},
        files={"file": ("pump.cdx.json", sbom_bytes(), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def test_sbom_journey(ctx: ServiceContext, client: TestClient, kb_env: Path) -> None:
    login(client, make_account(ctx, org="Hospital A"))
    token = _csrf(client, "/sboms")
    assert 'href="/sboms"' in client.get("/sboms").text  # nav link
    location = _upload(client, token)
    page = client.get(location)
    assert page.status_code == 200
    assert "Quality:" in page.text and ECHO_PURL in page.text and "tidy-widgets" in page.text
    findings = client.get(f"{location}/findings")
    assert findings.status_code == 200
    assert "CVE-2020-36565" in findings.text and "GO-2021-0051" in findings.text
    assert "confidence exact" in findings.text and "affected" in findings.text
    vex = client.post(
        "/vex/upload",
        data={"csrf_token": token},
        files={"file": ("echo.openvex.json", openvex_bytes(), "application/json")},
        follow_redirects=False,
    )
    assert vex.status_code == 303
    assert "echo.openvex.json" in client.get("/sboms").text
    after = client.get(f"{location}/findings").text
    assert "not_affected" in after and "https://example.org/vex/echo-1" in after
    download = client.get(f"{location}/findings/sarif")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    vuln = client.get("/vulnerabilities/CVE-2020-36565")
    assert vuln.status_code == 200 and "GO-2021-0051" in vuln.text and "osv" in vuln.text


def test_upload_without_csrf_or_unreadable_stores_nothing(
    ctx: ServiceContext, client: TestClient
) -> None:
    login(client, make_account(ctx, org="Hospital A"))
    forged = client.post(
        "/sboms/upload",
        data={"csrf_token": "forged"},
        files={"file": ("pump.cdx.json", sbom_bytes(), "application/json")},
    )
    assert forged.status_code == 403
    junk = client.post(
        "/sboms/upload",
        data={"csrf_token": _csrf(client, "/sboms")},
        files={"file": ("junk.json", b"{not json", "application/json")},
    )
    assert 400 <= junk.status_code < 500
    with ctx.transaction() as session:
        assert session.scalars(select(StoredSbom)).all() == []


def test_other_organisation_gets_404_pages(
    ctx: ServiceContext, client: TestClient, kb_env: Path
) -> None:
    login(client, make_account(ctx, org="Hospital A"))
    location = _upload(client, _csrf(client, "/sboms"))
    client.post("/logout", data={"csrf_token": _csrf(client, "/sboms")})
    login(client, make_account(ctx, org="Hospital B"))
    for path in (location, f"{location}/findings", f"{location}/findings/json"):
        assert client.get(path).status_code == 404, path
    assert "pump.cdx.json" not in client.get("/sboms").text
