"""Pages of the self-assessment, certificates register and responsibility matrix (CSRF, tenancy)."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from medtrust.services import compliance as svc
from medtrust.services import disclosures
from medtrust.services.context import ServiceContext
from medtrust.storage.repositories.compliance import CertificateFields
from tests.conftest import make_account
from tests.forms import synthetic_json
from tests.web_session import csrf as _csrf
from tests.web_session import login

BACKUP = "urn:medtrust:req:nis2:21.2.c"


def test_pages_need_login(ctx: ServiceContext, client: TestClient) -> None:
    for path in ("/compliance/org", "/compliance/certificates", "/compliance/responsibility"):
        assert client.get(path, follow_redirects=False).status_code == 303


def test_answer_form_needs_csrf_then_projects(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    login(client, account)
    page = client.get("/compliance/org")
    assert page.status_code == 200 and "Art. 21(2)(c)" in page.text
    data = {"urn": BACKUP, "status": "implemented", "owner": "IT ops", "evidence": "restore test"}
    refused = client.post("/compliance/org/answers", data={**data, "csrf_token": "nope"})
    assert refused.status_code == 403
    assert svc.list_answers(ctx, account.principal) == []
    token = _csrf(client, "/compliance/org")
    saved = client.post(
        "/compliance/org/answers", data={**data, "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    [answer] = svc.list_answers(ctx, account.principal)
    assert (answer.status, answer.owner, answer.updated_by) == (
        "implemented",
        "IT ops",
        account.email,
    )
    iso = client.get("/compliance/org/frameworks/iso-27001-2022")
    assert iso.status_code == 200
    assert "21.2.c answered <strong>implemented</strong>" in iso.text
    assert "nis2-to-iso-27001-2022" in iso.text
    gdpr = client.get("/compliance/org/frameworks/gdpr")
    assert "nis2-to-gdpr" in gdpr.text
    assert client.get("/compliance/org/frameworks/mdr").status_code == 404
    bad = client.post(
        "/compliance/org/answers",
        data={"urn": BACKUP, "status": "done", "csrf_token": token},
        follow_redirects=False,
    )
    assert bad.status_code == 422 and "unknown status" in bad.text


def test_certificate_forms_and_remaining(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    login(client, account)
    token = _csrf(client, "/compliance/certificates")
    fields = {"standard": "ISO/IEC 27001", "issuer": "Cert Body", "valid_until": "2099-12-31"}
    refused = client.post("/compliance/certificates", data={**fields, "csrf_token": "x"})
    assert refused.status_code == 403
    added = client.post(
        "/compliance/certificates", data={**fields, "csrf_token": token}, follow_redirects=False
    )
    assert added.status_code == 303
    [view] = svc.list_certificates(ctx, account.principal, as_of=date(2026, 11, 21))
    page = client.get("/compliance/certificates?framework=nis2")
    assert "Cert Body" in page.text and "reached" in page.text and "open" in page.text
    detail = client.get(f"/compliance/certificates/{view.stored.id}")
    assert detail.status_code == 200 and "A.8.24" in detail.text
    changed = client.post(
        f"/compliance/certificates/{view.stored.id}",
        data={"standard": "IEC 62443-4-1", "valid_from": "not a date", "csrf_token": token},
        follow_redirects=False,
    )
    assert changed.status_code == 422 and "not a date" in changed.text
    deleted = client.post(
        f"/compliance/certificates/{view.stored.id}/delete",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert deleted.status_code == 303
    assert svc.list_certificates(ctx, account.principal, as_of=date.today()) == []


def test_other_tenants_ids_are_404_on_pages(ctx: ServiceContext, client: TestClient) -> None:
    owner = make_account(ctx, org="Hospital A")
    other = make_account(ctx, org="Hospital B")
    cert = svc.add_certificate(ctx, owner.principal, CertificateFields(standard="ISO/IEC 27001"))
    answer = svc.save_answer(ctx, owner.principal, urn=BACKUP, status="partly")
    stored = disclosures.upload_disclosure(
        ctx, owner.principal, data=synthetic_json(2), filename="glu.json"
    )
    login(client, other)
    token = _csrf(client, "/compliance/org")
    assert client.get(f"/compliance/certificates/{cert.id}").status_code == 404
    for path in (
        f"/compliance/certificates/{cert.id}/delete",
        f"/compliance/org/answers/{answer.id}/delete",
    ):
        assert client.post(path, data={"csrf_token": token}).status_code == 404
    assert (
        client.get(f"/compliance/responsibility?disclosure={stored.summary.id}").status_code == 404
    )
    assert len(svc.list_answers(ctx, owner.principal)) == 1


def test_responsibility_page_shows_matrix(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    stored = disclosures.upload_disclosure(
        ctx, account.principal, data=synthetic_json(2), filename="glu.json"
    )
    login(client, account)
    picker = client.get("/compliance/responsibility")
    assert "GLU-1" in picker.text
    page = client.get(f"/compliance/responsibility?disclosure={stored.summary.id}")
    assert page.status_code == 200
    assert "AUTH" in page.text and "Hospital must" in page.text and "Annex I" in page.text
    assert client.get("/compliance/responsibility?disclosure=abc").status_code == 422
