"""The exposure worklist as xlsx, PDF (:mod:`medtrust.exposure.exports_pdf`), JSON and CSV.

Every format carries the items of a :class:`~medtrust.services.exposure_views.WorklistPage` in
worklist order, each with the explanation of its decision (the PDF lists Act and Attend first,
otherwise keeping that order). Text cells of the xlsx and CSV exports go through the project's
:func:`~medtrust.inventory.normalise.neutralise_cell`, so a vulnerability summary or an SBOM
component named ``=cmd|...`` stays text in a spreadsheet program; JSON is data, never evaluated,
and keeps text as stored, with the field names and order of the API's ``WorklistOut`` (a test
compares the two).

This module reads the view dataclasses only; it imports the services layer for type checking.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from medtrust.errors import InputError
from medtrust.exposure.model import Automatable, Decision, Exploitation, Exposure, Impact
from medtrust.exposure.policy import DecisionPolicy, load_policy
from medtrust.exposure.settings import ExposureSettings
from medtrust.inventory.normalise import neutralise_cell

if TYPE_CHECKING:
    from medtrust.services.exposure_views import FindingView, WorklistItem, WorklistPage

Value = str | int | float | None

#: characters an xlsx cell may not hold (XML 1.0); openpyxl refuses them
_XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: longest text an xlsx cell holds
XLSX_CELL_LIMIT = 32_767
#: asset tags listed per item in xlsx/CSV (the count is always complete)
MAX_TAGS = 500
#: what ends a text cut to fit a cell or a PDF line
CUT = " [...]"


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the tabular exports: header, xlsx width in characters, value."""

    header: str
    width: float
    value: Callable[[WorklistItem], Value]


def _input(item: WorklistItem, name: str) -> str:
    return next((i.value for i in item.inputs if i.name == name), "")


def _tags(tags: Sequence[str]) -> str:
    shown = ", ".join(tags[:MAX_TAGS])
    return shown + (f" (+{len(tags) - MAX_TAGS} more)" if len(tags) > MAX_TAGS else "")


COLUMNS: tuple[Column, ...] = (
    Column("Decision", 9, lambda i: i.decision.label),
    Column("Vulnerability", 18, lambda i: i.finding.vulnerability),
    Column("Aliases", 22, lambda i: ", ".join(i.finding.aliases)),
    Column("Summary", 50, lambda i: i.finding.summary),
    Column("KEV", 6, lambda i: "yes" if i.finding.kev else "no"),
    Column("KEV added", 11, lambda i: i.finding.kev_date),
    Column("EPSS", 8, lambda i: i.finding.epss),
    Column("CVSS", 6, lambda i: i.finding.cvss_score),
    Column("CVSS vector", 40, lambda i: i.finding.cvss_vector),
    Column("Severity", 9, lambda i: i.finding.severity),
    Column("Exploitation", 11, lambda i: _input(i, "exploitation")),
    Column("Automatable", 11, lambda i: _input(i, "automatable")),
    Column("Manufacturer", 24, lambda i: i.product_version.manufacturer),
    Column("Model", 24, lambda i: i.product_version.product),
    Column("Version", 10, lambda i: i.product_version.version),
    Column("Component", 24, lambda i: i.finding.component),
    Column("Component version", 12, lambda i: i.finding.component_version),
    Column("Component purl", 36, lambda i: i.finding.component_purl),
    Column("Component CPE", 36, lambda i: i.finding.component_cpe),
    Column("Component source", 10, lambda i: i.finding.component_source),
    Column("Match method", 14, lambda i: i.finding.method),
    Column("Match confidence", 10, lambda i: i.finding.confidence),
    Column("Match detail", 50, lambda i: i.finding.detail),
    Column("Status", 14, lambda i: i.finding.status),
    Column("Status source", 30, lambda i: i.finding.status_source),
    Column("Justification", 18, lambda i: i.finding.justification),
    Column("Criticality", 14, lambda i: i.profile.criticality),
    Column("Network zone", 18, lambda i: i.profile.network_zone),
    Column("Asset status", 10, lambda i: i.profile.asset_status),
    Column("Exposure", 10, lambda i: i.profile.exposure),
    Column("Impact", 10, lambda i: i.profile.impact),
    Column("Assets", 7, lambda i: i.profile.asset_count),
    Column("Asset tags", 30, lambda i: _tags(i.asset_tags)),
    Column("Rule", 26, lambda i: i.rule),
    Column("Explanation", 100, lambda i: i.explanation()),
    Column("Sources", 30, lambda i: ", ".join(i.finding.sources)),
)


def spreadsheet_text(text: str) -> str:
    """Text for an xlsx/CSV cell: XML-illegal characters dropped, then formulas neutralised."""
    return neutralise_cell(_XLSX_ILLEGAL.sub("", text))


