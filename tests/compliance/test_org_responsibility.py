"""Shared-responsibility matrix (pure): MDS2 stances per TR 80001-2-2 capability, operator side."""

from __future__ import annotations

from medtrust.compliance.library import packaged_library
from medtrust.compliance.org_assessment import Answer, AnswerStatus
from medtrust.compliance.responsibility import (
    Party,
    capability_questions,
    decide_party,
    responsibility_matrix,
)

AUTH = "urn:medtrust:req:iec-tr-80001-2-2:AUTH"


def test_auth_capability_is_fed_by_auth_questions() -> None:
    questions = capability_questions(packaged_library(), AUTH)
    assert "AUTH-1" in questions
    assert list(questions) == sorted(questions)


def test_rows_split_answers_into_provided_open_and_unknown() -> None:
    library = packaged_library()
    questions = capability_questions(library, AUTH)
    stances = {questions[0]: "protective", questions[1]: "exposing"}
    matrix = responsibility_matrix(library, "device", stances, [])
    row = next(r for r in matrix.capabilities if r.capability.urn == AUTH)
    assert row.provided == (questions[0],)
    assert row.open == (questions[1],)
    assert set(row.unknown) == set(questions[2:])
    assert row.party is Party.SHARED
    assert questions[0] in row.hospital_action and "compensate" in row.hospital_action
    assert len(matrix.capabilities) == len(library.framework("iec-tr-80001-2-2").assessable())
    assert sum(matrix.party_counts().values()) == len(matrix.capabilities)


def test_all_protective_answers_make_it_the_manufacturers() -> None:
    library = packaged_library()
    stances = dict.fromkeys(capability_questions(library, AUTH), "protective")
    row = next(
        r
        for r in responsibility_matrix(library, "d", stances, []).capabilities
        if r.capability.urn == AUTH
    )
    assert row.party is Party.MANUFACTURER and not row.open and not row.unknown


def test_party_decision_table() -> None:
    assert decide_party(2, 0, 0) is Party.MANUFACTURER
    assert decide_party(0, 1, 0) is Party.HOSPITAL
    assert decide_party(0, 1, 3) is Party.HOSPITAL
    assert decide_party(1, 0, 1) is Party.SHARED
    assert decide_party(0, 0, 2) is Party.UNKNOWN
    assert decide_party(0, 0, 0) is Party.UNKNOWN


def test_operator_measures_take_status_from_nis2_answers() -> None:
    answers = [Answer("urn:medtrust:req:nis2:21.2.c", AnswerStatus.IMPLEMENTED, owner="IT")]
    matrix = responsibility_matrix(packaged_library(), "d", {}, answers)
    refs = [r.node.ref_id for r in matrix.operator_measures]
    assert refs and all(
        r.node.urn.startswith("urn:medtrust:req:mdcg-2019-16:annex-i:")
        for r in matrix.operator_measures
    )
    reached = [r for r in matrix.operator_measures if r.status is not None]
    # mdcg-2019-16-to-nis2 maps operator measures onto 21(2)(c) with intersect: partly at most.
    assert reached and all(r.status is AnswerStatus.PARTLY for r in reached)
    assert all("urn:medtrust:req:nis2:21.2.c" in r.explanation for r in reached)
