from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from medtrust.services.context import ServiceContext
from tests.conftest import make_account
from tests.shared_data import shared_file


def test_catalogue_browsing_needs_a_token(ctx: ServiceContext, client: TestClient) -> None:
    response = client.get("/api/v1/compliance/frameworks")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_browse_catalogues_nodes_mappings_and_oscal(
    ctx: ServiceContext, client: TestClient
) -> None:
    headers = make_account(ctx, org="Maker A").headers
    frameworks = client.get("/api/v1/compliance/frameworks", headers=headers).json()
    assert "mdr" in [f["id"] for f in frameworks["frameworks"]]
    mdr = client.get("/api/v1/compliance/frameworks/mdr", headers=headers).json()
    assert any(n["ref_id"] == "18.8" for n in mdr["nodes"])
    node = client.get(
        "/api/v1/compliance/nodes",
        params={"urn": "urn:medtrust:req:mdr:annex-i:18.8"},
        headers=headers,
    ).json()
    assert node["mappings"] and all("explain" in m for m in node["mappings"])
    inferred = client.get(
        "/api/v1/compliance/infer",
        params={"urn": "urn:medtrust:req:mds2-2019:AUTH-1", "target": "mdr"},
        headers=headers,
    ).json()
    assert inferred["results"][0]["target_ref_id"] == "18.8"
    oscal = client.get("/api/v1/compliance/frameworks/cra/oscal", headers=headers).json()
    assert oscal["catalog"]["metadata"]["oscal-version"].startswith("1.2")
    mapping = client.get(
        "/api/v1/compliance/mapping-sets/cra-to-iec-62443-4-1/oscal", headers=headers
    ).json()
    assert mapping["mapping-collection"]["mappings"][0]["maps"]
    missing = client.get("/api/v1/compliance/frameworks/mdd", headers=headers)
    assert missing.status_code == 404
    assert (
        client.get("/api/v1/compliance/mapping-sets/none/oscal", headers=headers).status_code == 404
    )


def test_applicability_endpoint(ctx: ServiceContext, client: TestClient) -> None:
    headers = make_account(ctx, org="Maker A").headers
    body = {"product": {"medical_device": False, "digital_elements": True, "eu_market": True}}
    result = client.post("/api/v1/compliance/applicability", json=body, headers=headers).json()
    assert result["applicable"] == ["cra"]
    bad = client.post(
        "/api/v1/compliance/applicability", json={"product": {"colour": 1}}, headers=headers
    )
    assert bad.status_code == 422
    assert "request body: product.colour: unknown fact" in bad.json()["detail"]


@pytest.mark.shared_data
def test_product_assessment_upload(ctx: ServiceContext, client: TestClient) -> None:
    headers = make_account(ctx, org="Maker A").headers
    form = shared_file("mds2/nema-example-mds2-2019.xlsx").read_bytes()
    files = {"mds2": ("example.xlsx", form, "application/octet-stream")}
    response = client.post(
        "/api/v1/compliance/assessments/product",
        params={"framework": ["mdr"], "as_of": "2026-11-21"},
        files=files,
        headers=headers,
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["frameworks"] == ["mdr"]
    assert sum(report["summary"]["mdr"].values()) == len(report["results"])
    pdf = client.post(
        "/api/v1/compliance/assessments/product",
        params={"format": "pdf"},
        files=files,
        headers=headers,
    )
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    broken = client.post(
        "/api/v1/compliance/assessments/product",
        files={"declarations": ("d.yaml", b"processes: [{id: nope}]", "text/yaml")},
        headers=headers,
    )
    assert broken.status_code == 422
    assert broken.json()["detail"].startswith("d.yaml: processes[0].id: unknown process")
