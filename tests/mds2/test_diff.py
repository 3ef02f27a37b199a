from __future__ import annotations

import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Answer, FormNote, Mds2Form, Polarity, Question
from medtrust.mds2.diff import (
    AnswerChange,
    ChangeAspect,
    ChangeKind,
    Direction,
    Mds2ComparisonError,
    diff,
)
from medtrust.mds2.render.registry import DIFF_RENDERINGS, render_diff
from tests.mds2.writers.strategies import form_of, forms

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MIRROR_KIND = {
    ChangeKind.ADDED: ChangeKind.REMOVED,
    ChangeKind.REMOVED: ChangeKind.ADDED,
    ChangeKind.CHANGED: ChangeKind.CHANGED,
}


def _question(polarity: Polarity) -> Question:
    return next(
        q for q in load_mds2_catalogue().questions if q.polarity is polarity and q.kind == "choice"
    )


def _one(before: str | None, after: str | None, polarity: Polarity) -> AnswerChange:
    question = _question(polarity)
    result = diff(
        form_of({question.id: before}),
        form_of({question.id: after}),
        load_mds2_catalogue(),
    )
    (change,) = result.changes
    return change


@SLOW
@given(forms())
def test_a_form_has_no_differences_with_itself(form: Mds2Form) -> None:
    result = diff(form, form, load_mds2_catalogue())
    assert result.is_empty
    assert result.summary.questions_changed == 0


@SLOW
@given(forms(), forms())
def test_diff_in_both_directions_mirrors(a: Mds2Form, b: Mds2Form) -> None:
    catalogue = load_mds2_catalogue()
    forward, backward = diff(a, b, catalogue), diff(b, a, catalogue)
    mirrored = {
        (c.question_id, c.aspect, MIRROR_KIND[c.kind], c.after, c.before, c.direction.mirrored())
        for c in forward.changes
    }
    assert mirrored == {
        (c.question_id, c.aspect, c.kind, c.before, c.after, c.direction) for c in backward.changes
    }
    assert forward.summary.improves == backward.summary.weakens
    assert forward.summary.weakens == backward.summary.improves
    assert {(t.label, t.after, t.before) for t in forward.text_changes} == {
        (t.label, t.before, t.after) for t in backward.text_changes
    }


@SLOW
@given(forms(), forms())
def test_changes_come_in_form_order_and_only_where_something_differs(
    a: Mds2Form, b: Mds2Form
) -> None:
    catalogue = load_mds2_catalogue()
    result = diff(a, b, catalogue)
    order = catalogue.ids
    positions = [order.index(c.question_id) for c in result.changes]
    assert positions == sorted(positions)
    for change in result.changes:
        answer_a, answer_b = a.answers.get(change.question_id), b.answers.get(change.question_id)
        if change.aspect is ChangeAspect.VALUE:
            assert (answer_a.value if answer_a else None) != (answer_b.value if answer_b else None)
        else:
            assert (answer_a.note if answer_a else None) != (answer_b.note if answer_b else None)


@pytest.mark.parametrize(
    ("polarity", "before", "after", "direction"),
    [
        (Polarity.YES_PROTECTS, "No", "Yes", Direction.IMPROVES),
        (Polarity.YES_PROTECTS, "Yes", "No", Direction.WEAKENS),
        (Polarity.YES_EXPOSES, "No", "Yes", Direction.WEAKENS),
        (Polarity.YES_EXPOSES, "Yes", "No", Direction.IMPROVES),
        (Polarity.YES_PROTECTS, "Yes", "N/A", Direction.UNCLEAR),
        (Polarity.YES_PROTECTS, "See Note", "No", Direction.UNCLEAR),
        (Polarity.YES_EXPOSES, None, "No", Direction.UNCLEAR),
        (Polarity.NEUTRAL, "No", "Yes", Direction.NEUTRAL),
    ],
)
def test_direction_follows_polarity(
    polarity: Polarity, before: str | None, after: str | None, direction: Direction
) -> None:
    assert _one(before, after, polarity).direction is direction


