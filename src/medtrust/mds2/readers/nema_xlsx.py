"""Reader for MDS2 workbooks in the NEMA HN 1-2019 layout (sheet ``mds2-form``, columns A-G).

Layout (NEMA example worksheet, ANSI/NEMA HN 1-2019): column A holds the question ID (sometimes
padded with spaces), B the question, C the answer, D the note reference (``__`` placeholder or
``See Note 1``), E-G the standard mappings (ignored here: they are catalogue data). Section
headings sit in column B (``AUTOMATIC LOGOFF (ALOF)``); after ``OTHER SECURITY CONSIDERATIONS
(OTHR)`` come free text, a ``Notes:`` label and rows ``Note N | text``.

The workbook is parsed with python-calamine (Rust) after :func:`check_xlsx_container` has
vetted the zip container; openpyxl is some 20 times slower on this form.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from python_calamine import CalamineWorkbook

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import AnswerKind, Mds2Form
from medtrust.errors import Mds2Error
from medtrust.mds2.answers import excel_serial_to_date, is_placeholder
from medtrust.mds2.readers.base import display_name, one_line
from medtrust.mds2.readers.builder import FormBuilder, id_shape
from medtrust.mds2.readers.limits import OLE2_MAGIC, ZIP_MAGIC, ReadLimits, check_xlsx_container

PREFERRED_SHEET = "mds2-form"
_NOTE_LABEL = re.compile(r"^note\s*(?:#|no\.?|nr\.?)?\s*(\d+)\s*[:.)-]?$", re.IGNORECASE)
_NOTE_INLINE = re.compile(r"^(note\s*(?:#|no\.?)?\s*\d+)\s*[:.)-]\s*(.*)$", re.IGNORECASE | re.S)
_HEADING_CODE = re.compile(r"\(\s*([A-Za-z]{3,4})\s*\)\s*$")
_OTHER_CODE = "OTHR"

Cell = int | float | str | bool | time | date | datetime | timedelta | None
Row = Sequence[Cell]


def cell_text(value: Cell) -> str | None:
    """A cell value as stripped text; None for empty cells. Dates become ISO dates."""
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip() or None


def _cell(row: Row, column: int) -> Cell:
    return row[column] if column < len(row) else None


def _ref(column: int, row_number: int) -> Location:
    return Location(LocationKind.CELL, f"{'ABCDEFG'[column]}{row_number}")


class NemaXlsxReader:
    """MDS2 workbook in the NEMA 2019 layout."""

    name = "nema-xlsx"

    def sniff(self, head: bytes, filename: str | None) -> bool:
        """Zip container (xlsx) or OLE2 (encrypted or legacy .xls) magic."""
        return head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC)

    def read(
        self,
        data: bytes,
        *,
        filename: str | None,
        catalogue: Mds2Catalogue,
        limits: ReadLimits | None = None,
    ) -> Mds2Form:
        """Read the workbook; raise :class:`Mds2Error` when it holds no MDS2 form."""
        name = display_name(filename)
        container = check_xlsx_container(data, name=name, limits=limits or ReadLimits())
        rows = _load_form_rows(data, name=name, catalogue=catalogue)
        builder = FormBuilder(catalogue, source_format=self.name, source_name=filename)
        _SheetParser(builder, date1904=container.date1904).parse(rows)
        return builder.build()


def _load_form_rows(data: bytes, *, name: str, catalogue: Mds2Catalogue) -> Sequence[Row]:
    """Rows of the sheet holding the form: ``mds2-form``, else the sheet with most IDs."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names: list[str] = list(workbook.sheet_names)
        preferred = [n for n in names if n.strip().lower() == PREFERRED_SHEET]
        ordered = preferred + [n for n in names if n not in preferred]
        best: Sequence[Row] | None = None
        best_count = 0
        for sheet_name in ordered:
            rows: Sequence[Row] = workbook.get_sheet_by_name(sheet_name).to_python(
                skip_empty_area=False
            )
            count = sum(1 for row in rows if row and _row_id(row, catalogue))
            if count > best_count:
                best, best_count = rows, count
            if sheet_name in preferred and count:
                break
    except Mds2Error:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises its own types and pyo3 panics
        raise Mds2Error(f"{name}: cannot read the workbook: {one_line(exc)}") from exc
    if best is None:
        raise Mds2Error(f"{name}: no MDS2 question IDs found in any sheet")
    return best


