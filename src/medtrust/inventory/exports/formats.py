"""Register exporters: JSON, CSV, xlsx (openpyxl) and PDF (fpdf2), by stable name."""

from __future__ import annotations

import csv
import io
import json
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from medtrust.errors import InputError
from medtrust.inventory.exports.table import RegisterTable
from medtrust.inventory.normalise import neutralise_cell
from medtrust.mds2.writers.pdf_print import pdf_font


@dataclass(frozen=True, slots=True)
class RegisterFormat:
    """An exporter: media type, file suffix and the renderer."""

    name: str
    media_type: str
    suffix: str
    render: Callable[[RegisterTable], bytes]


def render_json(table: RegisterTable) -> bytes:
    """Rows as objects keyed by column name (values as stored: JSON is not evaluated)."""
    payload = {
        "title": table.title,
        "generated_at": table.generated_at.isoformat(),
        "summary": list(table.summary),
        "rows": [dict(zip(table.columns, row, strict=True)) for row in table.rows],
    }
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_csv(table: RegisterTable) -> bytes:
    """UTF-8 CSV with BOM (spreadsheet programs detect it); formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([neutralise_cell(c) for c in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def render_xlsx(table: RegisterTable) -> bytes:
    """One sheet with a frozen, filterable header; every cell is a string, never a formula."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "register"
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in (f"generated {table.generated_at.isoformat(timespec='seconds')}", *table.summary):
        sheet.append([line])
    header_row = sheet.max_row + 2
    for col, name in enumerate(table.columns, start=1):
        cell = sheet.cell(row=header_row, column=col, value=name)
        cell.font = Font(bold=True)
    for r, row in enumerate(table.rows, start=header_row + 1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=neutralise_cell(value))
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=False, vertical="top")
    sheet.freeze_panes = f"A{header_row + 1}"
    last_column = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + max(len(table.rows), 1)}"
    for col, width in enumerate(table.widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = 12 * width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _wrap(text: str, width_chars: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width=max(width_chars, 4), break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            lines[max_lines - 1][: max(width_chars - 5, 1)] + " [...]",
        ]
    return lines


def render_pdf(table: RegisterTable) -> bytes:
    """A4 landscape table, header repeated on every page.

    Cells are wrapped by an estimate of characters per line (fast: no per-glyph layout, so a
    register of thousands of rows renders in seconds) and cut after a few lines; the xlsx, CSV
    and JSON exports carry the full text.
    """
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    family, clean = pdf_font(pdf)
    total = sum(table.widths)
    widths = [277 * w / total for w in table.widths]
    size, line_h = 6.0, 2.6
    chars = [int(w / (size * 0.352 * 0.56)) for w in widths]

    def draw_row(cells: Sequence[str], *, bold: bool, max_lines: int) -> None:
        wrapped = [_wrap(clean(c), n, max_lines) for c, n in zip(cells, chars, strict=True)]
        height = line_h * max(len(w) for w in wrapped) + 1
        if pdf.get_y() + height > pdf.h - 10:
            pdf.add_page()
            draw_row(table.columns, bold=True, max_lines=3)
        y, x = pdf.get_y(), pdf.l_margin
        pdf.set_font(family, "B" if bold else "", size)
        for lines, width in zip(wrapped, widths, strict=True):
            for index, line in enumerate(lines):
                pdf.text(x + 0.8, y + line_h * (index + 1), line)
            x += width
        pdf.set_draw_color(200, 205, 215)
        pdf.line(pdf.l_margin, y + height, pdf.l_margin + sum(widths), y + height)
        pdf.set_y(y + height)

    pdf.add_page()
    pdf.set_font(family, "B", 13)
    pdf.cell(0, 8, clean(table.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "", 8)
    for line in (f"generated {table.generated_at.isoformat(timespec='seconds')}", *table.summary):
        pdf.cell(0, 5, clean(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    draw_row(table.columns, bold=True, max_lines=3)
    for values in table.rows:
        draw_row(values, bold=False, max_lines=6)
    return bytes(pdf.output())


FORMATS: dict[str, RegisterFormat] = {
    "csv": RegisterFormat("csv", "text/csv; charset=utf-8", ".csv", render_csv),
    "json": RegisterFormat("json", "application/json", ".json", render_json),
    "pdf": RegisterFormat("pdf", "application/pdf", ".pdf", render_pdf),
    "xlsx": RegisterFormat(
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".xlsx",
        render_xlsx,
    ),
}


def get_format(name: str) -> RegisterFormat:
    """The exporter called ``name``; InputError listing the choices otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise InputError(
            f"unknown register format {name!r}; use one of {', '.join(sorted(FORMATS))}"
        ) from None
