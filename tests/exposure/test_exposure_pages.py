"""Exposure pages: overview with charts and "Evaluate now", worklist with explanations and
exports, settings beside the policy, asset and product sections; CSRF on every form, roles,
other tenants' ids as 404, and a clear way forward without a knowledge base."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from medtrust.domain.asset import AssetQuery
from medtrust.domain.tenancy import Role
from medtrust.errors import InputError
from medtrust.services import inventory
from medtrust.services.context import ServiceContext
from medtrust.services.exposure_views import DepartmentBar, TrendPoint
from medtrust.web import exposure_view as vm
from tests.conftest import Account, make_account
from tests.exposure.helpers import MODEL, VULN, build_kb, seed_assets
from tests.web_session import csrf as _csrf
from tests.web_session import login

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    ("P-1", "9.5", "diagnostic", "Corporate LAN", "in-use"),
    ("P-2", "9.5", "diagnostic", "MED-INFUSION", "in-use"),
    ("P-4", "10.0", "diagnostic", "Corporate LAN", "in-use"),
]


@pytest.fixture(scope="module")
def kev_kb_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("kev-kb-pages")
    return build_kb(work / "kb", work, kev=True)


@pytest.fixture
def kev_kb(kev_kb_root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(kev_kb_root))
    return kev_kb_root


@pytest.fixture
def no_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    missing = tmp_path / "no-kb"
    monkeypatch.setenv("MEDTRUST_KB_DIR", str(missing))
    return missing


def _login(client: TestClient, account: Account) -> str:
    login(client, account)
    return _csrf(client, "/exposure")


def _asset_id(ctx: ServiceContext, account: Account, tag: str) -> int:
    page = inventory.list_assets(ctx, account.principal, AssetQuery(q=tag))
    return next(a.id for a in page.items if a.data.asset_tag == tag)


def _evaluate(client: TestClient, token: str) -> str:
    response = client.post("/exposure/evaluate", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert re.fullmatch(r"/exposure\?run=\d+", location)
    return location


def test_without_knowledge_base_the_overview_says_what_to_do(
    ctx: ServiceContext, client: TestClient, no_kb: Path
) -> None:
    account = make_account(ctx, org="Clinic")
    seed_assets(ctx, account.principal, ROWS)
    token = _login(client, account)
    page = client.get("/exposure")
    assert page.status_code == 200
    assert 'id="no-kb"' in page.text and str(no_kb) in page.text
    assert "medtrust feeds import PATH" in page.text and "medtrust feeds update" in page.text
    assert "Not evaluated yet" in page.text and 'href="/inventory/legacy"' in page.text
    refused = client.post("/exposure/evaluate", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    failed = client.post("/exposure/evaluate", data={"csrf_token": token})
    assert failed.status_code == 503
    assert 'id="evaluate-error"' in failed.text and "medtrust feeds update" in failed.text
    worklist = client.get("/exposure/worklist")
    assert worklist.status_code == 200 and "Not evaluated yet" in worklist.text


def test_evaluate_now_overview_charts_and_worklist(
    ctx: ServiceContext, client: TestClient, kev_kb: Path
) -> None:
    account = make_account(ctx, org="Clinic")
    seed_assets(ctx, account.principal, ROWS)
    token = _login(client, account)
    before = client.get("/exposure").text
    assert 'id="no-kb"' not in before and 'id="evaluate-now"' in before
    assert "No evaluation yet." in before
    overview = client.get(_evaluate(client, token))
    assert 'id="run-summary"' in overview.text
    summary = re.search(r'id="run-summary">(.*?)</p>', overview.text, re.S)
    assert summary and "Act 1" in summary.group(1) and "Attend 1" in summary.group(1)
    chart = overview.text.split('id="chart-departments"')[1].split("</section>")[0]
    assert chart.count('data-decision="act"') == 1 and 'data-decision="none"' in chart
    trend = overview.text.split('id="chart-trend"')[1].split("</section>")[0]
    assert trend.count("<circle") == 2  # one run, Act and Attend
    assert "<script" not in overview.text

    page = client.get("/exposure/worklist")
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert len(rows) == 2
    assert 'decision-act">Act<' in rows[0] and 'decision-attend">Attend<' in rows[1]
    first = rows[0]
    assert f'href="/vulnerabilities/{VULN}"' in first
    assert re.search(r'href="/inventory/products/\d+">[^<]*' + re.escape(MODEL), first)
    assert "csaf-product" in first and "KEV" in first
    assert "product_version_id=" in first and "network_zone=Corporate+LAN" in first
    details = first.split("<details")[1].split("</details>")[0]
    for name in ("exploitation", "automatable", "exposure", "impact", "compensating"):
        assert f"<strong>{name}</strong>" in details
    assert "in CISA KEV" in details and "Rule <code>" in details

    only = client.get("/exposure/worklist?filtered=1&decision=attend")
    assert only.text.count('decision-attend">Attend<') == 1
    assert 'decision-act">Act<' not in only.text.split("<tbody>")[1]
    nothing = client.get("/exposure/worklist?filtered=1&q=no-such-device")
    assert "Nothing matches these filters." in nothing.text
    every = client.get("/exposure/worklist?filtered=1")  # no box ticked: every decision
    assert every.text.split("<tbody>")[1].count("<tr") >= 2
    bad = client.get("/exposure/worklist?decision=urgent")
    assert bad.status_code == 422

    link = re.search(r'href="(/exposure/worklist/export/xlsx\?[^"]+)"', page.text)
    assert link, "no export link"
    download = client.get(link.group(1).replace("&amp;", "&"))
    assert download.status_code == 200
    assert "exposure-worklist-" in download.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(download.content))["worklist"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Act", "Attend"]


def test_asset_and_product_pages_show_exposure(
    ctx: ServiceContext, client: TestClient, kev_kb: Path
) -> None:
    account = make_account(ctx, org="Clinic")
    seed_assets(ctx, account.principal, ROWS)
    token = _login(client, account)
    p1 = _asset_id(ctx, account, "P-1")
    assert "Not evaluated yet" in client.get(f"/inventory/assets/{p1}").text
    _evaluate(client, token)
    asset = client.get(f"/inventory/assets/{p1}").text
    section = asset.split('id="asset-exposure"')[1].split("</section>")[0]
    assert 'decision-act">Act<' in section and VULN in section and "<details" in section
    p4 = client.get(f"/inventory/assets/{_asset_id(ctx, account, 'P-4')}").text
    assert "No open vulnerability is known" in p4
    pv = re.search(r'href="/inventory/products/(\d+)"', asset)
    assert pv
    product = client.get(f"/inventory/products/{pv.group(1)}").text
    section = product.split('id="product-exposure"')[1].split("</section>")[0]
    assert VULN in section and "Act: 1" in section and "Attend: 1" in section
    # the advisory's other CVE (physical access, not in KEV) is Track for every asset
    assert "CVE-2016-8375" in section and 'decision-track" title' in section

    other = make_account(ctx, org="Elsewhere")
    client.cookies.clear()
    _login(client, other)
    assert client.get(f"/inventory/assets/{p1}").status_code == 404
    assert client.get(f"/inventory/products/{pv.group(1)}").status_code == 404
    assert client.get("/exposure/worklist").text.count("<tbody>") == 0


def test_roles_on_the_pages(ctx: ServiceContext, client: TestClient, kev_kb: Path) -> None:
    viewer = make_account(ctx, org="Clinic", role=Role.VIEWER)
    token = _login(client, viewer)
    overview = client.get("/exposure").text
    assert 'id="evaluate-now"' not in overview and "Editors and administrators" in overview
    assert client.post("/exposure/evaluate", data={"csrf_token": token}).status_code == 403
    settings = client.get("/exposure/settings").text
    assert "Only administrators" in settings and "disabled" in settings
    refused = client.post("/exposure/settings", data={"csrf_token": token, "epss_poc": "0.5"})
    assert refused.status_code == 403


def test_settings_form_shows_policy_validates_and_saves(
    ctx: ServiceContext, client: TestClient
) -> None:
    admin = make_account(ctx, org="Clinic", role=Role.ADMIN)
    token = _login(client, admin)
    page = client.get("/exposure/settings").text
    assert "medtrust deployer policy for medical devices" in page
    rules = page.split('id="policy-rules"')[1]
    assert "<code>active-open</code>" in rules and "<code>default</code>" in rules
    assert "life-sustaining" in rules and "very-high" in rules
    form = {"csrf_token": token, "epss_poc": "0.25", "open_zones": "Guest WiFi\nDMZ"}
    assert client.post("/exposure/settings", data={**form, "csrf_token": ""}).status_code == 403
    invalid = client.post("/exposure/settings", data={**form, "epss_poc": "2"})
    assert invalid.status_code == 422 and 'id="settings-error"' in invalid.text
    assert "epss_poc" in invalid.text and 'value="2"' in invalid.text  # the entry is kept
    empty = client.post("/exposure/settings", data={**form, "epss_poc": ""})
    assert empty.status_code == 422
    saved = client.post(
        "/exposure/settings",
        data={**form, "isolated_zones": "  Lab   Net \n\n"},
        follow_redirects=False,
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/exposure/settings?saved=1"
    shown = client.get("/exposure/settings?saved=1").text
    assert 'id="settings-saved"' in shown and 'value="0.25"' in shown
    assert "dmz\nguest wifi</textarea>" in shown and "lab net</textarea>" in shown


# --- the view helpers on their own (no database) ----------------------------------------------

_NAMES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
_COUNTS = st.dictionaries(
    st.sampled_from([s[0] for s in vm.SEGMENTS]), st.integers(0, 10_000), max_size=5
)


@given(st.dictionaries(_NAMES, _COUNTS, max_size=40))
def test_department_chart_is_valid_svg_with_one_bar_per_count(
    data: dict[str, dict[str, int]],
) -> None:
    bars = [DepartmentBar(name, counts) for name, counts in sorted(data.items())]
    svg = ElementTree.fromstring(vm.department_svg(bars))  # well-formed, names escaped
    rects = [r for r in svg.iter(f"{SVG}rect") if r.get("data-decision")]
    ranked = sorted(bars, key=lambda b: [-b.counts.get(v, 0) for v, _l, _c in vm.SEGMENTS[:4]])
    shown = ranked[: vm.MAX_DEPARTMENTS]
    assert len(rects) == sum(1 for b in shown for n in b.counts.values() if n)
    titles = [r.findtext(f"{SVG}title") or "" for r in rects]
    expected = [
        f"{b.department}: {b.counts[v]} asset(s) {label}"
        for b in shown
        for v, label, _c in vm.SEGMENTS
        if b.counts.get(v)
    ]
    assert titles == expected  # most Act first, segments most urgent first
    widths = [float(r.get("width") or 0) for r in rects]
    assert all(0 < w <= 560 for w in widths)


@given(
    st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**6)),
        max_size=60,
    )
)
def test_trend_chart_is_valid_svg_with_two_marks_per_run(
    runs: list[tuple[int, int, int]],
) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    points = [
        TrendPoint(start + timedelta(days=i), "full", act, attend, star)
        for i, (act, attend, star) in enumerate(runs)
    ]
    svg = ElementTree.fromstring(vm.trend_svg(points))
    marks = list(svg.iter(f"{SVG}circle"))
    assert len(marks) == 2 * len(points)
    act = [
        (p.act, float(m.get("cy") or 0)) for p, m in zip(points, _marks(marks, "act"), strict=True)
    ]
    # higher counts are drawn higher (smaller y); the peak at the top, zero on the axis
    for a, ya in act:
        for b, yb in act:
            if a > b:
                assert ya <= yb
    if act and any(a for a, _y in act):
        top = min(y for _a, y in act)
        assert all(y == top for a, y in act if a == max(c for c, _y in act))


def _marks(marks: list[ElementTree.Element], decision: str) -> list[ElementTree.Element]:
    return [m for m in marks if m.get("data-decision") == decision]


def test_worklist_filters_default_to_act_and_attend() -> None:
    default = vm.worklist_filters({}, [])
    assert default.selected == {"act", "attend"}
    everything = vm.worklist_filters({"filtered": "1"}, [])
    assert everything.query.decisions == () and everything.selected == frozenset()
    chosen = vm.worklist_filters(
        {"filtered": "1", "kev": "1", "q": "  pump ", "page": "3"}, ["track", "act"]
    )
    assert [d.value for d in chosen.query.decisions] == ["act", "track"]
    assert chosen.query.kev_only and chosen.query.q == "pump" and chosen.query.page == 3
    again = vm.worklist_filters(
        dict(parse_qsl(vm.filter_params(chosen.query))),
        [v for k, v in parse_qsl(vm.filter_params(chosen.query)) if k == "decision"],
    )
    assert again.query == chosen.query
    with pytest.raises(InputError):
        vm.worklist_filters({}, ["urgent"])
