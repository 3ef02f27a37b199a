"""SBOM and VEX API on both database backends, against a tiny real-data knowledge base."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from medtrust.domain.tenancy import Role
from medtrust.services.context import ServiceContext
from medtrust.storage import models
from medtrust.storage.sbom_models import StoredSbom, StoredVex
from tests.conftest import make_account
from tests.sboms.helpers import ECHO_PURL, VULN, openvex_bytes, sbom_bytes

API = "/api/v1"


def _audit_actions(ctx: ServiceContext) -> list[str]:
    with ctx.transaction() as session:
        actions = session.scalars(select(models.AuditEvent.action))
        return sorted(a for a in actions if a.startswith(("sbom.", "vex.")))


def _echo_findings(client: TestClient, sbom_id: int, headers: dict[str, str]) -> list[Any]:
    response = client.get(f"{API}/sboms/{sbom_id}/findings", headers=headers)
    assert response.status_code == 200, response.text
    findings: list[Any] = json.loads(response.text)["findings"]
    return [f for f in findings if f["component"]["purl"] == ECHO_PURL]


def test_upload_scan_and_vex(ctx: ServiceContext, client: TestClient, kb_env: Path) -> None:
    a = make_account(ctx, org="Hospital A")
    files = {"file": ("pump.cdx.json", sbom_bytes(), "application/json")}
    form = {"manufacturer": "Acme", "product": "Pump", "version": "2.0"}
    first = client.post(f"{API}/sboms", headers=a.headers, files=files, data=form)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["created"] is True
    assert body["sbom"]["product"] == "Pump" and body["sbom"]["version"] == "2.0"
    assert 0 <= body["quality"]["score"] <= 100 and body["quality"]["factors"]
    sbom_id = body["sbom"]["id"]
    again = client.post(f"{API}/sboms", headers=a.headers, files=files, data=form)
    assert again.json()["created"] is False and again.json()["sbom"]["id"] == sbom_id
    assert [s["id"] for s in client.get(f"{API}/sboms", headers=a.headers).json()] == [sbom_id]

    detail = client.get(f"{API}/sboms/{sbom_id}", headers=a.headers).json()
    assert {c["name"] for c in detail["components"]} >= {"echo", "tidy-widgets"}
    assert detail["quality"]["score"] == body["quality"]["score"]

    (finding,) = _echo_findings(client, sbom_id, a.headers)
    assert VULN in [finding["vulnerability"], *finding["aliases"]]
    assert finding["status"] == "affected"
    assert finding["match"]["method"] == "purl" and finding["match"]["confidence"] == "exact"
    assert ECHO_PURL in finding["match"]["detail"] and "4.1.18" in finding["match"]["range"]
    for fmt in ("sarif", "cyclonedx-vex", "csaf-vex"):
        out = client.get(f"{API}/sboms/{sbom_id}/findings?format={fmt}", headers=a.headers)
        assert out.status_code == 200 and json.loads(out.text)
    bad = client.get(f"{API}/sboms/{sbom_id}/findings?format=pdf", headers=a.headers)
    assert bad.status_code == 422

    vex = client.post(
        f"{API}/vex",
        headers=a.headers,
        files={"file": ("echo.openvex.json", openvex_bytes(), "application/json")},
    )
    assert vex.status_code == 201, vex.text
    assert vex.json()["vex"]["statement_count"] == 1
    assert [v["id"] for v in client.get(f"{API}/vex", headers=a.headers).json()] == [
        vex.json()["vex"]["id"]
    ]
    (after,) = _echo_findings(client, sbom_id, a.headers)
    assert after["status"] == "not_affected"
    assert "https://example.org/vex/echo-1" in after["status_source"]  # the VEX document id
    assert after["justification"] == "vulnerable_code_not_in_execute_path"
    assert _audit_actions(ctx) == ["sbom.upload", "vex.upload"]

    vuln = client.get(f"{API}/vulnerabilities/{VULN}", headers=a.headers).json()
    assert "CVE-2020-36565" in vuln["aliases"] and vuln["records"][0]["source"] == "osv"
    assert any("echo" in item["identifier"] for item in vuln["affected"])
    assert client.get(f"{API}/vulnerabilities/CVE-1999-0001", headers=a.headers).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [b"{not json", b"", b"<html><body>hello</body></html>", b'{"csaf_version": "2.0"}'],
)
def test_unreadable_uploads_store_nothing(
    ctx: ServiceContext, client: TestClient, payload: bytes
) -> None:
    a = make_account(ctx, org="Hospital A")
    response = client.post(
        f"{API}/sboms", headers=a.headers, files={"file": ("x.json", payload, "application/json")}
    )
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")
    vex = client.post(
        f"{API}/vex", headers=a.headers, files={"file": ("x.json", payload, "application/json")}
    )
    assert 400 <= vex.status_code < 500
    with ctx.transaction() as session:
        assert session.scalars(select(StoredSbom)).all() == []
        assert session.scalars(select(StoredVex)).all() == []
    assert _audit_actions(ctx) == []


def test_viewer_cannot_upload(ctx: ServiceContext, client: TestClient) -> None:
    viewer = make_account(ctx, org="Hospital A", role=Role.VIEWER)
    files = {"file": ("pump.cdx.json", sbom_bytes(), "application/json")}
    assert client.post(f"{API}/sboms", headers=viewer.headers, files=files).status_code == 403


def test_missing_kb_says_how_to_fix(
    ctx: ServiceContext, client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(tmp_path / "no-kb"))
    a = make_account(ctx, org="Hospital A")
    files = {"file": ("pump.cdx.json", sbom_bytes(), "application/json")}
    sbom_id = client.post(f"{API}/sboms", headers=a.headers, files=files).json()["sbom"]["id"]
    response = client.get(f"{API}/sboms/{sbom_id}/findings", headers=a.headers)
    assert response.status_code == 503
    assert "medtrust feeds import" in response.json()["detail"]


def test_other_organisation_sees_nothing(
    ctx: ServiceContext, client: TestClient, kb_env: Path
) -> None:
    a = make_account(ctx, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    files = {"file": ("pump.cdx.json", sbom_bytes(), "application/json")}
    sbom_id = client.post(f"{API}/sboms", headers=a.headers, files=files).json()["sbom"]["id"]
    vex_files = {"file": ("echo.openvex.json", openvex_bytes(), "application/json")}
    assert client.post(f"{API}/vex", headers=a.headers, files=vex_files).status_code == 201
    for path in (f"/sboms/{sbom_id}", f"/sboms/{sbom_id}/findings"):
        assert client.get(API + path, headers=b.headers).status_code == 404, path
    assert client.get(f"{API}/sboms", headers=b.headers).json() == []
    assert client.get(f"{API}/vex", headers=b.headers).json() == []
    # B's own copy of the SBOM is not covered by A's VEX
    b_id = client.post(f"{API}/sboms", headers=b.headers, files=files).json()["sbom"]["id"]
    assert b_id != sbom_id
    (finding,) = _echo_findings(client, b_id, b.headers)
    assert finding["status"] == "affected"
    assert client.get(f"{API}/sboms/{b_id}", headers=a.headers).status_code == 404
