"""The NEMA xlsx reader on NEMA's example workbook and on variants built by the tests."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import AnswerKind, Severity
from medtrust.errors import Mds2Error
from medtrust.mds2.readers import read_mds2, read_mds2_file
from tests.mds2.readers.layouts import CellValue, SheetSpec, nema_rows, row_of, write_workbook
from tests.shared_data import shared_file

EXAMPLE = "mds2/nema-example-mds2-2019.xlsx"
REFERENCE = "mds2/reference-question-catalogue.csv"


@pytest.fixture(scope="module")
def catalogue() -> Mds2Catalogue:
    return load_mds2_catalogue()


def _all_no(catalogue: Mds2Catalogue) -> dict[str, CellValue]:
    answers: dict[str, CellValue] = {}
    for question in catalogue.questions:
        if question.kind is AnswerKind.CHOICE:
            answers[question.id] = "No"
        elif question.kind is AnswerKind.DATE:
            answers[question.id] = date(2024, 3, 1)
        else:
            answers[question.id] = f"text for {question.id}"
    return answers


# -- NEMA's example workbook -------------------------------------------------------------------


def test_nema_example_answers_equal_reference_csv(catalogue: Mds2Catalogue) -> None:
    form = read_mds2_file(shared_file(EXAMPLE))
    with shared_file(REFERENCE).open(encoding="utf-8", newline="") as stream:
        reference = {
            row["question_id"]: row["nema_example_answer"] for row in csv.DictReader(stream)
        }
    assert len(reference) == 240
    assert list(form.answers) == list(catalogue.ids)
    assert form.read_issues == ()
    assert form.source_format == "nema-xlsx"
    for qid, expected in reference.items():
        answer = form.answers[qid]
        if qid == "DOC-7":
            assert expected == "43747"  # the serial of 2019-10-09 in the 1900 date system
            assert (answer.value, answer.raw) == ("2019-10-09", "2019-10-09")
        elif expected == "":
            assert (answer.value, answer.raw) == (None, None), qid
        else:
            assert answer.raw == expected, qid
            assert answer.value == ("See Note" if expected == "See Notes" else expected), qid
    sahd16 = form.answers["SAHD-16"]
    assert (sahd16.raw, sahd16.value, sahd16.note) == ("See Notes", "See Note", "See Note 6")
    assert form.answers["DOC-10"].note == "See Note 1"
    assert form.answers["SHAD-15"].value == "Yes"


def test_nema_example_notes_match_openpyxl(catalogue: Mds2Catalogue) -> None:
    """Differential check against openpyxl: column-D notes, Note N rows, OTHR text."""
    path: Path = shared_file(EXAMPLE)
    form = read_mds2_file(path)
    sheet = openpyxl.load_workbook(path, data_only=True)["mds2-form"]
    expected_notes: list[tuple[str, str]] = []
    for a, b, _c, d in sheet.iter_rows(min_col=1, max_col=4, values_only=True):
        label = str(a).strip() if a is not None else ""
        qid = catalogue.resolve_id(label) if label else None
        if qid is not None:
            note = str(d).strip() if d is not None else ""
            assert form.answers[qid].note == (None if set(note) <= {"_"} else note), qid
        elif label.startswith("Note "):
            expected_notes.append((label, str(b).strip()))
    assert [(n.label, n.text) for n in form.notes] == expected_notes
    assert [n.label for n in form.notes] == [f"Note {i}" for i in range(1, 9)]
    assert form.other_considerations == "NONE"
    assert form.headings["NAUT"] == "NODE AUTHENTICATION (NAUT)"
    assert form.headings["SBOM"] == "SOFTWARE BILL OF MATERIALS (SBoM)"
    assert form.headings["MPII"].startswith("MANAGEMENT OF PERSONALLY")


def test_locations_are_cells() -> None:
    form = read_mds2_file(shared_file(EXAMPLE))
    assert form.answers["DOC-1"].location == Location(LocationKind.CELL, "C6")
    assert form.notes[0].location == Location(LocationKind.CELL, "A342")


# -- variants built here -------------------------------------------------------------------


def test_variant_workbook_with_realistic_edits(catalogue: Mds2Catalogue) -> None:
    answers = _all_no(catalogue)
    answers["DOC-7"] = 43747  # a bare serial, not a date cell
    answers["AUTH-1"] = "Yes, LDAP"
    answers["SAHD-16"] = "See Notes"
    answers["CONN-1"] = "____"
    answers["PAUT-1"] = "Maybe"
    spec = SheetSpec(
        answers=answers,
        notes_column={"AUTH-1": "See Note 2", "SAHD-16": "See Note 1 ", "TXCF-1": "_____"},
        headings={"NAUT": "AUTHENTICATION (NAUT)"},
        id_text=lambda qid: f"  {qid} " if qid.startswith("AUDT") else qid,
        extra_rows={
            "ALOF-2": [["ZZZZ-9", "Not a question of the form", "Yes", None]],
            "DTBK-6": [["DTBK-2", "Repeated row", "Yes", None]],
        },
    )
    rows = nema_rows(catalogue, spec)
    cover: list[list[CellValue]] = [["Cover page"], ["Prepared for procurement"]]
    data = write_workbook([("Cover", cover), ("Product A", rows)])
    form = read_mds2(data, filename="variant.xlsx")

    assert list(form.answers) == list(catalogue.ids)
    assert form.answers["DOC-7"].value == "2019-10-09"
    assert form.answers["AUDT-2.8.1"].value == "No"
    auth = form.answers["AUTH-1"]
    assert (auth.value, auth.note, auth.raw) == ("Yes", "LDAP | See Note 2", "Yes, LDAP")
    assert (form.answers["SAHD-16"].value, form.answers["SAHD-16"].note) == (
        "See Note",
        "See Note 1",
    )
    assert (form.answers["CONN-1"].value, form.answers["CONN-1"].raw) == (None, "____")
    assert form.answers["TXCF-1"].note is None
    assert form.answers["DTBK-2"].value == "No"  # the first occurrence is kept
    assert form.headings["NAUT"] == "AUTHENTICATION (NAUT)"
    assert [n.label for n in form.notes] == ["Note 1", "Note 2"]

    by_code = {(i.code, i.question_id): i for i in form.read_issues}
    unknown = by_code[("unknown-id", None)]
    assert unknown.location == Location(LocationKind.CELL, f"A{row_of(rows, 'ZZZZ-9')}")
    duplicate = by_code[("duplicate-id", "DTBK-2")]
    first, second = (i for i, r in enumerate(rows, start=1) if r[0] == "DTBK-2")
    assert f"cell A{first}" in duplicate.message and f"cell A{second}" in duplicate.message
    unparseable = by_code[("unparseable-answer", "PAUT-1")]
    assert unparseable.location == Location(LocationKind.CELL, f"C{row_of(rows, 'PAUT-1')}")
    assert (form.answers["PAUT-1"].value, form.answers["PAUT-1"].raw) == (None, "Maybe")
    assert all(i.severity is Severity.ERROR for i in form.read_issues)
    assert len(form.read_issues) == 3


@pytest.mark.parametrize(
    ("cell", "date1904", "expected", "issue"),
    [
        (43747, False, "2019-10-09", None),
        (43747.75, False, "2019-10-09", None),
        (42285, True, "2019-10-09", None),  # 1904 date system: 1,462 days less
        (59, False, "1900-02-28", None),
        (61, False, "1900-03-01", None),
        (60, False, "60", "unparseable-date"),  # 1900-02-29 never existed (Lotus bug)
        (date(2020, 2, 29), False, "2020-02-29", None),
        ("2019-10-09", False, "2019-10-09", None),
        ("9 October 2019", False, "2019-10-09", None),
        ("10/09/2019", False, "2019-10-09", "ambiguous-date"),
        ("sometime in 2019", False, "sometime in 2019", "unparseable-date"),
    ],
)
def test_doc7_dates(
    catalogue: Mds2Catalogue,
    cell: CellValue,
    date1904: bool,
    expected: str,
    issue: str | None,
) -> None:
    answers = _all_no(catalogue)
    answers["DOC-7"] = cell
    data = write_workbook(
        [("mds2-form", nema_rows(catalogue, SheetSpec(answers)))], date1904=date1904
    )
    form = read_mds2(data, filename="dates.xlsx")
    assert form.answers["DOC-7"].value == expected
    codes = [i.code for i in form.read_issues]
    assert codes == ([issue] if issue else [])
    assert all(i.severity is Severity.WARNING for i in form.read_issues)


def test_layout_without_header_row_and_inline_note_rows(catalogue: Mds2Catalogue) -> None:
    spec = SheetSpec(answers=_all_no(catalogue), header_row=False, notes=(), other="No remarks.")
    rows = nema_rows(catalogue, spec)
    rows.append([None, "Note 1: written in column B", None, None])
    rows.append([None, "and continued on the next row", None, None])
    form = read_mds2(write_workbook([("Sheet1", rows)]), filename="b.xlsx")
    assert len(form.answers) == 240
    assert form.other_considerations == "No remarks."
    assert [(n.label, n.text) for n in form.notes] == [
        ("Note 1", "written in column B and continued on the next row")
    ]


def test_workbook_without_form(catalogue: Mds2Catalogue) -> None:
    data = write_workbook([("Inventory", [["Asset", "Model"], ["PUMP-A", "X1"]])])
    with pytest.raises(Mds2Error, match="no MDS2 question IDs found in any sheet") as info:
        read_mds2(data, filename="inventory.xlsx")
    assert "\n" not in str(info.value)
