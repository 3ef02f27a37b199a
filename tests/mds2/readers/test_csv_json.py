"""CSV and medtrust JSON readers; format detection."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import AnswerKind
from medtrust.errors import Mds2Error, MedtrustError
from medtrust.mds2.document import document_json_schema, form_to_document
from medtrust.mds2.readers import READERS, detect_format, read_mds2, read_mds2_file
from tests.mds2.readers.test_text import pasted_form
from tests.shared_data import shared_file


@pytest.fixture(scope="module")
def catalogue() -> Mds2Catalogue:
    return load_mds2_catalogue()


def _csv_form(catalogue: Mds2Catalogue, delimiter: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Question ID", "Question", "Answer", "Notes"])
    for question in catalogue.questions:
        if question.kind is AnswerKind.CHOICE:
            answer, note = "No", ""
        elif question.kind is AnswerKind.DATE:
            answer, note = "2024-03-01", ""
        else:
            answer, note = f"Gerät {question.id}", ""
        if question.id == "AUTH-1":
            answer, note = "Yes, über LDAP", "Siehe Hinweis; Anmeldung"
        writer.writerow([question.id, f"Frage zu {question.id}?", answer, note])
    writer.writerow(["Note 1", "", "Geräte werden zentral verwaltet.", ""])
    writer.writerow(["OTHR", "", "Keine.", ""])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "cp1252"), (",", "utf-8"), ("\t", "utf-16")]
)
def test_csv_form(catalogue: Mds2Catalogue, delimiter: str, encoding: str) -> None:
    data = _csv_form(catalogue, delimiter).encode(encoding)
    assert detect_format(data, "form.csv") == "csv"
    form = read_mds2(data, filename="form.csv")
    assert form.source_format == "csv"
    assert form.read_issues == ()
    assert list(form.answers) == list(catalogue.ids)
    assert form.answers["DOC-1"].value == "Gerät DOC-1"
    auth = form.answers["AUTH-1"]
    assert (auth.value, auth.note) == ("Yes", "über LDAP | Siehe Hinweis; Anmeldung")
    assert auth.location == Location(LocationKind.ROW, str(2 + list(catalogue.ids).index("AUTH-1")))
    assert [(n.label, n.text) for n in form.notes] == [
        ("Note 1", "Geräte werden zentral verwaltet.")
    ]
    assert form.other_considerations == "Keine."


def test_csv_problems() -> None:
    data = b"ID,Answer\nDOC-8,Yes\nDOC-8,No\nFOO-1,Yes\nDOC-9,perhaps\n"
    form = read_mds2(data, filename="x.csv")
    codes = sorted((i.code, str(i.location)) for i in form.read_issues)
    assert codes == [
        ("duplicate-id", "row 3"),
        ("unknown-id", "row 4"),
        ("unparseable-answer", "row 5"),
    ]
    with pytest.raises(Mds2Error, match="no answer column"):
        read_mds2(b"ID,Remarks,Owner\nDOC-8,x,y\n", format="csv")


def test_json_round_trip_of_nema_example() -> None:
    form = read_mds2_file(shared_file("mds2/nema-example-mds2-2019.xlsx"))
    document = form_to_document(form)
    assert list(document["answers"])[:3] == ["DOC-1", "DOC-2", "DOC-3"]
    assert document["answers"]["SAHD-16"] == {
        "value": "See Note",
        "note": "See Note 6",
        "raw": "See Notes",
    }
    assert document["answers"]["DOC-10"] == {"value": None, "note": "See Note 1", "raw": None}
    data = json.dumps(document, indent=2).encode()
    assert detect_format(data, None) == "json"
    again = read_mds2(data, filename="form.json")
    assert again.read_issues == ()
    assert form_to_document(again) == document
    assert again.answers == {k: _relocated(v, k) for k, v in again.answers.items()}


def _relocated(answer: Any, key: str) -> Any:
    assert answer.location == Location(LocationKind.FIELD, f"answers/{key}")
    return answer


def test_json_round_trip_of_pasted_text(catalogue: Mds2Catalogue) -> None:
    text, _ = pasted_form(catalogue)
    form = read_mds2(text.encode(), filename="pasted.txt")
    document = form_to_document(form)
    again = read_mds2(("\ufeff" + json.dumps(document)).encode(), filename="f.json")
    assert form_to_document(again) == document


def test_json_document_matches_its_schema() -> None:
    schema = document_json_schema()
    assert schema["properties"]["schema"]["const"] == "medtrust-mds2-form"
    assert set(schema["required"]) >= {"schema", "schema_version", "form_version", "answers"}


def _document(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema": "medtrust-mds2-form",
        "schema_version": 1,
        "form_version": "2019",
        "answers": {"DOC-8": {"value": "Yes", "note": None, "raw": "Yes"}},
        "notes": [],
        "other_considerations": None,
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (_document(schema_version=2), "schema_version"),
        (_document(answers={"DOC-8": {"value": "Yes", "colour": "red"}}), "answers/DOC-8/colour"),
        (_document(answers=[]), "answers"),
        ([], "(document)"),
    ],
)
def test_json_wrong_schema(document: Any, message: str) -> None:
    with pytest.raises(Mds2Error) as info:
        read_mds2(json.dumps(document).encode() if document != [] else b"[]", format="json")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_json_syntax_error_and_nesting() -> None:
    with pytest.raises(Mds2Error, match=r"not valid JSON: .*line 2") as info:
        read_mds2(b'{"schema":\n tru}', filename="bad.json")
    assert "\n" not in str(info.value)
    with pytest.raises(Mds2Error, match="nested too deeply"):
        read_mds2(b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}", filename="deep.json")


def test_json_unknown_and_invalid_values_are_issues() -> None:
    answers = {
        "DOC-8": {"value": "Yes", "note": None, "raw": "Yes"},
        "ZZZZ-1": {"value": "Yes", "note": None, "raw": "Yes"},
        "SAHD-15": {"value": "Perhaps", "note": None, "raw": "Perhaps"},
        "DOC-7": {"value": "soon", "note": None, "raw": "soon"},
    }
    form = read_mds2(json.dumps(_document(answers=answers)).encode(), filename="f.json")
    issues = {(i.code, i.question_id, str(i.location)) for i in form.read_issues}
    assert issues == {
        ("unknown-id", None, "field answers/ZZZZ-1"),
        ("non-canonical-id", "SHAD-15", "field answers/SAHD-15"),
        ("unparseable-answer", "SHAD-15", "field answers/SAHD-15"),
        ("unparseable-date", "DOC-7", "field answers/DOC-7"),
    }
    assert list(form.answers) == ["DOC-7", "DOC-8", "SHAD-15"]
    assert form.answers["SHAD-15"].value is None


def test_registry_keys_and_detection() -> None:
    assert list(READERS) == ["nema-xlsx", "json", "csv", "text"]
    assert all(READERS[key]().name == key for key in READERS)
    assert detect_format(b"PK\x03\x04rest", "x.bin") == "nema-xlsx"
    assert detect_format(b"\xef\xbb\xbf  \n{}", None) == "json"
    assert detect_format(b"Question ID;Answer\nDOC-1;x\n", None) == "csv"
    assert detect_format(b"DOC-1:Manufacturer:Acme\n", "x.csv") == "text"
    with pytest.raises(MedtrustError, match="unknown MDS2 format"):
        read_mds2(b"DOC-1:x:y", format="pdf")
