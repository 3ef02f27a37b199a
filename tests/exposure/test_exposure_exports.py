"""Worklist exports (xlsx, CSV, JSON, PDF) on hand-built pages: order, content, no formulas."""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from medtrust.domain.product import ProductVersionRef
from medtrust.errors import InputError
from medtrust.exposure.exports import (
    COLUMNS,
    FORMATS,
    item_document,
    render_worklist,
    worklist_csv,
    worklist_json,
    worklist_xlsx,
)
from medtrust.exposure.exports_pdf import pdf_order, worklist_pdf
from medtrust.exposure.model import Decision, Input
from medtrust.exposure.policy import load_policy
from medtrust.exposure.settings import ExposureSettings
from medtrust.inventory.normalise import FORMULA_PREFIXES
from medtrust.services.exposure_views import (
    FindingView,
    ProfileView,
    WorklistItem,
    WorklistPage,
)

EVIL = "=cmd|' /C calc'!A0"
AT = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def _finding(vuln: str, **changes: object) -> FindingView:
    base = FindingView(
        id=1,
        vulnerability=vuln,
        aliases=(f"GHSA-{vuln[-4:]}-xxxx-yyyy",),
        summary="Improper authentication in the pump's network stack",
        component="Alaris 8015 PC unit",
        component_version="9.5",
        component_purl=None,
        component_cpe="cpe:2.3:h:bd:alaris_8015:9.5:*:*:*:*:*:*:*",
        component_source="device",
        status="affected",
        status_source="CISA ICSMA-17-017-02",
        justification=None,
        method="csaf-product",
        confidence="strong",
        detail="product name and version <= 9.5 in the advisory",
        cvss_score=6.1,
        cvss_vector="CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        severity="medium",
        kev=True,
        kev_date="2024-05-01",
        epss=0.0123,
        sources=("csaf", "kev"),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _item(
    decision: Decision, vuln: str, *, tags: tuple[str, ...] = ("P-1",), **finding: object
) -> WorklistItem:
    return WorklistItem(
        decision=decision,
        rule="active-open" if decision is Decision.ACT else "default",
        rule_reason="exploited in the wild and reachable from the general network",
        finding=_finding(vuln, **finding),
        product_version=ProductVersionRef(7, "Becton, Dickinson and Company (BD)", "Alaris", "9.5"),
        profile=ProfileView(
            id=3,
            criticality="diagnostic",
            network_zone="Corporate LAN",
            asset_status="in-use",
            exposure="open",
            impact="medium",
            reasons={"impact": ["diagnostic"], "exposure": ["general network"]},
            asset_count=len(tags),
        ),
        inputs=(
            Input("exploitation", "active", ("listed in CISA KEV since 2024-05-01",)),
            Input("automatable", "no", ("attack vector physical",)),
            Input("exposure", "open", ("zone Corporate LAN is a general network",)),
            Input("impact", "medium", ("criticality diagnostic",)),
            Input("compensating", "0", ("none known",)),
        ),
        asset_tags=tags,
    )


def _page(items: tuple[WorklistItem, ...]) -> WorklistPage:
    totals = {"act": 2, "attend": 1, "track": 1, "findings": 4, "assets_with_act": 2}
    return WorklistPage(items, len(items), 1, 0, totals, AT)


ITEMS = (
    _item(Decision.ACT, "CVE-2016-9355", tags=("P-1", "P-7")),
    _item(Decision.ACT, "CVE-2020-0001", component=EVIL, epss=None, cvss_score=None),
    _item(Decision.ATTEND, "CVE-2021-0002", summary="+SUM(A1:A9)", kev=False, kev_date=None),
    _item(Decision.TRACK, "CVE-2022-0003", summary="@evil", component_version="-1"),
)
PAGE = _page(ITEMS)


def _column(name: str) -> int:
    return [c.header for c in COLUMNS].index(name)


def test_xlsx_rows_follow_the_worklist_and_formulas_stay_text() -> None:
    data = worklist_xlsx(PAGE, generated_at=AT, settings=ExposureSettings(epss_poc=0.2))
    book = load_workbook(io.BytesIO(data))
    sheet = book["worklist"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}5"
    vuln, comp = _column("Vulnerability"), _column("Component")
    assert [r[vuln].value for r in rows[1:]] == [i.finding.vulnerability for i in ITEMS]
    assert rows[2][comp].value == "'" + EVIL and rows[2][comp].data_type == "s"
    assert rows[3][_column("Summary")].value == "'+SUM(A1:A9)"
    assert rows[4][_column("Component version")].value == "'-1"
    assert all(c.data_type != "f" for r in rows for c in r)
    assert rows[1][_column("EPSS")].value == 0.0123 and rows[2][_column("EPSS")].value is None
    assert rows[1][_column("Assets")].value == 2
    assert rows[1][_column("Asset tags")].value == "P-1, P-7"
    assert rows[1][_column("Explanation")].value == ITEMS[0].explanation()
    assert rows[1][_column("KEV added")].value == "2024-05-01"
    # the policy sheet lists every rule in order, and the settings used
    policy = [[c.value for c in r] for r in book["policy"].iter_rows()]
    rule_ids = [r[1] for r in policy if isinstance(r[0], int)]
    assert rule_ids == [r.id for r in load_policy().rules]
    assert policy[7][:2] == ["EPSS probability counted as poc", 0.2]
    # a second reader sees the same text (no formula evaluated)
    calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
    values = calamine.get_sheet_by_name("worklist").to_python()
    assert [r[vuln] for r in values[1:]] == [i.finding.vulnerability for i in ITEMS]
    assert values[2][comp] == "'" + EVIL


def test_csv_matches_the_xlsx_columns_and_is_neutralised() -> None:
    text = worklist_csv(PAGE).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == [c.header for c in COLUMNS]
    assert [r[_column("Vulnerability")] for r in rows[1:]] == [
        i.finding.vulnerability for i in ITEMS
    ]
    assert rows[2][_column("Component")] == "'" + EVIL
    assert rows[2][_column("EPSS")] == "" and rows[1][_column("EPSS")] == "0.0123"
    assert not any(cell.startswith(FORMULA_PREFIXES) for r in rows for cell in r)


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(component=TEXT, summary=TEXT, alias=TEXT, tag=TEXT)
def test_no_text_cell_is_ever_a_formula(component: str, summary: str, alias: str, tag: str) -> None:
    item = _item(
        Decision.ATTEND, "CVE-2024-1234", tags=(tag,), component=component, summary=summary
    )
    item = replace(item, finding=replace(item.finding, aliases=(alias,)))
    page = _page((item,))
    sheet = load_workbook(io.BytesIO(worklist_xlsx(page, generated_at=AT)))["worklist"]
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in cells)
    assert not any(t.startswith(FORMULA_PREFIXES) for t in texts)
    rows = list(csv.reader(io.StringIO(worklist_csv(page).decode("utf-8")[1:])))
    assert not any(cell.startswith(FORMULA_PREFIXES) for r in rows[1:] for cell in r)
    # text without control characters arrives unchanged apart from the neutralising quote
    if component and not re.search(r"[\x00-\x1f]", component):
        quoted = component.startswith(FORMULA_PREFIXES)
        expected = "'" + component if quoted else component
        assert sheet.cell(2, _column("Component") + 1).value == expected


