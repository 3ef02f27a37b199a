"""Validation of a filled MDS2 form against the HN 1-2019 questionnaire.

Errors are problems that make an answer unusable (an answer outside the form's legend, a release
date that is not a date, an ID the form does not have). Warnings are things a reader of the form
should look at but which real forms, NEMA's own example included, routinely contain: missing or
unanswered questions, conditional-rule violations, contradictions and dangling note references
(the research note in ``shared/reference/mds2.md`` §2.8 and §7 recommends warnings for these).

The conditional rules are data (``catalog/data/mds2/hn1-2019.yaml``); this module only applies
them. Every issue names the question, its location in the input and, in plain language, what the
question is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from medtrust.catalog.mds2 import Mds2Catalogue
from medtrust.domain.mds2 import (
    Answer,
    AnswerKind,
    AnswerValue,
    ConditionalRule,
    Issue,
    Mds2Form,
    Question,
    Severity,
)

#: document fields every disclosure should fill in (research note §7: "DOC-1..7 are present")
DOCUMENT_FIELDS = ("DOC-1", "DOC-2", "DOC-3", "DOC-4", "DOC-5", "DOC-6", "DOC-7")

_CHOICES = frozenset(v.value for v in AnswerValue)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NOTE_REF = re.compile(
    r"\bnotes?\s*(?:#|no\.?|nr\.?)?\s*(\d+(?:\s*(?:,|&|and)\s*\d+)*)", re.IGNORECASE
)
_NUMBER = re.compile(r"\d+")


class ValidationCode(StrEnum):
    """Stable codes of the issues the validator adds (read issues keep the readers' codes)."""

    FORM_VERSION = "form-version"  # error: the form is not the catalogue's edition
    UNKNOWN_ID = "unknown-id"  # error: an answer keyed by an ID the form does not have
    INVALID_ANSWER = "invalid-answer"  # error: a choice answer outside Yes/No/N/A/See Note
    INVALID_DATE = "invalid-date"  # error: DOC-7 is not a calendar date
    MISSING_QUESTIONS = "missing-questions"  # warning: IDs absent from the form, per section
    MISSING_DOCUMENT_INFO = "missing-document-info"  # warning: DOC-1..7 absent or empty
    UNANSWERED = "unanswered"  # warning: present, but neither answer nor note
    GATE_VIOLATION = "gate-violation"  # warning: a gating question answered outside its gate
    RULE_VIOLATION = "rule-violation"  # warning: No / See Note where N/A is expected
    CONTRADICTION = "contradiction"  # warning: Yes where the gating answer rules it out
    NOTE_MISSING = "note-missing"  # warning: "See Note" without any note
    DANGLING_NOTE_REFERENCE = "dangling-note-reference"  # warning: "See Note 7" with no Note 7


@dataclass(frozen=True, slots=True)
class SectionCount:
    """How many errors and warnings concern one section (None: the form as a whole)."""

    section: str | None
    errors: int
    warnings: int


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of :func:`validate`: every issue, in a stable order, with counts."""

    issues: tuple[Issue, ...]
    #: one entry per catalogue section in form order, then the form-level bucket (None)
    section_counts: tuple[SectionCount, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """Issues of severity error."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """Issues of severity warning."""
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not make a form invalid)."""
        return not self.errors

    @property
    def summary(self) -> str:
        """One line such as ``0 errors, 3 warnings``."""
        e, w = len(self.errors), len(self.warnings)
        return f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}"


def validate(form: Mds2Form, catalogue: Mds2Catalogue) -> ValidationReport:
    """Check a filled form against the questionnaire and its conditional rules.

    The report contains the form's read issues (from the reader) followed by the validator's
    own findings in a stable order: errors first, then by the question's position in the form
    (issues about the whole form first), then by code and message.
    """
    already = {i.question_id for i in form.read_issues if i.question_id}
    active = _active_rules(form, catalogue)
    expected_na = {target for rule in active for target in rule.targets}
    found: list[Issue] = list(form.read_issues)
    found.extend(_check_form_version(form, catalogue))
    found.extend(_check_answers(form, catalogue, already, expected_na))
    found.extend(_check_missing(form, catalogue))
    found.extend(_check_gates(form, catalogue, expected_na))
    found.extend(_check_rules(form, catalogue, active))
    found.extend(_check_note_references(form, catalogue))
    position = {qid: index for index, qid in enumerate(catalogue.ids)}
    issues = tuple(
        sorted(
            found,
            key=lambda i: (
                i.severity is not Severity.ERROR,
                position.get(i.question_id or "", -1),
                i.question_id or "",
                i.code,
                i.message,
            ),
        )
    )
    return ValidationReport(issues=issues, section_counts=_count(issues, catalogue))


def _label(question: Question) -> str:
    return f"{question.id} ({question.description})"


