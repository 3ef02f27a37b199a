from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.worksheet.worksheet import Worksheet

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Answer, AnswerKind, FormNote, Mds2Form
from medtrust.mds2.readers.registry import read_mds2
from medtrust.mds2.writers.json_document import JsonDocumentWriter
from medtrust.mds2.writers.xlsx_form import XlsxFormWriter
from tests.mds2.writers.strategies import clean_text, form_of, forms
from tests.shared_data import shared_file

HEADERS = [
    "Question ID",
    "Question",
    "Answer",
    "See note",
    "IEC TR 80001-2-2:2012",
    "NIST SP 800-53 Rev. 4",
    "ISO 27002:2013",
]
HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=cmd|'/c calc'!A0"]


def _write(form: Mds2Form) -> bytes:
    return XlsxFormWriter().write(form, catalogue=load_mds2_catalogue())


def _sheet(data: bytes) -> Worksheet:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["mds2-form"]
    sheet = workbook["mds2-form"]
    assert isinstance(sheet, Worksheet)
    return sheet


def _rows_by_id(sheet: Worksheet) -> dict[str, int]:
    return {
        str(row[0].value): row[0].row
        for row in sheet.iter_rows(min_row=6)
        if row[0].value is not None and load_mds2_catalogue().get(str(row[0].value))
    }


def _json(form: Mds2Form) -> bytes:
    return JsonDocumentWriter().write(form, catalogue=load_mds2_catalogue())


def _reread(data: bytes) -> Mds2Form:
    return read_mds2(data, filename="written.xlsx")


def test_layout_follows_the_nema_template() -> None:
    form = form_of({"DOC-1": "Acme", "DOC-3": "X-1", "DOC-4": "D-9", "DOC-7": "2024-05-01"})
    sheet = _sheet(_write(form))
    assert "medtrust" in str(sheet["A1"].value)
    assert sheet["A2"].value == (
        "Manufacturer Disclosure Statement for Medical Device Security -- MDS2"
    )
    assert [c.value for c in sheet[5]] == HEADERS
    rows = _rows_by_id(sheet)
    assert list(rows) == list(load_mds2_catalogue().ids)  # every question, in form order
    # running header formulas point at the DOC answer cells actually written
    expected = {"A3": "DOC-1", "B3": "DOC-3", "C3": "DOC-4", "D3": "DOC-7"}
    for cell, question in expected.items():
        assert sheet[cell].value == f"=C{rows[question]}"
    assert sheet[f"C{rows['DOC-1']}"].value == "Acme"


def test_every_question_row_has_our_description_and_the_raw_mapping_cells() -> None:
    catalogue = load_mds2_catalogue()
    sheet = _sheet(_write(Mds2Form(answers={})))
    rows = _rows_by_id(sheet)
    standards = sorted(catalogue.standards, key=lambda s: s.column)
    for question in catalogue.questions:
        row = rows[question.id]
        assert sheet.cell(row, 2).value == question.description
        for offset, standard in enumerate(standards):
            assert sheet.cell(row, 5 + offset).value == question.mappings_raw[standard.id]
    mapped = [q for q in catalogue.questions if any(q.mappings_raw.values())]
    assert mapped  # the mapping columns are really filled somewhere


def test_section_heading_rows_repeat_the_standard_names() -> None:
    catalogue = load_mds2_catalogue()
    sheet = _sheet(_write(Mds2Form(answers={})))
    headings = {
        str(row[1].value): [c.value for c in row[4:7]]
        for row in sheet.iter_rows(min_row=6)
        if row[0].value is None and row[4].value is not None
    }
    for section in catalogue.sections:
        if section.code == "DOC":
            continue
        assert headings[section.title] == HEADERS[4:]


def test_column_b_never_carries_the_nema_question_text() -> None:
    nema = openpyxl.load_workbook(shared_file("mds2/nema-example-mds2-2019.xlsx"))["mds2-form"]
    nema_texts = {
        str(row[1].value).strip()
        for row in nema.iter_rows(min_row=6, max_col=2)
        if row[0].value and row[1].value and load_mds2_catalogue().resolve_id(str(row[0].value))
    }
    sheet = _sheet(_write(Mds2Form(answers={})))
    ours = {str(row[1].value).strip() for row in sheet.iter_rows(min_row=6) if row[1].value}
    assert len(nema_texts) > 200
    assert not ours & nema_texts


def test_choice_cells_have_the_answer_list_validation() -> None:
    catalogue = load_mds2_catalogue()
    sheet = _sheet(_write(Mds2Form(answers={})))
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "list"
    assert validation.formula1 == '"Yes,No,N/A,See Note"'
    rows = _rows_by_id(sheet)
    for question in catalogue.questions:
        covered = f"C{rows[question.id]}" in validation.sqref
        assert covered == (question.kind is AnswerKind.CHOICE), question.id


def test_release_date_is_a_real_date_cell() -> None:
    sheet = _sheet(_write(form_of({"DOC-7": "2019-10-09"})))
    cell = sheet[f"C{_rows_by_id(sheet)['DOC-7']}"]
    assert cell.is_date
    assert cell.value == dt.datetime(2019, 10, 9)
    assert "yy" in cell.number_format