def test_explanation_names_the_question_and_the_reason() -> None:
    question = _question(Polarity.YES_EXPOSES)
    change = _one("No", "Yes", Polarity.YES_EXPOSES)
    assert change.kind is ChangeKind.CHANGED
    assert change.explanation.startswith(f"{question.id} ({question.description}): answer changed")
    assert "'No' to 'Yes'" in change.explanation
    assert "No is the protective answer" in change.explanation
    assert "weakens" in change.explanation


def test_added_and_removed_answers_and_notes() -> None:
    catalogue = load_mds2_catalogue()
    a = form_of({"ALOF-1": None, "ALOF-2": "Yes"}, notes={"ALOF-2": "15 minutes"})
    b = form_of({"ALOF-1": "Yes", "ALOF-2": None})
    result = diff(a, b, catalogue)
    kinds = [(c.question_id, c.aspect, c.kind) for c in result.changes]
    assert kinds == [
        ("ALOF-1", ChangeAspect.VALUE, ChangeKind.ADDED),
        ("ALOF-2", ChangeAspect.VALUE, ChangeKind.REMOVED),
        ("ALOF-2", ChangeAspect.NOTE, ChangeKind.REMOVED),
    ]
    summary = result.summary
    assert (summary.questions_changed, summary.added, summary.removed) == (2, 1, 2)


def test_notes_block_and_other_considerations_changes() -> None:
    catalogue = load_mds2_catalogue()
    a = Mds2Form(
        answers={},
        notes=(FormNote("Note 1", "old"), FormNote("Note 2", "same")),
        other_considerations=None,
    )
    b = Mds2Form(
        answers={},
        notes=(FormNote("Note 2", "same"), FormNote("Note 3", "new")),
        other_considerations="Isolate on a VLAN.",
    )
    result = diff(a, b, catalogue)
    assert [(t.label, t.kind, t.before, t.after) for t in result.text_changes] == [
        ("Note 1", ChangeKind.REMOVED, "old", None),
        ("Note 3", ChangeKind.ADDED, None, "new"),
        ("OTHR", ChangeKind.ADDED, None, "Isolate on a VLAN."),
    ]
    assert not result.changes


def test_forms_of_different_editions_cannot_be_diffed() -> None:
    a = Mds2Form(answers={}, form_version="2019")
    b = Mds2Form(answers={}, form_version="2013")
    with pytest.raises(Mds2ComparisonError, match="different MDS2 editions"):
        diff(a, b, load_mds2_catalogue())


def test_raw_text_is_compared_when_the_value_was_not_understood() -> None:
    a = Mds2Form(answers={"ALOF-1": Answer("ALOF-1", None, raw="Perhaps")})
    b = Mds2Form(answers={"ALOF-1": Answer("ALOF-1", None, raw="Sometimes")})
    (change,) = diff(a, b, load_mds2_catalogue()).changes
    assert (change.before, change.after, change.direction) == (
        "Perhaps",
        "Sometimes",
        Direction.UNCLEAR,
    )


def test_every_rendering_shows_the_changes() -> None:
    catalogue = load_mds2_catalogue()
    question = _question(Polarity.YES_PROTECTS)
    hostile = "<script>x</script> [bold]=1"
    a = form_of({question.id: "Yes"})
    b = form_of({question.id: "No"}, notes={question.id: hostile})
    result = diff(a, b, catalogue)
    assert sorted(DIFF_RENDERINGS) == ["html", "json", "table", "xlsx"]
    table = render_diff(result, "table").decode("utf-8")
    assert question.id in table
    assert "weakens" in table
    assert "[bold]=1" in table  # not taken as rich markup
    data = json.loads(render_diff(result, "json"))
    assert data["schema"] == "medtrust-mds2-diff"
    assert data["summary"]["weakens"] == 1
    assert data["changes"][0]["direction"] == "weakens"
    html = render_diff(result, "html").decode("utf-8")
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html
    assert 'class="weakens"' in html
    workbook = openpyxl.load_workbook(io.BytesIO(render_diff(result, "xlsx")))
    assert workbook.sheetnames == ["summary", "changes"]
    changes = list(workbook["changes"].iter_rows(min_row=2, values_only=True))
    assert [row[:4] for row in changes] == [
        (question.id, question.description, "value", "changed"),
        (question.id, question.description, "note", "added"),
    ]
    assert changes[1][5] == hostile  # stored as text, not as a formula or markup