def test_json_round_trips_with_a_stable_key_order() -> None:
    text = worklist_json(PAGE)
    document = json.loads(text)
    assert json.dumps(document, indent=2, ensure_ascii=False) + "\n" == text
    assert worklist_json(_page(tuple(ITEMS))) == text
    items = document["items"]
    assert [i["finding"]["vulnerability"] for i in items] == [
        i.finding.vulnerability for i in ITEMS
    ]
    assert len({tuple(i) for i in items}) == 1
    assert len({tuple(i["finding"]) for i in items}) == 1
    first = items[0]
    assert first["decision"] == "act" and first["decision_label"] == "Act"
    assert first["finding"]["component"] == "Alaris 8015 PC unit"
    assert first["finding"]["match_method"] == "csaf-product"
    assert items[1]["finding"]["component"] == EVIL  # JSON is data: kept as stored
    assert items[1]["finding"]["epss"] is None
    reasons = first["profile"]["reasons"]
    assert list(reasons) == ["exposure", "impact"] and reasons["impact"] == ["diagnostic"]
    assert first["inputs"][0] == {
        "name": "exploitation",
        "value": "active",
        "reasons": ["listed in CISA KEV since 2024-05-01"],
    }
    assert first["explanation"] == ITEMS[0].explanation()
    assert first["asset_count"] == 2 and first["asset_tags"] == ["P-1", "P-7"]
    assert item_document(ITEMS[0]) == first
    assert document["pages"] == 1 and document["totals"]["act"] == 2


