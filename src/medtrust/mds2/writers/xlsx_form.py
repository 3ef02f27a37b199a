"""The MDS2 form as an xlsx workbook in the NEMA HN 1-2019 7-column layout.

Layout (after NEMA's example worksheet, sheet ``mds2-form``): row 1 a notice, row 2 the title,
row 3 a running header of formulas pointing at DOC-1/DOC-3/DOC-4/DOC-7, row 5 the column
headers, the DOC rows, the answer legend, then per section a heading row, a description row and
the question rows; finally OTHR with its text, ``Notes:`` and the ``Note N`` rows.

Column B holds medtrust's own short description of each question (never NEMA's question text);
columns E-G hold the form's mapping cells exactly as printed. Unlike the official template,
the print area covers A:G so printed copies keep the mapping columns.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Answer, AnswerKind, Mds2Form, Question
from medtrust.mds2.answers import normalise_answer
from medtrust.mds2.writers.cells import put_text

SHEET_NAME = "mds2-form"
TITLE = "Manufacturer Disclosure Statement for Medical Device Security -- MDS2"
OTHR_CODE = "OTHR"
OTHR_HEADING = "OTHER SECURITY CONSIDERATIONS (OTHR)"
CHOICE_LIST = '"Yes,No,N/A,See Note"'
HEADER_ROW = 5
FIRST_DATA_ROW = HEADER_ROW + 1
DATE_FORMAT = "yyyy-mm-dd"
#: how readers join an inline note (in the answer cell) and the column-D note
NOTE_JOINER = " | "
#: running header (row 3): column -> question whose answer cell it shows
RUNNING_HEADER = (("A", "DOC-1"), ("B", "DOC-3"), ("C", "DOC-4"), ("D", "DOC-7"))
LINE_HEIGHT = 15  # points per line at the default 11 pt font
MAX_ROW_HEIGHT = 409  # Excel's limit, in points
COLUMN_WIDTHS = {"A": 14, "B": 62, "C": 24, "D": 30, "E": 22, "F": 24, "G": 30}

_BOLD = Font(bold=True)
_HEADING_FILL = PatternFill("solid", fgColor="D9D9D9")
_WRAP = Alignment(wrap_text=True, vertical="top")


def notice_text(form: Mds2Form) -> str:
    """Row 1: says where the workbook comes from and that column B is medtrust's wording."""
    source = f" ({form.source_name})" if form.source_name else ""
    return (
        f"Produced by medtrust from an MDS2 disclosure{source}. Answers and notes are the "
        "manufacturer's; column B holds medtrust's own short descriptions, not the form's "
        "question text."
    )


