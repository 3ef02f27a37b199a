"""The medtrust MDS2 JSON document (``"schema": "medtrust-mds2-form"``, version 1).

This is medtrust's own exchange format for a filled MDS2 form: answers keyed by canonical
question ID in form order, each with the normalised ``value``, the ``note`` and the ``raw``
text as found; the ``Note N`` entries; and the OTHR free text. The JSON writer serialises
:func:`form_to_document`; the JSON reader validates with :class:`Mds2DocumentV1` and builds a
form with :func:`document_to_form`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from medtrust.catalog.mds2 import Mds2Catalogue, load_mds2_catalogue
from medtrust.domain.location import Location, LocationKind
from medtrust.domain.mds2 import (
    Answer,
    AnswerKind,
    AnswerValue,
    FormNote,
    Issue,
    Mds2Form,
    Severity,
)
from medtrust.errors import Mds2Error
from medtrust.mds2.answers import normalise_answer, normalise_date_text
from medtrust.validation_text import DOCUMENT, first_problem

DOCUMENT_SCHEMA = "medtrust-mds2-form"
DOCUMENT_SCHEMA_VERSION = 1
_CHOICE_VALUES = frozenset(v.value for v in AnswerValue)


class AnswerEntry(BaseModel):
    """One answer: normalised value, note and the original text."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str | None = Field(
        default=None,
        description="Yes, No, N/A or See Note for choice questions; ISO date for DOC-7; "
        "text for DOC-1..6; null when unanswered or not understood.",
    )
    note: str | None = Field(default=None, description="The answer's note, if any.")
    raw: str | None = Field(default=None, description="The answer exactly as found.")


class NoteEntry(BaseModel):
    """A ``Note N`` entry from the notes block after OTHR."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    text: str


class Mds2DocumentV1(BaseModel):
    """Version 1 of the medtrust MDS2 JSON document."""

    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        title="medtrust MDS2 form",
    )

    schema_name: Literal["medtrust-mds2-form"] = Field(alias="schema")
    schema_version: Literal[1]
    form_version: Literal["2019"]
    answers: dict[str, AnswerEntry] = Field(
        description="Canonical question ID -> answer, in form order."
    )
    notes: list[NoteEntry] = Field(default_factory=list)
    other_considerations: str | None = None


def document_json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Mds2DocumentV1` (by alias)."""
    return Mds2DocumentV1.model_json_schema(by_alias=True)


def form_to_document(form: Mds2Form, *, catalogue: Mds2Catalogue | None = None) -> dict[str, Any]:
    """The JSON document of a form (plain dicts and lists, ready for ``json.dumps``)."""
    order = {qid: index for index, qid in enumerate((catalogue or load_mds2_catalogue()).ids)}
    ordered = sorted(form.answers.values(), key=lambda a: (order.get(a.question_id, 10**6),))
    return {
        "schema": DOCUMENT_SCHEMA,
        "schema_version": DOCUMENT_SCHEMA_VERSION,
        "form_version": form.form_version,
        "answers": {
            a.question_id: {"value": a.value, "note": a.note, "raw": a.raw} for a in ordered
        },
        "notes": [{"label": n.label, "text": n.text} for n in form.notes],
        "other_considerations": form.other_considerations,
    }


def document_to_form(
    data: object,
    *,
    catalogue: Mds2Catalogue | None = None,
    source_name: str | None = None,
    source_format: str = "json",
) -> Mds2Form:
    """Validate a decoded JSON document and build the form.

    Raises :class:`Mds2Error` (one line, with the JSON path) when the document does not match
    the schema. Unknown IDs and values that are not valid for their question become read
    issues located at ``field answers/<ID>``.
    """
    name = source_name or "input"
    try:
        document = Mds2DocumentV1.model_validate(data)
    except ValidationError as exc:
        problem = first_problem(exc, sep="/", root=DOCUMENT, count=True)
        raise Mds2Error(f"{name}: {problem}") from exc
    cat = catalogue or load_mds2_catalogue()
    issues: list[Issue] = []
    answers: dict[str, Answer] = {}
    for key, entry in document.answers.items():
        location = Location(LocationKind.FIELD, f"answers/{key}")
        canonical = cat.resolve_id(key)
        if canonical is None:
            issues.append(
                _issue(
                    Severity.ERROR, "unknown-id", f"{key!r} is not a question ID", None, location
                )
            )
            continue
        if canonical in answers:
            issues.append(
                _issue(
                    Severity.ERROR,
                    "duplicate-id",
                    f"{key!r} names {canonical} again; the first is kept",
                    canonical,
                    location,
                )
            )
            continue
        if canonical != key:
            issues.append(
                _issue(
                    Severity.WARNING,
                    "non-canonical-id",
                    f"{key!r} is read as {canonical}",
                    canonical,
                    location,
                )
            )
        answers[canonical] = _answer(canonical, entry, cat, location, issues)
    order = {qid: index for index, qid in enumerate(cat.ids)}
    return Mds2Form(
        answers={qid: answers[qid] for qid in sorted(answers, key=order.__getitem__)},
        form_version=document.form_version,
        notes=tuple(
            FormNote(n.label, n.text, Location(LocationKind.FIELD, f"notes/{i}"))
            for i, n in enumerate(document.notes)
        ),
        other_considerations=document.other_considerations,
        read_issues=tuple(sorted(issues, key=Issue.sort_key)),
        source_format=source_format,
        source_name=source_name,
    )


def _issue(
    severity: Severity, code: str, message: str, qid: str | None, location: Location
) -> Issue:
    return Issue(severity, code, f"{message} (at {location})", qid, location)


def _answer(
    qid: str,
    entry: AnswerEntry,
    catalogue: Mds2Catalogue,
    location: Location,
    issues: list[Issue],
) -> Answer:
    question = catalogue.get(qid)
    kind = question.kind if question else AnswerKind.TEXT
    value = entry.value
    if kind is AnswerKind.CHOICE and value is not None and value not in _CHOICE_VALUES:
        issues.append(
            _issue(
                Severity.ERROR,
                "unparseable-answer",
                f"{qid}: value {value!r} is not one of Yes, No, N/A, See Note",
                qid,
                location,
            )
        )
        value = None
    elif kind is AnswerKind.CHOICE and value is None and entry.raw is not None:
        if not normalise_answer(entry.raw, kind).ok:
            issues.append(
                _issue(
                    Severity.ERROR,
                    "unparseable-answer",
                    f"{qid}: answer {entry.raw!r} is not one of Yes, No, N/A, See Note",
                    qid,
                    location,
                )
            )
    elif kind is AnswerKind.DATE and value is not None and not normalise_date_text(value).ok:
        issues.append(
            _issue(
                Severity.WARNING,
                "unparseable-date",
                f"{qid}: {value!r} is not a date we can read; kept as text",
                qid,
                location,
            )
        )
    return Answer(qid, value, entry.note, entry.raw, location)