def _row_id(row: Row, catalogue: Mds2Catalogue) -> bool:
    text = cell_text(row[0])
    return text is not None and (text in catalogue or catalogue.resolve_id(text) is not None)


class _SheetParser:
    """Walks the rows of the form sheet once, feeding a :class:`FormBuilder`."""

    def __init__(self, builder: FormBuilder, *, date1904: bool) -> None:
        self.builder = builder
        self.date1904 = date1904
        self.catalogue = builder.catalogue
        self.section_codes = {s.code for s in self.catalogue.sections}
        self.in_other = False
        self.in_notes = False
        self.pending_heading: str | None = None

    def parse(self, rows: Sequence[Row]) -> None:
        start = _header_index(rows)
        for index in range(start, len(rows)):
            self._row(rows[index], index + 1)

    def _row(self, row: Row, number: int) -> None:
        a = cell_text(_cell(row, 0))
        b = cell_text(_cell(row, 1))
        if a is None and b is None:
            return
        if self._note_row(a, b, number):
            return
        if a is not None and (a in self.catalogue or id_shape(a) is not None):
            self._question_row(a, row, number)
            return
        if self._notes_label(a) or self._notes_label(b):
            self.in_other, self.in_notes = False, True
            return
        if b is not None:
            self._text_row(b)

    def _note_row(self, a: str | None, b: str | None, number: int) -> bool:
        location = Location(LocationKind.CELL, f"A{number}")
        if a is not None and _NOTE_LABEL.match(a):
            self.builder.add_note(a, b or "", location)
            self.in_other, self.in_notes = False, True
            return True
        if self.in_notes and a is None and b is not None:
            match = _NOTE_INLINE.match(b)
            if match:
                self.builder.add_note(match.group(1), match.group(2), location)
            else:
                self.builder.append_to_last_note(b)
            return True
        return False

    @staticmethod
    def _notes_label(text: str | None) -> bool:
        return text is not None and text.rstrip(":").strip().lower() in {"notes", "note"}

    def _question_row(self, id_text: str, row: Row, number: int) -> None:
        builder = self.builder
        id_location = _ref(0, number)
        question_id = builder.resolve(id_text, id_location)
        if question_id is None:
            return
        self.in_other = False
        question = self.catalogue.get(question_id)
        if question is not None and self.pending_heading is not None:
            builder.headings.setdefault(question.section, self.pending_heading)
        self.pending_heading = None
        answer = _cell(row, 2)
        raw = cell_text(answer)
        if question is not None and question.kind is AnswerKind.DATE:
            raw = self._date_text(answer, raw)
        note = cell_text(_cell(row, 3))
        builder.add_answer(
            question_id,
            raw,
            extra_note=None if is_placeholder(note) else note,
            location=_ref(2, number),
            id_location=id_location,
        )

    def _date_text(self, value: Cell, text: str | None) -> str | None:
        """Dates as ISO text; numbers as Excel serials in the workbook's date system."""
        if isinstance(value, float | int) and not isinstance(value, bool):
            converted = excel_serial_to_date(float(value), date1904=self.date1904)
            return converted.isoformat() if converted else text
        if isinstance(value, datetime):
            return value.date().isoformat()
        return text

    def _text_row(self, text: str) -> None:
        match = _HEADING_CODE.search(text)
        code = match.group(1).upper() if match else None
        if code == _OTHER_CODE:
            self.in_other, self.in_notes = True, False
            self.pending_heading = None
            return
        if self.in_other:
            self.builder.add_other(text)
            return
        if code is not None and code in self.section_codes:
            self.builder.headings.setdefault(code, text)
            self.pending_heading = None
        elif _looks_like_heading(text) and self.builder.count:
            self.pending_heading = text


def _looks_like_heading(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 8 and all(ch.isupper() for ch in letters)


def _header_index(rows: Sequence[Row]) -> int:
    """Index of the first row after the ``Question ID`` header (0 when there is none)."""
    for index, row in enumerate(rows[:50]):
        text = cell_text(_cell(row, 0))
        if text is not None and text.lower().replace(" ", "") == "questionid":
            return index + 1
    return 0
