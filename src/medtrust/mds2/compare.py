"""Several products' MDS2 forms side by side, by section, with per-section summaries.

Every answer gets a *stance*: ``protective`` (Yes on a yes-protects question, No on a
yes-exposes one), ``exposing`` (the opposite), ``not-applicable``, ``see-note``,
``descriptive`` (an answered question without polarity, e.g. DOC-1..7) or ``unanswered``
(including answers that could not be understood). The protective ratio of a section is
protective / (protective + exposing): N/A and unanswered questions neither help nor hurt, and it
is None when no Yes/No answer with a polarity was given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Answer, AnswerValue, Mds2Form, Polarity, Question, Section
from medtrust.mds2.diff import (
    Mds2ComparisonError,
    check_same_edition,
    protective_value,
    shown_value,
)

ALL_SECTIONS = "ALL"
#: the form prints no heading above the DOC block; this is medtrust's own label for it
DOC_HEADING = "DOCUMENT AND DEVICE DESCRIPTION (DOC)"


def section_heading(section: Section) -> str:
    """The section's heading as printed in the form (medtrust's label for DOC)."""
    if section.code == "DOC" and not section.title:
        return DOC_HEADING
    return section.title or section.code


class Stance(StrEnum):
    """What an answer says about security, by the question's polarity."""

    PROTECTIVE = "protective"
    EXPOSING = "exposing"
    NOT_APPLICABLE = "not-applicable"
    SEE_NOTE = "see-note"
    DESCRIPTIVE = "descriptive"
    UNANSWERED = "unanswered"


def stance(question: Question, answer: Answer | None) -> Stance:
    """Classify one answer (see the module docstring)."""
    value = answer.value if answer is not None else None
    if value is None or not value.strip():
        return Stance.UNANSWERED
    if value == AnswerValue.NA:
        return Stance.NOT_APPLICABLE
    if value == AnswerValue.SEE_NOTE:
        return Stance.SEE_NOTE
    protective = protective_value(question.polarity)
    if protective is None:
        return Stance.DESCRIPTIVE
    if value == protective:
        return Stance.PROTECTIVE
    if value in (AnswerValue.YES, AnswerValue.NO):
        return Stance.EXPOSING
    return Stance.UNANSWERED  # text where Yes/No was expected: not understood


@dataclass(frozen=True, slots=True)
class ComparedCell:
    """One product's answer to one question."""

    value: str | None
    note: str | None
    stance: Stance


@dataclass(frozen=True, slots=True)
class ComparedRow:
    """One question across all products (cells in label order)."""

    question_id: str
    description: str
    polarity: Polarity
    cells: tuple[ComparedCell, ...]

    @property
    def differs(self) -> bool:
        """True when the products do not all give the same answer."""
        return len({cell.value for cell in self.cells}) > 1


@dataclass(frozen=True, slots=True)
class SectionSummary:
    """Counts of one product's answers in one section (or ``ALL``)."""

    section: str
    label: str
    protective: int
    exposing: int
    not_applicable: int
    see_note: int
    descriptive: int
    unanswered: int
    total: int

    @property
    def protective_ratio(self) -> float | None:
        """protective / (protective + exposing), or None without any such answer."""
        polar = self.protective + self.exposing
        return self.protective / polar if polar else None

    @property
    def explanation(self) -> str:
        """One sentence saying what the numbers mean."""
        ratio = self.protective_ratio
        shown = "no Yes/No answer with a security direction" if ratio is None else f"{ratio:.0%}"
        return (
            f"{self.label}, {self.section}: {self.protective} protective and {self.exposing} "
            f"exposing answers of {self.total} questions ({self.not_applicable} N/A, "
            f"{self.see_note} See Note, {self.descriptive} descriptive, {self.unanswered} "
            f"unanswered); protective ratio {shown}."
        )


@dataclass(frozen=True, slots=True)
class ComparedSection:
    """One section: its rows and one summary per product."""

    code: str
    heading: str
    rows: tuple[ComparedRow, ...]
    summaries: tuple[SectionSummary, ...]


@dataclass(frozen=True, slots=True)
class Mds2Comparison:
    """Products side by side, sections in form order, products in the order given."""

    form_version: str
    labels: tuple[str, ...]
    sections: tuple[ComparedSection, ...]
    totals: tuple[SectionSummary, ...]


def summarise(section: str, label: str, stances: Iterable[Stance]) -> SectionSummary:
    """Count stances into a summary."""
    listed = list(stances)
    return SectionSummary(
        section=section,
        label=label,
        protective=listed.count(Stance.PROTECTIVE),
        exposing=listed.count(Stance.EXPOSING),
        not_applicable=listed.count(Stance.NOT_APPLICABLE),
        see_note=listed.count(Stance.SEE_NOTE),
        descriptive=listed.count(Stance.DESCRIPTIVE),
        unanswered=listed.count(Stance.UNANSWERED),
        total=len(listed),
    )


def _labels(forms: Sequence[tuple[str, Mds2Form]]) -> tuple[str, ...]:
    if not forms:
        raise Mds2ComparisonError("compare needs at least one form")
    labels = tuple(label.strip() for label, _ in forms)
    if any(not label for label in labels):
        raise Mds2ComparisonError("every compared form needs a non-empty label")
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise Mds2ComparisonError(f"duplicate labels in comparison: {', '.join(duplicates)}")
    return labels


def compare(forms: Sequence[tuple[str, Mds2Form]], catalogue: Mds2Catalogue) -> Mds2Comparison:
    """Put the labelled forms side by side (questions not in the catalogue are ignored)."""
    labels = _labels(forms)
    version = check_same_edition(form for _, form in forms)
    sections: list[ComparedSection] = []
    all_stances: list[list[Stance]] = [[] for _ in forms]
    for section in catalogue.sections:
        if not catalogue.section_questions(section.code):
            continue  # OTHR: free text only
        rows: list[ComparedRow] = []
        stances: list[list[Stance]] = [[] for _ in forms]
        for question in catalogue.section_questions(section.code):
            cells = []
            for index, (_, form) in enumerate(forms):
                answer = form.answers.get(question.id)
                cell = ComparedCell(
                    value=shown_value(answer),
                    note=answer.note if answer is not None else None,
                    stance=stance(question, answer),
                )
                stances[index].append(cell.stance)
                cells.append(cell)
            rows.append(
                ComparedRow(question.id, question.description, question.polarity, tuple(cells))
            )
        for index, collected in enumerate(stances):
            all_stances[index].extend(collected)
        sections.append(
            ComparedSection(
                code=section.code,
                heading=section_heading(section),
                rows=tuple(rows),
                summaries=tuple(
                    summarise(section.code, label, collected)
                    for label, collected in zip(labels, stances, strict=True)
                ),
            )
        )
    totals = tuple(
        summarise(ALL_SECTIONS, label, collected)
        for label, collected in zip(labels, all_stances, strict=True)
    )
    return Mds2Comparison(version, labels, tuple(sections), totals)
