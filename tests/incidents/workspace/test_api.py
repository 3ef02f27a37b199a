"""The incident API: a full journey and cross-tenant isolation of every route."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from medtrust.services.context import ServiceContext
from tests.conftest import Account, make_account
from tests.incidents.workspace.helpers import hospital_facts

EW = "NIS2:early_warning:incident"
BASE = "/api/v1/incidents"


def _open(client: TestClient, account: Account, **facts: Any) -> int:
    aware = datetime.now(UTC) - timedelta(hours=2)
    response = client.post(
        BASE,
        json={"title": "Ransomware", "facts": hospital_facts(aware=aware, **facts)},
        headers=account.headers,
    )
    assert response.status_code == 201, response.text
    incident_id: int = response.json()["id"]
    return incident_id


def test_journey_through_the_api(ctx: ServiceContext, client: TestClient) -> None:
    alice = make_account(ctx, org="Hospital A")
    h = alice.headers
    incident_id = _open(client, alice, significant=False)
    url = f"{BASE}/{incident_id}"
    decided = client.post(
        f"{url}/facts",
        json={"patch": {"incident": {"significant": True}}, "decision": True, "grounds": "outage"},
        headers=h,
    )
    assert decided.status_code == 200, decided.text
    keys = [r["key"] for r in decided.json()["reports"]]
    assert EW in keys

    form = client.get(f"{url}/report", params={"key": EW}, headers=h).json()
    fields = {f["key"]: f for f in form["fields"]}
    assert fields["suspected_malicious"]["kind"] == "yes_no"
    assert fields["suspected_malicious"]["value"] == "yes"
    saved = client.put(
        f"{url}/report",
        params={"key": EW},
        json={"values": {"contact": "soc@a.example"}},
        headers=h,
    )
    assert saved.status_code == 200 and saved.json()["status"] == "drafted"
    refused = client.put(
        f"{url}/report", params={"key": EW}, json={"values": {"cross_border": "maybe"}}, headers=h
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")

    sent = client.post(f"{url}/submissions", json={"key": EW, "reference": "BSI-1"}, headers=h)
    assert sent.status_code == 200
    status = {r["key"]: r for r in sent.json()["reports"]}
    assert status[EW]["status"] == "submitted" and status[EW]["submission_reference"] == "BSI-1"
    again = client.post(f"{url}/submissions", json={"key": EW}, headers=h)
    assert again.status_code == 409
    acked = client.post(f"{url}/acknowledgements", json={"key": EW}, headers=h)
    assert {r["key"]: r for r in acked.json()["reports"]}[EW]["status"] == "acknowledged"

    uploaded = client.post(
        f"{url}/evidence",
        files={"file": ("mail.eml", b"From: a", "message/rfc822")},
        data={"key": EW, "note": "sent mail"},
        headers=h,
    )
    assert uploaded.status_code == 201, uploaded.text
    download = client.get(f"{url}/evidence/{uploaded.json()['id']}", headers=h)
    assert download.content == b"From: a"
    assert len(download.headers["x-content-sha256"]) == 64
    assert client.post(f"{url}/notes", json={"text": "called"}, headers=h).status_code == 204
    na = client.post(
        f"{url}/applicability",
        json={"key": "NIS2:recipient_notification:incident", "applicable": False, "grounds": "x"},
        headers=h,
    )
    assert na.status_code == 200

    listed = client.get(BASE, headers=h).json()
    assert listed[0]["id"] == incident_id and listed[0]["open_reports"] >= 1
    timeline = client.get(f"{url}/timeline", headers=h).json()
    assert [e["kind"] for e in timeline][:3] == ["opened", "decision", "draft"]
    assert timeline[1]["prev_hash"] == timeline[0]["hash"]
    verify = client.get(f"{url}/verify", headers=h).json()
    assert verify["ok"] and verify["entries"] == len(timeline) and verify["broken_at"] is None

    package = client.get(f"{url}/export", params={"format": "report-once"}, headers=h)
    assert package.status_code == 200 and package.json()["incident"]["id"] == incident_id
    html = client.get(f"{url}/export", params={"format": "report-html", "key": EW}, headers=h)
    assert (
        html.headers["content-type"].startswith("text/html") and "NIS2 early warning" in html.text
    )
    misp = client.get(f"{url}/export", params={"format": "misp", "tlp": "red"}, headers=h)
    assert misp.json()["Event"]["Tag"] == [{"name": "tlp:red"}]
    assert client.get(f"{url}/export", params={"format": "docx"}, headers=h).status_code == 422


def test_viewer_gets_403_and_anonymous_401(ctx: ServiceContext, client: TestClient) -> None:
    from medtrust.domain.tenancy import Role

    alice = make_account(ctx, org="Hospital A")
    viewer = make_account(ctx, org="Hospital A", role=Role.VIEWER)
    incident_id = _open(client, alice)
    assert client.get(f"{BASE}/{incident_id}", headers=viewer.headers).status_code == 200
    note = client.post(f"{BASE}/{incident_id}/notes", json={"text": "x"}, headers=viewer.headers)
    assert note.status_code == 403
    assert client.get(BASE).status_code == 401


def _requests(incident_id: int) -> dict[tuple[str, str], dict[str, Any]]:
    """One valid request per incident route (the cross-tenant test must cover them all)."""
    body = {"key": EW}
    return {
        ("GET", "/incidents/{incident_id}"): {},
        ("GET", "/incidents/{incident_id}/timeline"): {},
        ("GET", "/incidents/{incident_id}/verify"): {},
        ("POST", "/incidents/{incident_id}/facts"): {
            "json": {"patch": {"incident": {"ongoing": True}}}
        },
        ("POST", "/incidents/{incident_id}/submissions"): {"json": body},
        ("POST", "/incidents/{incident_id}/acknowledgements"): {"json": body},
        ("POST", "/incidents/{incident_id}/applicability"): {
            "json": {"key": EW, "applicable": False, "grounds": "x"}
        },
        ("GET", "/incidents/{incident_id}/report"): {"params": body},
        ("PUT", "/incidents/{incident_id}/report"): {
            "params": body,
            "json": {"values": {"contact": "x"}},
        },
        ("POST", "/incidents/{incident_id}/notes"): {"json": {"text": "x"}},
        ("POST", "/incidents/{incident_id}/evidence"): {"data": {"url": "https://x.example"}},
        ("GET", "/incidents/{incident_id}/evidence/{evidence_id}"): {},
        ("GET", "/incidents/{incident_id}/export"): {"params": {"format": "report-once"}},
    }


def test_every_incident_route_answers_404_for_another_organisation(
    ctx: ServiceContext, client: TestClient
) -> None:
    alice = make_account(ctx, org="Hospital A")
    mallory = make_account(ctx, org="Hospital B")
    incident_id = _open(client, alice)
    evidence = client.post(
        f"{BASE}/{incident_id}/evidence", data={"url": "https://a.example"}, headers=alice.headers
    ).json()["id"]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    routes = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in paths.items()
        if path.startswith(f"{BASE}/{{incident_id}}")
        for method in operations
    }
    requests = _requests(incident_id)
    assert routes == set(requests), "add the new route to _requests()"
    before = client.get(f"{BASE}/{incident_id}/timeline", headers=alice.headers).json()
    for (method, path), kwargs in sorted(requests.items()):
        url = "/api/v1" + path.format(incident_id=incident_id, evidence_id=evidence)
        response = client.request(method, url, headers=mallory.headers, **kwargs)
        assert response.status_code == 404, (method, path, response.text)
        assert "Hospital A" not in response.text and "Ransomware" not in response.text
    after = client.get(f"{BASE}/{incident_id}/timeline", headers=alice.headers).json()
    assert after == before