def _fit(text: str) -> str:
    if len(text) <= XLSX_CELL_LIMIT:
        return text
    return text[: XLSX_CELL_LIMIT - len(CUT)] + CUT


def totals_text(totals: dict[str, int]) -> str:
    """Item counts per decision, most urgent first, as one line."""
    decisions = [d.value for d in sorted(Decision, key=lambda d: -d.urgency)]
    keys = [k for k in decisions if k in totals] + sorted(k for k in totals if k not in decisions)
    return ", ".join(f"{k} {totals[k]}" for k in keys) or "none"


def when_text(at: datetime | None) -> str:
    """A timestamp to the second, or "never"."""
    return at.isoformat(timespec="seconds") if at is not None else "never"


# --- xlsx -------------------------------------------------------------------------------------


def _cell(sheet: WriteOnlyWorksheet, value: Value, *, bold: bool = False) -> Cell:
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=_fit(spreadsheet_text(value)))
        cell.data_type = "s"  # never a formula, whatever the text
    else:
        cell = WriteOnlyCell(sheet, value=value)
    if bold:
        cell.font = Font(bold=True)
    return cell


def _row(sheet: WriteOnlyWorksheet, values: Iterable[Value], *, bold: bool = False) -> None:
    sheet.append([_cell(sheet, v, bold=bold) for v in values])


def _conditions(values: frozenset[Any] | None, kind: type[Enum]) -> str:
    if values is None:
        return "any"
    return ", ".join(str(v.value) for v in kind if v in values)


