"""Diff and comparison results as JSON (documented shapes ``medtrust-mds2-diff`` and
``medtrust-mds2-comparison``, version 1; see ``docs/mds2-writers.md``)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from medtrust.mds2.compare import Mds2Comparison, SectionSummary
from medtrust.mds2.diff import Mds2Diff


def diff_to_data(result: Mds2Diff) -> dict[str, Any]:
    """The diff as plain JSON-able data (changes in form order)."""
    return {
        "schema": "medtrust-mds2-diff",
        "schema_version": 1,
        "form_version": result.form_version,
        "summary": asdict(result.summary),
        "changes": [
            {
                "question_id": c.question_id,
                "section": c.section,
                "description": c.description,
                "aspect": c.aspect.value,
                "kind": c.kind.value,
                "before": c.before,
                "after": c.after,
                "direction": c.direction.value,
                "explanation": c.explanation,
            }
            for c in result.changes
        ],
        "text_changes": [
            {
                "label": t.label,
                "kind": t.kind.value,
                "before": t.before,
                "after": t.after,
                "explanation": t.explanation,
            }
            for t in result.text_changes
        ],
    }


def summary_to_data(summary: SectionSummary) -> dict[str, Any]:
    """One per-section (or overall) summary as JSON-able data."""
    return {
        "label": summary.label,
        "protective": summary.protective,
        "exposing": summary.exposing,
        "not_applicable": summary.not_applicable,
        "see_note": summary.see_note,
        "descriptive": summary.descriptive,
        "unanswered": summary.unanswered,
        "total": summary.total,
        "protective_ratio": summary.protective_ratio,
        "explanation": summary.explanation,
    }


def comparison_to_data(result: Mds2Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-able data (sections in form order, products as given)."""
    return {
        "schema": "medtrust-mds2-comparison",
        "schema_version": 1,
        "form_version": result.form_version,
        "labels": list(result.labels),
        "ratio_basis": "protective / (protective + exposing)",
        "totals": [summary_to_data(s) for s in result.totals],
        "sections": [
            {
                "code": section.code,
                "heading": section.heading,
                "summaries": [summary_to_data(s) for s in section.summaries],
                "rows": [
                    {
                        "question_id": row.question_id,
                        "description": row.description,
                        "polarity": row.polarity.value,
                        "differs": row.differs,
                        "answers": [
                            {"value": cell.value, "note": cell.note, "stance": cell.stance.value}
                            for cell in row.cells
                        ],
                    }
                    for row in section.rows
                ],
            }
            for section in result.sections
        ],
    }


def encode(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON, 2-space indent, trailing newline."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def diff_json(result: Mds2Diff) -> bytes:
    """The diff as JSON bytes."""
    return encode(diff_to_data(result))


def comparison_json(result: Mds2Comparison) -> bytes:
    """The comparison as JSON bytes."""
    return encode(comparison_to_data(result))
