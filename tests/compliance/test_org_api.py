"""API and service of the self-assessment, certificates register and responsibility matrix."""

from __future__ import annotations

from fastapi.testclient import TestClient

from medtrust.domain.tenancy import Role
from medtrust.services import disclosures
from medtrust.services.context import ServiceContext
from medtrust.storage.repositories.audit import AuditRepository
from tests.conftest import make_account
from tests.forms import synthetic_json

BASE = "/api/v1/compliance"
BACKUP = "urn:medtrust:req:nis2:21.2.c"


def _actions(ctx: ServiceContext, org_id: int) -> list[str]:
    with ctx.transaction() as session:
        return [e.action for e in AuditRepository(session, org_id).list()]


def test_answers_are_saved_projected_and_audited(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    body = {
        "urn": BACKUP,
        "status": "implemented",
        "evidence": "https://wiki/backup",
        "owner": "IT",
    }
    saved = client.put(f"{BASE}/org/answers", json=body, headers=account.headers)
    assert saved.status_code == 200, saved.text
    assert saved.json()["updated_by"] == account.email
    again = client.put(
        f"{BASE}/org/answers", json={**body, "status": "partly"}, headers=account.headers
    )
    assert again.json()["id"] == saved.json()["id"]
    listed = client.get(f"{BASE}/org/answers", headers=account.headers).json()
    assert [(a["urn"], a["status"]) for a in listed] == [(BACKUP, "partly")]
    report = client.get(f"{BASE}/org/assessment", headers=account.headers).json()
    iso = next(f for f in report["frameworks"] if f["framework"] == "iso-27001-2022")
    backup = next(r for r in iso["requirements"] if r["requirement"]["ref_id"] == "A.8.13")
    assert backup["status"] == "partly" and backup["origin"] == "projected"
    assert backup["from"][0]["answer"]["urn"] == BACKUP
    assert backup["from"][0]["path"]["hops"][0]["mapping_set"] == "nis2-to-iso-27001-2022"
    assert report["rules"]
    actions = _actions(ctx, account.principal.organisation_id)
    assert actions.count("compliance.answer.save") == 2


def test_bad_answers_are_refused_with_one_line(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    for body in (
        {"urn": BACKUP, "status": "done"},
        {"urn": "urn:medtrust:req:nis2:nope", "status": "implemented"},
        {"urn": "urn:medtrust:req:nis2:art-21", "status": "implemented"},  # a heading
    ):
        response = client.put(f"{BASE}/org/answers", json=body, headers=account.headers)
        assert response.status_code in (400, 422), response.text
        assert "\n" not in response.json()["detail"]
    assert client.get(f"{BASE}/org/answers", headers=account.headers).json() == []


def test_viewers_read_but_cannot_write(ctx: ServiceContext, client: TestClient) -> None:
    viewer = make_account(ctx, org="Hospital A", role=Role.VIEWER)
    body = {"urn": BACKUP, "status": "implemented"}
    assert client.put(f"{BASE}/org/answers", json=body, headers=viewer.headers).status_code == 403
    cert = {"standard": "ISO/IEC 27001"}
    assert client.post(f"{BASE}/certificates", json=cert, headers=viewer.headers).status_code == 403
    assert client.get(f"{BASE}/certificates", headers=viewer.headers).status_code == 200


def test_certificates_cover_and_leave_a_remainder(ctx: ServiceContext, client: TestClient) -> None:
    account = make_account(ctx, org="Hospital A")
    created = client.post(
        f"{BASE}/certificates",
        json={
            "standard": "ISO/IEC 27001:2022",
            "scope": "hospital IT",
            "issuer": "Cert Body",
            "number": "ISMS-1",
            "valid_from": "2025-01-01",
            "valid_until": "2028-01-01",
        },
        headers=account.headers,
    )
    assert created.status_code == 201, created.text
    cert = created.json()
    assert cert["framework"] == "iso-27001-2022" and cert["valid"]
    assert "urn:medtrust:req:iso-27001-2022:a.8.24" in cert["covered_requirements"]
    expired = client.get(
        f"{BASE}/certificates/{cert['id']}", params={"as_of": "2029-01-01"}, headers=account.headers
    ).json()
    assert expired["covered_requirements"] == [] and not expired["valid"]
    rest = client.get(
        f"{BASE}/certificates/remaining", params={"framework": "nis2"}, headers=account.headers
    ).json()
    states = {r["requirement"]["ref_id"]: r["state"] for r in rest["requirements"]}
    assert states["Art. 21(2)(h)"] == "reached" and states["Art. 21(4)"] == "open"
    updated = client.put(
        f"{BASE}/certificates/{cert['id']}",
        json={"standard": "EUCC", "valid_until": "2027-01-01"},
        headers=account.headers,
    ).json()
    assert updated["framework"] is None and updated["covered_requirements"] == []
    bad = client.put(
        f"{BASE}/certificates/{cert['id']}",
        json={"standard": "EUCC", "valid_from": "2027-01-01", "valid_until": "2026-01-01"},
        headers=account.headers,
    )
    assert bad.status_code in (400, 422)
    gone = client.delete(f"{BASE}/certificates/{cert['id']}", headers=account.headers)
    assert gone.status_code == 204
    assert client.get(f"{BASE}/certificates", headers=account.headers).json() == []
    actions = _actions(ctx, account.principal.organisation_id)
    for verb in ("add", "update", "delete"):
        assert f"compliance.certificate.{verb}" in actions


def test_other_organisations_ids_answer_404(ctx: ServiceContext, client: TestClient) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    cert = client.post(
        f"{BASE}/certificates", json={"standard": "ISO/IEC 27001"}, headers=a.headers
    ).json()
    answer = client.put(
        f"{BASE}/org/answers", json={"urn": BACKUP, "status": "partly"}, headers=a.headers
    ).json()
    url = f"{BASE}/certificates/{cert['id']}"
    assert client.get(url, headers=b.headers).status_code == 404
    assert client.put(url, json={"standard": "x y"}, headers=b.headers).status_code == 404
    assert client.delete(url, headers=b.headers).status_code == 404
    answer_url = f"{BASE}/org/answers/{answer['id']}"
    assert client.delete(answer_url, headers=b.headers).status_code == 404
    assert client.get(f"{BASE}/certificates", headers=b.headers).json() == []
    assert client.get(f"{BASE}/org/answers", headers=b.headers).json() == []
    assert client.get(url, headers=a.headers).status_code == 200
    assert client.delete(answer_url, headers=a.headers).status_code == 204
    assert "compliance.answer.delete" in _actions(ctx, a.principal.organisation_id)


def test_responsibility_matrix_for_a_stored_disclosure(
    ctx: ServiceContext, client: TestClient
) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    stored = disclosures.upload_disclosure(
        ctx, a.principal, data=synthetic_json(3), filename="glu.json"
    )
    client.put(
        f"{BASE}/org/answers", json={"urn": BACKUP, "status": "implemented"}, headers=a.headers
    )
    url = f"{BASE}/responsibility/{stored.summary.id}"
    matrix = client.get(url, headers=a.headers).json()
    assert "GLU-1" in matrix["device"]
    assert len(matrix["capabilities"]) == 19
    assert sum(matrix["party_counts"].values()) == 19
    form = disclosures.get_disclosure(ctx, a.principal, stored.summary.id).form
    auth = next(c for c in matrix["capabilities"] if c["capability"]["ref_id"] == "AUTH")
    for qid in auth["manufacturer_provides"]:
        assert form.value(qid) in ("Yes", "No")  # a protective answer is a definite one
    assert any(m["status"] == "partly" for m in matrix["operator_measures"])
    assert client.get(url, headers=b.headers).status_code == 404
