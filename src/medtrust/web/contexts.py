"""Typed page contexts built from domain objects (no queries here)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Issue, Mds2Form, Question
from medtrust.mds2.compare import stance

_NOTE_REF = re.compile(r"note\s*#?\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class QuestionRow:
    """One question as shown on the disclosure page."""

    question: Question
    value: str | None
    note: str | None
    raw: str | None
    note_texts: tuple[str, ...]
    stance: str  # a medtrust.mds2.compare.Stance value, used as CSS class
    issues: tuple[Issue, ...]


@dataclass(frozen=True, slots=True)
class SectionTab:
    """A section in the navigation with its counts."""

    code: str
    title: str
    questions: int
    answered: int
    issues: int


def _note_texts(form: Mds2Form, note: str | None) -> tuple[str, ...]:
    if not note:
        return ()
    by_number = {}
    for n in form.notes:
        match = _NOTE_REF.search(n.label)
        if match:
            by_number[match.group(1)] = n.text
    return tuple(by_number[m] for m in _NOTE_REF.findall(note) if m in by_number)


def section_tabs(
    form: Mds2Form, catalogue: Mds2Catalogue, issues: tuple[Issue, ...]
) -> list[SectionTab]:
    """Navigation entries for every section that has questions."""
    section_of = {q.id: q.section for q in catalogue.questions}
    tabs = []
    for section in catalogue.sections:
        questions = catalogue.section_questions(section.code)
        if not questions:
            continue
        answered = sum(1 for q in questions if form.value(q.id) is not None)
        count = sum(
            1 for i in issues if i.question_id and section_of.get(i.question_id) == section.code
        )
        tabs.append(
            SectionTab(
                section.code, section.title or section.description, len(questions), answered, count
            )
        )
    return tabs


def section_rows(
    form: Mds2Form, catalogue: Mds2Catalogue, code: str, issues: tuple[Issue, ...]
) -> list[QuestionRow]:
    """The rows of one section in form order."""
    rows = []
    for q in catalogue.section_questions(code):
        answer = form.answers.get(q.id)
        value = answer.value if answer else None
        note = answer.note if answer else None
        rows.append(
            QuestionRow(
                question=q,
                value=value,
                note=note,
                raw=answer.raw if answer else None,
                note_texts=_note_texts(form, note),
                stance=stance(q, answer).value,
                issues=tuple(i for i in issues if i.question_id == q.id),
            )
        )
    return rows
