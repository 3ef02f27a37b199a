"""The MDS2 validator, on forms built in code."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medtrust.catalog.mds2 import (
    CATALOGUE_FILE,
    Mds2Catalogue,
    load_mds2_catalogue,
    parse_catalogue_data,
)
from medtrust.catalog.resources import read_packaged_yaml
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import Answer, FormNote, Issue, Mds2Form, Severity
from medtrust.mds2.validator import ValidationCode, ValidationReport, validate

CATALOGUE = load_mds2_catalogue()

#: a complete, consistent form: every choice item Yes except where a rule needs otherwise
_BASELINE: dict[str, str | None] = dict.fromkeys(CATALOGUE.ids, "Yes")
_BASELINE.update({f"DOC-{n}": f"document field {n}" for n in range(1, 7)})
_BASELINE.update(
    {
        "DOC-7": "2019-10-09",
        "DOC-11": "No",
        **{f"DOC-11.{n}": "N/A" for n in range(1, 5)},
        "PLOK-1": "No",
        "MLDP-3": "N/A",  # MLDP-2 = Yes
        "TXCF-2.1": "N/A",  # TXCF-2 = Yes
    }
)


def make_form(
    overrides: Mapping[str, str | None] | None = None,
    *,
    drop: tuple[str, ...] = (),
    notes: Mapping[str, str] | None = None,
    answer_notes: Mapping[str, str] | None = None,
    raws: Mapping[str, str] | None = None,
    read_issues: tuple[Issue, ...] = (),
    form_version: str = "2019",
) -> Mds2Form:
    """A form from the baseline, with some values replaced and some IDs left out."""
    values = dict(_BASELINE)
    values.update(overrides or {})
    answer_notes = answer_notes or {}
    raws = raws or {}
    answers = {
        qid: Answer(
            question_id=qid,
            value=value,
            note=answer_notes.get(qid),
            raw=raws.get(qid, value),
            location=Location(LocationKind.LINE, str(index)),
        )
        for index, (qid, value) in enumerate(values.items(), start=1)
        if qid not in drop
    }
    form_notes = tuple(FormNote(label, text) for label, text in (notes or {}).items())
    return Mds2Form(
        answers=answers, notes=form_notes, read_issues=read_issues, form_version=form_version
    )


def issues_of(report: ValidationReport) -> list[tuple[str, str | None]]:
    return [(i.code, i.question_id) for i in report.issues]


def check(form: Mds2Form) -> ValidationReport:
    return validate(form, CATALOGUE)


def test_consistent_complete_form_has_no_issue() -> None:
    report = check(make_form())
    assert report.issues == ()
    assert report.ok
    assert report.summary == "0 errors, 0 warnings"
    assert all(c.errors == 0 and c.warnings == 0 for c in report.section_counts)


def test_read_issues_are_kept() -> None:
    read = Issue(Severity.ERROR, "duplicate-id", "ALOF-1 appears twice", "ALOF-1")
    report = check(make_form(read_issues=(read,)))
    assert report.issues == (read,)
    assert not report.ok


# --- errors -----------------------------------------------------------------------------------


def test_choice_answer_outside_the_legend_is_an_error() -> None:
    report = check(make_form({"ALOF-1": "Maybe"}))
    assert issues_of(report) == [("invalid-answer", "ALOF-1")]
    (issue,) = report.errors
    assert issue.severity is Severity.ERROR
    assert issue.location == Location(LocationKind.LINE, str(CATALOGUE.ids.index("ALOF-1") + 1))
    assert "Maybe" in issue.message
    description = CATALOGUE.get("ALOF-1")
    assert description is not None and description.description in issue.message


def test_raw_answer_not_understood_is_an_error() -> None:
    report = check(make_form({"ALOF-2": None}, raws={"ALOF-2": "perhaps later"}))
    assert issues_of(report) == [("invalid-answer", "ALOF-2")]


def test_reader_reported_problem_is_not_reported_twice() -> None:
    read = Issue(Severity.ERROR, "unparseable-answer", "ALOF-2: perhaps", "ALOF-2")
    report = check(make_form({"ALOF-2": None}, raws={"ALOF-2": "perhaps"}, read_issues=(read,)))
    assert report.issues == (read,)


@pytest.mark.parametrize("value", ["09/10/2019", "2019-02-30", "soon", "2019-1-9"])
def test_doc7_must_be_an_iso_date(value: str) -> None:
    report = check(make_form({"DOC-7": value}))
    assert issues_of(report) == [("invalid-date", "DOC-7")]


def test_doc7_raw_date_that_could_not_be_read_is_an_error() -> None:
    report = check(make_form({"DOC-7": None}, raws={"DOC-7": "Octember 9th"}))
    assert issues_of(report) == [("invalid-date", "DOC-7")]


def test_unknown_id_in_answers_is_an_error() -> None:
    form = make_form()
    answers = dict(form.answers)
    answers["ABCD-1"] = Answer("ABCD-1", "Yes")
    report = check(Mds2Form(answers=answers))
    assert issues_of(report) == [("unknown-id", "ABCD-1")]


def test_other_form_version_is_an_error() -> None:
    report = check(make_form(form_version="2013"))
    assert issues_of(report) == [("form-version", None)]
    assert report.section_counts[-1].section is None
    assert report.section_counts[-1].errors == 1


# --- missing and unanswered -----------------------------------------------------------------


def test_missing_document_fields_are_warned_one_by_one() -> None:
    report = check(make_form({"DOC-5": "  "}, drop=("DOC-3",)))
    assert issues_of(report) == [
        ("missing-document-info", "DOC-3"),
        ("missing-document-info", "DOC-5"),
    ]
    assert report.ok


def test_missing_ids_are_listed_per_section() -> None:
    rmot = tuple(q.id for q in CATALOGUE.section_questions("RMOT"))
    report = check(make_form(drop=("AUDT-2.10", "AUDT-7.1", *rmot)))
    assert issues_of(report) == [
        ("missing-questions", "AUDT-2.10"),
        ("missing-questions", "RMOT-1"),
    ]
    audt, rmot_issue = report.issues
    assert "AUDT-2.10, AUDT-7.1" in audt.message and "2 of the 30" in audt.message
    assert "whole RMOT section" in rmot_issue.message and "6 questions" in rmot_issue.message


def test_unanswered_question_without_note() -> None:
    report = check(make_form({"SGUD-4": None, "SGUD-2": None}, answer_notes={"SGUD-2": "n/a"}))
    assert issues_of(report) == [("unanswered", "SGUD-4")]
    (issue,) = report.issues
    assert issue.severity is Severity.WARNING


def test_unanswered_is_fine_where_the_rules_expect_na() -> None:
    report = check(
        make_form({"RMOT-1": "No", "RMOT-1.1": None, "RMOT-1.2": "N/A", "RMOT-1.3": None})
    )
    assert report.issues == ()


# --- gates and rules --------------------------------------------------------------------------

_CSUP_REST = {q.id: "N/A" for q in CATALOGUE.section_questions("CSUP") if q.id != "CSUP-1"}


def test_gate_answered_outside_its_gate_values() -> None:
    report = check(make_form({"CSUP-1": "N/A"}))
    assert issues_of(report) == [("gate-violation", "CSUP-1")]
    message = report.issues[0].message
    assert "should be Yes or No" in message and "it is N/A" in message
    assert "CSUP-2 to CSUP-11.2" in message
    counts = {c.section: (c.errors, c.warnings) for c in report.section_counts}
    assert counts["CSUP"] == (0, 1)
    assert sum(w for _, w in counts.values()) == 1


def test_csup_1_no_makes_the_section_na() -> None:
    assert check(make_form({"CSUP-1": "No", **_CSUP_REST})).issues == ()
    report = check(make_form({"CSUP-1": "No", **_CSUP_REST, "CSUP-7": "Yes", "CSUP-8": "No"}))
    assert issues_of(report) == [("contradiction", "CSUP-7"), ("rule-violation", "CSUP-8")]


def test_csup_parent_na_while_child_answered() -> None:
    # the NEMA example: CSUP-3 = N/A, CSUP-3.4 = No
    kids = {"CSUP-3.1": "N/A", "CSUP-3.2": "N/A", "CSUP-3.3": "N/A", "CSUP-3.4": "No"}
    report = check(make_form({"CSUP-3": "N/A", **kids}))
    assert issues_of(report) == [("rule-violation", "CSUP-3.4")]
    message = report.issues[0].message
    assert "CSUP-3 = N/A" in message and "should be N/A; it is No" in message


def test_mldp_2_no_with_malware_notification_yes_is_a_contradiction() -> None:
    kids = {f"MLDP-2.{n}": "N/A" for n in range(1, 9)}
    report = check(make_form({"MLDP-2": "No", **kids, "MLDP-2.5": "Yes", "MLDP-3": "Yes"}))
    assert issues_of(report) == [("contradiction", "MLDP-2.5")]
    (issue,) = report.warnings
    mldp_2 = CATALOGUE.get("MLDP-2")
    mldp_25 = CATALOGUE.get("MLDP-2.5")
    assert mldp_2 is not None and mldp_25 is not None
    assert "MLDP-2 = No" in issue.message and "MLDP-2.5 = Yes" in issue.message
    assert mldp_2.description in issue.message and mldp_25.description in issue.message
    assert report.ok


def test_mldp_3_applies_only_when_mldp_2_is_no() -> None:
    assert issues_of(check(make_form({"MLDP-3": "No"}))) == [("rule-violation", "MLDP-3")]
    assert issues_of(check(make_form({"MLDP-3": "Yes"}))) == [("contradiction", "MLDP-3")]


def test_plok_1_software_only() -> None:
    rest = {"PLOK-2": "N/A", "PLOK-3": "N/A", "PLOK-4": "N/A"}
    assert check(make_form({"PLOK-1": "Yes", **rest})).issues == ()
    report = check(make_form({"PLOK-1": "Yes", **rest, "PLOK-3": "Yes"}))
    assert issues_of(report) == [("contradiction", "PLOK-3")]
    report = check(make_form({"PLOK-1": "See Note"}, answer_notes={"PLOK-1": "hybrid"}))
    assert issues_of(report) == [("gate-violation", "PLOK-1")]


def test_doc_11_no_expects_na_samd_items() -> None:
    report = check(make_form({"DOC-11.3": "Yes", "DOC-11.4": "No"}))
    assert issues_of(report) == [("contradiction", "DOC-11.3"), ("rule-violation", "DOC-11.4")]


def test_nested_rules_report_each_target_once_naming_the_broadest_gate() -> None:
    mpii = {q.id: "N/A" for q in CATALOGUE.section_questions("MPII") if q.id != "MPII-1"}
    report = check(make_form({"MPII-1": "No", **mpii, "MPII-2": "No", "MPII-2.4": "Yes"}))
    assert issues_of(report) == [("rule-violation", "MPII-2"), ("contradiction", "MPII-2.4")]
    assert report.issues[1].message.startswith("MPII-1 = No")


def test_see_note_on_a_target_is_a_rule_violation() -> None:
    report = check(
        make_form({"STCF-1": "No", "STCF-1.1": "See Note"}, answer_notes={"STCF-1.1": "Note 1"}),
    )
    assert ("rule-violation", "STCF-1.1") in issues_of(report)


def _catalogue_with_gate_on_csup_2() -> Mds2Catalogue:
    data: dict[str, Any] = copy.deepcopy(read_packaged_yaml(CATALOGUE_FILE))
    rule = next(r for r in data["rules"] if r["id"] == "csup-2-absent")
    rule["gate_values"] = ["Yes", "No"]
    return parse_catalogue_data(data)


def test_gate_is_not_judged_where_another_rule_makes_it_na() -> None:
    catalogue = _catalogue_with_gate_on_csup_2()
    assert validate(make_form({"CSUP-1": "No", **_CSUP_REST}), catalogue).issues == ()
    report = validate(
        make_form({"CSUP-2": "N/A", **{f"CSUP-2.{n}": "N/A" for n in range(1, 5)}}), catalogue
    )
    assert issues_of(report) == [("gate-violation", "CSUP-2")]


# --- notes ------------------------------------------------------------------------------------


def test_note_references_must_resolve() -> None:
    notes = {"Note 1": "first", "Note 2": "second"}
    form = make_form(
        {"SAHD-16": "See Note", "EMRG-1": "Yes"},
        answer_notes={"SAHD-16": "See Note 2", "EMRG-1": "See Note 3"},
        raws={"SAHD-16": "See Notes", "CONN-1": "Yes, see notes 1 and 4"},
        notes=notes,
    )
    report = check(form)
    assert issues_of(report) == [  # form order: EMRG comes before CONN
        ("dangling-note-reference", "EMRG-1"),
        ("dangling-note-reference", "CONN-1"),
    ]
    assert (
        "Note 4" in report.issues[1].message and "notes present: 1, 2" in report.issues[1].message
    )


def test_see_note_without_any_note() -> None:
    report = check(make_form({"SGUD-1": "See Note"}))
    assert issues_of(report) == [("note-missing", "SGUD-1")]
    fine = make_form({"SGUD-1": "See Note"}, raws={"SGUD-1": "See Note 1"}, notes={"Note 1": "x"})
    assert check(fine).issues == ()


# --- ordering and robustness --------------------------------------------------------------


def test_errors_come_first_then_by_question() -> None:
    report = check(make_form({"SGUD-4": None, "ALOF-1": "Maybe", "AUDT-1": "Perhaps"}))
    assert issues_of(report) == [
        ("invalid-answer", "ALOF-1"),
        ("invalid-answer", "AUDT-1"),
        ("unanswered", "SGUD-4"),
    ]


_VALUES = st.sampled_from(["Yes", "No", "N/A", "See Note", None, "Maybe", "", "2019-10-09"])


@settings(max_examples=60, deadline=None)
@given(
    values=st.dictionaries(st.sampled_from(CATALOGUE.ids), _VALUES, max_size=60),
    drop=st.lists(st.sampled_from(CATALOGUE.ids), max_size=20),
    notes=st.dictionaries(st.sampled_from(CATALOGUE.ids), st.text(max_size=20), max_size=5),
)
def test_any_form_gives_a_sorted_consistent_report(
    values: dict[str, str | None], drop: list[str], notes: dict[str, str]
) -> None:
    report = check(make_form(values, drop=tuple(drop), answer_notes=notes))
    position = {qid: n for n, qid in enumerate(CATALOGUE.ids)}
    keys = [
        (i.severity.value != "error", position.get(i.question_id or "", -1), i.code, i.message)
        for i in report.issues
    ]
    assert keys == sorted(keys)
    assert len(set(report.issues)) == len(report.issues)
    assert sum(c.errors for c in report.section_counts) == len(report.errors)
    assert sum(c.warnings for c in report.section_counts) == len(report.warnings)
    assert report.ok is (not report.errors)
    codes = {c.value for c in ValidationCode}
    for issue in report.issues:
        assert issue.code in codes
        assert issue.message
        if issue.code in {"rule-violation", "contradiction", "unanswered", "gate-violation"}:
            assert issue.severity is Severity.WARNING
            assert issue.location is not None
