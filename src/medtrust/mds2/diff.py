"""Differences between two versions of one product's MDS2 form.

Each change names the question (with medtrust's description), what changed (value or note;
added, removed or changed) and its ``direction`` by the question's polarity: with a
"yes-protects" question No -> Yes improves and Yes -> No weakens; "yes-exposes" questions are
the other way round; descriptive ("neutral") questions give neutral; anything involving N/A,
See Note, an unanswered question or a note is "unclear" (a reader has to look).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import Answer, AnswerValue, FormNote, Mds2Form, Polarity, Question
from medtrust.errors import Mds2Error

OTHR_LABEL = "OTHR"


class Mds2ComparisonError(Mds2Error):
    """Forms cannot be diffed or compared (different editions, no forms, duplicate labels)."""

    code = "mds2-not-comparable"


class ChangeKind(StrEnum):
    """What happened to an answer, a note or a notes-block entry."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class ChangeAspect(StrEnum):
    """Which part of an answer changed."""

    VALUE = "value"
    NOTE = "note"


class Direction(StrEnum):
    """Whether a change improves or weakens security, judged by the question's polarity."""

    IMPROVES = "improves"
    WEAKENS = "weakens"
    NEUTRAL = "neutral"
    UNCLEAR = "unclear"

    def mirrored(self) -> Direction:
        """The direction of the reverse change."""
        if self is Direction.IMPROVES:
            return Direction.WEAKENS
        if self is Direction.WEAKENS:
            return Direction.IMPROVES
        return self


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One change to one question's answer (its value or its note)."""

    question_id: str
    section: str
    description: str
    aspect: ChangeAspect
    kind: ChangeKind
    before: str | None
    after: str | None
    direction: Direction
    explanation: str


@dataclass(frozen=True, slots=True)
class TextChange:
    """A change in the notes block (``Note N``) or in the OTHR text (label ``OTHR``)."""

    label: str
    kind: ChangeKind
    before: str | None
    after: str | None
    explanation: str


@dataclass(frozen=True, slots=True)
class DiffSummary:
    """Counts over a diff."""

    questions_changed: int
    added: int
    removed: int
    changed: int
    improves: int
    weakens: int
    neutral: int
    unclear: int
    text_changes: int


@dataclass(frozen=True, slots=True)
class Mds2Diff:
    """All differences from form ``a`` (before) to form ``b`` (after), in form order."""

    form_version: str
    changes: tuple[AnswerChange, ...]
    text_changes: tuple[TextChange, ...]

    @property
    def is_empty(self) -> bool:
        """True when the two forms say the same."""
        return not self.changes and not self.text_changes

    @property
    def summary(self) -> DiffSummary:
        """Counts by kind and direction."""
        kinds = [c.kind for c in self.changes]
        directions = [c.direction for c in self.changes]
        return DiffSummary(
            questions_changed=len({c.question_id for c in self.changes}),
            added=kinds.count(ChangeKind.ADDED),
            removed=kinds.count(ChangeKind.REMOVED),
            changed=kinds.count(ChangeKind.CHANGED),
            improves=directions.count(Direction.IMPROVES),
            weakens=directions.count(Direction.WEAKENS),
            neutral=directions.count(Direction.NEUTRAL),
            unclear=directions.count(Direction.UNCLEAR),
            text_changes=len(self.text_changes),
        )


def _text(value: str | None) -> str | None:
    """None for missing or blank text, else the text unchanged."""
    return value if value is not None and value.strip() else None


def shown_value(answer: Answer | None) -> str | None:
    """The answer as compared: the normalised value, else the raw text, else None."""
    if answer is None:
        return None
    return _text(answer.value) or _text(answer.raw)


def _kind(before: str | None, after: str | None) -> ChangeKind:
    if before is None:
        return ChangeKind.ADDED
    if after is None:
        return ChangeKind.REMOVED
    return ChangeKind.CHANGED


def protective_value(polarity: Polarity) -> AnswerValue | None:
    """The protective answer of a question with this polarity (None when descriptive)."""
    if polarity is Polarity.YES_PROTECTS:
        return AnswerValue.YES
    if polarity is Polarity.YES_EXPOSES:
        return AnswerValue.NO
    return None


def value_direction(question: Question, before: str | None, after: str | None) -> Direction:
    """Direction of a change of answer value, by the question's polarity."""
    protective = protective_value(question.polarity)
    if protective is None:
        return Direction.NEUTRAL
    exposing = AnswerValue.NO if protective is AnswerValue.YES else AnswerValue.YES
    if before == exposing and after == protective:
        return Direction.IMPROVES
    if before == protective and after == exposing:
        return Direction.WEAKENS
    return Direction.UNCLEAR