def _key_paths(value: object, path: str = "") -> list[str]:
    """Every object key with its path, in document order (lists by first element)."""
    if isinstance(value, dict):
        found = []
        for key, inner in value.items():
            found.append(f"{path}/{key}")
            if key != "reasons":  # free-form: the export sorts it, the API keeps stored order
                found += _key_paths(inner, f"{path}/{key}")
        return found
    if isinstance(value, list) and value:
        return _key_paths(value[0], path + "[]")
    return []


@pytest.mark.parametrize(
    "page",
    [
        PAGE,
        _page(()),
        replace(PAGE, page=2, page_size=3, total=7),
        replace(PAGE, evaluated_at=None),
    ],
)
def test_json_has_the_fields_of_the_api(page: WorklistPage) -> None:
    from medtrust.api.routers.exposure_schemas import WorklistOut

    api = WorklistOut.of(page).model_dump(mode="json")
    ours = json.loads(worklist_json(page))
    assert ours == api
    assert _key_paths(ours) == _key_paths(api)


def _literal(raw: bytes) -> bytes:
    """Bytes of a PDF literal string (escapes resolved)."""
    out, i = bytearray(), 0
    simple = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    while i < len(raw):
        c = raw[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += simple.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """Text of an fpdf2 PDF, in drawing order (one entry per text operator, joined by newlines).

    Resolves fonts through the page resources; a font with a ToUnicode CMap (embedded TrueType)
    is decoded glyph by glyph, a core font as latin-1.
    """
    objects = {
        int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S)
    }

    def stream(body: bytes) -> bytes:
        found = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        assert found is not None
        raw = found.group(1)
        return zlib.decompress(raw) if b"/FlateDecode" in body else raw

    cmaps: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            font = objects[int(ref)]
            to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", font)
            if to_unicode is None:
                continue
            cmap: dict[int, str] = {}
            text = stream(objects[int(to_unicode.group(1))])
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
                for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
                for lo, hi, dst in re.findall(
                    rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
                ):
                    start = int(dst, 16)
                    for offset, glyph in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                        cmap[glyph] = chr(start + offset)
            cmaps[name] = cmap
    lines: list[str] = []
    for body in objects.values():
        if b"stream" not in body or b"/Length" not in body:
            continue
        try:
            content = stream(body)
        except zlib.error:
            continue
        current = b""
        for op in re.finditer(rb"/(F\d+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            if op.group(1):
                current = op.group(1)
                continue
            raw = _literal(op.group(2))
            unicode_map = cmaps.get(current)
            if unicode_map is None:
                lines.append(raw.decode("latin-1"))
            else:
                glyphs = [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]
                lines.append("".join(unicode_map.get(g, "?") for g in glyphs))
    return "\n".join(lines)


def test_pdf_lists_act_and_attend_first_with_explanations() -> None:
    shuffled = _page((ITEMS[3], ITEMS[2], ITEMS[0], ITEMS[1]))
    for font in ("auto", "core"):
        data = worklist_pdf(shuffled, generated_at=AT, organisation="Clinic Nord", font=font)
        assert data.startswith(b"%PDF-")
        text = pdf_text(data)
        assert "Exposure worklist: Clinic Nord" in text
        positions = [text.index(i.finding.vulnerability) for i in pdf_order(shuffled.items)]
        assert positions == sorted(positions)
        assert "exploited in the wild and reachable" in text.replace("\n", " ")
        assert "by rule active-open" in text
    empty = worklist_pdf(_page(()), generated_at=AT, organisation="Clinic Nord")
    assert "No items." in pdf_text(empty)


def test_pdf_order_is_stable_within_a_decision() -> None:
    ordered = pdf_order((ITEMS[3], ITEMS[1], ITEMS[2], ITEMS[0]))
    assert [i.finding.vulnerability for i in ordered] == [
        "CVE-2020-0001",
        "CVE-2016-9355",
        "CVE-2021-0002",
        "CVE-2022-0003",
    ]


def test_formats_by_name() -> None:
    assert sorted(FORMATS) == ["csv", "json", "pdf", "xlsx"]
    for name in FORMATS:
        data = render_worklist(name, PAGE, generated_at=AT, organisation="Clinic Nord")
        assert data
    assert render_worklist("json", PAGE, generated_at=AT, organisation="x").decode() == (
        worklist_json(PAGE)
    )
    with pytest.raises(InputError, match="unknown worklist format 'docx'"):
        render_worklist("docx", PAGE, generated_at=AT, organisation="x")
