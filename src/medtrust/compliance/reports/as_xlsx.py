"""The gap report as an xlsx workbook (openpyxl): summary, requirements, evidence paths, gaps."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from medtrust.compliance.assessment import Assessment, Status
from medtrust.compliance.evidence import Signal
from medtrust.compliance.gaps import node_label
from medtrust.compliance.library import Library

_FILL = {
    Status.COVERED: "C6EFCE",
    Status.PARTLY: "FFEB9C",
    Status.GAP: "FFC7CE",
    Status.NOT_APPLICABLE: "E7E6E6",
}
_FORMULA_START = ("=", "+", "-", "@")


def _cell(value: object) -> object:
    """Text that a spreadsheet could read as a formula is prefixed with a quote (CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _sheet(book: Workbook, title: str, header: list[str], widths: list[int]) -> Worksheet:
    sheet: Worksheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def assessment_xlsx(assessment: Assessment, library: Library) -> bytes:
    """Workbook bytes; every requirement, contribution and closing action is one row."""
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    summary.append(["Product assessment", assessment.subject])
    summary.append(["Date", assessment.as_of.isoformat()])
    summary.append(["Max hops", assessment.policy.max_hops])
    summary.append(["Covered needs confidence >=", assessment.policy.covered_min_confidence])
    for note in assessment.notes:
        summary.append(["Note", note])
    summary.append([])
    summary.append(["Framework", *(s.value for s in Status)])
    for framework, tally in assessment.summary().items():
        summary.append([library.framework(framework).name, *tally.values()])
    summary.column_dimensions["A"].width = 60
    requirements = _sheet(
        book,
        "Requirements",
        [
            "Framework",
            "Requirement",
            "Name",
            "Status",
            "Reason",
            "Supporting",
            "Against",
            "Review",
            "To close",
            "URN",
        ],
        [12, 28, 40, 14, 60, 11, 9, 9, 90, 45],
    )
    paths = _sheet(
        book,
        "Evidence paths",
        [
            "Requirement",
            "Status",
            "Signal",
            "Evidence",
            "Statement",
            "Source",
            "Confidence",
            "Path",
        ],
        [28, 14, 14, 30, 80, 40, 11, 100],
    )
    gaps = _sheet(
        book,
        "Gaps",
        ["Requirement", "Status", "Kind", "Action", "Counts via"],
        [28, 12, 14, 90, 90],
    )
    for result in assessment.results:
        label = node_label(result.requirement.urn, library)
        counts = [
            len(result.with_signal(s)) for s in (Signal.POSITIVE, Signal.NEGATIVE, Signal.REVIEW)
        ]
        requirements.append(
            [
                _cell(v)
                for v in [
                    result.requirement.framework,
                    label,
                    result.requirement.name,
                    result.status.value,
                    result.reason,
                    *counts,
                    "\n".join(a.action for a in result.closing),
                    result.requirement.urn,
                ]
            ]
        )
        requirements.cell(requirements.max_row, 4).fill = PatternFill(
            "solid", fgColor=_FILL[result.status]
        )
        for contribution in result.contributions:
            evidence = contribution.evidence
            paths.append(
                [
                    _cell(v)
                    for v in [
                        label,
                        result.status.value,
                        evidence.signal.value,
                        evidence.id,
                        evidence.statement,
                        evidence.source,
                        contribution.confidence,
                        contribution.via(library),
                    ]
                ]
            )
        for action in result.closing:
            gaps.append(
                [
                    _cell(v)
                    for v in [
                        label,
                        result.status.value,
                        action.kind.value if action.kind else "",
                        action.action,
                        action.via,
                    ]
                ]
            )
    for sheet in (requirements, gaps):
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    evidence_sheet = _sheet(
        book,
        "Evidence",
        ["Id", "Kind", "Subject", "Signal", "Statement", "Source", "Remedy"],
        [30, 14, 45, 14, 80, 40, 60],
    )
    for item in assessment.evidence:
        evidence_sheet.append(
            [
                _cell(v)
                for v in [
                    item.id,
                    item.kind.value,
                    item.subject,
                    item.signal.value,
                    item.statement,
                    item.source,
                    item.remedy,
                ]
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
