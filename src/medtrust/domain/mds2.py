"""MDS2 (ANSI/NEMA HN 1-2019) domain types: the questionnaire and filled forms.

The form and its question identifiers are defined by ANSI/NEMA HN 1-2019, "Manufacturer
Disclosure Statement for Medical Device Security". These types carry no question text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from medtrust.domain.location import Location

FORM_VERSION_2019 = "2019"


class AnswerValue(StrEnum):
    """The four answers the 2019 form's legend allows for yes/no questions."""

    YES = "Yes"
    NO = "No"
    NA = "N/A"
    SEE_NOTE = "See Note"


class AnswerKind(StrEnum):
    """What kind of answer a question takes."""

    CHOICE = "choice"  # Yes / No / N/A / See Note
    TEXT = "text"  # free text (DOC-1 .. DOC-6)
    DATE = "date"  # a calendar date (DOC-7)


class Polarity(StrEnum):
    """Which answer protects: used to judge whether a change improves or weakens security."""

    YES_PROTECTS = "yes-protects"  # "Yes" is the protective answer
    YES_EXPOSES = "yes-exposes"  # "Yes" means more exposure or risk
    NEUTRAL = "neutral"  # descriptive; no direction (document data, inventories)


class Severity(StrEnum):
    """How serious a problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the catalogue (no NEMA question text: our own short description)."""

    id: str
    order: int
    section: str
    parent: str | None
    depth: int
    description: str
    kind: AnswerKind
    polarity: Polarity
    #: standard name -> normalised references, e.g. {"nist-sp-800-53-r4": ("AC-12",)}
    mappings: Mapping[str, tuple[str, ...]]
    #: standard name -> the cell exactly as printed in the form (None when empty)
    mappings_raw: Mapping[str, str | None]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the form (DOC, MPII, ALOF, ...)."""

    code: str
    title: str
    description: str
    order: int


@dataclass(frozen=True, slots=True)
class ConditionalRule:
    """A gating rule: when ``question`` is answered with one of ``when_values``, each of
    ``targets`` is expected to be N/A (or left unanswered)."""

    id: str
    question: str
    when_values: frozenset[AnswerValue]
    targets: tuple[str, ...]
    explanation: str
    source: str
    #: answers the gating question itself is expected to have (empty: any)
    gate_values: frozenset[AnswerValue] = frozenset()


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered (or unanswered) question of a filled form."""

    question_id: str
    #: normalised: one of AnswerValue for choice questions, ISO date for DOC-7, text otherwise;
    #: None when the question is unanswered or the answer could not be understood
    value: str | None
    note: str | None = None
    #: the original text (or cell value rendered as text) as found in the input
    raw: str | None = None
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class FormNote:
    """A numbered note from the notes block after OTHR (``Note 1`` ...)."""

    label: str
    text: str
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found while reading or validating a form."""

    severity: Severity
    code: str
    message: str
    question_id: str | None = None
    location: Location | None = None

    def sort_key(self) -> tuple[int, str, str, str]:
        """Stable order: errors first, then by question, code and message."""
        return (
            0 if self.severity is Severity.ERROR else 1,
            self.question_id or "",
            self.code,
            self.message,
        )


@dataclass(frozen=True, slots=True)
class Mds2Form:
    """A filled MDS2 form as read from any input format."""

    answers: Mapping[str, Answer]
    form_version: str = FORM_VERSION_2019
    notes: tuple[FormNote, ...] = ()
    other_considerations: str | None = None
    #: problems found while reading (unknown/duplicate IDs, unparseable answers...)
    read_issues: tuple[Issue, ...] = ()
    source_format: str | None = None
    source_name: str | None = None
    #: headings as printed in the input, keyed by section code (to spot edited headings)
    headings: Mapping[str, str] = field(default_factory=dict)

    def value(self, question_id: str) -> str | None:
        """Return the normalised value of a question, or None when absent or unanswered."""
        answer = self.answers.get(question_id)
        return answer.value if answer else None
