from __future__ import annotations

import io
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings

from medtrust.catalog.mds2 import load_mds2_catalogue
from medtrust.domain.mds2 import Mds2Form, Polarity
from medtrust.mds2.compare import Mds2Comparison, compare
from medtrust.mds2.diff import Mds2ComparisonError
from medtrust.mds2.render.registry import COMPARISON_RENDERINGS, render_comparison
from tests.mds2.writers.strategies import form_of, forms

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _expected_counts(form: Mds2Form, section: str | None) -> dict[str, int]:
    """Count by hand from the answers and the polarity table (independent of compare())."""
    counts = dict.fromkeys(
        ("protective", "exposing", "not_applicable", "see_note", "descriptive", "unanswered"), 0
    )
    questions = [
        q for q in load_mds2_catalogue().questions if section is None or q.section == section
    ]
    for q in questions:
        answer = form.answers.get(q.id)
        value = answer.value if answer else None
        if value is None or not value.strip():
            counts["unanswered"] += 1
        elif value == "N/A":
            counts["not_applicable"] += 1
        elif value == "See Note":
            counts["see_note"] += 1
        elif q.polarity is Polarity.NEUTRAL:
            counts["descriptive"] += 1
        elif (value, q.polarity) in {("Yes", Polarity.YES_PROTECTS), ("No", Polarity.YES_EXPOSES)}:
            counts["protective"] += 1
        elif value in ("Yes", "No"):
            counts["exposing"] += 1
        else:
            counts["unanswered"] += 1
    counts["total"] = len(questions)
    return counts


def _counts(summary: object) -> dict[str, int]:
    keys = ("protective", "exposing", "not_applicable", "see_note", "descriptive", "unanswered")
    return {key: getattr(summary, key) for key in (*keys, "total")}


@SLOW
@given(forms())
def test_counts_of_one_form_match_an_independent_count(form: Mds2Form) -> None:
    result = compare([("Product", form)], load_mds2_catalogue())
    for section in result.sections:
        (summary,) = section.summaries
        assert _counts(summary) == _expected_counts(form, section.code), section.code
        polar = summary.protective + summary.exposing
        if polar:
            assert summary.protective_ratio == pytest.approx(summary.protective / polar)
        else:
            assert summary.protective_ratio is None
    (total,) = result.totals
    assert _counts(total) == _expected_counts(form, None)
    assert total.total == 240


@SLOW
@given(forms(), forms())
def test_products_keep_their_order_and_rows_follow_the_form(a: Mds2Form, b: Mds2Form) -> None:
    catalogue = load_mds2_catalogue()
    result = compare([("B", b), ("A", a)], catalogue)
    assert result.labels == ("B", "A")
    ids = [row.question_id for section in result.sections for row in section.rows]
    assert ids == list(catalogue.ids)
    for section in result.sections:
        for row in section.rows:
            assert row.cells[0].value == b.value(row.question_id)
            assert row.cells[1].value == a.value(row.question_id)
            assert row.differs == (b.value(row.question_id) != a.value(row.question_id))
    assert _counts(result.totals[1]) == _expected_counts(a, None)


def test_sections_without_questions_are_left_out() -> None:
    result = compare([("P", Mds2Form(answers={}))], load_mds2_catalogue())
    assert "OTHR" not in [s.code for s in result.sections]
    assert result.sections[0].code == "DOC"


@pytest.mark.parametrize(
    ("forms_given", "message"),
    [
        ([], "at least one form"),
        (
            [("A", Mds2Form(answers={})), ("A ", Mds2Form(answers={}))],
            "duplicate labels in comparison: A",
        ),
        ([("  ", Mds2Form(answers={}))], "non-empty label"),
        (
            [("A", Mds2Form(answers={})), ("B", Mds2Form(answers={}, form_version="2013"))],
            "different MDS2 editions",
        ),
    ],
)
def test_invalid_comparisons_raise_one_line_errors(
    forms_given: list[tuple[str, Mds2Form]], message: str
) -> None:
    with pytest.raises(Mds2ComparisonError, match=message):
        compare(forms_given, load_mds2_catalogue())


def _example() -> Mds2Comparison:
    catalogue = load_mds2_catalogue()
    protects = next(q for q in catalogue.questions if q.polarity is Polarity.YES_PROTECTS)
    return compare(
        [
            ("Pump <A>", form_of({protects.id: "Yes", "DOC-1": "=HYPERLINK(1)"})),
            ("Pump B", form_of({protects.id: "No"})),
        ],
        catalogue,
    )


def test_summary_explains_itself() -> None:
    result = _example()
    total = result.totals[0]
    assert total.explanation.startswith("Pump <A>, ALL: 1 protective and 0 exposing answers")
    assert "protective ratio 100%" in total.explanation
    assert (
        "no Yes/No answer"
        in next(s for s in result.sections if s.code == "ALOF").summaries[0].explanation
    )


def test_every_rendering_is_produced() -> None:
    result = _example()
    assert sorted(COMPARISON_RENDERINGS) == ["html", "json", "table", "xlsx"]
    table = render_comparison(result, "table").decode("utf-8")
    assert "Pump <A>" in table
    assert "Pump B" in table
    data = json.loads(render_comparison(result, "json"))
    assert data["schema"] == "medtrust-mds2-comparison"
    assert data["labels"] == ["Pump <A>", "Pump B"]
    assert [t["protective"] for t in data["totals"]] == [1, 0]
    assert [t["exposing"] for t in data["totals"]] == [0, 1]
    assert data["sections"][0]["rows"][0]["answers"][0]["value"] == "=HYPERLINK(1)"
    html = render_comparison(result, "html").decode("utf-8")
    assert "Pump &lt;A&gt;" in html
    assert "<A>" not in html
    assert html.count("<details") == len(result.sections)
    assert 'class="protective"' in html
    assert 'class="exposing"' in html


def test_xlsx_rendering_has_a_summary_and_a_detail_sheet() -> None:
    result = _example()
    workbook = openpyxl.load_workbook(io.BytesIO(render_comparison(result, "xlsx")))
    assert workbook.sheetnames == ["summary", "detail"]
    summary, detail = workbook["summary"], workbook["detail"]
    header = [c.value for c in summary[1]]
    assert header[:3] == ["Section", "Product", "Protective"]
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(result.sections) * 2 + 2
    assert rows[-2][:4] == ("ALL", "Pump <A>", 1, 0)
    detail_header = [c.value for c in detail[1]]
    assert detail_header[3:5] == ["Pump <A>", "Pump B"]
    doc1 = next(r for r in detail.iter_rows(min_row=2) if r[1].value == "DOC-1")
    assert doc1[3].value == "=HYPERLINK(1)"
    assert doc1[3].data_type == "s"  # user text stays text
