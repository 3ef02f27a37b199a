"""Diff and comparison results as xlsx workbooks (a summary sheet and a detail sheet)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from medtrust.mds2.compare import Mds2Comparison, SectionSummary, Stance
from medtrust.mds2.diff import Direction, Mds2Diff
from medtrust.mds2.writers.cells import put_text

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
STANCE_FILLS = {
    Stance.PROTECTIVE: PatternFill("solid", fgColor="C6EFCE"),
    Stance.EXPOSING: PatternFill("solid", fgColor="FFC7CE"),
}
DIRECTION_FILLS = {
    Direction.IMPROVES: STANCE_FILLS[Stance.PROTECTIVE],
    Direction.WEAKENS: STANCE_FILLS[Stance.EXPOSING],
}
SUMMARY_HEADERS = (
    "Section",
    "Product",
    "Protective",
    "Exposing",
    "N/A",
    "See Note",
    "Descriptive",
    "Unanswered",
    "Total",
    "Protective ratio",
)


def _row(ws: Worksheet, values: Sequence[str | int | float | None], *, bold: bool = False) -> int:
    """Append a row; text goes through :func:`put_text` so it can never become a formula."""
    row = _next_row(ws)
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column)
        if isinstance(value, str):
            put_text(cell, value)
        else:
            cell.value = value
        cell.alignment = _WRAP
        if bold:
            cell.font = _BOLD
    return row


def _next_row(ws: Worksheet) -> int:
    """The first empty row (a new sheet reports max_row 1 even when empty)."""
    if ws.max_row == 1 and all(cell.value is None for cell in ws[1]):
        return 1
    return ws.max_row + 1


def _finish(ws: Worksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    ws.freeze_panes = "A2"


def _save(workbook: Workbook) -> bytes:
    workbook.properties.creator = "medtrust"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def diff_xlsx(result: Mds2Diff) -> bytes:
    """Sheet ``summary`` (counts) and sheet ``changes`` (one row per change)."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = "summary"
    _row(summary, ("Count", "Value"), bold=True)
    s = result.summary
    for label, number in (
        ("Questions changed", s.questions_changed),
        ("Added", s.added),
        ("Removed", s.removed),
        ("Changed", s.changed),
        ("Improves", s.improves),
        ("Weakens", s.weakens),
        ("Neutral", s.neutral),
        ("Unclear", s.unclear),
        ("Notes/OTHR changes", s.text_changes),
    ):
        _row(summary, (label, number))
    _finish(summary, (24, 10))
    changes = workbook.create_sheet("changes")
    headers = ("ID", "Question", "Part", "Change", "Before", "After", "Direction", "Explanation")
    _row(changes, headers, bold=True)
    for c in result.changes:
        row = _row(
            changes,
            (
                c.question_id,
                c.description,
                c.aspect.value,
                c.kind.value,
                c.before,
                c.after,
                c.direction.value,
                c.explanation,
            ),
        )
        fill = DIRECTION_FILLS.get(c.direction)
        if fill is not None:
            changes.cell(row=row, column=7).fill = fill
    for t in result.text_changes:
        _row(changes, (t.label, None, "text", t.kind.value, t.before, t.after, None, t.explanation))
    _finish(changes, (12, 48, 8, 10, 28, 28, 11, 70))
    return _save(workbook)


def _summary_values(summary: SectionSummary) -> tuple[str | int | float | None, ...]:
    return (
        summary.section,
        summary.label,
        summary.protective,
        summary.exposing,
        summary.not_applicable,
        summary.see_note,
        summary.descriptive,
        summary.unanswered,
        summary.total,
        summary.protective_ratio,
    )


def comparison_xlsx(result: Mds2Comparison) -> bytes:
    """Sheet ``summary`` (per section and product) and sheet ``detail`` (every question)."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = "summary"
    _row(summary, SUMMARY_HEADERS, bold=True)
    for section in result.sections:
        for item in section.summaries:
            _row(summary, _summary_values(item))
    for item in result.totals:
        _row(summary, _summary_values(item), bold=True)
    for cells in summary.iter_rows(min_row=2, min_col=10, max_col=10):
        cells[0].number_format = "0%"
    _finish(summary, (10, 24, 11, 10, 8, 9, 11, 11, 8, 15))
    detail = workbook.create_sheet("detail")
    labels = list(result.labels)
    _row(detail, ("Section", "ID", "Question", *labels, "Differs"), bold=True)
    for section in result.sections:
        for r in section.rows:
            values = [cell.value for cell in r.cells]
            row = _row(
                detail,
                (section.code, r.question_id, r.description, *values, "yes" if r.differs else ""),
            )
            for offset, cell in enumerate(r.cells):
                fill = STANCE_FILLS.get(cell.stance)
                if fill is not None:
                    detail.cell(row=row, column=4 + offset).fill = fill
    _finish(detail, (9, 11, 50, *([22] * len(labels)), 8))
    return _save(workbook)
