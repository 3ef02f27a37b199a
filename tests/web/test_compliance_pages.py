from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from medtrust.services.context import ServiceContext
from tests.conftest import make_account
from tests.shared_data import shared_file
from tests.web_session import csrf as _csrf
from tests.web_session import login


def test_compliance_pages_need_login(ctx: ServiceContext, client: TestClient) -> None:
    response = client.get("/compliance", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/compliance")


def test_browse_catalogues_and_follow_mappings(ctx: ServiceContext, client: TestClient) -> None:
    login(client, make_account(ctx, org="Maker A"))
    index = client.get("/compliance")
    assert index.status_code == 200 and "/compliance/frameworks/mdr" in index.text
    assert 'href="/compliance"' in index.text  # nav link
    tree = client.get("/compliance/frameworks/mdr")
    assert "urn%3Amedtrust%3Areq%3Amdr%3Aannex-i%3A18.8" in tree.text
    node = client.get(
        "/compliance/node",
        params={"urn": "urn:medtrust:req:mds2-2019:AUTH-1", "to": "mdr"},
    )
    assert node.status_code == 200
    assert "iec-tr-80001-2-2-to-mdr" in node.text and "0.64" in node.text
    missing = client.get("/compliance/node", params={"urn": "urn:medtrust:req:mdr:annex-i:99"})
    assert missing.status_code == 404 and "unknown requirement node" in missing.text


def test_applicability_questionnaire(ctx: ServiceContext, client: TestClient) -> None:
    login(client, make_account(ctx, org="Maker A"))
    answers = {
        "product__medical_device": "no",
        "product__digital_elements": "yes",
        "product__eu_market": "yes",
    }
    refused = client.post("/compliance/applicability", data={**answers, "csrf_token": "x"})
    assert refused.status_code == 403
    token = _csrf(client, "/compliance/applicability")
    page = client.post("/compliance/applicability", data={**answers, "csrf_token": token})
    assert page.status_code == 200
    verdicts = page.text[page.text.index('id="verdicts"') :]
    assert re.search(r"/compliance/frameworks/cra\">cra</a></td>\s*<td>applies", verdicts)
    assert re.search(r"/compliance/frameworks/mdr\">mdr</a></td>\s*<td>does-not-apply", verdicts)
    assert "CRA Art. 2(1)" in verdicts


@pytest.mark.shared_data
def test_product_assessment_page_and_downloads(ctx: ServiceContext, client: TestClient) -> None:
    login(client, make_account(ctx, org="Maker A"))
    form = shared_file("mds2/nema-example-mds2-2019.xlsx").read_bytes()
    files = {"mds2": ("example.xlsx", form, "application/octet-stream")}
    token = _csrf(client, "/compliance/assess")
    page = client.post(
        "/compliance/assess", files=files, data={"csrf_token": token, "framework": ["mdr"]}
    )
    assert page.status_code == 200, page.text
    assert "Gap report" in page.text and "MDR Annex I 18.8" in page.text
    assert "MDS2 PLOK-2 -[subset]-&gt; IEC TR 80001-2-2:2012 PLOK" in page.text
    xlsx = client.post(
        "/compliance/assess",
        files=files,
        data={"csrf_token": token, "framework": ["mdr"], "output": "xlsx"},
    )
    assert xlsx.headers["content-disposition"].endswith('gap-report.xlsx"')
    assert xlsx.content[:2] == b"PK"
    refused = client.post("/compliance/assess", files=files, data={"csrf_token": "forged"})
    assert refused.status_code == 403
