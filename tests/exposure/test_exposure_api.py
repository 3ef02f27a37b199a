"""REST API of exposure on a real ICSMA advisory: worklist, asset and version views, charts,
evaluation, settings; other tenants see nothing, roles are enforced, errors are problem+json."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from medtrust.domain.tenancy import Role
from medtrust.exposure.model import Decision
from medtrust.services.context import ServiceContext
from tests.conftest import Account, make_account
from tests.exposure.helpers import MODEL, VULN, build_kb, seed_assets

PROBLEM = "application/problem+json"
#: P-1 on the general network -> Act (KEV, open); P-2 in a named zone -> Attend (controlled,
#: diagnostic impact medium); P-4 runs a fixed version -> no finding
ROWS = [
    ("P-1", "9.5", "diagnostic", "Corporate LAN", "in-use"),
    ("P-2", "9.5", "diagnostic", "MED-INFUSION", "in-use"),
    ("P-4", "10.0", "diagnostic", "Corporate LAN", "in-use"),
]


@pytest.fixture(scope="module")
def kev_kb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("kev-kb")
    return build_kb(work / "kb", work, kev=True)


@pytest.fixture
def kev_kb(kev_kb_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(kev_kb_root))
    return kev_kb_root


def _asset_id(client: TestClient, account: Account, tag: str) -> int:
    body = client.get(f"/api/v1/assets?q={tag}", headers=account.headers).json()
    return int(next(a["id"] for a in body["items"] if a["asset_tag"] == tag))


def _evaluated(ctx: ServiceContext, client: TestClient, org: str = "Clinic") -> Account:
    account = make_account(ctx, org=org)
    seed_assets(ctx, account.principal, ROWS)
    response = client.post("/api/v1/exposure/evaluate", headers=account.headers)
    assert response.status_code == 200, response.text
    return account


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["type"].endswith("/" + code) and body["status"] == status
    return body


def test_evaluate_worklist_and_explanations(
    ctx: ServiceContext, client: TestClient, kev_kb: Path
) -> None:
    account = make_account(ctx, org="Clinic")
    seed_assets(ctx, account.principal, ROWS)
    run = client.post("/api/v1/exposure/evaluate", headers=account.headers)
    assert run.status_code == 200, run.text
    summary = run.json()
    assert summary["kind"] == "full" and summary["findings"] >= 1
    assert summary["counts"]["act"] == 1 and summary["counts"]["attend"] == 1

    body = client.get("/api/v1/exposure/worklist", headers=account.headers).json()
    assert body["total"] == 2 and body["pages"] == 1 and body["evaluated_at"]
    act, attend = body["items"]
    assert (act["decision"], act["decision_label"]) == ("act", "Act")
    assert (attend["decision"], attend["decision_label"]) == ("attend", "Attend")
    assert act["finding"]["vulnerability"] == VULN and act["finding"]["kev"] is True
    assert act["finding"]["match_method"] == "csaf-product"
    assert act["finding"]["match_confidence"] and act["finding"]["match_detail"]
    assert act["product_version"]["product"] == MODEL
    assert act["product_version"]["version"] == "9.5"
    assert act["profile"]["network_zone"] == "Corporate LAN"
    assert act["profile"]["exposure"] == "open" and act["profile"]["impact"] == "medium"
    assert act["asset_count"] == 1 and act["profile"]["criticality"] == "diagnostic"
    inputs = {i["name"]: i for i in act["inputs"]}
    assert inputs["exploitation"]["value"] == "active"
    assert any("KEV" in r for r in inputs["exploitation"]["reasons"])
    assert all(i["reasons"] for i in act["inputs"] if i["name"] != "compensating")
    assert act["rule"] and act["rule_reason"] and act["rule"] in act["explanation"]
    assert attend["profile"]["exposure"] == "controlled"

    # filters: a decision, all, several (comma or repeated), KEV, search, version, pages
    only = client.get("/api/v1/exposure/worklist?decision=attend", headers=account.headers)
    assert [i["decision"] for i in only.json()["items"]] == ["attend"]
    every = client.get("/api/v1/exposure/worklist?decision=all", headers=account.headers).json()
    both = client.get(
        "/api/v1/exposure/worklist?decision=act&decision=attend", headers=account.headers
    ).json()
    assert every["total"] >= both["total"] == 2
    assert (
        client.get(
            "/api/v1/exposure/worklist?decision=act,track*&kev=true", headers=account.headers
        ).json()["total"]
        == 1
    )
    assert (
        client.get("/api/v1/exposure/worklist?q=alaris", headers=account.headers).json()["total"]
        == 2
    )
    assert (
        client.get("/api/v1/exposure/worklist?q=no-such-thing", headers=account.headers).json()[
            "total"
        ]
        == 0
    )
    pv = act["product_version"]["id"]
    assert (
        client.get(
            f"/api/v1/exposure/worklist?product_version_id={pv}", headers=account.headers
        ).json()["total"]
        == 2
    )
    second = client.get(
        "/api/v1/exposure/worklist?page=2&page_size=1&with_assets=true", headers=account.headers
    ).json()
    assert second["pages"] == 2 and [i["decision"] for i in second["items"]] == ["attend"]
    assert second["items"][0]["asset_tags"] == ["P-2"]
    _problem(
        client.get("/api/v1/exposure/worklist?decision=urgent", headers=account.headers),
        422,
        "invalid-input",
    )
    _problem(
        client.get("/api/v1/exposure/worklist?page_size=501", headers=account.headers),
        422,
        "invalid-input",
    )


def test_asset_version_and_chart_views(
    ctx: ServiceContext, client: TestClient, kev_kb: Path
) -> None:
    account = _evaluated(ctx, client)
    p1 = client.get(
        f"/api/v1/assets/{_asset_id(client, account, 'P-1')}/exposure", headers=account.headers
    ).json()
    assert p1["evaluated"] is True
    assert [i["decision"] for i in p1["items"]] == ["act"]
    assert p1["items"][0]["finding"]["vulnerability"] == VULN
    p4 = client.get(
        f"/api/v1/assets/{_asset_id(client, account, 'P-4')}/exposure", headers=account.headers
    ).json()
    assert p4["evaluated"] is True and p4["items"] == []

    pv = p1["items"][0]["product_version"]["id"]
    version = client.get(f"/api/v1/product-versions/{pv}/exposure", headers=account.headers)
    assert version.status_code == 200
    found = {f["finding"]["vulnerability"]: f for f in version.json()["findings"]}
    assert found[VULN]["decisions"] == {"act": 1, "attend": 1}
    zones = sorted(p["network_zone"] for p in version.json()["profiles"])
    assert zones == ["Corporate LAN", "MED-INFUSION"]

    charts = client.get("/api/v1/exposure/charts", headers=account.headers).json()
    assert len(charts["trend"]) == 1
    assert (charts["trend"][0]["act"], charts["trend"][0]["attend"]) == (1, 1)
    (department,) = charts["departments"]
    assert department["counts"] == {"act": 1, "attend": 1, "none": 1}


def test_other_tenants_see_nothing(ctx: ServiceContext, client: TestClient, kev_kb: Path) -> None:
    a = _evaluated(ctx, client, org="Hospital A")
    b = make_account(ctx, org="Hospital B")
    asset = _asset_id(client, a, "P-1")
    pv = client.get("/api/v1/exposure/worklist", headers=a.headers).json()["items"][0][
        "product_version"
    ]["id"]
    listed = client.get("/api/v1/exposure/worklist?decision=all", headers=b.headers).json()
    assert listed["total"] == 0 and listed["items"] == [] and listed["evaluated_at"] is None
    assert not any(listed["totals"].get(d.value) for d in Decision)
    _problem(client.get(f"/api/v1/assets/{asset}/exposure", headers=b.headers), 404, "not-found")
    _problem(
        client.get(f"/api/v1/product-versions/{pv}/exposure", headers=b.headers), 404, "not-found"
    )
    assert client.get("/api/v1/exposure/charts", headers=b.headers).json() == {
        "departments": [],
        "trend": [],
    }
    exported = client.get("/api/v1/exposure/worklist/export?format=json", headers=b.headers)
    assert exported.status_code == 200 and exported.json()["items"] == []
    # B evaluating its (empty) installed base leaves A's results alone
    assert client.post("/api/v1/exposure/evaluate", headers=b.headers).status_code == 200
    assert client.get("/api/v1/exposure/worklist", headers=a.headers).json()["total"] == 2
    # a partial evaluation naming A's product version touches nothing of A's
    partial = client.post(
        "/api/v1/exposure/evaluate", json={"product_version_ids": [pv]}, headers=b.headers
    )
    assert partial.status_code == 200 and partial.json()["product_versions"] == 0
    assert client.get("/api/v1/exposure/worklist", headers=a.headers).json()["total"] == 2


def test_roles_and_authentication(ctx: ServiceContext, client: TestClient, kev_kb: Path) -> None:
    editor = _evaluated(ctx, client)
    viewer = make_account(ctx, org="Clinic", role=Role.VIEWER)
    admin = make_account(ctx, org="Clinic", role=Role.ADMIN)
    _problem(client.get("/api/v1/exposure/worklist"), 401, "unauthenticated")
    assert client.get("/api/v1/exposure/worklist", headers=viewer.headers).json()["total"] == 2
    _problem(client.post("/api/v1/exposure/evaluate", headers=viewer.headers), 403, "forbidden")
    assert client.get("/api/v1/exposure/settings", headers=viewer.headers).status_code == 200
    body = {"epss_poc": 0.2, "open_zones": [], "isolated_zones": ["Corporate LAN"]}
    _problem(
        client.put("/api/v1/exposure/settings", json=body, headers=editor.headers),
        403,
        "forbidden",
    )
    saved = client.put("/api/v1/exposure/settings", json=body, headers=admin.headers)
    assert saved.status_code == 200 and saved.json()["isolated_zones"] == ["corporate lan"]
    # the new thresholds apply from the next evaluation: an isolated zone is no longer open
    assert client.post("/api/v1/exposure/evaluate", headers=editor.headers).status_code == 200
    items = client.get("/api/v1/exposure/worklist", headers=editor.headers).json()["items"]
    assert {(i["profile"]["network_zone"], i["decision"]) for i in items} == {
        ("Corporate LAN", "attend"),
        ("MED-INFUSION", "attend"),
    }
    isolated = next(i for i in items if i["profile"]["network_zone"] == "Corporate LAN")
    assert isolated["profile"]["exposure"] == "small"


@pytest.mark.parametrize(
    "body",
    [
        {"epss_poc": 1.5},
        {"epss_poc": -0.1},
        {"epss_poc": "often"},
        {"open_zones": ["x" * 121]},
        {"open_zones": "dmz"},
        {"surprise": True},
    ],
)
def test_invalid_settings_are_422_and_change_nothing(
    ctx: ServiceContext, client: TestClient, body: dict[str, Any]
) -> None:
    admin = make_account(ctx, org="Clinic", role=Role.ADMIN)
    before = client.get("/api/v1/exposure/settings", headers=admin.headers).json()
    problem = _problem(
        client.put("/api/v1/exposure/settings", json=body, headers=admin.headers),
        422,
        "invalid-request",
    )
    assert problem["errors"]
    assert client.get("/api/v1/exposure/settings", headers=admin.headers).json() == before


def test_no_knowledge_base_is_a_clear_problem(
    ctx: ServiceContext, client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(tmp_path / "no-kb"))
    account = make_account(ctx, org="Clinic")
    seed_assets(ctx, account.principal, ROWS)
    problem = _problem(
        client.post("/api/v1/exposure/evaluate", headers=account.headers), 503, "kb-unavailable"
    )
    assert "medtrust feeds import" in problem["detail"]
    # reading still works: nothing evaluated yet
    body = client.get("/api/v1/exposure/worklist", headers=account.headers).json()
    assert body["total"] == 0 and body["evaluated_at"] is None


def test_worklist_exports(ctx: ServiceContext, client: TestClient, kev_kb: Path) -> None:
    account = _evaluated(ctx, client)
    listed = client.get("/api/v1/exposure/worklist", headers=account.headers).json()
    as_json = client.get("/api/v1/exposure/worklist/export?format=json", headers=account.headers)
    assert as_json.status_code == 200
    assert 'filename="exposure-worklist-' in as_json.headers["content-disposition"]
    document = json.loads(as_json.content)
    assert [(i["decision"], i["asset_tags"]) for i in document["items"]] == [
        ("act", ["P-1"]),
        ("attend", ["P-2"]),
    ]
    assert [i["explanation"] for i in document["items"]] == [
        i["explanation"] for i in listed["items"]
    ]
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    "/api/v1/exposure/worklist/export?format=csv&decision=attend",
                    headers=account.headers,
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [(r["Decision"], r["Vulnerability"]) for r in rows] == [("Attend", VULN)]
    xlsx = client.get("/api/v1/exposure/worklist/export?format=xlsx", headers=account.headers)
    sheet = load_workbook(io.BytesIO(xlsx.content))["worklist"]
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Act", "Attend"]
    pdf = client.get("/api/v1/exposure/worklist/export?format=pdf", headers=account.headers)
    assert pdf.content.startswith(b"%PDF")
    _problem(
        client.get("/api/v1/exposure/worklist/export?format=docx", headers=account.headers),
        422,
        "invalid-input",
    )