def test_print_setup_keeps_the_mapping_columns() -> None:
    sheet = _sheet(_write(Mds2Form(answers={})))
    assert sheet.print_area is not None
    assert sheet.print_area.startswith("'mds2-form'!$A$1:$G$")
    assert sheet.print_title_rows == "$3:$5"
    assert sheet.freeze_panes == "A6"
    assert sheet.page_setup.orientation == "landscape"
    assert all(sheet.column_dimensions[c].width for c in "ABCDEFG")


def test_other_considerations_and_notes_block() -> None:
    form = Mds2Form(
        answers={},
        notes=(FormNote("Note 1", "first"), FormNote("Note 2", "second")),
        other_considerations="Keep the device off the guest Wi-Fi.",
    )
    sheet = _sheet(_write(form))
    values = [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=6)]
    other = values.index((None, "OTHER SECURITY CONSIDERATIONS (OTHR)"))
    assert values[other + 1] == (None, "Keep the device off the guest Wi-Fi.")
    notes = values.index((None, "Notes:"))
    assert values[notes + 1 : notes + 3] == [("Note 1", "first"), ("Note 2", "second")]


def test_user_text_never_becomes_a_formula() -> None:
    catalogue = load_mds2_catalogue()
    ids = [q.id for q in catalogue.questions if q.kind is AnswerKind.TEXT][: len(HOSTILE)]
    answers = {
        qid: Answer(qid, text, note=text, raw=text) for qid, text in zip(ids, HOSTILE, strict=True)
    }
    form = Mds2Form(
        answers=answers,
        notes=(FormNote("=Note", "=1+1"),),
        other_considerations='=WEBSERVICE("http://x")',
    )
    data = _write(form)
    sheet = _sheet(data)
    rows = _rows_by_id(sheet)
    for qid, text in zip(ids, HOSTILE, strict=True):
        for column in (3, 4):
            cell = sheet.cell(rows[qid], column)
            assert cell.value == text.replace("\r", "\n")  # XML turns CR into LF
            assert cell.data_type == "s"
            assert cell.quotePrefix
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    # the only formulas are the four running-header references
    assert xml.count("<f>") == 4
    assert _reread(data).answers[ids[0]].raw == HOSTILE[0]


def test_control_characters_and_huge_text_do_not_break_the_workbook() -> None:
    form = form_of({"DOC-2": "pump\x00\x07 with\x1b codes"}, notes={"DOC-2": "x" * 40_000})
    sheet = _sheet(_write(form))
    row = _rows_by_id(sheet)["DOC-2"]
    assert sheet.cell(row, 3).value == "pump with codes"
    assert len(str(sheet.cell(row, 4).value)) == 32_767


def test_nema_example_round_trip_is_identical() -> None:
    data = shared_file("mds2/nema-example-mds2-2019.xlsx").read_bytes()
    first = read_mds2(data, filename="nema-example-mds2-2019.xlsx")
    first_json = _json(first)
    second = _reread(_write(first))
    assert not second.read_issues
    assert _json(second) == first_json
    document = json.loads(first_json)
    assert len(document["answers"]) == 240
    assert document["answers"]["DOC-10"] == {"value": None, "note": "See Note 1", "raw": None}


def test_inline_notes_in_the_answer_cell_are_not_doubled() -> None:
    question = "ALOF-1"
    form = Mds2Form(
        answers={
            question: Answer(question, "Yes", note="optional | See Note 2", raw="Yes,optional")
        }
    )
    again = _reread(_write(form)).answers[question]
    assert (again.value, again.note, again.raw) == ("Yes", "optional | See Note 2", "Yes,optional")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms(clean_text))
def test_reimport_gives_the_same_answers_and_notes(form: Mds2Form) -> None:
    again = _reread(_write(form))
    assert not [i for i in again.read_issues if i.severity == "error"]
    for qid, answer in form.answers.items():
        shown = again.answers.get(qid)
        actual = (shown.value, shown.note) if shown else (None, None)
        assert actual == (answer.value, answer.note), qid
    assert [(n.label, n.text) for n in again.notes] == [(n.label, n.text) for n in form.notes]
    assert again.other_considerations == form.other_considerations


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_xlsx_json_xlsx_json_is_a_fixpoint(form: Mds2Form) -> None:
    once = _reread(_write(form))
    twice = _reread(_write(once))
    assert _json(twice) == _json(once)


def test_opens_in_libreoffice(tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        reason = "LibreOffice (soffice) is not installed (.ci/run installs libreoffice-calc-nogui)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    data = shared_file("mds2/nema-example-mds2-2019.xlsx").read_bytes()
    source = tmp_path / "form.xlsx"
    source.write_bytes(_write(read_mds2(data, filename="nema.xlsx")))
    subprocess.run(
        [office, "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    lines = (tmp_path / "form.csv").read_text(encoding="utf-8", errors="replace").splitlines()
    # row 3: the running-header formulas were evaluated against DOC-1/3/4/7
    assert lines[2].startswith("Hidden,Hidden,Hidden,2019-10-09")
    assert lines[4].startswith("Question ID,Question,Answer,See note,IEC TR 80001-2-2:2012")
    assert any(line.startswith("ALOF-1,") for line in lines)
