from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from medtrust.domain.asset import (
    Asset,
    AssetData,
    Compensation,
    EndOfSupport,
    LegacyEntry,
    LegacyRegister,
    LifecycleAssessment,
    LinkState,
    SupportSource,
    SupportStatus,
)
from medtrust.inventory.exports.formats import FORMATS, get_format
from medtrust.inventory.exports.table import inventory_table, legacy_table
from medtrust.inventory.timeline import timeline_bars, timeline_svg

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
HOSTILE = "=cmd|' /C calc'!A0"


def _asset(tag: str) -> Asset:
    return Asset(
        1,
        AssetData(asset_tag=tag, manufacturer_text="Acme", model_text="<b>P</b>"),
        LinkState.UNLINKED,
        None,
        None,
        None,
        "CMMS",
        NOW,
    )


def _register() -> LegacyRegister:
    end = EndOfSupport(date(2020, 1, 14), SupportSource.OS_TABLE, "Windows 7")
    lc = LifecycleAssessment(
        SupportStatus.ENDED,
        end,
        (end,),
        ("os ended",),
        (Compensation("segmentation", "MED", "in network zone 'MED'"),),
    )
    return LegacyRegister(
        NOW,
        date(2026, 6, 1),
        365,
        (LegacyEntry(_asset(HOSTILE), lc),),
        {"ended": 1, "ending": 0, "supported": 0, "unknown": 0},
    )


def test_xlsx_never_holds_a_formula() -> None:
    content = get_format("xlsx").render(legacy_table(_register()))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "'" + HOSTILE in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_neutralises_and_json_keeps_values() -> None:
    table = inventory_table([_asset(HOSTILE)], generated_at=NOW)
    text = get_format("csv").render(table).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + HOSTILE
    document = json.loads(get_format("json").render(table))
    assert document["rows"][0]["Asset tag"] == HOSTILE


def test_pdf_renders_many_rows_quickly() -> None:
    table = inventory_table([_asset(f"T-{i}") for i in range(600)], generated_at=NOW)
    content = get_format("pdf").render(table)
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert sorted(FORMATS) == ["csv", "json", "pdf", "xlsx"]


def test_timeline_bars_and_escaped_svg() -> None:
    ends = [date(2020, 1, 14), date(2020, 5, 1), date(2023, 1, 1), date(2028, 2, 2)]
    bars = timeline_bars(ends, today=date(2026, 6, 1))
    assert [(b.year, b.count, b.past) for b in bars][:2] == [(2020, 2, True), (2021, 0, True)]
    assert bars[-1].year == 2028 and not bars[-1].past and len(bars) == 9
    svg = timeline_svg(bars, today=date(2026, 6, 1), title="<script>x</script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 9
    assert "No end-of-support dates" in timeline_svg([], today=date(2026, 6, 1), title="t")