def _policy_sheet(
    workbook: Workbook,
    page: WorklistPage,
    policy: DecisionPolicy,
    settings: ExposureSettings | None,
    generated_at: datetime,
) -> None:
    sheet = workbook.create_sheet("policy")
    for col, width in enumerate((30, 22, 10, 14, 20, 12, 20, 90), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    _row(sheet, ["Exposure worklist"], bold=True)
    _row(sheet, ["Generated", when_text(generated_at)])
    _row(sheet, ["Last evaluated", when_text(page.evaluated_at)])
    _row(sheet, ["Items in this export", len(page.items)])
    _row(sheet, ["Asset-vulnerability pairs by decision", totals_text(page.totals)])
    _row(sheet, [])
    given = settings is not None
    used = settings if settings is not None else ExposureSettings()
    note = "saved organisation settings" if given else "defaults (organisation settings not given)"
    _row(sheet, ["Settings", note], bold=True)
    _row(sheet, ["EPSS probability counted as poc", used.epss_poc])
    _row(sheet, ["Zones treated as open", ", ".join(used.open_zones) or "(none)"])
    _row(sheet, ["Zones treated as isolated", ", ".join(used.isolated_zones) or "(none)"])
    _row(sheet, [])
    _row(sheet, ["Decision policy", policy.title], bold=True)
    _row(sheet, ["Version", policy.version])
    _row(sheet, [])
    _row(
        sheet,
        [
            "Order",
            "Rule",
            "Decision",
            "Exploitation",
            "Exposure",
            "Automatable",
            "Impact",
            "Reason",
        ],
        bold=True,
    )
    for order, rule in enumerate(policy.rules, start=1):
        _row(
            sheet,
            [
                order,
                rule.id,
                rule.decision.label,
                _conditions(rule.exploitation, Exploitation),
                _conditions(rule.exposure, Exposure),
                _conditions(rule.automatable, Automatable),
                _conditions(rule.impact, Impact),
                rule.reason,
            ],
        )
    _row(sheet, [])
    _row(sheet, ["Clinical criticality", "Impact", "", "", "", "", "", "Reason"], bold=True)
    for criticality, entry in policy.impact.items():
        _row(sheet, [criticality.value, entry.impact.value, "", "", "", "", "", entry.reason])
    _row(
        sheet,
        [
            "handles personal data (MDS2 MPII-1)",
            policy.patient_data_impact.value,
            "",
            "",
            "",
            "",
            "",
            "impact is at least this",
        ],
    )


def worklist_xlsx(
    page: WorklistPage,
    *,
    generated_at: datetime,
    settings: ExposureSettings | None = None,
    policy: DecisionPolicy | None = None,
) -> bytes:
    """Sheet ``worklist`` (one row per item, frozen filterable header), sheet ``policy``.

    EPSS, CVSS and asset counts are numbers; every other cell is text, never a formula.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("worklist")
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(page.items) + 1}"
    for col, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    _row(sheet, [c.header for c in COLUMNS], bold=True)
    for item in page.items:
        sheet.append([_cell(sheet, c.value(item)) for c in COLUMNS])
    _policy_sheet(workbook, page, policy or load_policy(), settings, generated_at)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- CSV --------------------------------------------------------------------------------------


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return spreadsheet_text(value)
    return str(value)


def worklist_csv(page: WorklistPage) -> bytes:
    """UTF-8 CSV with BOM (spreadsheet programs detect it), the xlsx columns, neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in COLUMNS])
    for item in page.items:
        writer.writerow([_csv_value(c.value(item)) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- JSON -------------------------------------------------------------------------------------


def _sorted(value: object) -> object:
    """Free-form JSON (stored reasons) with object keys sorted, so the output is stable."""
    if isinstance(value, dict):
        return {str(k): _sorted(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value


def _timestamp(at: datetime | None) -> str | None:
    """ISO 8601 as the API writes it (UTC as ``Z``)."""
    if at is None:
        return None
    text = at.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def finding_document(f: FindingView) -> dict[str, object]:
    """A finding with the field names and order of the API's ``FindingOut``."""
    return {
        "id": f.id,
        "vulnerability": f.vulnerability,
        "aliases": list(f.aliases),
        "summary": f.summary,
        "component": f.component,
        "component_version": f.component_version,
        "component_purl": f.component_purl,
        "component_cpe": f.component_cpe,
        "component_source": f.component_source,
        "status": f.status,
        "status_source": f.status_source,
        "justification": f.justification,
        "match_method": f.method,
        "match_confidence": f.confidence,
        "match_detail": f.detail,
        "cvss_score": f.cvss_score,
        "cvss_vector": f.cvss_vector,
        "severity": f.severity,
        "kev": f.kev,
        "kev_date": f.kev_date,
        "epss": f.epss,
        "sources": list(f.sources),
    }


def item_document(item: WorklistItem) -> dict[str, object]:
    """One item with the field names and order of the API's ``WorklistItemOut``."""
    pv, p = item.product_version, item.profile
    return {
        "decision": item.decision.value,
        "decision_label": item.decision.label,
        "rule": item.rule,
        "rule_reason": item.rule_reason,
        "explanation": item.explanation(),
        "inputs": [
            {"name": i.name, "value": i.value, "reasons": list(i.reasons)} for i in item.inputs
        ],
        "finding": finding_document(item.finding),
        "product_version": {
            "id": pv.id,
            "manufacturer": pv.manufacturer,
            "product": pv.product,
            "version": pv.version,
        },
        "profile": {
            "id": p.id,
            "criticality": p.criticality,
            "network_zone": p.network_zone,
            "asset_status": p.asset_status,
            "exposure": p.exposure,
            "impact": p.impact,
            "asset_count": p.asset_count,
            "reasons": _sorted(p.reasons),
        },
        "asset_count": p.asset_count,
        "asset_tags": list(item.asset_tags),
    }


def worklist_document(page: WorklistPage) -> dict[str, object]:
    """The page with the field names and order of the API's ``WorklistOut``."""
    size = page.page_size or max(page.total, 1)
    return {
        "items": [item_document(i) for i in page.items],
        "total": page.total,
        "page": page.page,
        "page_size": page.page_size,
        "pages": max(1, -(-page.total // size)),
        "totals": dict(page.totals),
        "evaluated_at": _timestamp(page.evaluated_at),
    }


def worklist_json(page: WorklistPage) -> str:
    """The page as indented JSON; the same page always gives the same text."""
    return json.dumps(worklist_document(page), indent=2, ensure_ascii=False) + "\n"


# --- by name ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WorklistFormat:
    """An export format: media type, file suffix, whether it is binary."""

    name: str
    media_type: str
    suffix: str
    binary: bool


FORMATS: dict[str, WorklistFormat] = {
    "csv": WorklistFormat("csv", "text/csv; charset=utf-8", ".csv", False),
    "json": WorklistFormat("json", "application/json", ".json", False),
    "pdf": WorklistFormat("pdf", "application/pdf", ".pdf", True),
    "xlsx": WorklistFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        True,
    ),
}


def render_worklist(
    name: str,
    page: WorklistPage,
    *,
    generated_at: datetime,
    organisation: str,
    settings: ExposureSettings | None = None,
) -> bytes:
    """The page in the format called ``name``; InputError listing the choices otherwise."""
    if name == "csv":
        return worklist_csv(page)
    if name == "json":
        return worklist_json(page).encode("utf-8")
    if name == "pdf":
        from medtrust.exposure.exports_pdf import worklist_pdf  # fpdf only when asked for

        return worklist_pdf(page, generated_at=generated_at, organisation=organisation)
    if name == "xlsx":
        return worklist_xlsx(page, generated_at=generated_at, settings=settings)
    raise InputError(f"unknown worklist format {name!r}; use one of {', '.join(sorted(FORMATS))}")
