"""Diff and comparison results as plain-text tables (rich), for terminals and logs."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from medtrust.mds2.compare import Mds2Comparison, SectionSummary
from medtrust.mds2.diff import Mds2Diff


def _text(tables: list[Table | str], width: int) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system=None,
        force_terminal=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    for table in tables:
        console.print(table)
    return buffer.getvalue()


def _shown(value: str | None) -> str:
    return "—" if value is None else value


def diff_table(result: Mds2Diff, *, width: int = 160) -> str:
    """The diff as text: a summary line, a table of changes and one of notes-block changes."""
    s = result.summary
    parts: list[Table | str] = [
        f"{s.questions_changed} questions changed: {s.added} added, {s.removed} removed, "
        f"{s.changed} changed; {s.improves} improve, {s.weakens} weaken, {s.neutral} neutral, "
        f"{s.unclear} unclear; {s.text_changes} notes/OTHR changes."
    ]
    if result.changes:
        table = Table(title="Changed answers", show_lines=False)
        for header in ("ID", "Question", "Part", "Change", "Before", "After", "Direction"):
            table.add_column(header, overflow="fold")
        for c in result.changes:
            table.add_row(
                c.question_id,
                c.description,
                c.aspect.value,
                c.kind.value,
                _shown(c.before),
                _shown(c.after),
                c.direction.value,
            )
        parts.append(table)
    if result.text_changes:
        notes = Table(title="Notes and OTHR")
        for header in ("Label", "Change", "Before", "After"):
            notes.add_column(header, overflow="fold")
        for t in result.text_changes:
            notes.add_row(t.label, t.kind.value, _shown(t.before), _shown(t.after))
        parts.append(notes)
    return _text(parts, width)


def _ratio(summary: SectionSummary) -> str:
    ratio = summary.protective_ratio
    return "—" if ratio is None else f"{ratio:.0%}"


def comparison_table(result: Mds2Comparison, *, width: int = 200) -> str:
    """The comparison as text: a per-section summary table, then every question by section."""
    summary = Table(title="Protective answers per section (protective/exposing/N/A/unanswered)")
    summary.add_column("Section")
    for label in result.labels:
        summary.add_column(label, overflow="fold")
    for section in result.sections:
        summary.add_row(section.code, *(_cell(s) for s in section.summaries))
    summary.add_row("ALL", *(_cell(s) for s in result.totals), end_section=True)
    detail = Table(title="Answers by question")
    detail.add_column("ID")
    detail.add_column("Question", overflow="fold")
    for label in result.labels:
        detail.add_column(label, overflow="fold")
    detail.add_column("Differs")
    for section in result.sections:
        detail.add_row(section.code, section.heading, *([""] * len(result.labels)), "")
        for row in section.rows:
            values = [_shown(cell.value) for cell in row.cells]
            detail.add_row(row.question_id, row.description, *values, "*" if row.differs else "")
    return _text([summary, detail], width)


def _cell(summary: SectionSummary) -> str:
    return (
        f"{summary.protective}/{summary.exposing}/{summary.not_applicable}/"
        f"{summary.unanswered} of {summary.total} ({_ratio(summary)})"
    )