def _issue(
    severity: Severity,
    code: ValidationCode,
    message: str,
    question_id: str | None = None,
    answer: Answer | None = None,
) -> Issue:
    return Issue(
        severity=severity,
        code=code.value,
        message=message,
        question_id=question_id,
        location=answer.location if answer else None,
    )


def _active_rules(form: Mds2Form, catalogue: Mds2Catalogue) -> tuple[ConditionalRule, ...]:
    """Rules whose condition holds in this form, in catalogue order."""
    return tuple(r for r in catalogue.rules if form.value(r.question) in r.when_values)


def _check_form_version(form: Mds2Form, catalogue: Mds2Catalogue) -> Iterator[Issue]:
    if form.form_version != catalogue.form_version:
        yield _issue(
            Severity.ERROR,
            ValidationCode.FORM_VERSION,
            f"The form is MDS2 edition {form.form_version!r}, but it is being checked against "
            f"the {catalogue.form} ({catalogue.form_version}) questionnaire.",
        )


def _check_answers(
    form: Mds2Form, catalogue: Mds2Catalogue, already: set[str], expected_na: set[str]
) -> Iterator[Issue]:
    for key, answer in form.answers.items():
        question = catalogue.get(key)
        if question is None:
            yield _issue(
                Severity.ERROR,
                ValidationCode.UNKNOWN_ID,
                f"{key} is not a question of the {catalogue.form_version} form.",
                key,
                answer,
            )
        elif key in DOCUMENT_FIELDS:
            yield from _check_document_field(question, answer, already)
        elif key not in already:
            yield from _check_choice(question, answer, expected_na)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _check_document_field(question: Question, answer: Answer, already: set[str]) -> Iterator[Issue]:
    if question.id in already:
        return
    if _blank(answer.value):
        if question.kind is AnswerKind.DATE and not _blank(answer.raw):
            yield _issue(
                Severity.ERROR,
                ValidationCode.INVALID_DATE,
                f"{_label(question)} should be a date; {answer.raw!r} is not one.",
                question.id,
                answer,
            )
            return
        yield _issue(
            Severity.WARNING,
            ValidationCode.MISSING_DOCUMENT_INFO,
            f"{_label(question)} is empty; every disclosure should state it.",
            question.id,
            answer,
        )
    elif question.kind is AnswerKind.DATE and not _is_iso_date(answer.value or ""):
        yield _issue(
            Severity.ERROR,
            ValidationCode.INVALID_DATE,
            f"{_label(question)} should be a date (YYYY-MM-DD); {answer.value!r} is not one.",
            question.id,
            answer,
        )


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_choice(question: Question, answer: Answer, expected_na: set[str]) -> Iterator[Issue]:
    if question.kind is not AnswerKind.CHOICE:
        return
    if answer.value is not None and answer.value not in _CHOICES:
        yield _issue(
            Severity.ERROR,
            ValidationCode.INVALID_ANSWER,
            f"{_label(question)} is answered {answer.value!r}; the form allows only Yes, No, "
            "N/A or See Note.",
            question.id,
            answer,
        )
    elif answer.value is None and not _blank(answer.raw):
        yield _issue(
            Severity.ERROR,
            ValidationCode.INVALID_ANSWER,
            f"{_label(question)}: the answer {answer.raw!r} could not be understood as Yes, No, "
            "N/A or See Note.",
            question.id,
            answer,
        )
    elif answer.value is None and _blank(answer.note) and question.id not in expected_na:
        yield _issue(
            Severity.WARNING,
            ValidationCode.UNANSWERED,
            f"{_label(question)} has no answer and no note.",
            question.id,
            answer,
        )


def _check_missing(form: Mds2Form, catalogue: Mds2Catalogue) -> Iterator[Issue]:
    for qid in DOCUMENT_FIELDS:
        question = catalogue.get(qid)
        if question is not None and qid not in form.answers:
            yield _issue(
                Severity.WARNING,
                ValidationCode.MISSING_DOCUMENT_INFO,
                f"{_label(question)} is missing from the form; every disclosure should state it.",
                qid,
            )
    for section in catalogue.sections:
        questions = catalogue.section_questions(section.code)
        missing = [
            q.id for q in questions if q.id not in form.answers and q.id not in DOCUMENT_FIELDS
        ]
        if not missing:
            continue
        if len(missing) == len(questions):
            text = (
                f"The whole {section.code} section ({section.description.rstrip('.')}) is "
                f"missing: none of its {len(missing)} questions is in the form."
            )
        else:
            text = (
                f"{len(missing)} of the {len(questions)} questions of {section.code} are not "
                f"in the form: {', '.join(missing)}."
            )
        yield _issue(Severity.WARNING, ValidationCode.MISSING_QUESTIONS, text, missing[0])


