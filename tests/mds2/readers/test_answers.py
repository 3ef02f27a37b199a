"""Answer normalisation: examples from real forms and properties over arbitrary text."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medtrust.domain.mds2 import AnswerKind, AnswerValue
from medtrust.mds2.answers import (
    SEPARATORS,
    clean_note,
    excel_serial_to_date,
    normalise_answer,
)

CHOICE = AnswerKind.CHOICE
QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


@pytest.mark.parametrize(
    ("raw", "value", "note"),
    [
        ("Yes", "Yes", None),
        ("  yes  ", "Yes", None),
        ("YES.", "Yes", None),
        ("No", "No", None),
        ("no,", "No", None),
        ("N/A", "N/A", None),
        ("n / a", "N/A", None),
        ("NA", "N/A", None),
        ("N.A.", "N/A", None),
        ("Not applicable", "N/A", None),
        ("N/A,", "N/A", None),
        ("See Note", "See Note", None),
        ("See Notes", "See Note", None),
        ("see note 3", "See Note", "See Note 3"),
        ("See Note #4", "See Note", "See Note 4"),
        ("See Notes 1, 2", "See Note", "See Note 1, 2"),
        ("See note 2: vendor only", "See Note", "See Note 2: vendor only"),
        ("Yes,optional", "Yes", "optional"),
        ("Yes, Optional", "Yes", "Optional"),
        ('Yes,"PACS, NAS"', "Yes", "PACS, NAS"),
        ("Yes,LDAP", "Yes", "LDAP"),
        ("No,Option to disable all removable media", "No", "Option to disable all removable media"),
        ("N/A: No default accounts", "N/A", "No default accounts"),
        ("No: No end-of-life components", "No", "No end-of-life components"),
        ("No; handled by the hospital", "No", "handled by the hospital"),
        ("Yes \u2013 with the service key", "Yes", "with the service key"),
        ("Yes,____", "Yes", None),
        ("____", None, None),
        ("__", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_choice_examples(raw: str | None, value: str | None, note: str | None) -> None:
    result = normalise_answer(raw, CHOICE)
    assert (result.value, result.note, result.ok) == (value, note, True)


@pytest.mark.parametrize("raw", ["Maybe", "Nothing", "NAS", "Yesterday", "Not sure", "Y", "?"])
def test_choice_not_understood(raw: str) -> None:
    result = normalise_answer(raw, CHOICE)
    assert (result.value, result.ok) == (None, False)


def test_text_and_date_kinds() -> None:
    assert normalise_answer("  Acme, Inc. ", AnswerKind.TEXT).value == "Acme, Inc."
    assert normalise_answer("____", AnswerKind.TEXT).value is None
    assert normalise_answer("October 9, 2019", AnswerKind.DATE).value == "2019-10-09"
    assert normalise_answer("2019-10-09T00:00:00", AnswerKind.DATE).value == "2019-10-09"
    assert normalise_answer("13/10/2019", AnswerKind.DATE).value == "2019-10-13"
    assert normalise_answer("43747", AnswerKind.DATE).value == "2019-10-09"
    bad = normalise_answer("31/31/2019", AnswerKind.DATE)
    assert (bad.value, bad.ok) == ("31/31/2019", False)


def test_excel_serials() -> None:
    assert excel_serial_to_date(1) == date(1900, 1, 1)
    assert excel_serial_to_date(59) == date(1900, 2, 28)
    assert excel_serial_to_date(60) is None
    assert excel_serial_to_date(61) == date(1900, 3, 1)
    assert excel_serial_to_date(43747) == date(2019, 10, 9)
    assert excel_serial_to_date(0, date1904=True) == date(1904, 1, 1)
    assert excel_serial_to_date(42285, date1904=True) == date(2019, 10, 9)
    assert excel_serial_to_date(-1) is None
    assert excel_serial_to_date(float("nan")) is None
    assert excel_serial_to_date(3_000_000) is None


note_text = st.text(min_size=1).filter(
    lambda t: (
        t.strip() != ""
        and t.strip()[0] not in SEPARATORS + QUOTES
        and set(t.strip()) - {"_", " "} != set()
        and t.strip()[-1] not in QUOTES
    )
)


@given(value=st.sampled_from(["Yes", "No", "N/A"]), note=note_text)
def test_inline_note_after_comma(value: str, note: str) -> None:
    result = normalise_answer(f"{value},{note}", CHOICE)
    assert result.value == value
    assert result.note == note.strip()


@given(value=st.sampled_from([v.value for v in AnswerValue]))
def test_normalised_values_are_fixed_points(value: str) -> None:
    result = normalise_answer(value, CHOICE)
    assert (result.value, result.note, result.ok) == (value, None, True)


@given(raw=st.one_of(st.none(), st.text()), kind=st.sampled_from(list(AnswerKind)))
def test_never_raises(raw: str | None, kind: AnswerKind) -> None:
    result = normalise_answer(raw, kind)
    if kind is AnswerKind.CHOICE:
        assert result.value is None or result.value in {v.value for v in AnswerValue}
        assert result.ok or result.value is None


@given(st.text())
def test_clean_note_is_idempotent(text: str) -> None:
    once = clean_note(text)
    assert clean_note(once) == once