def parse_iso_date(text: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` date, or None when ``text`` is not one."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def answer_cell_value(question: Question, answer: Answer | None) -> dt.date | str | None:
    """What goes into column C: a real date for a dated answer, else the original text."""
    if answer is None:
        return None
    if question.kind is AnswerKind.DATE:
        date = parse_iso_date(answer.value)
        if date is not None:
            return date
    return answer.raw if answer.raw is not None else answer.value


def note_cell_value(question: Question, answer: Answer | None) -> str | None:
    """What goes into column D: the answer's note without the part column C already carries.

    Column C holds the original answer text, which may carry an inline note (``Yes,optional``).
    A reader joins that inline note and column D with `` | ``; writing the full note into D as
    well would double it on re-import, so the inline part is left out of D.
    """
    if answer is None or answer.note is None:
        return None
    note = answer.note
    if answer.raw is None or question.kind is not AnswerKind.CHOICE:
        return note
    inline = normalise_answer(answer.raw, question.kind).note
    if inline is None:
        return note
    if note == inline:
        return None
    if note.startswith(inline + NOTE_JOINER):
        return note[len(inline) + len(NOTE_JOINER) :]
    return note


def _ranges(rows: Sequence[int], column: str) -> list[str]:
    """Compact ranges for a sorted list of rows, e.g. ``["C14", "C16:C20"]``."""
    parts: list[str] = []
    start = prev = None
    for row in [*rows, None]:
        if row is not None and prev is not None and row == prev + 1:
            prev = row
            continue
        if start is not None and prev is not None:
            parts.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
        start = prev = row
    return parts


def line_count(text: str, width: float) -> int:
    """Lines a wrapped text needs in a column of ``width`` (Excel width units, ~ characters)."""
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _fit_row_heights(ws: Worksheet, last_row: int) -> None:
    """Set row heights for wrapped text: neither Excel nor LibreOffice grows them on load."""
    widths = [COLUMN_WIDTHS[get_column_letter(c)] for c in range(1, 8)]
    for row in range(1, last_row + 1):
        lines = 1
        for column in range(1, 8):
            value = ws.cell(row=row, column=column).value
            if isinstance(value, str) and not value.startswith("=C"):
                width = sum(widths) if row == 1 else widths[column - 1]
                lines = max(lines, line_count(value, width))
        if lines > 1:
            ws.row_dimensions[row].height = min(MAX_ROW_HEIGHT, lines * LINE_HEIGHT)


class _Sheet:
    """Appends rows to the worksheet and remembers where things went."""

    def __init__(self, ws: Worksheet, catalogue: Mds2Catalogue) -> None:
        ordered = sorted(catalogue.standards, key=lambda s: s.column)
        self.ws = ws
        self.standard_ids = [s.id for s in ordered]
        self.standards = [s.title for s in ordered]
        self.row = 0
        self.question_rows: dict[str, int] = {}
        self.choice_rows: list[int] = []

    def next_row(self) -> int:
        self.row += 1
        return self.row

    def fixed(self, row: int, values: Iterable[str | None], *, bold: bool = False) -> None:
        for column, value in enumerate(values, start=1):
            cell = self.ws.cell(row=row, column=column, value=value)
            if bold:
                cell.font = _BOLD
            cell.alignment = _WRAP

    def heading(self, text: str) -> None:
        row = self.next_row()
        self.fixed(row, (None, text, None, None, *self.standards), bold=True)
        for column in range(1, 4 + len(self.standards) + 1):
            self.ws.cell(row=row, column=column).fill = _HEADING_FILL

    def question(self, question: Question, answer: Answer | None) -> None:
        row = self.next_row()
        self.question_rows[question.id] = row
        ws = self.ws
        ws.cell(row=row, column=1, value=question.id)
        ws.cell(row=row, column=2, value=question.description).alignment = Alignment(
            wrap_text=True, vertical="top", indent=question.depth - 1
        )
        value = answer_cell_value(question, answer)
        answer_cell = ws.cell(row=row, column=3)
        if isinstance(value, dt.date):
            answer_cell.value = value
            answer_cell.number_format = DATE_FORMAT
        else:
            put_text(answer_cell, value)
        put_text(ws.cell(row=row, column=4), note_cell_value(question, answer))
        for offset, standard in enumerate(self.standard_ids):
            put_text(ws.cell(row=row, column=5 + offset), question.mappings_raw.get(standard))
        for column in range(1, 8):
            if column != 2:
                ws.cell(row=row, column=column).alignment = _WRAP
        if question.kind is AnswerKind.CHOICE:
            self.choice_rows.append(row)


class XlsxFormWriter:
    """Writes the form as an xlsx workbook in the NEMA 7-column layout."""

    name = "xlsx"
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = ".xlsx"

    def write(self, form: Mds2Form, *, catalogue: Mds2Catalogue) -> bytes:
        """Encode ``form`` as an xlsx workbook."""
        workbook = Workbook()
        ws = workbook.active
        assert ws is not None  # a new workbook always has one sheet
        ws.title = SHEET_NAME
        sheet = _Sheet(ws, catalogue)
        self._preamble(sheet, form)
        self._questions(sheet, form, catalogue)
        self._other(sheet, form, catalogue)
        self._running_header(sheet)
        self._validation(sheet)
        self._page_setup(ws, sheet.row)
        _fit_row_heights(ws, sheet.row)
        workbook.properties.creator = "medtrust"
        workbook.properties.title = "MDS2 (medtrust)"
        workbook.calculation.fullCalcOnLoad = True
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _preamble(sheet: _Sheet, form: Mds2Form) -> None:
        ws = sheet.ws
        put_text(ws.cell(row=sheet.next_row(), column=1), notice_text(form))
        ws.merge_cells("A1:G1")
        ws["A1"].alignment = _WRAP
        ws.cell(row=sheet.next_row(), column=1, value=TITLE).font = Font(bold=True, size=16)
        sheet.row = HEADER_ROW - 1  # row 3: running header (filled later), row 4: blank
        headers = ("Question ID", "Question", "Answer", "See note", *sheet.standards)
        sheet.fixed(sheet.next_row(), headers, bold=True)

    @staticmethod
    def _questions(sheet: _Sheet, form: Mds2Form, catalogue: Mds2Catalogue) -> None:
        for section in catalogue.sections:
            questions = catalogue.section_questions(section.code)
            if section.code == OTHR_CODE:
                continue  # written last, by _other()
            if section.code != "DOC":
                sheet.heading(section.title or section.code)
                row = sheet.next_row()
                sheet.fixed(row, (None, section.description))
            for question in questions:
                sheet.question(question, form.answers.get(question.id))
            if section.code == "DOC":
                sheet.next_row()
                sheet.fixed(sheet.next_row(), (None, None, "Yes, No, N/A, or See Note", "Note #"))
                sheet.ws.cell(row=sheet.row, column=3).font = _BOLD
                sheet.ws.cell(row=sheet.row, column=4).font = _BOLD
            else:
                sheet.next_row()

    @staticmethod
    def _other(sheet: _Sheet, form: Mds2Form, catalogue: Mds2Catalogue) -> None:
        # No description row here: readers take any text below this heading as OTHR text.
        ws = sheet.ws
        other = catalogue.section(OTHR_CODE)
        sheet.heading(other.title if other is not None and other.title else OTHR_HEADING)
        text_cell = ws.cell(row=sheet.next_row(), column=2)
        put_text(text_cell, form.other_considerations)
        text_cell.alignment = _WRAP
        sheet.next_row()
        ws.cell(row=sheet.next_row(), column=2, value="Notes:").font = _BOLD
        for note in form.notes:
            row = sheet.next_row()
            put_text(ws.cell(row=row, column=1), note.label)
            put_text(ws.cell(row=row, column=2), note.text)
            ws.cell(row=row, column=1).alignment = _WRAP
            ws.cell(row=row, column=2).alignment = _WRAP

    @staticmethod
    def _running_header(sheet: _Sheet) -> None:
        for column, question_id in RUNNING_HEADER:
            row = sheet.question_rows.get(question_id)
            if row is None:
                continue
            cell = sheet.ws[f"{column}3"]
            cell.value = f"=C{row}"
            cell.font = _BOLD
            if question_id == "DOC-7":
                cell.number_format = DATE_FORMAT

    @staticmethod
    def _validation(sheet: _Sheet) -> None:
        if not sheet.choice_rows:
            return
        validation = DataValidation(
            type="list",
            formula1=CHOICE_LIST,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle="MDS2 answer",
            error="The form's answers are Yes, No, N/A or See Note (details in column D).",
        )
        for cell_range in _ranges(sheet.choice_rows, "C"):
            validation.add(cell_range)
        sheet.ws.add_data_validation(validation)

    @staticmethod
    def _page_setup(ws: Worksheet, last_row: int) -> None:
        for column, width in COLUMN_WIDTHS.items():
            ws.column_dimensions[column].width = width
        ws.freeze_panes = f"A{FIRST_DATA_ROW}"
        ws.print_area = f"A1:{get_column_letter(7)}{last_row}"
        ws.print_title_rows = f"3:{HEADER_ROW}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        footer = ws.oddFooter
        if footer is not None:
            footer.center.text = "Page &P of &N"
