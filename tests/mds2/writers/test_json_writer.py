from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import AnswerKind, Mds2Form
from medtrust.mds2.document import Mds2DocumentV1, document_to_form
from medtrust.mds2.readers.registry import read_mds2
from medtrust.mds2.writers.json_document import JsonDocumentWriter, form_schema
from tests.mds2.writers.strategies import form_of, forms
from tests.shared_data import shared_file

CONTRACT_KEYS = [
    "schema",
    "schema_version",
    "form_version",
    "answers",
    "notes",
    "other_considerations",
]


def _write(form: Mds2Form) -> bytes:
    return JsonDocumentWriter().write(form, catalogue=load_mds2_catalogue())


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(form_schema())


def test_committed_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(form_schema())


def test_schema_choice_pattern_matches_the_catalogue_kinds() -> None:
    # the schema hard-codes DOC-1..DOC-7 as the only non-choice questions; keep it honest
    non_choice = {q.id for q in load_mds2_catalogue().questions if q.kind is not AnswerKind.CHOICE}
    assert non_choice == {f"DOC-{n}" for n in range(1, 8)}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_written_json_is_valid_against_the_schema_and_the_reader_model(form: Mds2Form) -> None:
    document = json.loads(_write(form))
    _validator().validate(document)
    Mds2DocumentV1.model_validate(document)
    assert list(document) == CONTRACT_KEYS


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_json_round_trip_through_the_reader_is_identical(form: Mds2Form) -> None:
    first = _write(form)
    again = _write(document_to_form(json.loads(first), catalogue=load_mds2_catalogue()))
    assert again == first


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms())
def test_answers_follow_form_order_whatever_the_input_order(form: Mds2Form) -> None:
    shuffled = Mds2Form(answers=dict(reversed(list(form.answers.items()))), notes=form.notes)
    document = json.loads(_write(shuffled))
    order = load_mds2_catalogue().ids
    positions = [order.index(qid) for qid in document["answers"]]
    assert positions == sorted(positions)


def test_output_is_deterministic_utf8_with_two_space_indent() -> None:
    form = form_of({"DOC-1": "Ἀθῆναι Medical 医疗", "ALOF-1": "Yes"}, notes={"ALOF-1": "5 min"})
    out = _write(form)
    assert out == _write(form)
    text = out.decode("utf-8")
    assert "Ἀθῆναι Medical 医疗" in text  # not \u-escaped
    assert '\n  "schema": "medtrust-mds2-form",' in text
    assert '\n    "DOC-1": {' in text
    assert text.endswith("}\n")
    assert json.loads(text)["answers"]["ALOF-1"] == {"value": "Yes", "note": "5 min", "raw": "Yes"}


def _minimal(**answers: Any) -> dict[str, Any]:
    return {
        "schema": "medtrust-mds2-form",
        "schema_version": 1,
        "form_version": "2019",
        "answers": answers,
        "notes": [],
        "other_considerations": None,
    }


@pytest.mark.parametrize(
    "document",
    [
        _minimal(**{"ALOF-1": {"value": "Maybe", "note": None, "raw": "Maybe"}}),
        _minimal(**{"alof-1": {"value": "Yes", "note": None, "raw": "Yes"}}),
        _minimal(**{"ALOF-1": {"value": "Yes", "note": None}}),
        _minimal(**{"ALOF-1": {"value": "Yes", "note": None, "raw": "Yes", "extra": 1}}),
        {**_minimal(), "schema_version": 2},
        {**_minimal(), "unexpected": True},
        {k: v for k, v in _minimal().items() if k != "notes"},
        {**_minimal(), "notes": [{"label": "Note 1"}]},
    ],
)
def test_schema_rejects_documents_that_break_the_contract(document: dict[str, Any]) -> None:
    assert not _validator().is_valid(document)


def test_schema_accepts_free_text_on_doc_questions() -> None:
    document = _minimal(**{"DOC-2": {"value": "Infusion pump", "note": None, "raw": "x"}})
    assert _validator().is_valid(document)


def test_nema_example_converts_to_240_answers_valid_against_the_schema() -> None:
    data = shared_file("mds2/nema-example-mds2-2019.xlsx").read_bytes()
    form = read_mds2(data, filename="nema-example-mds2-2019.xlsx")
    document = json.loads(_write(form))
    _validator().validate(document)
    assert len(document["answers"]) == 240
    assert list(document["answers"]) == list(load_mds2_catalogue().ids)
    assert document["answers"]["DOC-7"]["value"] == "2019-10-09"
    assert document["notes"][0]["label"] == "Note 1"