def _reason(question: Question, direction: Direction) -> str:
    protective = protective_value(question.polarity)
    if direction is Direction.NEUTRAL:
        return "The question is descriptive (no answer is protective), so there is no direction."
    if direction is Direction.IMPROVES:
        return f"{protective} is the protective answer here, so this improves security."
    if direction is Direction.WEAKENS:
        return f"{protective} is the protective answer here, so this weakens security."
    return (
        "Only a change between Yes and No has a direction; changes involving N/A, See Note, "
        "an unanswered question or a note need to be read."
    )


def _what(aspect: ChangeAspect, kind: ChangeKind, before: str | None, after: str | None) -> str:
    subject = "answer" if aspect is ChangeAspect.VALUE else "note"
    if kind is ChangeKind.ADDED:
        return f"{subject} added: now {after!r} (was empty)"
    if kind is ChangeKind.REMOVED:
        return f"{subject} removed: was {before!r}, now empty"
    return f"{subject} changed from {before!r} to {after!r}"


def _change(
    question: Question, aspect: ChangeAspect, before: str | None, after: str | None
) -> AnswerChange:
    kind = _kind(before, after)
    if aspect is ChangeAspect.VALUE:
        direction = value_direction(question, before, after)
    elif question.polarity is Polarity.NEUTRAL:
        direction = Direction.NEUTRAL
    else:
        direction = Direction.UNCLEAR
    return AnswerChange(
        question_id=question.id,
        section=question.section,
        description=question.description,
        aspect=aspect,
        kind=kind,
        before=before,
        after=after,
        direction=direction,
        explanation=f"{question.id} ({question.description}): "
        f"{_what(aspect, kind, before, after)}. {_reason(question, direction)}",
    )


def _question_changes(
    question: Question, a: Answer | None, b: Answer | None
) -> Iterator[AnswerChange]:
    before, after = shown_value(a), shown_value(b)
    if before != after:
        yield _change(question, ChangeAspect.VALUE, before, after)
    note_before = _text(a.note) if a else None
    note_after = _text(b.note) if b else None
    if note_before != note_after:
        yield _change(question, ChangeAspect.NOTE, note_before, note_after)


def _keyed(notes: Iterable[FormNote]) -> dict[tuple[str, int], str]:
    """Notes keyed by (label, occurrence) so repeated labels pair up in order."""
    seen: dict[str, int] = {}
    keyed: dict[tuple[str, int], str] = {}
    for note in notes:
        label = " ".join(note.label.split())
        seen[label] = seen.get(label, 0) + 1
        keyed[(label, seen[label])] = note.text
    return keyed


def _text_change(label: str, before: str | None, after: str | None) -> TextChange:
    kind = _kind(before, after)
    where = "OTHR (other security considerations)" if label == OTHR_LABEL else label
    return TextChange(
        label=label,
        kind=kind,
        before=before,
        after=after,
        explanation=f"{where}: text {kind.value}. Notes have no direction; read them.",
    )


def _text_changes(a: Mds2Form, b: Mds2Form) -> Iterator[TextChange]:
    notes_a, notes_b = _keyed(a.notes), _keyed(b.notes)
    for key in [*notes_a, *(k for k in notes_b if k not in notes_a)]:
        before, after = _text(notes_a.get(key)), _text(notes_b.get(key))
        if before != after:
            yield _text_change(key[0], before, after)
    other_a, other_b = _text(a.other_considerations), _text(b.other_considerations)
    if other_a != other_b:
        yield _text_change(OTHR_LABEL, other_a, other_b)


def check_same_edition(forms: Iterable[Mds2Form]) -> str:
    """The common form version of ``forms``; raises when they are of different editions."""
    versions = sorted({form.form_version for form in forms})
    if len(versions) != 1:
        found = ", ".join(versions) or "none"
        raise Mds2ComparisonError(f"forms of different MDS2 editions cannot be compared ({found})")
    return versions[0]


def diff(a: Mds2Form, b: Mds2Form, catalogue: Mds2Catalogue) -> Mds2Diff:
    """What changed from ``a`` (before) to ``b`` (after), question by question in form order.

    Questions not in the catalogue are not compared (readers report them as read issues).
    """
    version = check_same_edition((a, b))
    changes = tuple(
        change
        for question in catalogue.questions
        for change in _question_changes(
            question, a.answers.get(question.id), b.answers.get(question.id)
        )
    )
    return Mds2Diff(form_version=version, changes=changes, text_changes=tuple(_text_changes(a, b)))
