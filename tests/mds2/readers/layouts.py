"""Build MDS2 documents for reader tests: NEMA-layout workbooks (openpyxl) and pasted text.

Everything here is written by the tests from the packaged catalogue and our own wording; no
third-party form text is copied.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from medtrust.catalog.mds2 import Mds2Catalogue

CellValue = str | int | float | date | None


@dataclass
class SheetSpec:
    """What to put into a NEMA-layout sheet."""

    answers: Mapping[str, CellValue]
    notes_column: Mapping[str, str] = field(default_factory=dict)
    headings: Mapping[str, str] = field(default_factory=dict)
    id_text: Callable[[str], str] = str
    extra_rows: Mapping[str, Sequence[Sequence[CellValue]]] = field(default_factory=dict)
    notes: Sequence[tuple[str, str]] = (("Note 1", "First note."), ("Note 2", "Second note."))
    other: str | None = "NONE"
    header_row: bool = True


def nema_rows(catalogue: Mds2Catalogue, spec: SheetSpec) -> list[list[CellValue]]:
    """Rows A..D of a form in the NEMA 2019 layout (title, header, sections, OTHR, notes)."""
    rows: list[list[CellValue]] = [
        ["THIS IS A TEST WORKBOOK", None, None, None],
        ["Manufacturer Disclosure Statement (test)", None, None, None],
        [None, None, None, None],
    ]
    if spec.header_row:
        rows.append(["Question ID", "Question", None, "See note"])
    section = None
    for question in catalogue.questions:
        if question.section != section:
            section = question.section
            if section != "DOC":
                default = (catalogue.section(section) or catalogue.sections[0]).title
                rows.append([None, None, None, None])
                rows.append([None, spec.headings.get(section, default), None, None])
                rows.append([None, f"What the {section} section is about.", None, None])
        note = spec.notes_column.get(question.id, "__")
        rows.append(
            [
                spec.id_text(question.id),
                f"Question {question.id}?",
                spec.answers.get(question.id),
                note,
            ]
        )
        for extra in spec.extra_rows.get(question.id, ()):
            rows.append(list(extra))
    rows.append([None, None, None, None])
    rows.append([None, "OTHER SECURITY CONSIDERATIONS (OTHR)", None, None])
    if spec.other is not None:
        rows.append([" ", spec.other, None, None])
    rows.append([None, "Notes:", None, None])
    for label, text in spec.notes:
        rows.append([label, text, None, None])
    return rows


def write_workbook(
    sheets: Sequence[tuple[str, Sequence[Sequence[CellValue]]]], *, date1904: bool = False
) -> bytes:
    """An xlsx with the given sheets (name, rows), written by openpyxl."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    if date1904:
        workbook.epoch = CALENDAR_MAC_1904
    for name, rows in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def nema_workbook(catalogue: Mds2Catalogue, spec: SheetSpec, *, sheet: str = "mds2-form") -> bytes:
    """A one-sheet NEMA-layout workbook."""
    return write_workbook([(sheet, nema_rows(catalogue, spec))])


def row_of(rows: Sequence[Sequence[CellValue]], question_id: str) -> int:
    """1-based row number of the first row whose column A is ``question_id``."""
    for index, row in enumerate(rows, start=1):
        if isinstance(row[0], str) and row[0].strip() == question_id:
            return index
    raise KeyError(question_id)
