"""Incident pages with a session login and CSRF tokens."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi.testclient import TestClient

from medtrust.services import incidents as svc
from medtrust.services.context import ServiceContext
from tests.conftest import Account, make_account
from tests.web_session import csrf as _csrf
from tests.web_session import login

EW = "NIS2:early_warning:incident"


def _login(client: TestClient, account: Account) -> str:
    login(client, account)
    return _csrf(client, "/incidents")


def _open(client: TestClient, token: str) -> int:
    page = client.get("/incidents").text
    starter = re.search(r'<textarea name="facts"[^>]*>(.*?)</textarea>', page, re.S)
    assert starter is not None
    facts = starter.group(1).replace("&#39;", "'")
    response = client.post(
        "/incidents",
        data={"title": "Ransomware <b>ward 3</b>", "facts": facts, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    match = re.match(r"/incidents/(\d+)\?opened=1$", response.headers["location"])
    assert match
    return int(match.group(1))


def test_open_decide_draft_submit_and_export(ctx: ServiceContext, client: TestClient) -> None:
    alice = make_account(ctx, org="Hospital A")
    token = _login(client, alice)
    incident_id = _open(client, token)
    page = client.get(f"/incidents/{incident_id}")
    assert page.status_code == 200
    assert "Ransomware &lt;b&gt;ward 3&lt;/b&gt;" in page.text
    assert "The facts trigger no report yet" in page.text

    decided = client.post(
        f"/incidents/{incident_id}/decision",
        data={
            "significant": "yes",
            "suspected_malicious": "yes",
            "cross_border": "no",
            "personal_data": "high",
            "grounds": "patient records exfiltrated",
            "csrf_token": token,
        },
    )
    assert decided.status_code == 200 and "decision recorded" in decided.text
    assert "NIS2 early warning" in decided.text and "left" in decided.text
    ws = svc.get_workspace(ctx, alice.principal, incident_id)
    assert ws.facts.personal_data_breach is not None
    assert ws.facts.personal_data_breach.risk.value == "high"

    editor = client.get(f"/incidents/{incident_id}/report?key={quote(EW, safe='')}")
    assert editor.status_code == 200
    assert 'name="f_suspected_malicious"' in editor.text
    assert '<option value="yes" selected>' in editor.text
    saved = client.post(
        f"/incidents/{incident_id}/report",
        data={
            "key": EW,
            "csrf_token": token,
            "f_contact": "soc@a.example",
            "f_summary": "Ransomware",
            "f_cross_border": "no",
        },
    )
    assert saved.status_code == 200 and "Draft saved." in saved.text
    assert (
        svc.get_report(ctx, alice.principal, incident_id, EW).values["contact"] == "soc@a.example"
    )

    submitted = client.post(
        f"/incidents/{incident_id}/submission",
        data={"key": EW, "reference": "BSI-1", "at": "", "csrf_token": token},
    )
    assert submitted.status_code == 200 and "submission recorded" in submitted.text
    item = svc.get_workspace(ctx, alice.principal, incident_id).item(EW)
    assert item is not None and item.status.value == "submitted"

    package = client.get(f"/incidents/{incident_id}/export/report-once")
    assert package.status_code == 200
    assert "attachment" in package.headers["content-disposition"]
    reports = {r["key"]: r for r in package.json()["reports"]}
    assert reports[EW]["status"] == "submitted"
    pdf = client.get(f"/incidents/{incident_id}/export/report-pdf?key={quote(EW, safe='')}")
    assert pdf.content.startswith(b"%PDF")

    upload = client.post(
        f"/incidents/{incident_id}/evidence",
        files={"file": ("proof.txt", b"proof", "text/plain")},
        data={"key": EW, "csrf_token": token},
    )
    assert upload.status_code == 200 and "proof.txt" in upload.text
    note = client.post(
        f"/incidents/{incident_id}/note", data={"text": "called", "csrf_token": token}
    )
    assert "called" in note.text and 'class="badge protective"' in note.text
    listing = client.get("/incidents")
    assert "Ransomware &lt;b&gt;ward 3&lt;/b&gt;" in listing.text


def test_forms_without_csrf_are_refused_and_change_nothing(
    ctx: ServiceContext, client: TestClient
) -> None:
    alice = make_account(ctx, org="Hospital A")
    token = _login(client, alice)
    incident_id = _open(client, token)
    before = svc.timeline(ctx, alice.principal, incident_id)
    for path, data in (
        ("/note", {"text": "x"}),
        ("/decision", {"grounds": "x", "significant": "yes"}),
        ("/report", {"key": EW}),
        ("/submission", {"key": EW}),
    ):
        response = client.post(f"/incidents/{incident_id}{path}", data={**data, "csrf_token": "no"})
        assert response.status_code == 403, path
    assert svc.timeline(ctx, alice.principal, incident_id) == before


def test_another_organisations_incident_pages_are_404(
    ctx: ServiceContext, client: TestClient
) -> None:
    alice = make_account(ctx, org="Hospital A")
    mallory = make_account(ctx, org="Hospital B")
    token = _login(client, alice)
    incident_id = _open(client, token)
    evidence = svc.add_evidence(ctx, alice.principal, incident_id, url="https://a.example")
    client.post("/logout", data={"csrf_token": token})
    token = _login(client, mallory)
    key = quote("NIS2:early_warning:incident", safe="")
    for path in (
        f"/incidents/{incident_id}",
        f"/incidents/{incident_id}/report?key={key}",
        f"/incidents/{incident_id}/export/report-once",
        f"/incidents/{incident_id}/evidence/{evidence}",
    ):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 404, path
    for path, data in (
        ("/note", {"text": "x"}),
        ("/decision", {"grounds": "x"}),
        ("/facts", {"patch": "incident: {ongoing: true}"}),
        ("/submission", {"key": EW}),
        ("/acknowledgement", {"key": EW}),
        ("/applicability", {"key": EW, "applicable": "no", "grounds": "x"}),
        ("/report", {"key": EW}),
        ("/evidence", {"url": "https://x.example"}),
    ):
        response = client.post(
            f"/incidents/{incident_id}{path}", data={**data, "csrf_token": token}
        )
        assert response.status_code == 404, path
    assert len(svc.timeline(ctx, alice.principal, incident_id)) == 2