def _check_gates(
    form: Mds2Form, catalogue: Mds2Catalogue, expected_na: set[str]
) -> Iterator[Issue]:
    allowed: dict[str, frozenset[AnswerValue]] = {}
    controlled: dict[str, list[str]] = {}
    for rule in catalogue.rules:
        if not rule.gate_values:
            continue
        previous = allowed.get(rule.question)
        allowed[rule.question] = rule.gate_values & previous if previous else rule.gate_values
        controlled.setdefault(rule.question, []).extend(rule.targets)
    for qid, values in allowed.items():
        value = form.value(qid)
        question = catalogue.get(qid)
        if question is None or value is None or value in values or value not in _CHOICES:
            continue
        if qid in expected_na and value == AnswerValue.NA:
            continue  # another rule already makes this gate N/A
        targets = list(dict.fromkeys(controlled[qid]))
        expected = " or ".join(v.value for v in AnswerValue if v in values)
        yield _issue(
            Severity.WARNING,
            ValidationCode.GATE_VIOLATION,
            f"{_label(question)} decides whether {len(targets)} other questions apply "
            f"({_span(targets)}); it should be {expected}, but it is {value}.",
            qid,
            form.answers.get(qid),
        )


def _span(ids: Sequence[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{ids[0]} to {ids[-1]}"


def _check_rules(
    form: Mds2Form, catalogue: Mds2Catalogue, active: Iterable[ConditionalRule]
) -> Iterator[Issue]:
    done: set[str] = set()
    for rule in active:
        gate = catalogue.get(rule.question)
        if gate is None:
            continue
        gate_value = form.value(rule.question)
        for target_id in rule.targets:
            value = form.value(target_id)
            target = catalogue.get(target_id)
            if target_id in done or target is None or value not in _CHOICES:
                continue
            if value == AnswerValue.NA:
                continue
            done.add(target_id)
            if value == AnswerValue.YES:
                code = ValidationCode.CONTRADICTION
                text = (
                    f"{gate.id} = {gate_value} ({gate.description}), yet {target.id} = Yes "
                    f"({target.description}). {rule.explanation}"
                )
            else:
                code = ValidationCode.RULE_VIOLATION
                text = (
                    f"{gate.id} = {gate_value} ({gate.description}), so {target.id} "
                    f"({target.description}) should be N/A; it is {value}. {rule.explanation}"
                )
            yield _issue(Severity.WARNING, code, text, target_id, form.answers.get(target_id))


def _note_numbers(text: str) -> list[str]:
    return [n for m in _NOTE_REF.finditer(text) for n in _NUMBER.findall(m.group(1))]


def _check_note_references(form: Mds2Form, catalogue: Mds2Catalogue) -> Iterator[Issue]:
    labels = {form_note.label.strip().lower() for form_note in form.notes}
    numbers = {n.lstrip("0") or "0" for label in labels for n in _NUMBER.findall(label)}
    for key, answer in form.answers.items():
        question = catalogue.get(key)
        if question is None or question.kind is not AnswerKind.CHOICE:
            continue
        texts = [t for t in (answer.note, answer.raw) if t]
        refs = list(dict.fromkeys(n.lstrip("0") or "0" for t in texts for n in _note_numbers(t)))
        for ref in refs:
            if ref not in numbers:
                present = ", ".join(sorted(numbers, key=int)) if numbers else "none"
                yield _issue(
                    Severity.WARNING,
                    ValidationCode.DANGLING_NOTE_REFERENCE,
                    f"{_label(question)} refers to Note {ref}, but the form has no Note {ref} "
                    f"(notes present: {present}).",
                    key,
                    answer,
                )
        if answer.value == AnswerValue.SEE_NOTE and _blank(answer.note) and not refs:
            yield _issue(
                Severity.WARNING,
                ValidationCode.NOTE_MISSING,
                f"{_label(question)} is answered 'See Note', but no note is given.",
                key,
                answer,
            )


def _section_of(question_id: str | None, catalogue: Mds2Catalogue) -> str | None:
    if not question_id:
        return None
    question = catalogue.get(question_id)
    if question is not None:
        return question.section
    prefix = question_id.split("-", 1)[0]
    return prefix if catalogue.section(prefix) is not None else None


def _count(issues: Sequence[Issue], catalogue: Mds2Catalogue) -> tuple[SectionCount, ...]:
    codes: list[str | None] = [s.code for s in catalogue.sections]
    codes.append(None)
    errors = dict.fromkeys(codes, 0)
    warnings = dict.fromkeys(codes, 0)
    for issue in issues:
        section = _section_of(issue.question_id, catalogue)
        bucket = errors if issue.severity is Severity.ERROR else warnings
        bucket[section] += 1
    return tuple(SectionCount(code, errors[code], warnings[code]) for code in codes)
