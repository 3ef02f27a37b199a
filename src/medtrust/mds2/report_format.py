"""Validation reports as plain data (JSON) and as a text table."""

from __future__ import annotations

from io import StringIO
from typing import Any

from rich.console import Console
from rich.table import Table

from medtrust.domain.mds2 import Issue, Severity
from medtrust.mds2.validator import ValidationReport


def issue_document(issue: Issue) -> dict[str, Any]:
    """One issue as JSON-ready data."""
    return {
        "severity": issue.severity.value,
        "code": issue.code,
        "question_id": issue.question_id,
        "location": str(issue.location) if issue.location else None,
        "message": issue.message,
    }


def validation_document(report: ValidationReport) -> dict[str, Any]:
    """A report as JSON-ready data: ``ok``, counts and the issues in report order."""
    return {
        "ok": report.ok,
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "issues": [issue_document(i) for i in report.issues],
    }


def validation_table(report: ValidationReport, *, source: str | None = None) -> str:
    """A report as a plain-text table followed by a one-line summary."""
    table = Table(title=f"MDS2 validation: {source}" if source else "MDS2 validation")
    for column in ("severity", "question", "location", "code", "explanation"):
        table.add_column(column, overflow="fold")
    for issue in report.issues:
        table.add_row(
            issue.severity.value,
            issue.question_id or "",
            str(issue.location) if issue.location else "",
            issue.code,
            issue.message,
        )
    buffer = StringIO()
    console = Console(file=buffer, width=160, no_color=True, force_terminal=False)
    if report.issues:
        console.print(table)
    errors = sum(1 for i in report.issues if i.severity is Severity.ERROR)
    console.print(f"{errors} errors, {len(report.issues) - errors} warnings")
    return buffer.getvalue()
